// House rules checked by tests: the layer allow-list, a complete sorted rule registry, every message reported, generated files up to date.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { rules } from '../server/src/core/rules';
import { checkLayers, PROTOCOL, type SourceFile } from './layers';

const root = join(__dirname, '..');
const rulesDir = join(root, 'server', 'src', 'core', 'rules');

function withoutTestContext(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const { NODE_TEST_CONTEXT: _, ...rest } = env;
  return rest;
}

function files(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) files(p, out);
    else if (name.endsWith('.ts')) out.push(p);
  }
  return out;
}

describe('architecture', () => {
  test('every layer imports only what its allow-list admits (test/layers.ts)', () => {
    const sources = ['server/src', 'client/src']
      .flatMap((d) => files(join(root, d)))
      .map((p) => ({ path: relative(root, p).split(sep).join('/'), text: readFileSync(p, 'utf8') }));
    assert.ok(sources.length > 100, 'the check sees the source tree');
    assert.deepEqual(checkLayers(sources), []);
  });

  test('the layer check catches each kind of violation, and passes the allowed imports', () => {
    const cases: [SourceFile, RegExp][] = [
      [{ path: 'server/src/core/a.ts', text: "import { readFileSync } from 'node:fs';" }, /core imports node:fs/],
      [{ path: 'server/src/core/a.ts', text: "import * as fs from 'fs';" }, /core imports fs/],
      [{ path: 'server/src/core/a.ts', text: "const x = require('zod');" }, /require\(\) of zod in core/],
      [{ path: 'server/src/core/a.ts', text: "const x = await import('zod');" }, /import\(\) of zod in core/],
      [{ path: 'server/src/core/a.ts', text: "import { Engine } from '../engine/types';" }, /core imports engine/],
      [{ path: 'server/src/lsp/a.ts', text: "import { Client } from 'pg';" }, /lsp imports pg/],
      [{ path: 'server/src/rehearse/a.ts', text: "import { PGlite } from '@electric-sql/pglite';" }, /rehearse imports @electric-sql\/pglite/],
      [{ path: 'server/src/lsp/a.ts', text: "import { runCheck } from '../cli/check';" }, /lsp imports cli/],
      [{ path: 'client/src/a.ts', text: "import { rules } from '../../server/src/core/rules';" }, /the client imports server\/src\/core\/rules/],
      [{ path: 'client/src/a.ts', text: "export * from '../../server/src/lsp/protocol';" }, /the client imports server\/src\/lsp\/protocol/],
      [
        { path: 'server/src/lsp/protocol.ts', text: "import { RequestType } from 'vscode-languageserver';" },
        /shared protocol module imports vscode-languageserver/,
      ],
      [{ path: 'server/src/engine/a.ts', text: "import { rule } from '../testing/rule-test';" }, /test helpers/],
    ];
    for (const [file, expected] of cases) {
      const problems = checkLayers([file]);
      assert.equal(problems.length, 1, `${file.text} → ${problems.join('; ')}`);
      assert.match(problems[0], expected);
    }
    const allowed: SourceFile[] = [
      { path: 'server/src/core/a.ts', text: "import { z } from 'zod';\nimport type { Rule } from './rules/rule';" },
      { path: 'server/src/engine/a.ts', text: "import pg from 'pg';\nconst m = require('@electric-sql/pglite/contrib/ltree');" },
      { path: 'server/src/lsp/a.ts', text: "import { createConnection } from 'vscode-languageserver/node';\nimport { x } from '../node/config-files';" },
      { path: PROTOCOL.client, text: "export * from '../../server/src/lsp/protocol';" },
      { path: PROTOCOL.server, text: "import { RequestType } from 'vscode-languageserver-protocol';" },
      { path: 'server/src/core/a.test.ts', text: "import { readFileSync } from 'node:fs';" },
    ];
    assert.deepEqual(checkLayers(allowed), []);
  });

  test('every rule file is registered once, ids match file names, and the registry is sorted', () => {
    const ruleFiles = readdirSync(rulesDir)
      .filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'index.ts' && f !== 'rule.ts')
      .map((f) => f.slice(0, -3))
      .sort();
    assert.deepEqual(
      rules.map((r) => r.id),
      ruleFiles,
    );
    assert.equal(new Set(rules.map((r) => r.id)).size, rules.length);
  });

  test('every rule has a test file that runs its docs examples, a check, a summary and help', () => {
    for (const r of rules) {
      const testText = readFileSync(join(rulesDir, `${r.id}.test.ts`), 'utf8');
      assert.match(testText, /checkDocsExamples\(/, `${r.id}.test.ts must run checkDocsExamples`);
      assert.ok(r.check || r.checkStatement, `${r.id} has no check`);
      assert.ok(r.docs.help.trim().length > 0 && r.docs.summary.trim().length > 0, `${r.id} needs a summary and help`);
    }
  });

  test('every message id of every rule is reported by some rule test', { timeout: 900_000 }, () => {
    // The rule tests run again with PGDBA_REPORTED_IDS: the helpers in server/src/testing record each report's message id.
    const dir = mkdtempSync(join(tmpdir(), 'pgdba-message-ids-'));
    try {
      const tests = readdirSync(rulesDir)
        .filter((f) => f.endsWith('.test.ts'))
        .map((f) => join(rulesDir, f));
      execFileSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=dot', ...tests], {
        cwd: root,
        stdio: 'pipe',
        // Without NODE_TEST_CONTEXT: the runner sets it in the files it runs, and a nested run would report to us in its protocol.
        env: { ...withoutTestContext(process.env), NODE_OPTIONS: '', PGDBA_REPORTED_IDS: dir },
      });
      const reported = new Set(readdirSync(dir).flatMap((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as string[]));
      const declared = rules.flatMap((r) => Object.keys(r.messages).map((id) => `${r.id}:${id}`));
      assert.ok(declared.length > 0 && reported.size > 0);
      assert.deepEqual(
        declared.filter((id) => !reported.has(id)),
        [],
        'messages no rule test reports',
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('generated files are up to date (rule index, rule docs, settings contribution, config schema)', () => {
    const run = (args: string[]) => execFileSync(process.execPath, args, { cwd: root, stdio: 'pipe' });
    run(['scripts/gen-rule-index.mjs', '--check']);
    run(['--import', 'tsx', 'scripts/gen-docs.ts', '--check']);
    run(['--import', 'tsx', 'scripts/gen-manifest.ts', '--check']);
  });
});
