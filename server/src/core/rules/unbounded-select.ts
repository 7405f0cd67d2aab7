// unbounded-select: a SELECT that returns every row of a base table, and any query of a time-range-partitioned table with no condition on its partition key.
import type { TypeName } from '@pgsql/types';
import type { Table } from '../catalog/types';
import { routineQueries } from '../facts/body-queries';
import { scopesFor } from '../facts/file-scopes';
import { comparisonsOf, filtersOf, resolveColumn, triviallyTrue, type QueryLevel, type Rel, type StatementScopes } from '../facts/query-scopes';
import { typeNameText, unwrap, walk, strs } from '../parse/ast';
import { defineRule, type RuleContext } from './rule';

/** Built-in aggregates: without GROUP BY a query that uses one returns a single row. (FILTER / ORDER BY / DISTINCT / * in the call mark user-defined ones too.) */
const AGGREGATES = new Set(
  'count sum avg min max array_agg string_agg json_agg jsonb_agg json_object_agg jsonb_object_agg json_arrayagg json_objectagg bool_and bool_or every bit_and bit_or bit_xor xmlagg range_agg range_intersect_agg any_value percentile_cont percentile_disc mode rank dense_rank percent_rank cume_dist stddev stddev_pop stddev_samp variance var_pop var_samp corr covar_pop covar_samp regr_avgx regr_avgy regr_count regr_intercept regr_r2 regr_slope regr_sxx regr_sxy regr_syy'.split(
    ' ',
  ),
);

/** System catalogs are not the user's base tables. */
const SYSTEM_SCHEMAS = new Set(['pg_catalog', 'information_schema', 'pg_toast']);

/** Operators that let PostgreSQL prune range partitions. */
const PRUNING_OPS = new Set(['=', '<', '>', '<=', '>=', 'between', 'in', 'any']);

