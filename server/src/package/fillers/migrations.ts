// `package new --from <up files…>`: copies the chosen up migrations into `_migrations/` and their down parts into `_migrations/rollback/`.
import { readFileSync, statSync } from 'node:fs';
import { basename, join, relative, resolve, sep } from 'node:path';
import { discoverLayout, hasDbmateMarker, migrationForPath, sectionOf, type WorkspaceLayout } from '../../core/migrations';
import { resolveSection } from '../../core/migrations/types';
import { downFileCandidates, packagedNames } from '../../core/package/migration-pairs';
import { PackageError } from '../../core/package/naming';
import type { FillResult, FilledFile } from '../../core/package/plan';
import { initParser, parseSql } from '../../core/parse/parse';
import { nodeWorkspaceFiles } from '../../node/workspace-files';
import { workspaceRootOf } from '../../node/workspace-root';
import type { PackageFiller } from '../new-package';

const posix = (p: string) => p.split(sep).join('/');
const shown = (cwd: string, p: string) => posix(relative(cwd, p)) || '.';

function isFile(p: string): boolean {
  try {
    return statSync(p).isFile();
  } catch {
    return false;
  }
}

interface FoundDown {
  /** Where it came from, as Markdown for the spec. */
  source: string;
  content: string | Uint8Array;
  text: string;
}

type DownLookup = { down: FoundDown } | { missing: string };

/** The down part of an up migration: from layout discovery when it knows the file, else by file-name convention or dbmate markers. */
function findDown(abs: string, arg: string, cwd: string, layouts: Map<string, WorkspaceLayout>): DownLookup {
  const root = workspaceRootOf(abs);
  let layout = layouts.get(root);
  if (!layout) layouts.set(root, (layout = discoverLayout(nodeWorkspaceFiles(root))));
  const hit = migrationForPath(layout, posix(relative(root, abs)));
  if (hit && hit.part !== 'up') throw new PackageError(`--from ${arg} is the ${hit.part} part of migration ${hit.migration.id}: pass its up file`);
  if (hit?.migration.down) {
    const downAbs = join(root, hit.migration.down.path);
    const bytes = readFileSync(downAbs);
    const text = bytes.toString('utf8');
    const { start, end } = resolveSection(hit.migration.down, text);
    const whole = start === 0 && end === text.length;
    const source = `\`${shown(cwd, downAbs)}\`${whole ? '' : ' (its -- migrate:down section)'}`;
    return { down: { source, content: whole ? bytes : text.slice(start, end), text: text.slice(start, end) } };
  }
  if (hit && !hit.migration.downExpected) return { missing: `${arg}: ${hit.migration.layout} migrations have no down part; write a rollback by hand` };
  if (hit) return { missing: `no down migration found for ${arg}` };

  if (/(^|[._-])down\.sql$/i.test(basename(abs))) throw new PackageError(`--from ${arg} looks like a down migration: pass its up file`);
  const text = readFileSync(abs, 'utf8');
  if (hasDbmateMarker(text)) {
    const section = sectionOf(abs, text).down;
    if (!section) return { missing: `${arg} has no -- migrate:down section` };
    const body = text.slice(section.start, section.end);
    return { down: { source: `\`${shown(cwd, abs)}\` (its -- migrate:down section)`, content: body, text: body } };
  }
  for (const candidate of downFileCandidates(posix(abs))) {
    if (!isFile(candidate)) continue;
    const bytes = readFileSync(candidate);
    return { down: { source: `\`${shown(cwd, candidate)}\``, content: bytes, text: bytes.toString('utf8') } };
  }
  return { missing: `no down migration found for ${arg}` };
}

/** Facts worth a note about a migration's SQL: it does not parse, or it has no statement at all. */
function sqlNote(label: string, text: string): string | undefined {
  const parsed = parseSql(text);
  if (parsed.errors.length) return `${label} does not parse: ${parsed.errors[0].message}`;
  if (parsed.statements.length === 0) return `${label} is empty: it changes nothing`;
  return undefined;
}

/** `--from`: copies the chosen up migrations into `_migrations/` and their down parts into `_migrations/rollback/`. */
export const migrationsFiller: PackageFiller = {
  name: 'migrations',
  flags: ['from'],
  async fill(ctx) {
    const result: FillResult = { files: [], inputs: [], notes: [] };
    const from = ctx.flags.from ?? [];
    if (from.length === 0) return result;
    await initParser();
    const layouts = new Map<string, WorkspaceLayout>();
    for (const arg of from) {
      const abs = resolve(ctx.cwd, arg);
      if (!isFile(abs)) throw new PackageError(`--from ${arg}: no such file`);
      const up = readFileSync(abs);
      const names = packagedNames(posix(abs));
      const down = findDown(abs, arg, ctx.cwd, layouts);
      result.files.push({ section: 'migrations', name: names.up, content: up });
      result.inputs.push(`\`${shown(ctx.cwd, abs)}\` → \`${ctx.layout.folders.migrations}/${names.up}\``);
      const upNote = sqlNote(arg, up.toString('utf8'));
      if (upNote) result.notes.push({ about: 'migrations', text: upNote });
      if ('missing' in down) {
        result.notes.push({ about: 'rollback', text: down.missing });
        continue;
      }
      const file: FilledFile = { section: 'migrations', name: `rollback/${names.down}`, content: down.down.content };
      result.files.push(file);
      result.inputs.push(`${down.down.source} → \`${ctx.layout.rollback}/${names.down}\``);
      const downNote = sqlNote(`the rollback of ${arg}`, down.down.text);
      if (downNote) result.notes.push({ about: 'rollback', text: downNote });
    }
    return result;
  },
};
