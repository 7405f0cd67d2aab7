// The command scenarios of the workbench test: the command palette, Generate rollback and Rehearse migrations, run in
// the workbench test's one code-server session (registered from workbench.test.ts, in its order).
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Session } from './session';

export interface ScenarioContext {
  /** Registers a scenario of the session (a screenshot on failure). */
  scenario(name: string, fn: (t: TestContext) => Promise<void>, opts?: { timeout?: number }): void;
  /** The running session (started by the test's before hook). */
  session(): Session;
  /** Fails unless the packaged extension contributes the command. */
  assertCommand(id: string): void;
  /** A command's title as the palette shows it. */
  title(id: string): string;
}

export function commandScenarios({ scenario, session, assertCommand, title }: ScenarioContext): void {
  scenario('the command palette lists every pgdba command under one category', async () => {
    const s = session();
    const { wb } = s;
    const commands = s.manifest.contributes.commands ?? [];
    assert.ok(commands.length >= 4);
    for (const c of commands) assert.equal(c.category, 'pgdba', `${c.command} is not in the pgdba category`);
    // The list is virtual: wait for the title that sorts first, the rest are searched one by one below if not shown.
    const rows = await wb.paletteSearch('pgdba:', commands.map((c) => title(c.command)).sort()[0]);
    for (const c of commands) {
      // Commands that only make sense from a hover or a menu may be hidden from the palette (menus.commandPalette when=false).
      if (rows.some((r) => r.includes(title(c.command)))) continue;
      await wb.page.locator('.quick-input-widget input').fill(`>${title(c.command)}`);
      await wb.page
        .locator('.quick-input-widget .monaco-list-row', { hasText: title(c.command) })
        .first()
        .waitFor({ timeout: 5000 })
        .catch(() => {
          throw new Error(`"${title(c.command)}" is not in the command palette`);
        });
    }
    await wb.page.locator('.quick-input-widget input').fill('>pgdba:');
    await wb.screenshot('command-palette');
    await wb.dismiss();
  });

  scenario('Generate rollback writes the down file of a migration', async () => {
    assertCommand('pgdba.generateRollback');
    const s = session();
    const { wb } = s;
    await wb.openFile('000004_invoice_due_date.up.sql');
    await wb.runCommand(title('pgdba.generateRollback'));
    await wb.activeTab('000004_invoice_due_date.down.sql').waitFor();
    const down = await wb.editorText();
    assert.match(down, /DROP INDEX[^;]*invoices_due_at_idx/i);
    assert.match(down, /DROP COLUMN[^;]*due_at/i);
    await wb.screenshot('rollback');
    await wb.page.keyboard.press('Control+S');
    await wb.page.locator('.tabs-container .tab.active:not(.dirty)', { hasText: '000004_invoice_due_date.down.sql' }).waitFor();
    assert.ok(existsSync(join(s.folder, 'migrations', '000004_invoice_due_date.down.sql')));
    await wb.page.locator('.notifications-toasts', { hasText: /wrote .*000004_invoice_due_date\.down\.sql/ }).waitFor();
    // Again, now that the down file exists: a diff against a read-only generated document, and no untitled tab to save.
    await wb.openFile('000004_invoice_due_date.up.sql');
    await wb.runCommand(title('pgdba.generateRollback'));
    await wb.activeTab(/generated rollback/).waitFor();
    await wb.screenshot('rollback-diff');
    assert.equal(await wb.page.locator('.tabs-container .tab', { hasText: /Untitled/ }).count(), 0, 'an untitled tab was left behind');
    assert.equal(await wb.page.locator('.tabs-container .tab.dirty').count(), 0, 'a tab is left unsaved');
  });

  scenario(
    'Rehearse migrations puts a down that does not restore the schema in the Problems panel',
    async () => {
      assertCommand('pgdba.rehearseMigrations');
      const s = session();
      const { wb } = s;
      const up = join(s.folder, 'migrations', '000005_invoice_notes.up.sql');
      const down = join(s.folder, 'migrations', '000005_invoice_notes.down.sql');
      writeFileSync(up, 'ALTER TABLE invoices ADD COLUMN notes text;\nCREATE INDEX invoices_notes_idx ON invoices (notes);\n');
      writeFileSync(down, '-- forgets the column\nDROP INDEX invoices_notes_idx;\n');
      try {
        await wb.runCommand(title('pgdba.rehearseMigrations'));
        // A multi-root window asks for the folder first.
        const row = wb.page.locator('.quick-input-widget .monaco-list-row', { hasText: /Own down files|saas/ }).first();
        await row.waitFor();
        if (!/Own down files/.test((await row.textContent()) ?? '')) await wb.pick(/saas/);
        await wb.pick('Own down files');
        await wb.showProblems();
        await wb.filterProblems('rehearsal');
        await wb.waitForProblem('rehearsal-schema-mismatch', 120_000);
        const found = (await wb.problems()).find((p) => p.code === 'rehearsal-schema-mismatch');
        assert.match(found?.message ?? '', /does not restore the schema: .*column invoices\.notes/);
        // The notification shows the report's summary (not the last line of an error) and offers the report.
        const toast = wb.page.locator('.notifications-toasts .notification-toast', { hasText: /rehearsal of saas failed: \d+ migrations rehearsed/ });
        await toast.waitFor();
        await toast.getByRole('button', { name: 'Show Report' }).waitFor();
        await wb.screenshot('rehearsal-problems');
      } finally {
        await wb.filterProblems('').catch(() => undefined);
        rmSync(up, { force: true });
        rmSync(down, { force: true });
      }
    },
    { timeout: 180_000 },
  );
}