export default defineRule({
  id: 'unbounded-select',
  category: 'unbounded',
  severity: 'warning',
  recommended: true,
  fix: 'none',
  scope: 'all',
  messages: {
    rows: 'SELECT returns every row of {table}: it has no WHERE and no LIMIT/FETCH, so the result grows with the table and the query is a full scan.',
    copy: 'INSERT … SELECT copies every row of {table}: the SELECT has no WHERE and no LIMIT/FETCH, so one statement writes (and WAL-logs) a copy of the whole table, growing with it.',
    rowsAlways:
      'SELECT returns every row of {table}: its WHERE is always true and it has no LIMIT/FETCH, so the result grows with the table and the query is a full scan.',
    groups:
      'SELECT groups every row of {table} with no WHERE and no LIMIT/FETCH: it scans the whole table and returns one row per group, growing with the table.',
    partition:
      'Query of {table} has no condition on {column}, its partition key, at this query level: {table} is partitioned by range on {column}, so PostgreSQL cannot prune partitions and scans every one.',
    partitionWrapped:
      'Query of {table} compares {wrapped}, not the partition key {column} itself: PostgreSQL prunes partitions only on conditions on the bare key column, so it scans every partition of {table}.',
  },
  docs: {
    summary: 'A SELECT that returns every row of a table, or a query of a time-partitioned table that cannot prune partitions.',
    why:
      'A SELECT of a base table with neither WHERE nor LIMIT/FETCH returns the whole table: fine on day one, a memory and latency incident once the table grows. ' +
      'Only queries whose rows reach the client are checked (top-level SELECT and each of its UNION branches, PREPARE); a single-row aggregate (`SELECT count(*) FROM t`), EXISTS, VALUES, set-returning functions, system catalogs, views, ' +
      'cursors, COPY and CREATE TABLE AS are not. An INSERT … SELECT that copies a whole table is reported too (in migrations only with `unbounded.checkMigrationBackfills`). ' +
      'Small reference tables are fine to read whole: those listed in `unbounded.referenceTables`, and (unless `unbounded.detectReferenceTables` is false) tables with no tenant column that the workspace fills with INSERT … VALUES and other tables reference by foreign key. ' +
      'A table partitioned by RANGE on a time column (`unbounded.timeColumnTypes`) is meant to be read a time window at a time: any query level, in any statement, that reads it with no condition on the partition key scans every partition.',
    help: 'Add a WHERE clause or a LIMIT (for paging, keyset: `WHERE id > $1 ORDER BY id LIMIT 100`).',
    bad: [
      'SELECT * FROM orders;',
      'SELECT customer_id, count(*) FROM orders GROUP BY customer_id;',
      "CREATE TABLE events (id bigint, at timestamptz NOT NULL, kind text) PARTITION BY RANGE (at);\nSELECT count(*) FROM events WHERE kind = 'login';",
    ],
    good: [
      'SELECT * FROM orders WHERE customer_id = $1;',
      'SELECT * FROM orders ORDER BY id DESC LIMIT 50;',
      'SELECT count(*) FROM orders;',
      'SELECT * FROM pg_catalog.pg_stat_activity;',
      "CREATE TABLE events (id bigint, at timestamptz NOT NULL, kind text) PARTITION BY RANGE (at);\nSELECT count(*) FROM events WHERE at >= now() - interval '1 day' AND kind = 'login';",
    ],
  },
  checkStatement(ctx, stmt) {
    // INSERT … SELECT copying a whole table; in migrations a deliberate backfill unless asked for (as unbounded-write).
    const migration = ctx.file.role === 'migration-up' || ctx.file.role === 'migration-down';
    const copies = !migration || ctx.config.unbounded.checkMigrationBackfills;
    const scopes = scopesFor(ctx, stmt);
    // A view is not a query; plain EXPLAIN reads nothing.
    if (scopes.wrapper !== 'view' && scopes.wrapper !== 'explain') checkScopes(ctx, scopes, returnedLevels(scopes), copies);
    // Function bodies are runtime code wherever they are defined; a DO block follows the file.
    const rq = ctx.file.role === 'plain' || ctx.file.role === 'migration-up' ? routineQueries(ctx, stmt) : undefined;
    for (const q of rq?.queries ?? []) {
      if (q.scopes.wrapper === 'view' || q.scopes.wrapper === 'explain') continue;
      const returned = q.returnsRows ? q.scopes.levels.filter((l) => l.context === 'root' && l.kind === 'select') : [];
      checkScopes(ctx, q.scopes, returned, rq?.routine.kind === 'do' ? copies : true, true);
    }
  },
});

/** `known`: only tables the catalog defines count (in a routine body other names are temporary or trigger transition tables). */
function checkScopes(ctx: RuleContext, scopes: StatementScopes, returned: QueryLevel[], copies: boolean, known = false): void {
  const reported = new Set<Rel>();
  for (const level of scopes.levels) {
    for (const rel of level.rels) {
      const key = timePartitionKey(rel.table, ctx.config.unbounded.timeColumnTypes);
      if (!key || prunes(rel, key)) continue;
      reported.add(rel);
      const ref = `${rel.refName ?? key}.${key}`;
      const wrapped = wrappedKey(rel, key);
      if (wrapped)
        report(
          ctx,
          rel,
          'partitionWrapped',
          { column: key, wrapped },
          `Compare the bare column as a range instead, e.g. \`${ref} >= current_date AND ${ref} < current_date + 1\` for \`${ref}::date = current_date\`.`,
        );
      else
        report(ctx, rel, 'partition', { column: key }, `Add a condition on ${ref} (e.g. \`>= now() - interval '7 days'\`) so PostgreSQL can prune partitions.`);
    }
  }
  if (copies && !scopes.wrapper) {
    for (const level of scopes.levels.filter((l) => l.context === 'insert-source' && l.kind === 'select')) {
      const rel = fullRows(level, 0, known);
      if (rel && !reported.has(rel)) {
        reported.add(rel);
        report(ctx, rel, 'copy', {}, 'Copy in batches (`WHERE id > $1 ORDER BY id LIMIT 10000`), or suppress with a reason when the whole table is meant.');
      }
    }
  }
  for (const level of returned) {
    const rel = fullRows(level, 0, known);
    if (rel && !reported.has(rel) && !referenceTable(ctx, rel.table)) {
      reported.add(rel);
      report(ctx, rel, level.node.groupClause ? 'groups' : level.where ? 'rowsAlways' : 'rows');
    }
  }
}

