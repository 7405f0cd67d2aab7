// Reads the database's own statistics: pg_stat_statements (PG 12's and 13+'s column names), table and index statistics, and the observability settings.
import type { IndexStats, Observation, StatRow, TableStats } from '../core/observe/types';
import { EngineError } from './errors';
import type { Engine, ReadOnlyQuery } from './types';

/** What a user must do to get pg_stat_statements, as exact steps (https://www.postgresql.org/docs/15/pgstatstatements.html). */
export const ENABLE_STEPS = [
  "1. In postgresql.conf: shared_preload_libraries = 'pg_stat_statements' (add it to the list if there is one), then restart the server.",
  '2. On PostgreSQL 14+, keep compute_query_id = auto (the default) or on.',
  '3. In this database, as a superuser or the database owner: CREATE EXTENSION pg_stat_statements;',
].join('\n');

const HIDDEN_TEXT = '<insufficient privilege>';

export const HIDDEN_NOTE =
  "Some query texts are hidden: pg_stat_statements shows other roles' statements only to superusers and members of pg_read_all_stats. " +
  'Those statements cannot be mapped to the workspace; run GRANT pg_read_all_stats TO <your role>; (as a superuser) to see them.';

/** The extension's schema, or an EngineError saying exactly what is missing and how to add it. */
async function extensionSchema(query: ReadOnlyQuery): Promise<string> {
  const ext = await query<{ schema: string }>(
    `SELECT n.nspname AS schema FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace WHERE e.extname = 'pg_stat_statements'`,
  );
  if (ext.rows[0]) return ext.rows[0].schema;
  const preload = await query<{ v: string }>(`SELECT current_setting('shared_preload_libraries') AS v`);
  const loaded = /(^|[\s,])"?pg_stat_statements"?($|[\s,])/.test(preload.rows[0]?.v ?? '');
  const available = await query(`SELECT 1 FROM pg_available_extensions WHERE name = 'pg_stat_statements'`);
  const why = !available.rows.length
    ? 'the pg_stat_statements extension is not installed on the server (install the PostgreSQL contrib package)'
    : loaded
      ? 'pg_stat_statements is loaded (shared_preload_libraries) but the extension was not created in this database'
      : 'pg_stat_statements is neither loaded (shared_preload_libraries) nor created in this database';
  throw new EngineError('other', `Query statistics are unavailable: ${why}. To enable them:\n${ENABLE_STEPS}`);
}

const quoteIdent = (s: string) => `"${s.replace(/"/g, '""')}"`;

/** PG 13 renamed total_time to total_exec_time (and mean/max alike): pick what this server's view has. */
async function timeColumns(query: ReadOnlyQuery, schema: string): Promise<{ total: string; max: string }> {
  const { rows } = await query<{ attname: string }>(
    `SELECT a.attname FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = 'pg_stat_statements' AND a.attnum > 0 AND NOT a.attisdropped`,
    [schema],
  );
  const cols = new Set(rows.map((r) => r.attname));
  if (cols.has('total_exec_time')) return { total: 'total_exec_time', max: 'max_exec_time' };
  if (cols.has('total_time')) return { total: 'total_time', max: 'max_time' };
  throw new EngineError(
    'other',
    `pg_stat_statements in schema ${schema} has neither total_exec_time nor total_time; update the extension (ALTER EXTENSION pg_stat_statements UPDATE).`,
  );
}

interface RawStat {
  queryid: string | null;
  query: string | null;
  calls: number;
  total: number;
  max: number;
  rows: number;
  hit: number;
  read: number;
  temp_read: number;
  temp_written: number;
}

/** The server said pg_stat_statements must be preloaded (SQLSTATE 55000): the extension exists but the library is not loaded. */
function notLoaded(err: unknown): never {
  if (err instanceof EngineError && err.sqlstate === '55000') {
    throw new EngineError('other', `Query statistics are unavailable: ${err.message}. To enable them:\n${ENABLE_STEPS}`, { cause: err });
  }
  throw err;
}

/** Every statement of the current database, summed over roles; hidden texts come back as ''. */
async function statements(query: ReadOnlyQuery, schema: string): Promise<{ rows: StatRow[]; totalMs: number; hidden: boolean }> {
  const { total, max } = await timeColumns(query, schema);
  const view = `${quoteIdent(schema)}.pg_stat_statements`;
  const sql = `SELECT queryid::text AS queryid, min(query) AS query, sum(calls)::float8 AS calls, sum(${total})::float8 AS total,
      max(${max})::float8 AS max, sum(rows)::float8 AS rows, sum(shared_blks_hit)::float8 AS hit, sum(shared_blks_read)::float8 AS read,
      sum(temp_blks_read)::float8 AS temp_read, sum(temp_blks_written)::float8 AS temp_written
    FROM ${view} WHERE dbid = (SELECT oid FROM pg_database WHERE datname = current_database())
    GROUP BY queryid`;
  const raw = await query<RawStat>(sql).catch(notLoaded);
  let hidden = false;
  let totalMs = 0;
  const rows: StatRow[] = [];
  for (const r of raw.rows) {
    totalMs += Number(r.total);
    const isHidden = r.queryid === null || r.query === HIDDEN_TEXT;
    hidden ||= isHidden;
    const calls = Number(r.calls);
    rows.push({
      queryid: r.queryid ?? '(hidden)',
      query: isHidden ? '' : (r.query ?? ''),
      calls,
      totalMs: Number(r.total),
      meanMs: calls > 0 ? Number(r.total) / calls : 0,
      maxMs: Number(r.max),
      rows: Number(r.rows),
      sharedBlksHit: Number(r.hit),
      sharedBlksRead: Number(r.read),
      tempBlksRead: Number(r.temp_read),
      tempBlksWritten: Number(r.temp_written),
    });
  }
  return { rows, totalMs, hidden };
}

