// Builds the VSIX: production bundles (esbuild.mjs --production), then @vscode/vsce with .vscodeignore as the allow-list.
// Usage: node scripts/package.mjs [--out FILE] [--no-build]   (prints the VSIX path and size)
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const root = new URL('..', import.meta.url).pathname;
const { values } = parseArgs({ options: { out: { type: 'string' }, 'no-build': { type: 'boolean', default: false } } });
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const out = resolve(values.out ?? join(root, `${pkg.name}-${pkg.version}.vsix`));

function run(cmd, args) {
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

if (!values['no-build']) {
  run(process.execPath, ['esbuild.mjs', '--production']);
  // A production build writes no source maps; drop the ones a development build left behind.
  for (const name of readdirSync(join(root, 'dist'))) if (name.endsWith('.map')) rmSync(join(root, 'dist', name));
}

// Relative links stay relative: the README's screenshots ship inside the VSIX (docs/images) and there is no public
// repository URL to rewrite them against yet. Dependencies are detected with npm so that the PGlite files the
// allow-list names (node_modules/@electric-sql/pglite) can be packed; everything else in node_modules stays out.
run(process.execPath, [
  join(root, 'node_modules/@vscode/vsce/vsce'),
  'package',
  '--no-rewrite-relative-links',
  '--allow-missing-repository',
  '--no-yarn',
  '--out',
  out,
]);
console.log(`${out} ${(statSync(out).size / 1024 / 1024).toFixed(1)} MB`);
