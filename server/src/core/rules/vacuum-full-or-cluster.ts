// vacuum-full-or-cluster: VACUUM FULL and CLUSTER rewrite the table under ACCESS EXCLUSIVE for the whole copy.
import type { RangeVar } from '@pgsql/types';
import { as, optionOn } from '../parse/ast';
import { createdInFile } from '../facts/created-in-file';
import { leadingKeywords, rangeVarRange, relationText } from '../facts/relations';
import { defineRule } from './rule';

export default defineRule({
  id: 'vacuum-full-or-cluster',
  category: 'migration-lock',
  severity: 'warning',
  recommended: true,
  fix: 'none',
  scope: 'migration',
  messages: {
    rewrite: '{what} copies {table} into a new file under an ACCESS EXCLUSIVE lock, blocking reads, writes and DDL for the whole copy.',
  },
  docs: {
    summary: 'VACUUM FULL or CLUSTER in a migration.',
    why: 'Both rebuild the table (and its indexes) from scratch while holding ACCESS EXCLUSIVE; on a large table that is minutes to hours of downtime. Without a table name they do it to every table.',
    help: 'Use pg_repack or pg_squeeze to rebuild the table online, outside the migration.',
    bad: ['VACUUM FULL events;', 'CLUSTER events USING events_created_at_idx;'],
    good: ['VACUUM (ANALYZE) events;'],
    exampleFile: 'migration',
  },
  sources: [
    { tool: 'squawk', rule: 'prefer-repack', relation: 'same' },
    { tool: 'postgres-language-server', rule: 'banVacuumFull', relation: 'same' },
  ],
  check(ctx) {
    const created = ctx.facts.get(createdInFile);
    for (const stmt of ctx.statements) {
      const vac = as<{ options?: unknown[]; rels?: unknown[]; is_vacuumcmd?: boolean }>(stmt.node, 'VacuumStmt');
      const cluster = as<{ relation?: RangeVar }>(stmt.node, 'ClusterStmt');
      let rels: RangeVar[];
      let what: string;
      if (vac?.is_vacuumcmd && optionOn(vac.options, 'full')) {
        what = 'VACUUM FULL';
        rels = (vac.rels ?? []).map((r) => as<{ relation?: RangeVar }>(r, 'VacuumRelation')?.relation).filter((r): r is RangeVar => !!r);
      } else if (cluster) {
        what = 'CLUSTER';
        rels = cluster.relation ? [cluster.relation] : [];
      } else continue;
      if (rels.length === 0) {
        ctx.report({ ...leadingKeywords(ctx.parsed, stmt, 2), messageId: 'rewrite', data: { what, table: 'every table' }, statement: stmt });
        continue;
      }
      for (const rv of rels) {
        if (created.isTransient(rv, stmt)) continue;
        ctx.report({ ...rangeVarRange(ctx.parsed, rv, stmt), messageId: 'rewrite', data: { what, table: relationText(rv) }, statement: stmt });
      }
    }
  },
});
