// Generates server/src/core/intel/pg-builtins.json (PostgreSQL's own functions and keywords, for completion and signature
// help) from PGlite's pg_proc and pg_get_keywords(); `--check` fails when the file is out of date.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';

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

async function main(): Promise<void> {
  const db = await PGlite.create();
  const version = (await db.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0].v;
  const fns = (await db.query<{ name: string; args: string; result: string; kind: string; volatility: string; doc: string }>(FUNCTIONS)).rows;
  const kws = (await db.query<{ word: string; catcode: string }>('SELECT word, catcode FROM pg_get_keywords() ORDER BY word')).rows;
  await db.close();
  const data = {
    source: `PGlite pg_catalog, PostgreSQL ${version} (npm run gen:builtins)`,
    functions: fns.map((f) => [f.name, f.args, f.result, f.kind, f.volatility, f.doc]),
    keywords: kws.map((k) => [k.word, k.catcode]),
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
