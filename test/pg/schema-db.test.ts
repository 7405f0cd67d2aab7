// `pgdba schema --db` on a throwaway PostgreSQL 15: the live schema prints as the static one does, in a read-only
// transaction, behind the host allow-list; drift shows as a difference.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../server/src/cli/main';
import { connectPg, type Engine } from '../../server/src/engine';
import { startThrowawayPostgres, type ThrowawayPostgres } from './harness';

const MIGRATION = `
CREATE TYPE status AS ENUM ('open', 'paid');
CREATE TABLE accounts (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, email varchar(200) NOT NULL UNIQUE, created_at timestamptz NOT NULL DEFAULT now());
CREATE TABLE invoices (
  id serial PRIMARY KEY, account_id bigint NOT NULL REFERENCES accounts ON DELETE CASCADE, status status NOT NULL DEFAULT 'open',
  amount numeric(12,2) CHECK (amount >= 0), note text
) WITH (fillfactor = 80);
ALTER TABLE invoices ALTER note SET STORAGE external, ALTER amount SET STATISTICS 300;
CREATE INDEX invoices_open ON invoices (account_id) WHERE status = 'open';
ALTER TABLE invoices ENABLE ROW LEVEL SECURITY;
CREATE POLICY invoices_own ON invoices USING (account_id = current_setting('app.account')::bigint);
CREATE VIEW open_invoices AS SELECT i.id, a.email FROM invoices i JOIN accounts a ON a.id = i.account_id WHERE i.status = 'open';
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RETURN NEW;
END $$;
CREATE TRIGGER invoices_touch BEFORE UPDATE ON invoices FOR EACH ROW EXECUTE FUNCTION touch();
`;

let pg: ThrowawayPostgres;
let engine: Engine;
let dir: string;

async function cli(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await main(['schema', ...args], { stdout: (s) => (stdout += s), stderr: (s) => (stderr += s) }, dir);
  return { code, stdout, stderr };
}

before(async () => {
  pg = await startThrowawayPostgres();
  engine = await connectPg({ url: pg.url });
  await engine.exec(MIGRATION);
  dir = mkdtempSync(join(tmpdir(), 'pgdba-schema-db-'));
  mkdirSync(join(dir, 'migrations'));
  writeFileSync(join(dir, 'migrations', '000001_init.up.sql'), MIGRATION);
  writeFileSync(join(dir, 'migrations', '000001_init.down.sql'), 'DROP SCHEMA public CASCADE; CREATE SCHEMA public;');
});

after(async () => {
  await engine?.close();
  await pg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('pgdba schema --db', () => {
  test('prints the same JSON as the static catalog of the migrations that built the database', async () => {
    const live = await cli(['.', '--db', pg.url]);
    assert.equal(live.code, 0, live.stderr);
    const stat = await cli(['.']);
    assert.equal(stat.code, 0, stat.stderr);
    assert.equal(live.stdout, stat.stdout);
    const doc = JSON.parse(live.stdout);
    assert.deepEqual(doc.tables['public.invoices'].reloptions, ['fillfactor=80']);
    assert.equal(doc.tables['public.invoices'].columns.note.storage, 'external');
    assert.equal(doc.tables['public.invoices'].columns.amount.statistics, 300);
  });

  test('drift on the database shows as a difference', async () => {
    await engine.exec('ALTER TABLE invoices ADD COLUMN paid_at timestamptz');
    try {
      const live = JSON.parse((await cli(['.', '--db', pg.url])).stdout);
      assert.deepEqual(live.tables['public.invoices'].columns.paid_at, { type: 'timestamp with time zone' });
      const stat = JSON.parse((await cli(['.'])).stdout);
      assert.equal(stat.tables['public.invoices'].columns.paid_at, undefined);
    } finally {
      await engine.exec('ALTER TABLE invoices DROP COLUMN paid_at');
    }
  });

  test('a host off the allow-list is refused before any connection, with a message', async () => {
    const r = await cli(['.', '--db', 'postgres://u@db.example.com:5432/app']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /^pgdba schema: .*db\.example\.com/);
  });

  test('usage errors', async () => {
    assert.equal((await cli(['.', '--engine', '--db', pg.url])).code, 2);
    assert.equal((await cli(['no-such-folder'])).code, 2);
    assert.equal((await cli(['.', '--format', 'yaml'])).code, 2);
  });
});
