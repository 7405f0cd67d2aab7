// House rules checked by tests: a pure core, a complete sorted rule registry, generated files up to date.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { rules } from '../server/src/core/rules';

const root = join(__dirname, '..');
const coreDir = join(root, 'server', 'src', 'core');
const rulesDir = join(coreDir, 'rules');

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

describe('architecture', () => {
  test('the analysis core imports nothing from vscode, LSP, pg, PGlite, fs or process', () => {
    const forbidden = /from\s+['"](vscode|vscode-languageserver[^'"]*|vscode-languageclient[^'"]*|pg|@electric-sql\/pglite[^'"]*|(node:)?fs|(node:)?fs\/promises|(node:)?child_process|(node:)?process)['"]/;
    const offenders = files(coreDir)
      .filter((f) => !f.endsWith('.test.ts') && !f.includes(`${join('core', 'testing')}`))
      .filter((f) => forbidden.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f));
    assert.deepEqual(offenders, []);
  });

  test('the language server and the shared layers never import the CLI (features are typed functions the CLI formats)', () => {
    const src = join(root, 'server', 'src');
    const importsCli = /from\s+['"](\.\.\/)+cli(\/[^'"]*)?['"]/;
    const offenders = ['lsp', 'node', 'engine', 'rehearse', 'package', 'core']
      .flatMap((d) => files(join(src, d)))
      .filter((f) => importsCli.test(readFileSync(f, 'utf8')))
      .map((f) => relative(root, f));
    assert.deepEqual(offenders, []);
    assert.ok(importsCli.test("import { runPackage } from '../cli/commands/package';"), 'the check itself catches a CLI import');
  });

  test('the forbidden-import check itself catches an fs import', () => {
    const forbidden = /from\s+['"](vscode|(node:)?fs)['"]/;
    assert.ok(forbidden.test("import { readFileSync } from 'node:fs';"));
  });

  test('every rule file is registered once, ids match file names, and the registry is sorted', () => {
    const ruleFiles = readdirSync(rulesDir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts' && f !== 'rule.ts')
      .map((f) => f.slice(0, -3))
      .sort();
    assert.deepEqual(rules.map((r) => r.id), ruleFiles);
    assert.equal(new Set(rules.map((r) => r.id)).size, rules.length);
  });

  test('every rule has a test file that runs its docs examples, and uses each of its messages', () => {
    for (const r of rules) {
      const testFile = join(rulesDir, `${r.id}.test.ts`);
      const testText = readFileSync(testFile, 'utf8');
      assert.match(testText, /checkDocsExamples\(/, `${r.id}.test.ts must run checkDocsExamples`);
      const source = readFileSync(join(rulesDir, `${r.id}.ts`), 'utf8');
      for (const id of Object.keys(r.messages)) {
        assert.ok(source.includes(`'${id}'`) || source.includes(`"${id}"`) || source.includes(`messageId: ${id}`) || new RegExp(`\\b${id}\\b`).test(source.slice(source.indexOf('check'))), `${r.id}: message "${id}" is never reported`);
      }
      assert.ok(r.check || r.checkStatement, `${r.id} has no check`);
      assert.ok(r.docs.help.trim().length > 0 && r.docs.summary.trim().length > 0, `${r.id} needs a summary and help`);
    }
  });

  test('generated files are up to date (rule index, rule docs, settings contribution, config schema)', () => {
    const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, stdio: 'pipe' });
    run(['scripts/gen-rule-index.mjs', '--check']);
    run(['--import', 'tsx', 'scripts/gen-docs.ts', '--check']);
    run(['--import', 'tsx', 'scripts/gen-manifest.ts', '--check']);
  });
});