/**
 * A small reference table, fine to read whole: listed in `unbounded.referenceTables`, or (with
 * `unbounded.detectReferenceTables`) one with no tenant column, filled by INSERT … VALUES in the workspace's SQL and
 * referenced by a foreign key (plans, countries, statuses).
 */
function referenceTable(ctx: RuleContext, table: Table | undefined): boolean {
  if (!table) return false;
  const cfg = ctx.config.unbounded;
  if (cfg.referenceTables.some((n) => n === table.key || n === table.name)) return true;
  if (!cfg.detectReferenceTables || !table.seededByValues || ctx.config.tenant.columns.some((c) => table.columns.has(c))) return false;
  for (const other of ctx.catalog.tables.values()) {
    if (other !== table && other.constraints.some((k) => k.type === 'foreign' && k.references?.table === table.key)) return true;
  }
  return false;
}

function report(ctx: RuleContext, rel: Rel, messageId: string, data: Record<string, string> = {}, help?: string): void {
  const table = rel.start >= 0 ? ctx.parsed.text.slice(rel.start, rel.end) : (rel.table?.key ?? rel.name ?? 'the table');
  const start = rel.start >= 0 ? rel.start : rel.level.statement.start;
  ctx.report({ start, end: Math.max(rel.end, start + 1), messageId, data: { table, ...data }, help, statement: rel.level.statement });
}

/** The levels whose rows a client receives: the top-level SELECT (each set branch), also when PREPAREd. */
function returnedLevels(scopes: StatementScopes): QueryLevel[] {
  if (scopes.wrapper && scopes.wrapper !== 'prepare') return [];
  if (scopes.kind !== 'SelectStmt' && scopes.wrapper !== 'prepare') return [];
  return scopes.levels.filter((l) => l.context === 'root' && l.kind === 'select');
}

/** The first range-partition column of a time type, when the reference is a table partitioned that way. */
function timePartitionKey(table: Table | undefined, types: readonly string[]): string | undefined {
  if (table?.partition?.strategy !== 'range') return undefined;
  const wanted = new Set(types.map(normType));
  return table.partition.columns.find((c) => wanted.has(normType(table.columns.get(c)?.type ?? '')));
}

