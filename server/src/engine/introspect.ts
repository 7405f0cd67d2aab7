// Reads the schema document from a database (PGlite or PostgreSQL) through pg_catalog, in a read-only transaction with
// search_path = public, pg_catalog so that the pg_get_*def functions print names as the static side does.
import { schemaFromRows, type SchemaRows } from '../core/schema/from-rows';
import type { SchemaJson } from '../core/schema/types';
import type { Engine } from './types';

// System schemas are not the user's; objects of extensions come and go with their extension.
const USER_NS = `n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname !~ '^pg_(toast|temp_|toast_temp_)'`;
const notExt = (cls: string, oid: string) =>
  `NOT EXISTS (SELECT 1 FROM pg_depend e WHERE e.classid = '${cls}'::regclass AND e.objid = ${oid} AND e.deptype = 'e')`;
const REL = `n.nspname || '.' || c.relname`;
const FROM_REL = `FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace`;
/** Privileges granted to others than the owner, `grantee privilege` per row (grantee 0 is PUBLIC). */
const grants = (acl: string, owner: string) =>
  `ARRAY(SELECT CASE WHEN a.grantee = 0 THEN 'public' ELSE pg_get_userbyid(a.grantee)::text END || ' ' || a.privilege_type
         FROM aclexplode(${acl}) a WHERE a.grantee <> ${owner} ORDER BY 1)`;

const QUERIES: Record<keyof SchemaRows, string> = {
  schemas: `SELECT n.nspname AS name FROM pg_namespace n WHERE ${USER_NS} AND ${notExt('pg_namespace', 'n.oid')}`,
  extensions: `SELECT extname AS name FROM pg_extension`,
  relations: `SELECT ${REL} AS key, c.relkind AS kind, c.relpersistence = 'u' AS unlogged, c.reloptions::text[] AS reloptions,
      c.relreplident AS replident, c.relrowsecurity AS rls, c.relforcerowsecurity AS force_rls,
      CASE WHEN c.relkind = 'p' THEN pg_get_partkeydef(c.oid) END AS partkey,
      CASE WHEN c.relispartition THEN pg_get_expr(c.relpartbound, c.oid) END AS bound,
      ARRAY(SELECT pn.nspname || '.' || p.relname FROM pg_inherits i JOIN pg_class p ON p.oid = i.inhparent JOIN pg_namespace pn ON pn.oid = p.relnamespace
            WHERE i.inhrelid = c.oid ORDER BY i.inhseqno) AS parents,
      (SELECT ic.relname FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid WHERE x.indrelid = c.oid AND x.indisclustered LIMIT 1) AS cluster_on,
      (SELECT ic.relname FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid WHERE x.indrelid = c.oid AND x.indisreplident LIMIT 1) AS replident_index,
      ${grants('c.relacl', 'c.relowner')} AS grants,
      CASE WHEN c.relkind IN ('v', 'm') THEN ARRAY(
        SELECT DISTINCT dn.nspname || '.' || dc.relname FROM pg_rewrite r JOIN pg_depend d ON d.classid = 'pg_rewrite'::regclass AND d.objid = r.oid
        JOIN pg_class dc ON dc.oid = d.refobjid AND d.refclassid = 'pg_class'::regclass JOIN pg_namespace dn ON dn.oid = dc.relnamespace
        WHERE r.ev_class = c.oid AND dc.oid <> c.oid AND dc.relkind IN ('r', 'p', 'v', 'm', 'f')) END AS reads
    ${FROM_REL} WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ${USER_NS} AND ${notExt('pg_class', 'c.oid')}`,
  columns: `SELECT ${REL} AS rel, a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
      a.attidentity AS identity, a.attgenerated AS generated, pg_get_expr(d.adbin, d.adrelid) AS default,
      CASE WHEN a.attstorage <> t.typstorage THEN a.attstorage END AS storage, a.attcompression AS compression,
      CASE WHEN a.attstattarget >= 0 THEN a.attstattarget END AS statistics, a.attoptions::text[] AS options,
      CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation
    FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_type t ON t.oid = a.atttypid LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
    LEFT JOIN pg_collation co ON co.oid = a.attcollation
    WHERE a.attnum > 0 AND NOT a.attisdropped AND c.relkind IN ('r', 'p', 'f') AND ${USER_NS} AND ${notExt('pg_class', 'c.oid')}
    ORDER BY a.attrelid, a.attnum`,
  // Constraints a partition or child table only inherits are its parent's, as the static side models them.
  constraints: `SELECT ${REL} AS rel, k.conname AS name, pg_get_constraintdef(k.oid) AS def
    FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE k.contype IN ('p', 'u', 'c', 'f', 'x') AND k.conparentid = 0 AND k.conislocal AND ${USER_NS} AND ${notExt('pg_class', 'c.oid')}`,
  indexes: `SELECT n.nspname || '.' || ic.relname AS key, tn.nspname || '.' || c.relname AS rel, pg_get_indexdef(x.indexrelid) AS def
    FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid JOIN pg_namespace n ON n.oid = ic.relnamespace
    JOIN pg_class c ON c.oid = x.indrelid JOIN pg_namespace tn ON tn.oid = c.relnamespace
    WHERE ${USER_NS} AND ${notExt('pg_class', 'x.indrelid')}
      AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid AND k.contype IN ('p', 'u', 'x'))
      AND NOT EXISTS (SELECT 1 FROM pg_inherits i WHERE i.inhrelid = x.indexrelid)`,
  functions: `SELECT n.nspname || '.' || p.proname AS key, p.prokind AS kind, l.lanname AS language,
      ARRAY(SELECT format_type(u.t, NULL) FROM unnest(p.proargtypes::oid[]) WITH ORDINALITY u(t, i) ORDER BY u.i) AS args,
      CASE WHEN p.prokind = 'f' THEN pg_get_function_result(p.oid) END AS returns, p.provolatile AS volatility,
      p.proisstrict AS strict, p.prosecdef AS security_definer, p.proconfig::text[] AS config, p.prosrc AS body,
      ${grants(`coalesce(p.proacl, acldefault('f', p.proowner))`, 'p.proowner')} AS grants
    FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace JOIN pg_language l ON l.oid = p.prolang
    WHERE p.prokind IN ('f', 'p') AND ${USER_NS} AND ${notExt('pg_proc', 'p.oid')}
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'i')`,
  // Triggers cloned onto partitions from their partitioned parent are the parent's.
  triggers: `SELECT ${REL} AS rel, t.tgname AS name, pg_get_triggerdef(t.oid) AS def
    FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE NOT t.tgisinternal AND t.tgparentid = 0 AND ${USER_NS} AND ${notExt('pg_class', 'c.oid')}`,
  policies: `SELECT ${REL} AS rel, pol.polname AS name, pol.polcmd AS cmd, pol.polpermissive AS permissive,
      ARRAY(SELECT CASE WHEN r = 0 THEN 'public' ELSE pg_get_userbyid(r)::text END FROM unnest(pol.polroles) r ORDER BY 1) AS roles,
      pg_get_expr(pol.polqual, pol.polrelid) AS using, pg_get_expr(pol.polwithcheck, pol.polrelid) AS check
    FROM pg_policy pol JOIN pg_class c ON c.oid = pol.polrelid JOIN pg_namespace n ON n.oid = c.relnamespace WHERE ${USER_NS}`,
  types: `SELECT n.nspname || '.' || t.typname AS key, t.typtype AS kind,
      ARRAY(SELECT e.enumlabel::text FROM pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels,
      format_type(t.typbasetype, t.typtypmod) AS base, t.typnotnull AS not_null, t.typdefault AS default,
      ARRAY(SELECT pg_get_constraintdef(k.oid) FROM pg_constraint k WHERE k.contypid = t.oid AND k.contype = 'c') AS checks,
      ARRAY(SELECT a.attname || ' ' || format_type(a.atttypid, a.atttypmod) FROM pg_attribute a
            WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum) AS attributes,
      (SELECT format_type(r.rngsubtype, NULL) FROM pg_range r WHERE r.rngtypid = t.oid) AS subtype
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE t.typtype IN ('e', 'd', 'r', 'c') AND (t.typtype <> 'c' OR (SELECT c.relkind FROM pg_class c WHERE c.oid = t.typrelid) = 'c')
      AND ${USER_NS} AND ${notExt('pg_type', 't.oid')}`,
  sequences: `SELECT ${REL} AS key, format_type(s.seqtypid, NULL) AS type, s.seqstart::text AS start, s.seqincrement::text AS increment,
      s.seqmin::text AS min, s.seqmax::text AS max, s.seqcache::text AS cache, s.seqcycle AS cycle,
      (SELECT dn.nspname || '.' || dc.relname || '.' || da.attname FROM pg_depend d JOIN pg_class dc ON dc.oid = d.refobjid
         JOIN pg_namespace dn ON dn.oid = dc.relnamespace JOIN pg_attribute da ON da.attrelid = d.refobjid AND da.attnum = d.refobjsubid
       WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'a' AND d.refclassid = 'pg_class'::regclass LIMIT 1) AS owned_by
    FROM pg_sequence s JOIN pg_class c ON c.oid = s.seqrelid JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE ${USER_NS} AND ${notExt('pg_class', 'c.oid')}
      AND NOT EXISTS (SELECT 1 FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'i')`,
};

