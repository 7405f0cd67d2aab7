// require-concurrent-refresh: REFRESH MATERIALIZED VIEW without CONCURRENTLY blocks every read of the view.
import type { RefreshMatViewStmt } from '@pgsql/types';
import { as } from '../parse/ast';
import { createdInFile } from '../facts/created-in-file';
import { keywordRange, rangeVarRange, relationText } from '../facts/relations';
import { defineRule } from './rule';

export default defineRule({
  id: 'require-concurrent-refresh',
  category: 'migration-lock',
  severity: 'warning',
  recommended: true,
  fix: 'safe',
  scope: 'migration',
  messages: {
    refresh: 'REFRESH MATERIALIZED VIEW {view} takes an ACCESS EXCLUSIVE lock: every read of the view waits until the query behind it has run again.',
  },
  docs: {
    summary: 'REFRESH MATERIALIZED VIEW without CONCURRENTLY on an existing view.',
    why: 'A plain refresh locks the materialized view ACCESS EXCLUSIVE for as long as its query runs, so readers block. REFRESH … CONCURRENTLY takes an EXCLUSIVE lock, which lets reads continue; it needs a unique index on the view and a populated view.',
    help: 'Create a unique index on the materialized view and use REFRESH MATERIALIZED VIEW CONCURRENTLY.',
    bad: ['REFRESH MATERIALIZED VIEW daily_totals;'],
    good: [
      'REFRESH MATERIALIZED VIEW CONCURRENTLY daily_totals;',
      'CREATE MATERIALIZED VIEW daily_totals AS SELECT 1 AS day WITH NO DATA;\nREFRESH MATERIALIZED VIEW daily_totals;',
    ],
    exampleFile: 'migration',
  },
  sources: [{ tool: 'postgres-language-server', rule: 'requireConcurrentRefreshMatview', relation: 'quieter' }],
  check(ctx) {
    const created = ctx.facts.get(createdInFile);
    for (const stmt of ctx.statements) {
      const r = as<RefreshMatViewStmt>(stmt.node, 'RefreshMatViewStmt');
      // WITH NO DATA empties the view (a quick catalog change); a view made in this file has no readers yet.
      if (!r?.relation || r.concurrent || r.skipData || created.isTransient(r.relation, stmt)) continue;
      const key = created.resolve(r.relation, stmt);
      const unique = [...ctx.catalog.indexes.values()].some((i) => i.table === key && i.unique);
      const kw = keywordRange(ctx.parsed, stmt, ['view']);
      // CONCURRENTLY fails without a unique index, so only offer it when the workspace defines one.
      const fix = unique && kw ? { title: 'Add CONCURRENTLY', edits: [{ start: kw.end, end: kw.end, newText: ' CONCURRENTLY' }] } : undefined;
      ctx.report({ ...rangeVarRange(ctx.parsed, r.relation, stmt), messageId: 'refresh', data: { view: relationText(r.relation) }, statement: stmt, fix });
    }
  },
});
