// A schema fingerprint: the schema document of core/schema (plus what it leaves out) as `kind name → definition`, compared as sets.
import type { SchemaJson } from '../core/schema/types';
import { introspectSchema } from '../engine/introspect';
import type { Engine } from '../engine/types';

/** `kind name` (e.g. `column public.users.age`) → a normalised definition (e.g. `integer not null default 0`). */
export type Fingerprint = Map<string, string>;

// Objects of extensions come and go with their extension; system schemas are not the user's.
const USER_NS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'`;
const notExt = (cls: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${cls}'::regclass AND e.objid = ${oid} AND e.deptype = 'e')`;
/** An ACL as sorted text; NULL means the defaults, so GRANT then REVOKE compares equal to never granting. */
const acl = (col: string, kind: string, owner: string) =>
  `array_to_string(ARRAY(SELECT x::text FROM unnest(coalesce(${col}, acldefault(${kind}, ${owner}))) x ORDER BY 1), ' ')`;
const rel = `n.nspname || '.' || c.relname`;

// What the schema document (core/schema) does not hold, read as before: privileges of schemas, columns and sequences,
// aggregates, rules, extended statistics, comments, default privileges, event triggers, publications and casts.
const EXTRA_PARTS = [
  // The first branch fixes the column types of the UNION: text, or every name would be cut to 63 bytes like a \`name\`.
  `SELECT 'privileges'::text, 'schema ' || n.nspname::text, ${acl('n.nspacl', `'n'`, 'n.nspowner')}::text FROM pg_namespace n WHERE ${USER_NS} AND ${notExt('pg_namespace', 'n.oid')}`,
  `SELECT 'privileges', 'column ' || ${rel} || '.' || a.attname, array_to_string(ARRAY(SELECT x::text FROM unnest(a.attacl) x ORDER BY 1), ' ')
   FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE a.attacl IS NOT NULL AND a.attnum > 0 AND NOT a.attisdropped AND ${USER_NS}`,
  `SELECT 'privileges', 'sequence ' || ${rel}, ${acl('c.relacl', `'s'::"char"`, 'c.relowner')}
   FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.relkind = 'S' AND ${USER_NS} AND ${notExt('pg_class', 'c.oid')}`,
  `SELECT CASE p.prokind WHEN 'a' THEN 'aggregate' ELSE 'window function' END,
     n.nspname || '.' || p.proname || '(' || pg_get_function_identity_arguments(p.oid) || ')', pg_get_function_result(p.oid)
   FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace WHERE p.prokind IN ('a', 'w') AND ${USER_NS} AND ${notExt('pg_proc', 'p.oid')}`,
  `SELECT 'rule', ${rel} || '.' || r.rulename, pg_get_ruledef(r.oid)
   FROM pg_rewrite r JOIN pg_class c ON c.oid = r.ev_class JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE r.rulename <> '_RETURN' AND ${USER_NS}`,
  `SELECT 'statistics', n.nspname || '.' || s.stxname, pg_get_statisticsobjdef(s.oid)
   FROM pg_statistic_ext s JOIN pg_namespace n ON n.oid = s.stxnamespace WHERE ${USER_NS}`,
  `SELECT 'comment', (o).type || ' ' || (o).identity, description FROM (
     SELECT pg_identify_object(d.classoid, d.objoid, d.objsubid) AS o, d.description FROM pg_description d
     WHERE d.objoid >= 16384 AND NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = d.classoid AND e.objid = d.objoid AND e.deptype = 'e')) x
   WHERE (o).schema IS NULL OR (o).schema NOT IN ('pg_catalog', 'information_schema')`,
  `SELECT 'default privileges', coalesce(n.nspname, '*') || ' ' || pg_get_userbyid(a.defaclrole) || ' ' || a.defaclobjtype::text,
     array_to_string(ARRAY(SELECT x::text FROM unnest(a.defaclacl) x ORDER BY 1), ' ')
   FROM pg_default_acl a LEFT JOIN pg_namespace n ON n.oid = a.defaclnamespace`,
  `SELECT 'event trigger', e.evtname, e.evtevent || ' ' || e.evtfoid::regproc::text || ' ' || e.evtenabled::text FROM pg_event_trigger e`,
  `SELECT 'publication', p.pubname, concat_ws(' ', p.puballtables, p.pubinsert, p.pubupdate, p.pubdelete) FROM pg_publication p`,
  `SELECT 'cast', format_type(k.castsource, NULL) || ' as ' || format_type(k.casttarget, NULL), coalesce(k.castfunc::regproc::text, '') || ' ' || k.castcontext::text
   FROM pg_cast k WHERE k.oid >= 16384 AND ${notExt('pg_cast', 'k.oid')}`,
];

export const FINGERPRINT_EXTRAS_SQL = EXTRA_PARTS.map((p) => `(${p})`).join('\nUNION ALL\n');

/** The schema document as `kind name → definition` entries (definitions are the normalised JSON of each part). */
export function schemaEntries(schema: SchemaJson, out: Fingerprint = new Map()): Fingerprint {
  const put = (key: string, value: unknown) => out.set(key, value === '' ? '' : JSON.stringify(sorted(value)));
  for (const s of schema.schemas) put(`schema ${s}`, '');
  for (const e of schema.extensions) put(`extension ${e}`, '');
  const parts = (key: string, x: { triggers?: Record<string, unknown>; grants?: Record<string, string[]> }) => {
    for (const [n, t] of Object.entries(x.triggers ?? {})) put(`trigger ${key}.${n}`, t);
    if (x.grants) put(`privileges table ${key}`, x.grants);
  };
  for (const [key, t] of Object.entries(schema.tables)) {
    const { columns, constraints, triggers, policies, grants, kind, ...rest } = t;
    put(`${kind === 'foreign table' ? 'foreign table' : 'table'} ${key}`, { kind, ...rest });
    for (const [n, c] of Object.entries(columns)) put(`column ${key}.${n}`, c);
    for (const [n, k] of Object.entries(constraints ?? {})) put(`constraint ${key}.${n}`, k);
    for (const [n, p] of Object.entries(policies ?? {})) put(`policy ${key}.${n}`, p);
    parts(key, { triggers, grants });
  }
  for (const [key, v] of Object.entries(schema.views)) {
    put(`${v.kind} ${key}`, { reads: v.reads });
    parts(key, v);
  }
  for (const [key, ix] of Object.entries(schema.indexes)) put(`index ${key}`, ix);
  for (const [sig, f] of Object.entries(schema.functions)) {
    const { grants, ...rest } = f;
    put(`${f.kind} ${sig}`, rest);
    if (grants) put(`privileges function ${sig}`, grants);
  }
  const TYPE_KINDS = { enum: 'enum', domain: 'domain', composite: 'composite type', range: 'range type' } as const;
  for (const [key, t] of Object.entries(schema.types)) put(`${TYPE_KINDS[t.kind]} ${key}`, t);
  for (const [key, q] of Object.entries(schema.sequences)) put(`sequence ${key}`, q);
  return out;
}

function sorted(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(sorted);
  if (v === null || typeof v !== 'object') return v;
  return Object.fromEntries(
    Object.keys(v)
      .sort()
      .map((k) => [k, sorted((v as Record<string, unknown>)[k])]),
  );
}

/**
 * Reads the schema of the engine's current database: the schema document `pgdba schema` prints (so whitespace in a
 * function body or PostgreSQL's spelling of an expression is no difference), plus what that document leaves out.
 * Works inside the caller's open transaction.
 */
export async function fingerprint(engine: Engine): Promise<Fingerprint> {
  const out = schemaEntries(await introspectSchema(engine, { inTransaction: true }));
  const r = await engine.query<{ kind: string; name: string; def: string | null }>(
    `SELECT kind, name, def FROM (${FINGERPRINT_EXTRAS_SQL}) AS f(kind, name, def)`,
  );
  for (const row of r.rows) {
    const key = `${row.kind} ${row.name}`;
    const def = row.def ?? '';
    // Two objects under one key (names cut to 63 bytes by PostgreSQL can collide): keep both, in a stable order.
    const had = out.get(key);
    out.set(key, had === undefined ? def : [had, def].sort().join(' | '));
  }
  return out;
}

export interface FingerprintDiff {
  /** Present after, absent before: the down left it behind. */
  added: { key: string; def: string }[];
  /** Present before, absent after: the down did not restore it. */
  removed: { key: string; def: string }[];
  changed: { key: string; before: string; after: string }[];
}

export function diffFingerprints(before: Fingerprint, after: Fingerprint): FingerprintDiff {
  const only = (a: Fingerprint, b: Fingerprint) =>
    [...a.keys()]
      .filter((k) => !b.has(k))
      .sort()
      .map((key) => ({ key, def: a.get(key) ?? '' }));
  const changed = [...before.keys()]
    .filter((k) => after.has(k) && after.get(k) !== before.get(k))
    .sort()
    .map((key) => ({ key, before: before.get(key) ?? '', after: after.get(key) ?? '' }));
  return { added: only(after, before), removed: only(before, after), changed };
}

export function sameFingerprint(d: FingerprintDiff): boolean {
  return d.added.length === 0 && d.removed.length === 0 && d.changed.length === 0;
}

const PARENTS = new Set([
  'table',
  'view',
  'materialized view',
  'foreign table',
  'sequence',
  'function',
  'procedure',
  'enum',
  'domain',
  'composite type',
  'range type',
]);

const KINDS = [
  ...PARENTS,
  'schema',
  'extension',
  'column',
  'constraint',
  'policy',
  'trigger',
  'index',
  'privileges table',
  'privileges function',
  'privileges schema',
  'privileges column',
  'privileges sequence',
  'aggregate',
  'window function',
  'rule',
  'statistics',
  'comment',
  'default privileges',
  'event trigger',
  'publication',
  'cast',
].sort((a, b) => b.length - a.length);

/** `kind name`, where a name may hold spaces (`function public.f(integer, text)`) and so may a kind. */
function split(key: string): { kind: string; name: string } {
  const kind = KINDS.find((k) => key.startsWith(`${k} `)) ?? key.slice(0, key.indexOf(' '));
  return { kind, name: key.slice(kind.length + 1) };
}

/** Drops entries implied by a listed parent: the columns, constraints, indexes, privileges… of a table left behind. */
function condense(entries: { key: string; def: string }[]): { key: string; def: string }[] {
  const parents = entries
    .map((e) => split(e.key))
    .filter((k) => PARENTS.has(k.kind))
    .map((k) => k.name);
  if (!parents.length) return entries;
  const implied = (e: { key: string; def: string }) => {
    const { kind, name } = split(e.key);
    if (PARENTS.has(kind)) return false;
    if (kind === 'index') return parents.some((p) => e.def.includes(`"table":${JSON.stringify(p)}`));
    // A comment's name is the object's kind and name (`table public.u`, `column public.u.id`).
    const own = kind === 'comment' ? name.slice(name.lastIndexOf(' ') + 1) : name;
    return parents.some((p) => own === p || own.startsWith(`${p}.`) || own.startsWith(`${p}(`));
  };
  return entries.filter((e) => !implied(e));
}

/** `column public.users.age` → `column users.age` (the public schema goes without saying). */
function readable(key: string): string {
  return key.replace(/ public\./, ' ');
}

/** A long text around its first difference from another, so that both sides show what differs, not the same start. */
function around(text: string, other: string): string {
  if (text.length <= 80) return text;
  let i = 0;
  while (i < text.length && text[i] === other[i]) i++;
  const from = Math.max(0, i - 30);
  return `${from > 0 ? '…' : ''}${text.slice(from, from + 80)}${from + 80 < text.length ? '…' : ''}`;
}

function parsed(def: string): Record<string, unknown> | undefined {
  if (!def.startsWith('{')) return undefined;
  try {
    return JSON.parse(def) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

/** What changed in one definition: field by field for the schema document's JSON, the text around the change otherwise. */
function changeText(before: string, after: string): string {
  const a = parsed(before);
  const b = parsed(after);
  const show = (v: unknown, w: unknown) => (v === undefined ? '(none)' : around(JSON.stringify(v), JSON.stringify(w) ?? ''));
  if (a && b) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort().filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k]));
    return keys.map((k) => `${k} was ${show(a[k], b[k])}, now ${show(b[k], a[k])}`).join('; ');
  }
  const one = (x: string) => x.replace(/\s+/g, ' ').trim();
  return `was ${around(one(before), one(after)) || '(empty)'}, now ${around(one(after), one(before)) || '(empty)'}`;
}

/** The differences in words, most telling first: "column users.age left behind", "index users_email_idx not restored". */
export function describeDiff(d: FingerprintDiff, limit = 8): string[] {
  const lines = [
    ...condense(d.added).map((e) => `${readable(e.key)} left behind`),
    ...condense(d.removed).map((e) => `${readable(e.key)} not restored`),
    ...d.changed.map((c) => `${readable(c.key)} differs: ${changeText(c.before, c.after)}`),
  ];
  return lines.length > limit ? [...lines.slice(0, limit), `… and ${lines.length - limit} more`] : lines;
}
