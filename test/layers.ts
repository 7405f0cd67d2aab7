// The layer allow-list: what each part of the code may import, checked on the TypeScript AST of every source file.
import { builtinModules } from 'node:module';
import { dirname, join } from 'node:path';
import ts from 'typescript';
import spec from './layers.json';

export type Layer = 'core' | 'node' | 'engine' | 'rehearse' | 'package' | 'lsp' | 'cli' | 'client';

/** What a layer may import: its own files, other layers and packages (`node:` admits every node:* module). */
interface Allowance {
  layers: Layer[];
  packages: string[];
  /** `require(…)` and `import(…)`: only where a module must be resolved at run time (PGlite's contrib modules). */
  runtimeLoads?: boolean;
}

// One allow-list, in JSON so that eslint.config.mjs reads it too. Why each layer may import what it does:
// core is pure analysis (no node:*, database, editor, nothing loaded at run time); node is the one node layer (files,
// ignore rules, git, config discovery); engine alone talks to databases; the language server never imports the CLI;
// the client never imports the server except the shared protocol module.
export const ALLOWED = spec.layers as Record<Layer, Allowance>;

/** The one bridge between client and server: client/src/protocol.ts re-exports server/src/lsp/protocol.ts. */
export const PROTOCOL = spec.protocol;

/** `file → target layer` imports tolerated until their issue lands (see layers.json). */
export const KNOWN_EXCEPTIONS: readonly string[] = Object.entries(spec.knownExceptions).flatMap(([file, layers]) =>
  Array.isArray(layers) ? layers.map((l) => `${file} → ${l}`) : [],
);

export interface SourceFile {
  /** Path relative to the repository root, with forward slashes. */
  path: string;
  text: string;
}

export function layerOf(path: string): Layer | undefined {
  const server = /^server\/src\/(core|node|engine|rehearse|package|lsp|cli)\//.exec(path);
  if (server) return server[1] as Layer;
  return path.startsWith('client/src/') ? 'client' : undefined;
}

/** Test code is not shipped and may reach across layers; test helpers live in server/src/testing. */
export function isTestCode(path: string): boolean {
  return path.endsWith('.test.ts') || path.startsWith('server/src/testing/');
}

interface ImportSite {
  specifier: string;
  kind: 'import' | 'require' | 'dynamic-import' | 'require.resolve';
  line: number;
}

/** Every module a file names: import/export … from, import x = require(), require(), import() and require.resolve(). */
export function importsOf(file: SourceFile): ImportSite[] {
  const sf = ts.createSourceFile(file.path, file.text, ts.ScriptTarget.Latest, true);
  const out: ImportSite[] = [];
  const add = (node: ts.Node, kind: ImportSite['kind'], arg: ts.Node | undefined) => {
    const specifier = arg && ts.isStringLiteralLike(arg) ? arg.text : '<computed>';
    out.push({ specifier, kind, line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) add(node, 'import', node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) add(node, 'require', node.moduleReference.expression);
    else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword) add(node, 'dynamic-import', node.arguments[0]);
      else if (ts.isIdentifier(callee) && callee.text === 'require') add(node, 'require', node.arguments[0]);
      else if (
        ts.isPropertyAccessExpression(callee) &&
        ts.isIdentifier(callee.expression) &&
        callee.expression.text === 'require' &&
        callee.name.text === 'resolve'
      )
        add(node, 'require.resolve', node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** `pg` for `pg`, `@electric-sql/pglite` for `@electric-sql/pglite/contrib/ltree`, `node:` for `node:fs` or `fs`. */
function packageOf(specifier: string): string {
  if (specifier.startsWith('node:') || builtinModules.includes(specifier.split('/')[0])) return 'node:';
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The layer violations in `files`, one line each: `path:line: what`. */
export function checkLayers(files: readonly SourceFile[]): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const layer = layerOf(file.path);
    if (!layer || isTestCode(file.path)) continue;
    const allowed = ALLOWED[layer];
    for (const site of importsOf(file)) {
      const where = `${file.path}:${site.line}`;
      if ((site.kind === 'require' || site.kind === 'dynamic-import') && !allowed.runtimeLoads) {
        problems.push(`${where}: ${site.kind === 'require' ? 'require()' : 'import()'} of ${site.specifier} in ${layer} (static imports only)`);
        continue;
      }
      if (site.specifier === '<computed>') {
        problems.push(`${where}: a computed module name in ${layer}`);
        continue;
      }
      if (site.specifier.startsWith('.')) {
        const target = join(dirname(file.path), site.specifier);
        if (`${target}/`.startsWith('server/src/testing/')) {
          problems.push(`${where}: imports the test helpers (server/src/testing) outside a test`);
          continue;
        }
        const targetLayer = layerOf(`${target}/`); // a folder's index.ts, or a file
        if (!targetLayer) {
          problems.push(`${where}: imports ${site.specifier}, outside every layer`);
          continue;
        }
        if (layer === 'client' && targetLayer !== 'client') {
          const bridge = file.path === PROTOCOL.client && `${target}.ts` === PROTOCOL.server;
          if (!bridge) problems.push(`${where}: the client imports ${target} (only ${PROTOCOL.client} may, and only ${PROTOCOL.server})`);
          continue;
        }
        if (!allowed.layers.includes(targetLayer) && !KNOWN_EXCEPTIONS.includes(`${file.path} → ${targetLayer}`))
          problems.push(`${where}: ${layer} imports ${targetLayer} (${site.specifier})`);
        continue;
      }
      const pkg = packageOf(site.specifier);
      if (file.path === PROTOCOL.server && !PROTOCOL.packages.includes(pkg)) {
        problems.push(`${where}: the shared protocol module imports ${site.specifier} (the client bundles it: only ${PROTOCOL.packages.join(', ')})`);
        continue;
      }
      if (!allowed.packages.includes(pkg)) problems.push(`${where}: ${layer} imports ${site.specifier}`);
    }
  }
  return problems;
}
