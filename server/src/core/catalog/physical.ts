// Physical table settings a down migration must restore: storage parameters, replica identity, CLUSTER ON, logged-ness,
// and per-column storage, compression, statistics target and options (ALTER TABLE … SET …, CREATE TABLE … WITH (…)).
import type { ColumnDef, CreateStmt } from '@pgsql/types';
import { as, str, unwrap } from '../parse/ast';
import type { Column, Table } from './types';

/** A DefElem's value as PostgreSQL stores it in reloptions / attoptions (`fillfactor=70`, `autovacuum_enabled=false`). */
function defValue(arg: unknown): string {
  const u = unwrap(arg);
  if (!u) return 'true'; // WITH (autovacuum_enabled) means true
  const v = u.value as { sval?: string; ival?: number; fval?: string; boolval?: boolean };
  if (u.kind === 'Integer') return String(v.ival ?? 0);
  if (u.kind === 'Float') return String(v.fval ?? '0');
  if (u.kind === 'Boolean') return v.boolval ? 'true' : 'false';
  return str(arg) ?? v.sval ?? '';
}

function defs(list: unknown): { name: string; value: string }[] {
  const items = as<{ items?: unknown[] }>(list, 'List')?.items ?? (Array.isArray(list) ? list : []);
  return items
    .map((d) => as<{ defname?: string; defnamespace?: string; arg?: unknown }>(d, 'DefElem'))
    .filter((d): d is { defname: string; defnamespace?: string; arg?: unknown } => !!d?.defname)
    .map((d) => ({ name: d.defnamespace ? `${d.defnamespace}.${d.defname}` : d.defname, value: defValue(d.arg) }));
}

function setOptions(map: Map<string, string> | undefined, list: unknown): Map<string, string> {
  const out = new Map(map);
  for (const d of defs(list)) out.set(d.name, d.value);
  return out;
}

function resetOptions(map: Map<string, string> | undefined, list: unknown): Map<string, string> | undefined {
  if (!map) return undefined;
  const out = new Map(map);
  for (const d of defs(list)) out.delete(d.name);
  return out.size ? out : undefined;
}

/** CREATE [UNLOGGED] TABLE … WITH (…) and COMPRESSION on its columns. */
export function applyCreatePhysical(table: Table, s: CreateStmt): void {
  const options = defs(s.options);
  // WITH (oids = false) is accepted for old dumps and stored nowhere.
  const stored = options.filter((o) => o.name !== 'oids');
  if (stored.length) table.reloptions = new Map(stored.map((o) => [o.name, o.value]));
  if (s.relation?.relpersistence === 'u') table.unlogged = true;
  if (s.relation?.relpersistence === 't') table.temporary = true;
  for (const elt of s.tableElts ?? []) {
    const def = as<ColumnDef>(elt, 'ColumnDef');
    const col = def?.colname ? table.columns.get(def.colname) : undefined;
    if (col && def) applyColumnDefPhysical(col, def);
  }
}

/** CREATE VIEW … WITH (security_invoker, security_barrier, check_option): a view's reloptions (CREATE OR REPLACE sets them anew). */
export function applyViewOptions(table: Table, options: unknown): void {
  const stored = defs(options);
  table.reloptions = stored.length ? new Map(stored.map((o) => [o.name, o.value])) : undefined;
}

/**
 * Whether a boolean reloption is on, read as PostgreSQL's parse_bool reads it: true/false, on/off, yes/no, 1/0, any
 * case, and unambiguous prefixes (`t`, `f`, `y`, `n`, `of`); `WITH (security_invoker)` alone means true.
 */
export function reloptionOn(table: Table, name: string): boolean {
  const v = table.reloptions?.get(name)?.trim().toLowerCase();
  if (!v) return false;
  if (v === '1' || v === 'on') return true;
  return (v.length >= 1 && 'true'.startsWith(v)) || (v.length >= 1 && 'yes'.startsWith(v));
}

export function applyColumnDefPhysical(col: Column, def: ColumnDef): void {
  if (def.compression) col.compression = def.compression;
  setStorage(col, (def as { storage_name?: string }).storage_name?.toLowerCase());
}

const PLAIN =
  /^(int[248]?|integer|smallint|bigint|(big|small)?serial[248]?|bool(ean)?|float[48]|real|double precision|date|time(stamp)?(tz)?|interval|uuid|oid|money)(\(|$)/;
const EXTENDED = /^(text|varchar|character varying|bpchar|char|character|bytea|json|jsonb|xml|tsvector|tsquery|citext)(\(|$)/;

/** The storage a column of this type has when none is set (pg_type.typstorage), when known. */
function typeStorage(type: string): Column['storage'] | undefined {
  const t = type.replace(/^pg_catalog\./, '');
  if (t.endsWith(']')) return 'extended';
  if (/^(numeric|decimal|inet|cidr)(\(|$)/.test(t)) return 'main';
  if (PLAIN.test(t)) return 'plain';
  return EXTENDED.test(t) ? 'extended' : undefined;
}

/** SET STORAGE back to the type's own storage is the same as never setting it. */
function setStorage(col: Column, storage: string | undefined): void {
  if (storage !== 'plain' && storage !== 'external' && storage !== 'extended' && storage !== 'main') return;
  col.storage = storage === typeStorage(col.type) ? undefined : storage;
}

/** One ALTER TABLE subcommand about physical settings; false when the subcommand is not one of them. */
export function applyPhysicalCmd(table: Table, cmd: { subtype?: string; name?: string; def?: unknown }): boolean {
  const col = cmd.name ? table.columns.get(cmd.name) : undefined;
  switch (cmd.subtype) {
    case 'AT_SetRelOptions':
      table.reloptions = setOptions(table.reloptions, cmd.def);
      return true;
    case 'AT_ResetRelOptions':
      table.reloptions = resetOptions(table.reloptions, cmd.def);
      return true;
    case 'AT_ReplicaIdentity': {
      const r = as<{ identity_type?: string; name?: string }>(cmd.def, 'ReplicaIdentityStmt');
      const kind = r?.identity_type;
      table.replicaIdentity = kind === 'f' ? 'full' : kind === 'n' ? 'nothing' : kind === 'i' ? `index ${r?.name ?? ''}` : undefined;
      return true;
    }
    case 'AT_ClusterOn':
      table.clusterOn = cmd.name;
      return true;
    case 'AT_DropCluster':
      table.clusterOn = undefined;
      return true;
    case 'AT_SetLogged':
      table.unlogged = undefined;
      return true;
    case 'AT_SetUnLogged':
      table.unlogged = true;
      return true;
    case 'AT_SetStorage':
      if (col) setStorage(col, str(cmd.def)?.toLowerCase());
      return true;
    case 'AT_SetCompression': {
      const c = str(cmd.def)?.toLowerCase();
      if (col) col.compression = c === 'default' ? undefined : c;
      return true;
    }
    case 'AT_SetStatistics': {
      const n = (unwrap(cmd.def)?.value as { ival?: number } | undefined)?.ival ?? 0;
      // SET STATISTICS -1 (PG17+: DEFAULT) goes back to default_statistics_target.
      if (col) col.statistics = n < 0 ? undefined : n;
      return true;
    }
    case 'AT_SetOptions':
      if (col) col.options = setOptions(col.options, cmd.def);
      return true;
    case 'AT_ResetOptions':
      if (col) col.options = resetOptions(col.options, cmd.def);
      return true;
    default:
      return false;
  }
}
