// Bundles the VS Code client, the language server and the CLI with esbuild; copies the WASM files next to them.
import * as esbuild from 'esbuild';
import { copyFileSync, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');
const pkg = JSON.parse(readFileSync(new URL('./package.json', import.meta.url), 'utf8'));

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  // jsonc-parser's UMD build (its "main") requires its own files at run time, which a bundle does not hold: take ESM builds first.
  mainFields: ['module', 'main'],
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  define: { PGDBA_VERSION: JSON.stringify(pkg.version) },
  // vscode is provided by the editor; pg-native is an optional pg backend we never use.
  // tsx is only used in development, to run the .ts worker.
  // PGlite finds its .wasm/.data and contrib bundles next to its own modules (import.meta.url), so it stays external.
  external: ['vscode', 'pg-native', '@electric-sql/pglite', '@electric-sql/pglite/*', 'tsx', 'tsx/*'],
};

/**
 * Leaves `import('./commands-bundle.js')`, `import('./check-bundle.js')` and `import('./baseline.js')` to run time, as
 * dist/cli-commands.js, dist/cli-check.js and dist/cli-baseline.js.
 */
const commandsApart = {
  name: 'commands-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\/commands-bundle(\.js)?$/ }, () => ({ path: './cli-commands.js', external: true }));
    build.onResolve({ filter: /^\.\/check-bundle(\.js)?$/ }, () => ({ path: './cli-check.js', external: true }));
    build.onResolve({ filter: /^\.\/baseline\.js$/ }, () => ({ path: './cli-baseline.js', external: true }));
  },
};

// The CLI starts once per run: its bundles drop whitespace and simplify syntax even in development builds (about 20 ms
// less to read and compile the 2.5 MB analysis bundle), and keep their identifiers, so stack traces still name functions.
const cliMinify = production ? {} : { minifyWhitespace: true, minifySyntax: true };

const builds = [
  { entryPoints: ['client/src/extension.ts'], outfile: 'dist/client.js' },
  { entryPoints: ['server/src/lsp/main.ts'], outfile: 'dist/server.js' },
  // The CLI in two bundles: cli.js parses arguments and replays cached findings; cli-commands.js (the analysis, the
  // parser and every command) is required only when a command needs it. Its `import()` becomes `require()`: Node's
  // ESM loader would scan the 3 MB bundle for its module format and exports first (about 0.2 s of every run).
  { entryPoints: ['server/src/cli/main.ts'], outfile: 'dist/cli.js', plugins: [commandsApart], supported: { 'dynamic-import': false }, ...cliMinify },
  { entryPoints: ['server/src/cli/commands-bundle.ts'], outfile: 'dist/cli-commands.js', ...cliMinify },
  // `pgdba check` alone (the common CI command): the analysis without the other commands' modules (the pg client and
  // PGlite's engine among them), about 0.1 s less to load.
  { entryPoints: ['server/src/cli/check-bundle.ts'], outfile: 'dist/cli-check.js', ...cliMinify },
  { entryPoints: ['server/src/cli/baseline.ts'], outfile: 'dist/cli-baseline.js', ...cliMinify },
  // PGlite runs in a worker thread so a runaway query can be stopped (it ignores statement_timeout).
  { entryPoints: ['server/src/engine/pglite-worker.ts'], outfile: 'dist/pglite-worker.js' },
];

mkdirSync('dist', { recursive: true });
// libpg-query locates its .wasm next to the script that loads it, which is the bundle in dist/.
copyFileSync(require.resolve('libpg-query/wasm/libpg-query.wasm'), join('dist', 'libpg-query.wasm'));

// A missing entry point is an error, not a bundle quietly left out of the VSIX.
const missing = builds.map((b) => b.entryPoints[0]).filter((p) => !existsSync(p));
if (missing.length) {
  console.error(`esbuild.mjs: missing entry point(s): ${missing.join(', ')}`);
  process.exit(1);
}
if (watch) {
  for (const b of builds) await (await esbuild.context({ ...common, ...b })).watch();
} else {
  await Promise.all(builds.map((b) => esbuild.build({ ...common, ...b })));
}
