// `package new --explain --db` with a refused host or a wrong password: a clear message and exit 2, never a stack trace.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPackage } from '../../server/src/cli/commands/package';
import { startThrowawayPostgres, type ThrowawayPostgres } from './harness';

let dir: string;
let server: ThrowawayPostgres;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pgdba-package-db-'));
  mkdirSync(join(dir, '.git'));
  writeFileSync(join(dir, 'q.sql'), 'SELECT 1;\n');
  server = await startThrowawayPostgres();
});
after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

async function run(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runPackage(argv, { cwd: dir, stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
  return { code, out, err };
}

describe('package new --explain --db connection failures', () => {
  test('a host that is not allowed: the refusal, exit 2, nothing written', async () => {
    const r = await run(['new', 'DB-1', '--date', '20261123', '--explain', 'q.sql:1', '--db', 'postgres://u@db.example.com:5432/app']);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /^pgdba package: .*db\.example\.com/);
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
    assert.equal(existsSync(join(dir, 'DBA_DB-1_20261123_package.json')), false);
  });

  test('a wrong password: the login failure, exit 2, no password echoed', async () => {
    const url = server.url.replace(/:[^:@/]+@/, ':not-the-password@');
    const r = await run(['new', 'DB-2', '--date', '20261123', '--explain', 'q.sql:1', '--db', url]);
    assert.equal(r.code, 2, r.err);
    assert.match(r.err, /^pgdba package: .*password/i);
    assert.doesNotMatch(r.err, /not-the-password|\n\s+at /);
  });
});
