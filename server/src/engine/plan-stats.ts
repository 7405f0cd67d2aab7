// Reads what the findings need from the catalog: each planned table's row count (reltuples) and its indexes' columns.
import type { PlanStats } from '../core/explain/findings';
import type { Engine } from './types';

const STATS_SQL = `
SELECT n.nspname AS schema, c.relname AS name, c.reltuples::float8 AS rows,
       COALESCE((SELECT json_agg(json_build_object(
                  'name', i.relname,
                  'columns', (SELECT json_agg(COALESCE(a.attname, '(expression)') ORDER BY k.ord)
                                FROM unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, ord)
                                LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.attnum)))
                   FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
                  WHERE x.indrelid = c.oid), '[]'::json) AS indexes
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE c.relname = ANY($1::text[]) AND c.relkind IN ('r', 'p', 'm')`;

interface Row {
  schema: string;
  name: string;
  rows: number;
  indexes: { name: string; columns: string[] }[] | string;
}

/**
 * Statistics for the named tables (`name` or `schema.name`), keyed both ways. A table never analysed (reltuples -1,
 * PG 14+) gets no row count, so the findings do not guess its size.
 */
export async function fetchPlanStats(engine: Engine, relations: readonly string[]): Promise<PlanStats> {
  if (relations.length === 0) return {};
  const names = [...new Set(relations.map((r) => r.split('.').pop() as string))];
  const { rows } = await engine.query<Row>(STATS_SQL, [names]);
  const out: PlanStats = {};
  for (const r of rows) {
    const indexes = (typeof r.indexes === 'string' ? JSON.parse(r.indexes) : r.indexes) as { name: string; columns: string[] }[];
    const stats = { rows: r.rows >= 0 ? Number(r.rows) : undefined, indexes };
    out[`${r.schema}.${r.name}`] = stats;
    if (!out[r.name] || r.schema === 'public') out[r.name] = stats;
  }
  return out;
}
