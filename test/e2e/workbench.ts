// Drives a VS Code workbench in headless Chromium the way a person would: Quick Open, the command palette, the mouse, panels.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserServer, type Locator, type Page } from 'playwright-core';

const VIEWPORT = { width: 1400, height: 860 };
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface ConsoleEntry {
  type: string;
  text: string;
  /** Where the message came from (script URL and line), and the scenario running then: for a failure's report. */
  at?: string;
  during?: string;
}

export class Workbench {
  /** Every console message the workbench page logged, for the no-noise check. */
  readonly console: ConsoleEntry[] = [];
  /** The scenario now running, recorded with each console message. */
  scenario = '';
  private shot = 0;

  private constructor(
    private readonly server: BrowserServer,
    private readonly browser: Browser,
    private current: Page,
    private readonly shotsDir: string,
  ) {
    this.watch(current);
  }

  /** The browser tab showing the workbench. */
  get page(): Page {
    return this.current;
  }

  private watch(page: Page): void {
    page.setDefaultTimeout(20_000);
    page.on('console', (m) => {
      const { url, lineNumber, columnNumber } = m.location();
      this.console.push({ type: m.type(), text: m.text(), at: `${url}:${lineNumber}:${columnNumber}`, during: this.scenario });
    });
    page.on('pageerror', (e) => this.console.push({ type: 'pageerror', text: e.stack ?? String(e), during: this.scenario }));
  }