/**
 * The raw catalog rows, read in one read-only transaction (rolled back, so nothing is left behind even on --db). With
 * `inTransaction`, the caller's open transaction is used as it is (the rehearsal reads the schema before deciding to
 * commit): search_path is set for the reading and put back.
 */
export async function introspectRows(engine: Engine, opts: { inTransaction?: boolean } = {}): Promise<SchemaRows> {
  const read = async () => {
    const out: Partial<SchemaRows> = {};
    for (const [name, sql] of Object.entries(QUERIES) as [keyof SchemaRows, string][]) {
      (out as Record<string, unknown>)[name] = (await engine.query(sql)).rows;
    }
    return out as SchemaRows;
  };
  if (opts.inTransaction) {
    const was = (await engine.query<{ was: string }>("SELECT current_setting('search_path') AS was")).rows[0]?.was;
    await engine.query("SELECT set_config('search_path', 'public, pg_catalog', false)");
    try {
      return await read();
    } finally {
      if (was !== undefined) await engine.query("SELECT set_config('search_path', $1, false)", [was]);
    }
  }
  await engine.exec('BEGIN READ ONLY');
  try {
    await engine.exec('SET LOCAL search_path = public, pg_catalog');
    return await read();
  } finally {
    await engine.exec('ROLLBACK');
  }
}

/** The schema document of the engine's current database. */
export async function introspectSchema(engine: Engine, opts: { inTransaction?: boolean } = {}): Promise<SchemaJson> {
  return schemaFromRows(await introspectRows(engine, opts));
}
