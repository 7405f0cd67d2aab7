// ESLint (typescript-eslint): the recommended checks, and the layer allow-list of test/layers.json as no-restricted-imports.
import { readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const spec = JSON.parse(readFileSync(new URL('./test/layers.json', import.meta.url), 'utf8'));
const LAYERS = Object.keys(spec.layers);
const DIRS = { client: 'client/src' };
const dirOf = (layer) => DIRS[layer] ?? `server/src/${layer}`;
const escape = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/**
 * no-restricted-imports for one layer: relative imports into layers it may not use, and packages it may not use.
 * (test/architecture.test.ts resolves every path exactly; this is the same list, where the editor shows it.)
 */
function layerRestrictions(layer, extraLayers = []) {
  const allowed = spec.layers[layer];
  const foreign = LAYERS.filter((l) => l !== 'client' && !allowed.layers.includes(l) && !extraLayers.includes(l));
  const packages = allowed.packages.filter((p) => p !== 'node:');
  const builtins = allowed.packages.includes('node:') ? ['node:', ...builtinModules.map((m) => `${m}(/|$)`)] : [];
  const patterns = [
    {
      // A bare specifier that is neither an allowed package (or its subpath) nor, where allowed, a node built-in.
      regex: `^(?![.])(?!(${[...packages.map((p) => `${escape(p)}(/|$)`), ...builtins].join('|') || '$^'}))`,
      message: `${layer} may import only these packages: ${allowed.packages.join(', ')} (test/layers.json).`,
    },
  ];
  if (foreign.length) {
    patterns.push({ regex: `^(\\.\\./)+(${foreign.join('|')})(/|$)`, message: `${layer} may import only: ${allowed.layers.join(', ')} (test/layers.json).` });
  }
  if (layer === 'client') patterns.push({ regex: '^(\\.\\./)+server/', message: `The client imports the server only through ${spec.protocol.client}.` });
  return ['error', { patterns }];
}

const noRuntimeLoads = [
  'error',
  { selector: "CallExpression[callee.name='require']", message: 'Static imports only: require() is for the engine layer (test/layers.json).' },
  { selector: 'ImportExpression', message: 'Static imports only: import() is for the engine layer (test/layers.json).' },
];

const tsFiles = ['**/*.ts'];
const tests = ['**/*.test.ts', 'server/src/testing/**'];

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'out/**',
      'node_modules/**',
      '.vscode-test/**',
      'test-results/**',
      'bench/peers/**',
      'bench/results/**',
      '**/*.js',
      '**/*.mjs',
      '**/*.cjs',
    ],
  },
  { files: tsFiles, extends: [js.configs.recommended, ...tseslint.configs.recommended] },
  {
    files: tsFiles,
    rules: {
      // TypeScript checks undefined names (with @types/node and @types/vscode), better than ESLint can.
      'no-undef': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      // Non-null assertions are used where a preceding check guarantees the value; tsc --strict is the guard.
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  ...LAYERS.map((layer) => ({
    files: [`${dirOf(layer)}/**/*.ts`],
    ignores: tests,
    rules: {
      'no-restricted-imports': layerRestrictions(layer),
      ...(spec.layers[layer].runtimeLoads ? { '@typescript-eslint/no-require-imports': 'off' } : { 'no-restricted-syntax': noRuntimeLoads }),
    },
  })),
  // The shared protocol module is bundled into the client: it imports the protocol package alone.
  {
    files: [spec.protocol.server],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: `^(?!(${spec.protocol.packages.map(escape).join('|')})$)`,
              message: 'The shared protocol module imports vscode-languageserver-protocol only (the client bundles it).',
            },
          ],
        },
      ],
    },
  },
  { files: [spec.protocol.client], rules: { 'no-restricted-imports': 'off' } },
  ...Object.entries(spec.knownExceptions)
    .filter(([file]) => !file.startsWith('//'))
    .map(([file, layers]) => ({ files: [file], rules: { 'no-restricted-imports': layerRestrictions(file.split('/')[2], layers) } })),
  // Tests and test helpers may reach across layers, load modules at run time and use require.resolve paths.
  { files: tests, rules: { '@typescript-eslint/no-require-imports': 'off' } },
);
