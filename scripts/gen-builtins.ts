// Generates server/src/core/intel/pg-builtins.json from PGlite: PostgreSQL's own functions (for completion and signature
// help), keywords, every pg_catalog function and system relation name, and the functions and relations of each contrib
// extension PGlite ships (so unknown-* rules know them), and built-in and extension operator classes (so the catalog knows
// which CREATE INDEX PostgreSQL refuses); `--check` fails when the file is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite, type Extension } from '@electric-sql/pglite';
import { PGLITE_CONTRIB } from '../server/src/engine/pglite-extensions';

const out = join(__dirname, '..', 'server', 'src', 'core', 'intel', 'pg-builtins.json');

// Functions a user calls by name: no internal/trigger/handler results, no operator implementations, no type I/O.
const FUNCTIONS = `
SELECT p.proname AS name, pg_get_function_arguments(p.oid) AS args, pg_get_function_result(p.oid) AS result,
       p.prokind AS kind, p.provolatile AS volatility, coalesce(d.description, '') AS doc
FROM pg_proc p
JOIN pg_namespace n ON n.oid = p.pronamespace
LEFT JOIN pg_description d ON d.objoid = p.oid AND d.classoid = 'pg_proc'::regclass AND d.objsubid = 0
WHERE n.nspname = 'pg_catalog'
  AND p.prorettype NOT IN ('internal'::regtype, 'trigger'::regtype, 'event_trigger'::regtype, 'language_handler'::regtype,
                           'fdw_handler'::regtype, 'index_am_handler'::regtype, 'table_am_handler'::regtype, 'tsm_handler'::regtype,
                           'cstring'::regtype)
  AND NOT EXISTS (SELECT 1 FROM pg_operator o WHERE o.oprcode = p.oid)
  AND NOT EXISTS (SELECT 1 FROM pg_type t WHERE p.oid IN (t.typinput, t.typoutput, t.typreceive, t.typsend))
  AND p.proname !~ '^_'
  AND coalesce(d.description, '') !~ '^(implementation of|I/O|planner support|deprecated)'
ORDER BY p.proname, pg_get_function_arguments(p.oid)`;

const SYSTEM_RELATIONS = `
SELECT DISTINCT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname IN ('pg_catalog', 'information_schema') AND c.relkind IN ('r', 'v', 'm', 'f', 'p') ORDER BY 1`;

/** Operator classes as `access method:name` (CREATE INDEX … USING gin (col gin_trgm_ops) needs one that exists). */
const SYSTEM_OPCLASSES = `
SELECT am.amname || ':' || oc.opcname AS name FROM pg_opclass oc JOIN pg_am am ON am.oid = oc.opcmethod
WHERE oc.opcnamespace = 'pg_catalog'::regnamespace ORDER BY 1`;

const EXTENSION_OBJECTS = `
SELECT e.extname AS ext, CASE d.classid WHEN 'pg_proc'::regclass THEN 'f' WHEN 'pg_opclass'::regclass THEN 'o' ELSE 'r' END AS kind,
       coalesce(p.proname, c.relname, am.amname || ':' || oc.opcname) AS name
FROM pg_depend d JOIN pg_extension e ON d.refclassid = 'pg_extension'::regclass AND d.refobjid = e.oid AND d.deptype = 'e'
LEFT JOIN pg_proc p ON d.classid = 'pg_proc'::regclass AND p.oid = d.objid
LEFT JOIN pg_class c ON d.classid = 'pg_class'::regclass AND c.oid = d.objid AND c.relkind IN ('r', 'v', 'm', 'f', 'p')
LEFT JOIN pg_opclass oc ON d.classid = 'pg_opclass'::regclass AND oc.oid = d.objid
LEFT JOIN pg_am am ON am.oid = oc.opcmethod
WHERE coalesce(p.proname, c.relname, oc.opcname) IS NOT NULL
GROUP BY 1, 2, 3 ORDER BY 1, 2, 3`;

async function main(): Promise<void> {
  const extensions: Record<string, Extension> = {};
  for (const [name, load] of Object.entries(PGLITE_CONTRIB)) extensions[name.replace(/-/g, '_')] = await load();
  const db = await PGlite.create({ extensions });
  const version = (await db.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v;
  const fns = (await db.query<{ name: string; args: string; result: string; kind: string; volatility: string; doc: string }>(FUNCTIONS)).rows;
  const kws = (await db.query<{ word: string; catcode: string }>('SELECT word, catcode FROM pg_get_keywords() ORDER BY word')).rows;
  const allNames = (await db.query<{ name: string }>("SELECT DISTINCT proname AS name FROM pg_proc WHERE pronamespace = 'pg_catalog'::regnamespace ORDER BY 1"))
    .rows;
  const relations = (await db.query<{ name: string }>(SYSTEM_RELATIONS)).rows;
  const opclasses = (await db.query<{ name: string }>(SYSTEM_OPCLASSES)).rows;
  for (const name of Object.keys(PGLITE_CONTRIB)) {
    try {
      await db.exec(`CREATE EXTENSION IF NOT EXISTS "${name}" CASCADE`);
    } catch {
      // An extension PGlite cannot create (needs shared_preload_libraries): it adds no SQL objects here.
    }
  }
  const objects = (await db.query<{ ext: string; kind: string; name: string }>(EXTENSION_OBJECTS)).rows;
  await db.close();
  const byExtension: Record<string, { functions: string[]; relations: string[]; opclasses: string[] }> = {};
  for (const o of objects) {
    const e = (byExtension[o.ext] ??= { functions: [], relations: [], opclasses: [] });
    (o.kind === 'f' ? e.functions : o.kind === 'o' ? e.opclasses : e.relations).push(o.name);
  }
  const data = {
    source: `PGlite pg_catalog, PostgreSQL ${version} (npm run gen:builtins)`,
    functions: fns.map((f) => [f.name, f.args, f.result, f.kind, f.volatility, f.doc]),
    keywords: kws.map((k) => [k.word, k.catcode]),
    functionNames: allNames.map((r) => r.name),
    systemRelations: relations.map((r) => r.name),
    systemOpclasses: opclasses.map((r) => r.name),
    extensions: byExtension,
  };
  const text = `${JSON.stringify(data, null, 0).replace(/\],\[/g, '],\n[')}\n`;
  if (process.argv.includes('--check')) {
    let old = '';
    try {
      old = readFileSync(out, 'utf8');
    } catch {
      // missing: stale
    }
    if (old !== text) {
      process.stderr.write(`${out} is out of date: run npm run gen:builtins\n`);
      process.exit(1);
    }
    return;
  }
  writeFileSync(out, text);
  process.stdout.write(`wrote ${fns.length} functions and ${kws.length} keywords\n`);
}

void main();
