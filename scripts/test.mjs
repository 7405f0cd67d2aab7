// Runs the whole test suite with Node's built-in runner (TypeScript through tsx): every *.test.ts under server/, client/ and test/.
// --unit skips the suites that need a database server, code-server or a browser (test/pg, test/e2e).
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const unit = process.argv.includes('--unit');
const only = process.argv.slice(2).filter((a) => !a.startsWith('--'));

function find(dir, out = []) {
  for (const name of readdirSync(dir)) {
    if (name === 'node_modules' || name.startsWith('.')) continue;
    const p = join(dir, name);
    if (statSync(p).isDirectory()) find(p, out);
    else if (name.endsWith('.test.ts')) out.push(relative(root, p));
  }
  return out;
}

let files = ['server', 'client', 'test'].flatMap((d) => {
  try {
    return find(join(root, d));
  } catch {
    return [];
  }
});
if (unit) files = files.filter((f) => !/^test\/(pg|e2e)\//.test(f));
if (only.length) files = files.filter((f) => only.some((o) => f.includes(o)));
if (files.length === 0) {
  // Node's runner given no files would run its own discovery instead: a mistyped filter must not pass.
  console.error(`scripts/test.mjs: no test file matches ${only.map((o) => JSON.stringify(o)).join(', ') || '(none found)'}`);
  process.exit(2);
}
files.sort();
const env = { ...process.env, NODE_OPTIONS: '' };
// The packaging test and the E2E suite test the same VSIX: pack it once, before any test runs, so the production
// build that rewrites dist/ never races a test reading it.
if (!env.PGDBA_VSIX && !env.PGDBA_E2E_VSIX && files.some((f) => /^test\/(vsix|e2e)\//.test(f))) {
  mkdirSync(join(root, '.vscode-test'), { recursive: true });
  env.PGDBA_VSIX = join(root, '.vscode-test', 'pgdba-test.vsix');
  const pack = spawnSync(process.execPath, [join(root, 'scripts', 'package.mjs'), '--out', env.PGDBA_VSIX], { cwd: root, stdio: 'inherit' });
  if (pack.status !== 0) process.exit(pack.status ?? 1);
}
const args = ['--import', 'tsx', '--test', '--test-concurrency=2', ...(process.env.CI ? ['--test-reporter=spec'] : []), ...files];
const r = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit', env });
process.exit(r.status ?? 1);