function normType(t: string): string {
  return t
    .toLowerCase()
    .replace(/\(.*\)/, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/**
 * Whether a top-level condition filtering the reference compares its partition key (what lets the planner prune). The
 * key must be the bare column: a cast to another type (`at::date`) is an expression PostgreSQL cannot match to the
 * partition bounds; a cast to the column's own type is no cast at all.
 */
function prunes(rel: Rel, key: string): boolean {
  const own = normType(rel.table?.columns.get(key)?.type ?? '');
  return filtersOf(rel).some((f) =>
    comparisonsOf(f.expr, rel.level).some(
      (c) =>
        c.column.rel === rel &&
        c.column.column === key &&
        PRUNING_OPS.has(c.op) &&
        !(c.other.kind === 'column' && c.other.target.rel === rel) &&
        (c.casts ?? []).every((t) => normType(t) === own),
    ),
  );
}

/** How a filter wraps the partition key in a cast or a function (`created_at::date`, `date_trunc() of created_at`), if one does. */
function wrappedKey(rel: Rel, key: string): string | undefined {
  let found: string | undefined;
  for (const f of filtersOf(rel)) {
    walk(f.expr, (kind, v) => {
      if (found || kind === 'SubLink') return false;
      if (kind !== 'TypeCast' && kind !== 'FuncCall') return undefined;
      let mentions = false;
      walk(kind === 'TypeCast' ? v.arg : v.args, (k, inner) => {
        const t = k === 'ColumnRef' ? resolveColumn(rel.level, { ColumnRef: inner }) : undefined;
        if (t?.rel === rel && t.column === key) mentions = true;
      });
      if (!mentions) return undefined;
      found = kind === 'FuncCall' ? `${strs(v.funcname).join('.')}() of ${key}` : `${key}::${typeNameText(v.typeName as TypeName)}`;
      return false;
    });
    if (found) return found;
  }
  return undefined;
}

/** The base table whose every row a level returns, if it does: no WHERE, no LIMIT, not a single-row aggregate, and a FROM that keeps a whole table. */
function fullRows(level: QueryLevel, depth: number, known = false): Rel | undefined {
  if (level.kind !== 'select' || (level.where && !triviallyTrue(level.where)) || level.limited || depth > 8) return undefined;
  if (!level.node.groupClause && singleRowAggregate(level.node)) return undefined;
  const rels = new Map<unknown, Rel>(level.rels.map((r) => [r.node, r]));
  const items = (level.node.fromClause as unknown[] | undefined) ?? [];
  // A comma list is a cross join: any whole table in it is returned whole.
  for (const item of items) {
    const rel = fullItem(item, rels, level, depth, known);
    if (rel) return rel;
  }
  return undefined;
}

function fullItem(item: unknown, rels: Map<unknown, Rel>, level: QueryLevel, depth: number, known: boolean): Rel | undefined {
  const u = unwrap(item);
  if (!u) return undefined;
  const rel = rels.get(item);
  switch (u.kind) {
    case 'RangeVar':
      if (rel?.kind === 'cte') return rel.body?.map((b) => fullRows(b, depth + 1, known)).find(Boolean);
      return rel && isBaseTable(rel) && (!known || rel.table) ? rel : undefined;
    case 'RangeSubselect':
      return rel?.body?.map((b) => fullRows(b, depth + 1, known)).find(Boolean);
    case 'JoinExpr': {
      const left = fullItem(u.value.larg, rels, level, depth, known);
      const right = fullItem(u.value.rarg, rels, level, depth, known);
      switch (u.value.jointype) {
        case 'JOIN_LEFT':
          return left;
        case 'JOIN_RIGHT':
          return right;
        case 'JOIN_FULL':
          return left ?? right;
        default:
          // An inner join keeps whole tables only when both sides are whole and the ON compares no column with a constant.
          if (!u.value.quals && !u.value.usingClause && !u.value.isNatural) return left ?? right;
          return left && right && !restricts(u.value.quals, level) ? left : undefined;
      }
    }
    default:
      // Functions (generate_series, unnest), TABLESAMPLE, XMLTABLE: bounded by their arguments or sampled.
      return undefined;
  }
}

function restricts(quals: unknown, level: QueryLevel): boolean {
  let found = false;
  walk(quals, (kind, value) => {
    if (kind === 'BoolExpr' && value.boolop !== 'AND_EXPR') return false;
    if (kind === 'A_Expr' || kind === 'SubLink') {
      if (comparisonsOf({ [kind]: value }, level).some((c) => c.other.kind === 'value')) found = true;
      return false;
    }
    return undefined;
  });
  return found;
}

function isBaseTable(rel: Rel): boolean {
  if (rel.kind !== 'table') return false;
  if (rel.table) return rel.table.kind !== 'view' && !SYSTEM_SCHEMAS.has(rel.table.schema);
  if (rel.schema) return !SYSTEM_SCHEMAS.has(rel.schema);
  // Unqualified pg_* names resolve to pg_catalog (pg_stat_activity, pg_class, …).
  return !(rel.name ?? '').startsWith('pg_');
}

/** An aggregate (not a window function) in the target list or a HAVING clause: without GROUP BY the query returns one row. */
function singleRowAggregate(select: Record<string, unknown>): boolean {
  if (select.havingClause) return true;
  let found = false;
  walk(select.targetList, (kind, value) => {
    if (kind === 'SubLink') return false;
    if (kind === 'FuncCall' && !value.over) {
      const name = strs(value.funcname).pop() ?? '';
      if (value.agg_star || value.agg_within_group || value.agg_distinct || value.agg_filter || value.agg_order || AGGREGATES.has(name)) found = true;
    }
    return undefined;
  });
  return found;
}
