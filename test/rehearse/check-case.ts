// Runs one rollback case on an engine: schema before, up, generated down, and the fingerprint must be back exactly.
import assert from 'node:assert/strict';
import { applyStatement, newApplyState } from '../../server/src/core/catalog/build';
import { emptyCatalog } from '../../server/src/core/catalog/types';
import { parseSql } from '../../server/src/core/parse/parse';
import { generateRollback } from '../../server/src/core/rollback';
import type { Engine } from '../../server/src/engine';
import { describeDiff, diffFingerprints, fingerprint } from '../../server/src/rehearse/fingerprint';
import { runScript } from '../../server/src/rehearse/run-script';
import type { RollbackCase } from './cases';

/** Drops every user schema and extension, then makes an empty public schema: each case starts from nothing. */
export const RESET = `DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT extname FROM pg_extension WHERE extname <> 'plpgsql' LOOP EXECUTE format('DROP EXTENSION %I CASCADE', r.extname); END LOOP;
  FOR r IN SELECT nspname FROM pg_namespace WHERE nspname NOT IN ('pg_catalog', 'information_schema') AND nspname !~ '^pg_(toast|temp_|toast_temp_)' LOOP
    EXECUTE format('DROP SCHEMA %I CASCADE', r.nspname);
  END LOOP;
END $$;
CREATE SCHEMA public;`;

async function run(engine: Engine, sql: string, what: string): Promise<void> {
  const r = await runScript(engine, sql);
  if (!r.ok) assert.fail(`${what} failed at line ${r.failure.line}:${r.failure.column}: ${r.failure.message}\n${sql}`);
}

export async function checkCase(engine: Engine, c: RollbackCase): Promise<void> {
  await engine.exec(RESET);
  if (c.before) await run(engine, c.before, 'before');
  const catalog = emptyCatalog();
  const state = newApplyState('before.sql');
  for (const s of parseSql(c.before).statements) applyStatement(catalog, s, state);
  const before = await fingerprint(engine);
  await run(engine, c.up, 'up');
  const rollback = generateRollback(c.up, catalog, { header: false });
  assert.match(rollback.sql, c.expect);
  assert.equal(rollback.sql.includes('-- pgdba: irreversible:'), c.irreversible === true, rollback.sql);
  await run(engine, rollback.sql, 'generated down');
  const diff = describeDiff(diffFingerprints(before, await fingerprint(engine)), 50);
  assert.deepEqual(diff, [], `the generated down did not restore the schema:\n${rollback.sql}`);
  // The down must leave a state the up runs on again.
  await run(engine, c.up, 'up after the down');
}