  static async open(url: string, shotsDir: string): Promise<Workbench> {
    mkdirSync(shotsDir, { recursive: true });
    // A browser server rather than launch(): it exposes Chromium's pid, so close() can make sure it is gone.
    const server = await chromium.launchServer({ executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium', args: CHROMIUM_ARGS });
    let wb: Workbench | undefined;
    try {
      const browser = await chromium.connect(server.wsEndpoint());
      const page = await browser.newPage({ viewport: VIEWPORT });
      wb = new Workbench(server, browser, page, shotsDir);
      await wb.goto(url);
      return wb;
    } catch (err) {
      if (wb) await wb.close();
      else await server.close();
      throw err;
    }
  }

  /** Closes this workbench window and opens `url` in a new one, as a person opening another workspace would. */
  async openWindow(url: string): Promise<void> {
    const old = this.current;
    this.current = await this.browser.newPage({ viewport: VIEWPORT });
    this.watch(this.current);
    await old.close({ runBeforeUnload: false });
    await this.goto(url);
  }

  /**
   * Developer: Reload Window, as a person would. The page and its browser profile stay (openWindow starts a fresh one),
   * so the extension's globalState survives, as it does across restarts of VS Code.
   */
  async reload(): Promise<void> {
    const loaded = this.page.waitForEvent('load', { timeout: 90_000 });
    await this.runCommand('Developer: Reload Window');
    await loaded;
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor();
  }

  /** Loads a workbench URL and waits for the explorer to show the workspace. */
  async goto(url: string): Promise<void> {
    // A new window loads the whole workbench again: on a busy machine that outlasts the default action timeout.
    await this.page.goto(url, { timeout: 90_000 });
    await this.page.locator('.monaco-workbench').waitFor({ timeout: 90_000 });
    await this.page.locator('.explorer-folders-view .monaco-list-row').first().waitFor();
  }

  /** Saves a numbered screenshot into the artifacts folder and returns its path. */
  async screenshot(name: string): Promise<string> {
    const path = join(this.shotsDir, `${String(++this.shot).padStart(2, '0')}-${name}.png`);
    await this.page.screenshot({ path });
    return path;
  }

  async close(): Promise<void> {
    const chromiumProcess = this.server.process();
    await this.browser.close().catch(() => undefined);
    await this.server.close().catch(() => undefined);
    // server.close() stops Chromium; make sure of it by its pid (only while it has not exited, so the pid is still ours).
    if (chromiumProcess.pid && chromiumProcess.exitCode === null && chromiumProcess.signalCode === null) {
      try {
        process.kill(chromiumProcess.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }

  // ---- Quick Open and the command palette ----

  private quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /** The rows the quick input shows now, by their aria labels. */
  async quickPickLabels(): Promise<string[]> {
    return this.quickInput()
      .locator('.monaco-list-row')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('aria-label') ?? ''));
  }

  /** Quick Open (Ctrl+P): types the file name and opens the first match; waits for its editor tab. */
  async openFile(name: string): Promise<void> {
    await this.page.keyboard.press('Control+P');
    await this.quickInput().locator('input').fill(name);
    // Wait for the filtered list, not the recently-opened one shown before it: the focused (first) row must be the file.
    await this.quickInput().locator('.monaco-list-row.focused', { hasText: name }).waitFor();
    await this.page.keyboard.press('Enter');
    await this.activeTab(name).waitFor();
    await this.page.locator('.editor-instance .monaco-editor .view-line').first().waitFor();
  }

  /** Opens the command palette (F1) and types `text`; resolves with the rows shown once `expect` is among them. */
  async paletteSearch(text: string, expect: string): Promise<string[]> {
    await this.page.keyboard.press('F1');
    await this.quickInput().locator('input').fill(`>${text}`);
    await this.quickInput().locator('.monaco-list-row', { hasText: expect }).first().waitFor();
    return this.quickPickLabels();
  }

  /** Runs a command from the palette by its full title, e.g. `pgdba: Show actions`. */
  async runCommand(title: string): Promise<void> {
    await this.paletteSearch(title, title);
    await this.quickInput().locator('.monaco-list-row', { hasText: title }).first().click();
  }

  /** Picks a row of an open quick pick by its text. */
  async pick(text: string | RegExp): Promise<void> {
    const row = this.quickInput().locator('.monaco-list-row', { hasText: text }).first();
    await row.waitFor();
    await row.click();
  }

  /**
   * Answers an input box once it shows, empty, with `title` (the widget is reused from one prompt to the next, so
   * waiting for the title keeps an answer from landing in the prompt that is just closing).
   */
  async answerInput(value: string, title: string | RegExp): Promise<void> {
    await this.quickInput().locator('.quick-input-title', { hasText: title }).waitFor();
    const input = this.quickInput().locator('input.empty');
    await input.waitFor();
    await input.fill(value);
    await this.page.keyboard.press('Enter');
  }

  async dismiss(): Promise<void> {
    await this.page.keyboard.press('Escape');
  }

  // ---- Editors ----

  activeTab(name: string | RegExp): Locator {
    return this.page.locator('.tabs-container .tab.active', { hasText: name });
  }

  tab(name: string | RegExp): Locator {
    return this.page.locator('.tabs-container .tab', { hasText: name });
  }

  /** The active editor's visible text, line by line (Monaco renders spaces as no-break spaces). */
  async editorText(): Promise<string> {
    return this.page
      .locator('.editor-instance .monaco-editor .view-lines')
      .first()
      .evaluate((el) =>
        [...el.querySelectorAll('.view-line')]
          .map((l) => ({ top: parseFloat((l as HTMLElement).style.top), text: (l.textContent ?? '').replace(/\u00a0/g, ' ') }))
          .sort((a, b) => a.top - b.top)
          .map((l) => l.text)
          .join('\n'),
      );
  }

  /** Go to Line (Ctrl+G) `line:column`, 1-based. */
  async goToLine(line: number, column = 1): Promise<void> {
    await this.page.keyboard.press('Control+G');
    await this.quickInput().locator('input').fill(`:${line}:${column}`);
    await this.page.keyboard.press('Enter');
    await this.page.locator('#status\\.editor\\.selection', { hasText: `Ln ${line}, Col ${column}` }).waitFor();
  }

  /** Where `word` sits on screen inside the first visible editor line that contains `lineText`, found by searching the text. */
  private async wordBox(lineText: string, word: string): Promise<{ x: number; y: number }> {
    const line = this.page
      .locator('.editor-instance .monaco-editor .view-line')
      .filter({ hasText: normaliseForMatch(lineText) })
      .first();
    await line.waitFor();
    const box = await line.evaluate(
      (el, { lineText, word }) => {
        const text = (el.textContent ?? '').replace(/\u00a0/g, ' ');
        const start = text.indexOf(lineText);
        if (start < 0 || !lineText.includes(word)) return null;
        const at = start + lineText.indexOf(word);
        // Walk the text nodes to turn the character offset into a DOM range.
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
        let seen = 0;
        for (let n = walker.nextNode(); n; n = walker.nextNode()) {
          const len = n.textContent?.length ?? 0;
          if (seen + len > at) {
            const range = document.createRange();
            range.setStart(n, at - seen);
            range.setEnd(n, Math.min(len, at - seen + word.length));
            const r = range.getBoundingClientRect();
            return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
          }
          seen += len;
        }
        return null;
      },
      { lineText, word },
    );
    if (!box) throw new Error(`"${word}" not found in the line "${lineText}"`);
    return box;
  }

  /** Rests the mouse on `word` in the line containing `lineText` and resolves with the hover's text once `expect` shows. */
  async hover(lineText: string, word: string, expect: string | RegExp, timeout = 30_000): Promise<string> {
    const { x, y } = await this.wordBox(lineText, word);
    await this.page.mouse.move(x - 40, y + 200);
    await this.page.mouse.move(x, y, { steps: 4 });
    const hover = this.page.locator('.monaco-hover:not(.hidden)', { hasText: expect }).first();
    await hover.waitFor({ timeout });
    return hover.innerText();
  }

  /**
   * Hovers the statement on the line containing `lineText` and waits, without moving the pointer, until its plan shows.
   * While PGlite builds, the plan part of the hover says "Loading…" and the plan appears in place when the build is done
   * (`whileBuilding` runs then, with the hover's first text). A hover that does not open (the editor was busy) is tried again.
   */
  async hoverPlan(lineText: string, buildTimeout = 90_000, whileBuilding?: (text: string) => Promise<void>): Promise<string> {
    for (let attempt = 0; ; attempt++) {
      const first = await this.hover(lineText, 'SELECT', /Loading|Scan|No plan|could not plan/).catch(async (err: Error) => {
        if (err.name !== 'TimeoutError' || attempt === 4) throw err;
        await this.parkMouse();
        return undefined;
      });
      if (first === undefined) continue;
      if (!/Scan/.test(first)) await whileBuilding?.(first);
      const hover = this.page.locator('.monaco-hover:not(.hidden)').first();
      await hover.filter({ hasText: /Scan|No plan|could not plan/ }).waitFor({ timeout: buildTimeout });
      return hover.innerText();
    }
  }

  /** Clicks `word` in the line containing `lineText`, putting the cursor there. */
  async clickWord(lineText: string, word: string): Promise<void> {
    const { x, y } = await this.wordBox(lineText, word);
    await this.page.mouse.click(x, y);
  }

  /**
   * Opens the quick fix menu (Ctrl+.) at the cursor and resolves with its entries once `expect` is among them.
   * Asked while the file's diagnostics are being replaced (a fresh pull right after opening it), VS Code can answer
   * "No code actions available"; a person presses Ctrl+. again, and so do we (at most three times).
   */
  async quickFixes(expect: string | RegExp): Promise<string[]> {
    const menu = this.page.locator('.action-widget');
    const entry = menu.locator('.monaco-list-row', { hasText: expect }).first();
    // The message shows twice (the widget and its screen-reader alert): either will do.
    const none = this.page.getByText('No code actions available').first();
    for (let attempt = 1; ; attempt++) {
      await this.page.keyboard.press('Control+.');
      await entry.or(none).first().waitFor();
      if (await entry.isVisible()) break;
      if (attempt === 3) throw new Error(`no quick fix matching ${expect}: VS Code keeps saying "No code actions available"`);
      await this.page.keyboard.press('Escape');
      await none.waitFor({ state: 'hidden' });
    }
    return menu.locator('.monaco-list-row.action').evaluateAll((rows) => rows.map((r) => (r.textContent ?? '').trim()));
  }

  /** Chooses an entry of the open quick fix menu with the arrow keys and Enter, as a keyboard user would. */
  async applyQuickFix(title: string | RegExp): Promise<void> {
    const matches = (label: string) => (typeof title === 'string' ? label.includes(title) : title.test(label));
    const focused = this.page.locator('.action-widget .monaco-list-row.action.focused');
    for (let i = 0; i < 20; i++) {
      const label = (await focused.getAttribute('aria-label')) ?? '';
      if (matches(label)) {
        await this.page.keyboard.press('Enter');
        await this.page.locator('.action-widget').waitFor({ state: 'hidden' });
        return;
      }
      await this.page.keyboard.press('ArrowDown');
      await this.page.waitForFunction(
        (prev) => document.querySelector('.action-widget .monaco-list-row.action.focused')?.getAttribute('aria-label') !== prev,
        label,
        { polling: 'raf' },
      );
    }
    throw new Error(`no quick fix matching ${title}`);
  }

  /** Closes menus, hovers, quick inputs and notifications left open, so the next scenario starts from a quiet workbench. */
  async reset(): Promise<void> {
    for (let i = 0; i < 3; i++) await this.page.keyboard.press('Escape');
    await this.parkMouse();
  }

  /** Moves the pointer to an empty stretch of the status bar, where it opens no hover or tooltip. */
  async parkMouse(): Promise<void> {
    const vp = this.page.viewportSize() ?? { width: 1400, height: 860 };
    await this.page.mouse.move(vp.width / 2, vp.height - 10);
  }

  // ---- Panels and the status bar ----

  /** Opens the Problems panel (Ctrl+Shift+M). */
  async showProblems(): Promise<void> {
    await this.page.keyboard.press('Control+Shift+M');
    await this.page.locator('.markers-panel').waitFor();
  }

  /** The problems listed now: one entry per marker, with its rule id (the diagnostic code) and message. */
  async problems(): Promise<{ code: string; source: string; message: string; severity: string }[]> {
    return this.page.locator('.markers-panel .monaco-list-row').evaluateAll((rows) =>
      rows
        .filter((r) => r.querySelector('.marker-message'))
        .map((r) => ({
          code: r.querySelector('.marker-code')?.textContent ?? '',
          source: r.querySelector('.marker-source')?.textContent ?? '',
          message: r.querySelector('.marker-message')?.textContent ?? '',
          severity: r.querySelector('.marker-icon')?.className.match(/\b(error|warning|info)\b/)?.[1] ?? '',
        })),
    );
  }

  /** Types into the Problems panel's filter box (its list is virtual: rows scrolled out of view are not in the page). */
  async filterProblems(text: string): Promise<void> {
    await this.page.locator('.markers-panel-action-filter input, .viewpane-filter input').first().fill(text);
  }

  /** Waits until the Problems panel lists a marker with this rule id. */
  async waitForProblem(code: string, timeout = 30_000): Promise<void> {
    await this.page.locator('.markers-panel .monaco-list-row .marker-code', { hasText: code }).first().waitFor({ timeout });
  }

  /** Closes the bottom panel (Problems, Output…) to give an editor the whole height, e.g. for a screenshot. */
  async closePanel(): Promise<void> {
    const panel = this.page.locator('.part.panel');
    if (!(await panel.isVisible())) return;
    await this.page.keyboard.press('Control+J');
    await panel.waitFor({ state: 'hidden' });
  }

  /** Waits (on repaints, in the page) until the Problems panel lists exactly `count` markers with this rule id. */
  async waitForProblemCount(code: string, count: number, timeout = 30_000): Promise<void> {
    await this.page.waitForFunction(
      ({ code, count }) =>
        [...document.querySelectorAll('.markers-panel .monaco-list-row .marker-code')].filter((e) => e.textContent === code).length === count,
      { code, count },
      { timeout, polling: 'raf' },
    );
  }

  /** The text of a status bar item, by its DOM id (`<publisher>.<name>.<id>` for extension items). */
  statusItem(id: string): Locator {
    return this.page.locator(`[id="${id}"]`);
  }
}

/** Monaco renders a line's spaces as no-break spaces; playwright's hasText normalises whitespace, so match on a trimmed string. */
function normaliseForMatch(s: string): string {
  return s.trim();
}
