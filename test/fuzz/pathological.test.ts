// Pathological input through `pgdba check` in-process: deep nesting, huge expressions, long identifiers, a deeply nested pgdba.json.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../../server/src/cli/main';

let dir: string;

before(() => {
  dir = mkdtempSync(join(tmpdir(), 'pgdba-pathological-'));
});

after(() => rmSync(dir, { recursive: true, force: true }));

async function check(
  files: Record<string, string>,
): Promise<{ code: number; stderr: string; findings: { file: string; line: number; rule: string; message: string }[] }> {
  const root = mkdtempSync(join(dir, 'ws-'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  let stdout = '';
  let stderr = '';
  const code = await main(['check', '.', '--format', 'json'], { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) }, root);
  assert.doesNotMatch(stdout + stderr, /internal[ -]error/i);
  return { code, stderr, findings: (JSON.parse(stdout) as { diagnostics: { file: string; line: number; rule: string; message: string }[] }).diagnostics };
}

const nested = (n: number) => 'select * from ' + '(select * from '.repeat(n) + 't' + ') x'.repeat(n);

test('a pgdba.json nested 100,000 levels is one config error at its key, and the SQL is still checked (was a crash with no findings)', async () => {
  const r = await check({ 'pgdba.json': `{ "rules": ${'['.repeat(100_000)}${']'.repeat(100_000)} }`, 'a.sql': 'delete from t;\n' });
  assert.deepEqual(
    r.findings.map((f) => [f.file, f.rule]),
    [
      ['pgdba.json', 'config-error'],
      ['a.sql', 'unbounded-write'],
    ],
  );
  assert.match(r.findings[0].message, /"rules" is nested too deeply/);
  assert.equal(r.code, 2);
});

test('1,000 nested subqueries and a 100,000-term expression: a too-deeply-nested finding each, the statements after them checked', async () => {
  const r = await check({
    'a.sql': `${nested(1000)};\ndelete from t;\n`,
    'b.sql': `select ${Array(100_000).fill('1').join(' + ')};\ndelete from t;\n`,
  });
  assert.deepEqual(
    r.findings.map((f) => [f.file, f.line, f.rule]),
    [
      ['a.sql', 1, 'too-deeply-nested'],
      ['a.sql', 2, 'unbounded-write'],
      ['b.sql', 1, 'too-deeply-nested'],
      ['b.sql', 2, 'unbounded-write'],
    ],
  );
  assert.doesNotMatch(r.findings[2].message, /syntax error at/i);
});

test('a 300 KB quoted identifier is checked (it took over 30 s: the 63-byte cut was quadratic)', { timeout: 60_000 }, async () => {
  const name = 'x'.repeat(300_000);
  const r = await check({ 'a.sql': `create table "${name}" (id int);\ncreate table t ("${'a""'.repeat(100_000)}" int);\n` });
  assert.deepEqual(
    r.findings.map((f) => [f.line, f.rule]),
    [
      [1, 'identifier-too-long'],
      [2, 'identifier-too-long'],
    ],
  );
});
