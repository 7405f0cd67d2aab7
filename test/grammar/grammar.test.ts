// Runs the TextMate grammar tests (test/grammar/*.test.sql) through the vscode-tmgrammar-test CLI, and proves a wrong assertion fails.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '..', '..');
const cli = require.resolve('vscode-tmgrammar-test/dist/unit.js');
// The grammar comes from our own config, not package.json, so the tests do not depend on `contributes`.
const config = join(__dirname, 'tmgrammar.json');

interface CliRun {
  code: number;
  output: string;
}

function runCli(pattern: string): Promise<CliRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, '--compact', '--config', config, pattern], { cwd: root }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: stdout + stderr });
    });
  });
}

const temps: string[] = [];
after(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function tempCase(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-grammar-'));
  temps.push(dir);
  const file = join(dir, 'case.test.sql');
  writeFileSync(file, text);
  return file;
}

describe('syntaxes/pgsql.tmLanguage.json', () => {
  test('every test/grammar/*.test.sql passes', async () => {
    const cases = readdirSync(__dirname).filter((f) => f.endsWith('.test.sql'));
    assert.ok(cases.length >= 5, 'the grammar test files are present');
    const r = await runCli('test/grammar/*.test.sql');
    assert.equal(r.code, 0, r.output);
    assert.equal(r.output.match(/run successfuly/g)?.length, cases.length, r.output);
  });

  test('a wrong scope assertion fails, so the run above cannot pass vacuously', async () => {
    const header = '-- SYNTAX TEST "source.pgsql" "harness check"\n';
    const right = tempCase(`${header}SELECT 'x';\n--     ^^^ string.quoted.single.pgsql\n`);
    const wrong = tempCase(`${header}SELECT 'x';\n--     ^^^ comment.line.double-dash.pgsql\n`);
    const excluded = tempCase(`${header}SELECT 'x';\n--     ^^^ - string.quoted.single.pgsql\n`);
    assert.equal((await runCli(right)).code, 0);
    const w = await runCli(wrong);
    assert.notEqual(w.code, 0);
    assert.match(w.output, /Missing required scopes: \[ comment\.line\.double-dash\.pgsql \]/);
    const e = await runCli(excluded);
    assert.notEqual(e.code, 0);
    assert.match(e.output, /Prohibited scopes: \[ string\.quoted\.single\.pgsql \]/);
  });
});
