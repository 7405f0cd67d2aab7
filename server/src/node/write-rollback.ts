// Writes a generated rollback where its layout wants it without ever losing what someone else wrote meanwhile: a new
// down file is created exclusively ('wx'), and a file rewritten in place (dbmate's down section) is re-read and compared
// with the text the rollback was planned on, then replaced atomically (write a temp file, rename it over).
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { randomBytes } from 'node:crypto';

export interface RollbackWrite {
  /** Absolute path of the file to create or rewrite. */
  path: string;
  sql: string;
  /** dbmate: where the down section starts in `planned`, and the marker to write first when there is none yet. */
  section?: { start: number };
  prefix?: string;
  /** The file's text when the rollback was planned (dbmate); a different text on disk now means someone wrote to it. */
  planned?: string;
}

export type RollbackWriteResult = { ok: true } | { ok: false; exists: true } | { ok: false; exists: false; reason: string };

export function writeRollback(w: RollbackWrite): RollbackWriteResult {
  if (!w.section) {
    mkdirSync(dirname(w.path), { recursive: true });
    try {
      writeFileSync(w.path, w.sql, { flag: 'wx' });
    } catch (e) {
      // A down file that appeared since the layout was read: the same answer as one that was there all along.
      if ((e as NodeJS.ErrnoException).code === 'EEXIST') return { ok: false, exists: true };
      throw e;
    }
    return { ok: true };
  }
  let current: string;
  try {
    current = readFileSync(w.path, 'utf8');
  } catch (e) {
    return { ok: false, exists: false, reason: `cannot read ${w.path} again: ${(e as NodeJS.ErrnoException).code ?? String(e)}` };
  }
  // Changed since planning (a down section written meanwhile, or any other edit): writing now would lose it.
  if (w.planned !== undefined && current !== w.planned) return { ok: false, exists: true };
  const at = w.section.start;
  const temp = join(dirname(w.path), `.${basename(w.path)}.pgdba-${randomBytes(4).toString('hex')}`);
  try {
    writeFileSync(temp, current.slice(0, at) + (w.prefix ?? '') + w.sql + current.slice(at), { flag: 'wx' });
    renameSync(temp, w.path);
  } finally {
    rmSync(temp, { force: true });
  }
  return { ok: true };
}
