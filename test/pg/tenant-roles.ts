// Two roles on PGlite for row-level-security tests: `owner_r` owns schema app and what the setup creates, and `caller`
// (granted SELECT on app's tables) queries as tenant 1 (app.tenant_id = '1').
import type { PgliteEngine } from '../../server/src/engine';

/** Runs `sql` as owner_r in a fresh schema app, then grants caller SELECT on every table and view in it. */
export async function setUpAsOwner(engine: PgliteEngine, sql: string): Promise<void> {
  await engine.exec(`CREATE ROLE owner_r; CREATE ROLE caller; CREATE SCHEMA app AUTHORIZATION owner_r; GRANT USAGE ON SCHEMA app TO caller;
SET ROLE owner_r;
${sql}
GRANT SELECT ON ALL TABLES IN SCHEMA app TO caller;
RESET ROLE;`);
}

/** The number `query` (a SELECT of one column n) returns when the caller runs it as tenant 1. */
export async function countAsTenant(engine: PgliteEngine, query: string): Promise<number> {
  await engine.exec("SET ROLE caller; SET app.tenant_id = '1';");
  try {
    const r = await engine.query<{ n: string | number }>(query);
    return Number(r.rows[0].n);
  } finally {
    await engine.exec('RESET ROLE;');
  }
}
