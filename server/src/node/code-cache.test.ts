// requireWithCodeCache: a bundle loads the same with or without kept code; the code is kept, used by the next process,
// replaced when the bundle changes, and a corrupt file is only a cache miss.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

test('kept compiled code is used by the next process, and a changed or corrupt one is only a miss', () => {
  const root = mkdtempSync(join(tmpdir(), 'pgdba-code-cache-'));
  dirs.push(root);
  const bundle = join(root, 'bundle.js');
  const cacheDir = join(root, 'cache');
  const write = (answer: number) =>
    writeFileSync(
      bundle,
      `"use strict";const { join } = require('node:path');
exports.run = (n) => n + ${answer};
exports.where = join(__dirname, 'x') === ${JSON.stringify(join(root, 'x'))} && module.filename === __filename;`,
    );
  const probe = join(root, 'probe.ts');
  writeFileSync(
    probe,
    `import { requireWithCodeCache } from ${JSON.stringify(join(__dirname, 'code-cache'))};
const loaded = requireWithCodeCache<{ run(n: number): number; where: boolean }>(${JSON.stringify(bundle)}, ${JSON.stringify(cacheDir)});
const result = loaded.exports.run(1);
loaded.save();
console.log(JSON.stringify({ usedCache: loaded.usedCache, result, where: loaded.exports.where }));
`,
  );
  const run = () => {
    const r = spawnSync(process.execPath, ['--import', 'tsx', probe], { encoding: 'utf8', cwd: join(__dirname, '..', '..', '..') });
    assert.equal(r.status, 0, r.stderr);
    return JSON.parse(r.stdout) as { usedCache: boolean; result: number; where: boolean };
  };
  const kept = () => readdirSync(cacheDir).filter((f) => f.startsWith('code-'));

  write(1);
  assert.deepEqual(run(), { usedCache: false, result: 2, where: true });
  assert.equal(kept().length, 1);
  assert.deepEqual(run(), { usedCache: true, result: 2, where: true }, 'the next process uses the kept code');

  write(41);
  assert.deepEqual(run(), { usedCache: false, result: 42, where: true }, 'a changed bundle is compiled afresh');
  assert.equal(kept().length, 1, "the old bundle's code is removed");

  writeFileSync(join(cacheDir, kept()[0]), 'not compiled code');
  assert.deepEqual(run(), { usedCache: false, result: 42, where: true }, 'a corrupt file is a miss');
  assert.deepEqual(run(), { usedCache: true, result: 42, where: true }, 'and is written again');
});
