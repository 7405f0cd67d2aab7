// The schema document from rows read out of pg_catalog: pg_get_*def output is parsed back into ASTs and read by the same
// code as the static side (objects.ts), so formatting differences between the two vanish.
import type { Constraint, CreateStmt, CreateTrigStmt, IndexStmt } from '@pgsql/types';
import { as } from '../parse/ast';
import { constraintJson, indexJson, partitionBoundText, partitionKeyText, triggerJson } from './objects';
import { normalizeBody, normalizeExpr, parseOne } from './normalize';
import { type ColumnJson, type FunctionJson, type SchemaJson, type TableJson, type TypeJson, emptySchemaJson } from './types';

type Row = Record<string, unknown>;

export interface SchemaRows {
  schemas: Row[];
  extensions: Row[];
  relations: Row[];
  columns: Row[];
  constraints: Row[];
  indexes: Row[];
  functions: Row[];
  triggers: Row[];
  policies: Row[];
  types: Row[];
  sequences: Row[];
}

const s = (v: unknown): string => (v === null || v === undefined ? '' : String(v));
const list = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const STORAGE: Record<string, ColumnJson['storage']> = { p: 'plain', e: 'external', x: 'extended', m: 'main' };
const TABLE_PRIVILEGES = ['SELECT', 'INSERT', 'UPDATE', 'DELETE', 'TRUNCATE', 'REFERENCES', 'TRIGGER'];
const POLICY_COMMANDS: Record<string, string> = { '*': 'all', r: 'select', a: 'insert', w: 'update', d: 'delete' };

/** `grantee PRIVILEGE` rows → privileges per grantee; every table privilege is ALL (PG17 adds MAINTAIN to it). */
function grantsOf(rows: string[], kind: 'table' | 'function'): Record<string, string[]> | undefined {
  const by = new Map<string, Set<string>>();
  for (const r of rows) {
    const at = r.lastIndexOf(' ');
    const grantee = r.slice(0, at);
    by.set(grantee, (by.get(grantee) ?? new Set()).add(r.slice(at + 1)));
  }
  if (!by.size) return undefined;
  const out: Record<string, string[]> = {};
  for (const [grantee, set] of by) {
    out[grantee] =
      kind === 'table' && TABLE_PRIVILEGES.every((p) => set.has(p))
        ? ['ALL']
        : [...set].filter((p) => kind === 'function' || p !== 'MAINTAIN' || set.size === 1).sort();
  }
  return out;
}

function tableOf(out: SchemaJson, key: string): TableJson | undefined {
  return out.tables[key];
}

function relations(out: SchemaJson, rows: Row[]): void {
  for (const r of rows) {
    const key = s(r.key);
    const kind = s(r.kind);
    if (kind === 'v' || kind === 'm') {
      out.views[key] = { kind: kind === 'v' ? 'view' : 'materialized view', reads: list(r.reads).sort() };
      const grants = grantsOf(list(r.grants), 'table');
      if (grants) out.views[key].grants = grants;
      continue;
    }
    const t: TableJson = { kind: kind === 'p' ? 'partitioned table' : kind === 'f' ? 'foreign table' : 'table', columns: {} };
    if (r.partkey)
      t.partitionKey = partitionKeyText(
        as<CreateStmt>({ CreateStmt: parseOne(`CREATE TABLE x () PARTITION BY ${s(r.partkey)}`)?.value }, 'CreateStmt')?.partspec,
      );
    const parents = list(r.parents);
    if (r.bound) {
      t.partitionOf = parents[0];
      const stmt = parseOne(`CREATE TABLE x PARTITION OF y ${s(r.bound)}`)?.value as CreateStmt | undefined;
      t.partitionBound = partitionBoundText(stmt?.partbound);
    } else if (parents.length) t.inherits = parents;
    if (r.unlogged) t.unlogged = true;
    const reloptions = list(r.reloptions);
    if (reloptions.length) t.reloptions = reloptions.sort();
    const ident = s(r.replident);
    if (ident === 'f') t.replicaIdentity = 'full';
    else if (ident === 'n') t.replicaIdentity = 'nothing';
    else if (ident === 'i') t.replicaIdentity = `index ${s(r.replident_index)}`;
    if (r.cluster_on) t.clusterOn = s(r.cluster_on);
    if (r.rls) t.rowSecurity = true;
    if (r.force_rls) t.forceRowSecurity = true;
    const grants = grantsOf(list(r.grants), 'table');
    if (grants) t.grants = grants;
    out.tables[key] = t;
  }
}

function columns(out: SchemaJson, rows: Row[]): void {
  for (const r of rows) {
    const t = tableOf(out, s(r.rel));
    if (!t) continue;
    const c: ColumnJson = { type: s(r.type) };
    if (r.not_null) c.notNull = true;
    const generated = s(r.generated);
    if (generated) c.generated = normalizeExpr(s(r.default)) ?? '';
    else if (r.default !== null && r.default !== undefined) c.default = normalizeExpr(s(r.default));
    if (r.identity === 'a') c.identity = 'always';
    if (r.identity === 'd') c.identity = 'by default';
    if (r.collation) c.collation = s(r.collation);
    const storage = STORAGE[s(r.storage)];
    if (storage) c.storage = storage;
    if (r.compression === 'p') c.compression = 'pglz';
    if (r.compression === 'l') c.compression = 'lz4';
    if (r.statistics !== null && r.statistics !== undefined) c.statistics = Number(r.statistics);
    const options = list(r.options);
    if (options.length) c.options = options.sort();
    t.columns[s(r.name)] = c;
  }
}

