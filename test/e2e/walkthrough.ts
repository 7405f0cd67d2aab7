// The Get Started walkthrough as a person sees it: which steps are done, labels cut short, and whether it opened by itself.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Workbench } from './workbench';

export interface StepState {
  id: string;
  title: string;
  done: boolean;
}

const page = (wb: Workbench) => wb.page.locator('.gettingStartedContainer');

/** The walkthrough's steps in the Welcome editor; aria-checked is VS Code's own "done" mark (it follows completionEvents). */
export async function walkthroughSteps(wb: Workbench): Promise<StepState[]> {
  return page(wb)
    .locator('button.getting-started-step')
    .evaluateAll((els) =>
      els.map((e) => ({
        id: (e.getAttribute('data-step-id') ?? '').replace(/^.*#/, ''),
        title: e.querySelector('.step-title')?.textContent?.trim() ?? '',
        done: e.getAttribute('aria-checked') === 'true',
      })),
    );
}

/**
 * Labels cut short on screen: a visible title, description or link button whose text overflows its box (VS Code clamps
 * titles to three lines and ends buttons with an ellipsis). Each step is selected in turn, so every description shows once.
 */
export async function cutLabels(wb: Workbench): Promise<string[]> {
  const cut = new Set<string>();
  const steps = page(wb).locator('button.getting-started-step');
  for (let i = 0; i < (await steps.count()); i++) {
    await steps.nth(i).click();
    await steps.nth(i).locator('.step-description-container').first().waitFor();
    const found = await page(wb).evaluate((root) => {
      const out: string[] = [];
      for (const el of root.querySelectorAll<HTMLElement>(
        '.category-title, .category-description, .step-title, .step-description-container p, .button-container .monaco-button',
      )) {
        if (!el.offsetParent) continue; // a collapsed step's description
        if (el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1) out.push((el.textContent ?? '').trim());
      }
      return out;
    });
    for (const f of found) cut.add(f);
  }
  return [...cut];
}

/** Sets a setting in the user's and the machine's settings.json (session.ts says why both). */
export function setUserSetting(userDataDir: string, key: string, value: unknown): void {
  for (const scope of ['User', 'Machine']) {
    const file = join(userDataDir, scope, 'settings.json');
    const settings = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    writeFileSync(file, JSON.stringify({ ...settings, [key]: value }, null, 2));
  }
}

/**
 * Reloads the window, opens `file` and waits until pgdba has activated and answered (its status item counts the file's
 * findings: activate() ran to its end, where it opens the walkthrough or not). Then the walkthrough must show (`expect`),
 * or must not: the open command was sent before the count, so a few seconds cover it reaching the screen.
 */
export async function walkthroughOnStart(wb: Workbench, file: string, statusId: string, title: string, expect: boolean): Promise<void> {
  await wb.reload();
  await wb.openFile(file);
  await wb
    .statusItem(statusId)
    .filter({ hasText: /pgdba\s+(\d+|✓)/ })
    .waitFor();
  const shown = page(wb).locator('.category-title', { hasText: title }).first();
  // Opening waits for activation and the Get Started editor to load, which a busy CI machine makes slow.
  if (expect) return shown.waitFor({ timeout: 60_000 });
  await shown.waitFor({ timeout: 3000 }).then(
    () => {
      throw new Error('the walkthrough opened again');
    },
    (err: Error) => {
      if (err.name !== 'TimeoutError') throw err;
    },
  );
}
