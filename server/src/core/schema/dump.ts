// `pgdba schema --format sql`: the static catalog as DDL that builds it on an empty database, in dependency order. The
// statements come from the same re-creation code the rollback generator uses (proven by rollback rehearsals), so each
// object is written as the statements that made it left it, not re-printed from the normalised document.
import type { Catalog, Table } from '../catalog/types';
import { relationsIn } from '../catalog/rewrite';
import { ownedBySql, recreateEnum, recreateFunction, recreateSequence, recreateTable, recreateType } from '../rollback/recreate';
import { quoteIdent } from '../facts/relations';

const SP = ['public'] as const;

/** Views (and materialized views) after the views they read. */
function viewsInOrder(views: Table[]): Table[] {
  const byKey = new Map(views.map((v) => [v.key, v]));
  const out: Table[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const visit = (v: Table) => {
    if (state.has(v.key)) return;
    state.set(v.key, 'visiting');
    for (const r of relationsIn(v.node)) {
      const dep = byKey.get(`${r.schema ?? v.schema}.${r.name}`) ?? (r.schema ? undefined : byKey.get(`public.${r.name}`));
      if (dep && dep !== v) visit(dep);
    }
    state.set(v.key, 'done');
    out.push(v);
  };
  for (const v of [...views].sort((a, b) => (a.key < b.key ? -1 : 1))) visit(v);
  return out;
}

/** A CREATE TABLE … AS whose query reads relations dropped since: it cannot be run again as it was written. */
function queryGone(catalog: Catalog, t: Table): boolean {
  if (t.kind !== 'table') return false;
  return relationsIn(t.node).some((r) => !catalog.tables.has(`${r.schema ?? t.schema}.${r.name}`) && (r.schema || !catalog.tables.has(`public.${r.name}`)));
}

/**
 * Such a table written as a plain CREATE TABLE of its columns. The types of columns its query produced are the planner's,
 * which the catalog does not know: those are written as text, and the statement is marked for review.
 */
function ctasAsPlainTable(t: Table, out: string[]): Table {
  const unknown = [...t.columns.values()].filter((c) => !c.type).map((c) => c.name);
  if (unknown.length)
    out.push(
      `-- pgdba: needs review: ${t.key} was made by CREATE TABLE … AS over relations dropped since; the types of ${unknown.join(', ')} are not known statically and are written as text`,
    );
  const columns = new Map([...t.columns].map(([n, c]) => [n, c.type ? c : { ...c, type: 'text' }]));
  return { ...t, columns, node: undefined };
}

/** The catalog as SQL statements (each ends with a semicolon), deterministic for equal catalogs. */
export function catalogSql(catalog: Catalog): string {
  const out: string[] = ['-- pgdba schema --format sql: the schema the project builds, as DDL', 'SET check_function_bodies = false;'];
  const section = (title: string, lines: string[]) => {
    if (lines.length) out.push('', `-- ${title}`, ...lines.map((l) => `${l.trim().replace(/;\s*$/, '')};`));
  };
  const byKey = <T extends { key: string }>(xs: Iterable<T>) => [...xs].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  section(
    'schemas',
    [...catalog.schemas]
      .filter((s) => s !== 'public')
      .sort()
      .map((s) => `CREATE SCHEMA ${quoteIdent(s)}`),
  );
  section(
    'extensions',
    [...catalog.extensions]
      .filter((e) => e !== 'plpgsql')
      .sort()
      .map((e) => `CREATE EXTENSION IF NOT EXISTS ${quoteIdent(e)}`),
  );
  const types = byKey(catalog.types?.values() ?? []);
  section('types', [
    ...byKey(catalog.enums.values()).flatMap((e) => recreateEnum(e, SP)),
    // Domains may be over composite or range types: those first.
    ...types.filter((t) => t.kind !== 'domain').flatMap((t) => recreateType(t, SP)),
    ...types.filter((t) => t.kind === 'domain').flatMap((t) => recreateType(t, SP)),
  ]);
  // Every sequence a statement created, first (a query of CREATE TABLE … AS may call nextval); OWNED BY at the end.
  const sequences = byKey(catalog.sequences?.values() ?? []).filter((s) => !s.implicit);
  section(
    'sequences',
    sequences.flatMap((s) => recreateSequence(s, SP, false)),
  );
  const functions = [...catalog.functions.values()].flat().sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : a.loc.start - b.loc.start));
  section(
    'functions',
    functions.flatMap((f) => recreateFunction(f, SP, false)),
  );
  const relations = [...catalog.tables.values()].filter((t) => !t.temporary && t.schema !== 'pg_temp');
  // Views, materialized views and CREATE TABLE … AS tables are made from queries: after the tables they read.
  const fromQuery = (t: Table) => t.kind === 'view' || t.kind === 'materialized-view' || !!(t.node as { query?: unknown } | undefined)?.query;
  const tables = byKey(relations.filter((t) => !fromQuery(t)));
  // Parents before their partitions and children; foreign keys once every table exists.
  const rank = (t: Table) => (t.partitionOf || (t.node as { inhRelations?: unknown[] } | undefined)?.inhRelations?.length ? 1 : 0);
  const later = new Set(relations.filter((t) => t.kind !== 'view').map((t) => t.key));
  const deferred: string[] = [];
  const tableSql: string[] = [];
  for (const t of [...tables].sort((a, b) => rank(a) - rank(b))) {
    const r = recreateTable(catalog, t, SP, later, false);
    tableSql.push(...r.sql);
    deferred.push(...r.deferred);
  }
  section('tables', tableSql);
  const queried: string[] = [];
  for (const v of viewsInOrder(relations.filter(fromQuery))) {
    const r = recreateTable(catalog, queryGone(catalog, v) ? ctasAsPlainTable(v, queried) : v, SP, later, false);
    queried.push(...r.sql);
    deferred.push(...r.deferred);
  }
  section('views and tables made from queries', queried);
  section('foreign keys', deferred);
  section(
    'sequence ownership',
    sequences.filter((s) => s.ownedBy && catalog.tables.has(s.ownedBy.table)).map((s) => ownedBySql(s, SP)),
  );
  return `${out.join('\n')}\n`;
}