const TABLES_SQL = `
SELECT s.schemaname AS schema, s.relname AS name, s.seq_scan::float8 AS seq_scan, s.seq_tup_read::float8 AS seq_tup_read,
       coalesce(s.idx_scan, 0)::float8 AS idx_scan, s.n_live_tup::float8 AS live, s.n_dead_tup::float8 AS dead,
       s.n_mod_since_analyze::float8 AS mods, s.last_vacuum::text, s.last_autovacuum::text, s.last_analyze::text, s.last_autoanalyze::text,
       (current_setting('autovacuum_vacuum_threshold')::float8
         + current_setting('autovacuum_vacuum_scale_factor')::float8 * greatest(c.reltuples, 0)) AS threshold
  FROM pg_stat_user_tables s JOIN pg_class c ON c.oid = s.relid`;

const INDEXES_SQL = `
SELECT s.schemaname AS schema, s.relname AS table, s.indexrelname AS name, s.idx_scan::float8 AS idx_scan,
       pg_relation_size(s.indexrelid)::float8 AS size, (x.indisunique OR x.indisprimary OR x.indisexclusion) AS enforces
  FROM pg_stat_user_indexes s JOIN pg_index x ON x.indexrelid = s.indexrelid`;

async function tableStats(query: ReadOnlyQuery): Promise<TableStats[]> {
  const { rows } = await query<Record<string, string | number | null>>(TABLES_SQL);
  return rows.map((r) => ({
    schema: String(r.schema),
    name: String(r.name),
    seqScan: Number(r.seq_scan),
    seqTupRead: Number(r.seq_tup_read),
    idxScan: Number(r.idx_scan),
    liveTuples: Number(r.live),
    deadTuples: Number(r.dead),
    modsSinceAnalyze: Number(r.mods),
    lastVacuum: (r.last_vacuum as string | null) ?? undefined,
    lastAutovacuum: (r.last_autovacuum as string | null) ?? undefined,
    lastAnalyze: (r.last_analyze as string | null) ?? undefined,
    lastAutoanalyze: (r.last_autoanalyze as string | null) ?? undefined,
    autovacuumThreshold: Number(r.threshold),
  }));
}

async function indexStats(query: ReadOnlyQuery): Promise<IndexStats[]> {
  const { rows } = await query<Record<string, string | number | boolean>>(INDEXES_SQL);
  return rows.map((r) => ({
    schema: String(r.schema),
    table: String(r.table),
    name: String(r.name),
    idxScan: Number(r.idx_scan),
    sizeBytes: Number(r.size),
    enforcesConstraint: r.enforces === true,
  }));
}

/** A pg engine's read-only transaction, or a clear error for an engine without one (PGlite has no statistics worth reading). */
function readOnly(engine: Engine): NonNullable<Engine['readOnly']> {
  if (engine.kind !== 'pg' || !engine.readOnly) {
    throw new EngineError(
      'other',
      'Query statistics come from a real database: configure a dev database (pgdba.database.url, pgdba.json "database", or --db URL). The embedded PGlite has none.',
    );
  }
  return engine.readOnly.bind(engine);
}

/**
 * Query, table and index statistics of the engine's database: fixed SELECTs on statistics views, in one READ ONLY
 * transaction under the statement_timeout (as EXPLAIN runs), on a connection made through the host allow-list. One
 * transaction also gives one consistent snapshot of the statistics (stats_fetch_consistency). Rejects with an
 * EngineError whose message gives the exact steps when pg_stat_statements is missing or not loaded.
 */
export async function fetchObservation(engine: Engine, source = engine.label): Promise<Observation> {
  const run = readOnly(engine);
  // Before the transaction: the engine's own queries wait for the connection the transaction holds.
  const serverVersion = await engine.serverVersion();
  return run(async (query) => {
    const schema = await extensionSchema(query);
    const { rows, totalMs, hidden } = await statements(query, schema);
    const notes: string[] = [];
    if (hidden) notes.push(HIDDEN_NOTE);
    if (serverVersion >= 140000) {
      const q = await query<{ v: string }>(`SELECT current_setting('compute_query_id') AS v`);
      if (q.rows[0]?.v === 'off')
        notes.push('compute_query_id is off, so pg_stat_statements records nothing new: set compute_query_id = auto (or on) and reload.');
    }
    const reset = await query<{ t: string | null }>(`SELECT stats_reset::text AS t FROM pg_stat_database WHERE datname = current_database()`);
    const tables = await tableStats(query);
    const indexes = await indexStats(query);
    return { source, serverVersion, queries: rows, totalMs, tables, indexes, statsReset: reset.rows[0]?.t ?? undefined, notes };
  });
}

/** The settings an observability gate looks at (auto_explain.* appear only when the module is loaded). */
export async function fetchObservabilitySettings(engine: Engine): Promise<Record<string, string>> {
  return readOnly(engine)(async (query) => {
    const { rows } = await query<{ name: string; setting: string; unit: string | null }>(
      `SELECT name, setting, unit FROM pg_settings
        WHERE name IN ('shared_preload_libraries', 'compute_query_id', 'track_io_timing', 'log_min_duration_statement', 'track_activity_query_size',
                       'pg_stat_statements.track', 'pg_stat_statements.max', 'session_preload_libraries')
           OR name LIKE 'auto\\_explain.%' ORDER BY name`,
    );
    const out: Record<string, string> = {};
    for (const r of rows) out[r.name] = r.unit && /^\d/.test(r.setting) ? `${r.setting}${r.unit}` : r.setting;
    return out;
  });
}
