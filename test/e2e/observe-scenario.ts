// E2E scenario (issue 17): a throwaway PG15 with pg_stat_statements runs the workspace's statements with literal values;
// the editor shows a code lens with their figures right above each, and the lens opens the Top queries view at its row.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startThrowawayPostgres } from '../pg/harness';
import { runObserveWorkload, writeObserveWorkspace } from '../pg/observe-fixtures';
import type { Session } from './session';

/** Needs PGPASSWORD set to the harness's password before code-server started (the language server reads it there). */
export async function codeLensScenario(s: Session, measured: Record<string, number | string>): Promise<void> {
  const { wb } = s;
  const pg = await startThrowawayPostgres(undefined, {
    shared_preload_libraries: 'pg_stat_statements',
    compute_query_id: 'on',
    'pg_stat_statements.track': 'all',
  });
  const dir = writeObserveWorkspace();
  try {
    // The workspace names the database without a password; the statements run with literal values before it opens.
    writeFileSync(join(dir, 'pgdba.json'), JSON.stringify({ database: { url: pg.urlWithoutPassword } }, null, 2));
    await runObserveWorkload(pg.url);
    await wb.openWindow(`${s.cs.url}?folder=${encodeURIComponent(dir)}`);
    await wb.openFile('reports.sql');
    await wb.closePanel();
    const t0 = Date.now();
    const lensFor = (re: RegExp) => wb.page.locator('.editor-instance .codelens-decoration', { hasText: re }).first();
    const lens = lensFor(/5 calls · mean [\d.]+ ms · (<1|\d+) % of DB time/);
    await lens.waitFor({ timeout: 90_000 });
    measured.codeLensShownMs = Date.now() - t0;
    // Each lens sits right above the first line of its own statement (run with other constants than the file's).
    for (const [re, line] of [
      [/5 calls/, /customer_id\s=\s42/],
      [/3 calls/, /^SELECT\scount\(\*\)/],
      [/1 call ·/, /^UPDATE\sorders/],
    ] as const) {
      const l = await lensFor(re).boundingBox();
      const v = await wb.page.locator('.editor-instance .monaco-editor .view-line', { hasText: line }).first().boundingBox();
      assert.ok(l && v && l.y < v.y && v.y - l.y <= 2 * v.height, `lens ${re} is not right above ${line}: ${JSON.stringify({ l, v })}`);
    }
    await wb.screenshot('code-lens');
    // The lens opens the Top queries view at its statement, which names where it lives.
    await lens.locator('a').first().click();
    const row = wb.page.locator('.monaco-list-row', { hasText: /customer_id = \$1/ }).first();
    await row.waitFor({ timeout: 30_000 });
    assert.match((await row.innerText()).replace(/\s+/g, ' '), /5 calls · mean .* — queries\/reports\.sql:2/);
    await wb.page
      .locator('.monaco-list-row', { hasText: /not in this workspace/ })
      .first()
      .waitFor();
    await wb.screenshot('top-queries');
  } finally {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
