// `pgdba rollback <up-file> [--write]`: generates the down migration of an up migration (stdout, or its layout's down file).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parseArgs } from 'node:util';
import { discoverLayout, migrationForPath, type MigrationHit, type WorkspaceFiles, type WorkspaceLayout } from '../../core/migrations';
import { initParser, parseSql } from '../../core/parse/parse';
import { LineIndex } from '../../core/parse/lines';
import { catalogBefore, generateRollback, orderedUpsFromFiles, rollbackTarget } from '../../core/rollback';
import { nodeWorkspaceFiles } from '../../node/workspace-files';
import { writeRollback } from '../../node/write-rollback';

export interface CommandIo {
  stdout(s: string): void;
  stderr(s: string): void;
  cwd: string;
}

const USAGE = 'usage: pgdba rollback <up-file> [--write]';

/** The nearest folder (up to the project root) whose layout has a migration with this file as its up part. */
function findMigration(file: string): { root: string; files: WorkspaceFiles; layout: WorkspaceLayout; hit: MigrationHit } | string {
  let dir = dirname(file);
  for (let depth = 0; depth < 6; depth++) {
    const files = nodeWorkspaceFiles(dir);
    const layout = discoverLayout(files);
    const rel = relative(dir, file).split(sep).join('/');
    const hit = migrationForPath(layout, rel);
    if (hit) return { root: dir, files, layout, hit };
    if (existsSync(join(dir, 'pgdba.json')) || existsSync(join(dir, '.git')) || dirname(dir) === dir) break;
    dir = dirname(dir);
  }
  return `${file} is not part of a migration layout pgdba recognises (diesel, golang-migrate, sqlx, pop, dbmate, Flyway, sqitch)`;
}

export async function runRollback(argv: string[], io: CommandIo): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: { write: { type: 'boolean', default: false } } });
  if (positionals.length !== 1) {
    io.stderr(`pgdba rollback: ${USAGE}\n`);
    return 2;
  }
  const file = resolve(io.cwd, positionals[0]);
  if (!existsSync(file)) {
    io.stderr(`pgdba rollback: cannot read ${positionals[0]}\n`);
    return 2;
  }
  await initParser();
  const found = findMigration(file);
  if (typeof found === 'string') {
    io.stderr(`pgdba rollback: ${found}\n`);
    return 2;
  }
  const { root, layout, hit } = found;
  const m = hit.migration;
  if (hit.part !== 'up') {
    const shown = (p: string) => relative(io.cwd, join(root, ...p.split('/')));
    io.stderr(`pgdba rollback: ${positionals[0]} is the ${hit.part} part of ${shown(m.id)}; give the up migration (${shown(m.up.path)})\n`);
    return 2;
  }
  const text = readFileSync(file, 'utf8');
  // Every later read of a file sees the text first read, so `--write` can tell when the file changed underneath it.
  const seen = new Map<string, string | undefined>([[relative(root, file).split(sep).join('/'), text]]);
  const files: WorkspaceFiles = { list: () => found.files.list(), read: (p) => (seen.has(p) ? seen.get(p) : (seen.set(p, found.files.read(p)), seen.get(p))) };
  const parsed = parseSql(text);
  const before = catalogBefore(orderedUpsFromFiles(files, layout), m.id);
  const whole = hit.section.start === 0 && hit.section.end >= text.length;
  const rollback = generateRollback(parsed, before, {
    file: relative(io.cwd, file).split(sep).join('/'),
    section: whole ? undefined : { start: hit.section.start, end: Math.min(hit.section.end, text.length) },
  });
  const lines = new LineIndex(text);
  for (const w of rollback.warnings) {
    const p = lines.position(w.start);
    io.stderr(`${relative(io.cwd, file)}:${p.line + 1}:${p.character + 1}: ${w.irreversible ? 'irreversible' : 'check'}: ${w.message}\n`);
  }
  if (rollback.needsReview)
    io.stderr(
      `pgdba rollback: ${rollback.needsReview} step${rollback.needsReview === 1 ? '' : 's'} of the generated down need${rollback.needsReview === 1 ? 's' : ''} review (marked -- pgdba: needs review)\n`,
    );
  if (!values.write) {
    io.stdout(rollback.sql);
    return 0;
  }
  const target = rollbackTarget(m, files);
  if (!target.ok) {
    io.stderr(`pgdba rollback: cannot write a rollback: ${target.reason}\n`);
    return 2;
  }
  const out = join(root, ...target.path.split('/'));
  const shown = relative(io.cwd, out);
  const refuse = () => {
    const what = target.section ? `${shown} already has a non-empty -- migrate:down section` : `${shown} already exists`;
    io.stderr(`pgdba rollback: ${what}; pgdba never overwrites a rollback. Run without --write to print the generated one and compare.\n`);
    return 1;
  };
  if (target.exists) return refuse();
  const written = writeRollback({
    path: out,
    sql: rollback.sql,
    section: target.section,
    prefix: target.prefix,
    planned: target.section ? files.read(target.path) : undefined,
  });
  if (!written.ok && written.exists) return refuse();
  if (!written.ok) {
    io.stderr(`pgdba rollback: ${written.reason}\n`);
    return 2;
  }
  io.stderr(`pgdba rollback: wrote ${shown}${target.section ? ' (-- migrate:down section)' : ''}\n`);
  return 0;
}