function constraints(out: SchemaJson, rows: Row[]): void {
  for (const r of rows) {
    const t = tableOf(out, s(r.rel));
    const stmt = parseOne(`ALTER TABLE x ADD CONSTRAINT c ${s(r.def)}`);
    const cmd = as<{ def?: unknown }>((stmt?.value.cmds as unknown[] | undefined)?.[0], 'AlterTableCmd');
    const con = as<Constraint>(cmd?.def, 'Constraint');
    const json = con && constraintJson(con);
    if (!t || !json) continue;
    t.constraints ??= {};
    t.constraints[s(r.name)] = json;
  }
}

function triggersAndPolicies(out: SchemaJson, triggers: Row[], policies: Row[]): void {
  for (const r of triggers) {
    const owner = out.tables[s(r.rel)] ?? out.views[s(r.rel)];
    const stmt = parseOne(s(r.def));
    if (!owner || stmt?.kind !== 'CreateTrigStmt') continue;
    owner.triggers ??= {};
    owner.triggers[s(r.name)] = triggerJson(stmt.value as CreateTrigStmt);
  }
  for (const r of policies) {
    const t = tableOf(out, s(r.rel));
    if (!t) continue;
    t.policies ??= {};
    const p: NonNullable<TableJson['policies']>[string] = {
      command: POLICY_COMMANDS[s(r.cmd)] ?? s(r.cmd),
      permissive: r.permissive === true,
      roles: list(r.roles).sort(),
    };
    const using = normalizeExpr(r.using as string | null);
    const check = normalizeExpr(r.check as string | null);
    if (using) p.using = using;
    if (check) p.check = check;
    t.policies[s(r.name)] = p;
  }
}

function functionJson(r: Row): FunctionJson {
  const f: FunctionJson = { kind: r.kind === 'p' ? 'procedure' : 'function', language: s(r.language) };
  if (r.returns) f.returns = s(r.returns);
  if (r.volatility === 'i') f.volatility = 'immutable';
  if (r.volatility === 's') f.volatility = 'stable';
  if (r.strict) f.strict = true;
  if (r.security_definer) f.securityDefiner = true;
  const path = list(r.config).find((c) => c.startsWith('search_path='));
  if (path)
    f.searchPath = path
      .slice('search_path='.length)
      .split(',')
      .map((p) => p.trim().replace(/^"|"$/g, ''));
  const body = normalizeBody(s(r.body));
  if (body && f.language !== 'c' && f.language !== 'internal') f.body = body;
  const grants = grantsOf(list(r.grants), 'function');
  if (grants) f.grants = grants;
  return f;
}

function typeJson(r: Row): TypeJson {
  switch (s(r.kind)) {
    case 'e':
      return { kind: 'enum', values: list(r.labels) };
    case 'd': {
      const t: TypeJson = { kind: 'domain', type: s(r.base) };
      if (r.not_null) t.notNull = true;
      if (r.default !== null && r.default !== undefined) t.default = normalizeExpr(s(r.default));
      const checks = list(r.checks).map((def) => {
        const stmt = parseOne(`ALTER TABLE x ADD CONSTRAINT c ${def}`);
        const con = as<Constraint>(as<{ def?: unknown }>((stmt?.value.cmds as unknown[] | undefined)?.[0], 'AlterTableCmd')?.def, 'Constraint');
        return (con && constraintJson(con)?.check) ?? def;
      });
      if (checks.length) t.checks = checks.sort();
      return t;
    }
    case 'r':
      return { kind: 'range', subtype: s(r.subtype) };
    default: {
      const attrs = list(r.attributes).map((a) => [a.slice(0, a.indexOf(' ')), a.slice(a.indexOf(' ') + 1)]);
      return { kind: 'composite', attributes: Object.fromEntries(attrs) };
    }
  }
}

export function schemaFromRows(rows: SchemaRows): SchemaJson {
  const out = emptySchemaJson();
  out.schemas = rows.schemas.map((r) => s(r.name)).sort();
  out.extensions = rows.extensions
    .map((r) => s(r.name))
    .filter((e) => e !== 'plpgsql')
    .sort();
  relations(out, rows.relations);
  columns(out, rows.columns);
  constraints(out, rows.constraints);
  for (const r of rows.indexes) {
    const stmt = parseOne(s(r.def));
    if (stmt?.kind === 'IndexStmt') out.indexes[s(r.key)] = indexJson(stmt.value as IndexStmt, s(r.rel));
  }
  for (const r of rows.functions) out.functions[`${s(r.key)}(${list(r.args).join(', ')})`] = functionJson(r);
  triggersAndPolicies(out, rows.triggers, rows.policies);
  for (const r of rows.types) out.types[s(r.key)] = typeJson(r);
  for (const r of rows.sequences) {
    const q: SchemaJson['sequences'][string] = {
      type: s(r.type),
      start: s(r.start),
      increment: s(r.increment),
      min: s(r.min),
      max: s(r.max),
      cache: s(r.cache),
    };
    if (r.cycle) q.cycle = true;
    if (r.owned_by) q.ownedBy = s(r.owned_by);
    out.sequences[s(r.key)] = q;
  }
  return out;
}
