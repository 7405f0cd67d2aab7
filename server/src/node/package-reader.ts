// Reads a DBA package's files for seal and verify without ever following a link: lstat on every path component,
// O_NOFOLLOW|O_NONBLOCK opens, regular files only, and a size cap, so a package cannot smuggle in /etc or /dev/zero.
import { createHash } from 'node:crypto';
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readlinkSync, readSync, type Stats } from 'node:fs';
import { resolve, sep } from 'node:path';
import type { PackageReader, ReadRefusal } from '../core/package/verify';

/** 256 MiB: far above any spec, migration or plan, far below what would stall a seal. */
export const DEFAULT_MAX_FILE_BYTES = 256 * 1024 * 1024;

export interface PackageReaderOptions {
  /** Files larger than this are refused (default DEFAULT_MAX_FILE_BYTES). */
  maxFileBytes?: number;
}

const mib = (n: number) => (n >= 1024 * 1024 ? `${(n / (1024 * 1024)).toFixed(1)} MiB` : `${n} bytes`);

function kindOf(st: Stats): string | undefined {
  if (st.isFile()) return undefined;
  if (st.isDirectory()) return 'a folder';
  if (st.isFIFO()) return 'a FIFO (named pipe)';
  if (st.isCharacterDevice() || st.isBlockDevice()) return 'a device';
  if (st.isSocket()) return 'a socket';
  return 'not a regular file';
}

function linkRefusal(full: string, shownPath: string): ReadRefusal {
  let target: string;
  try {
    target = ` to ${readlinkSync(full)}`;
  } catch {
    target = '';
  }
  return { refused: `${shownPath} is a symbolic link${target}: pgdba never follows links in a package (copy the file in instead)` };
}

/** PackageReader over the folder that holds the manifest. */
export function nodePackageReader(rootDir: string, options: PackageReaderOptions = {}): PackageReader {
  const root = resolve(rootDir);
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  /** The first component of `rel` (below the root) that is a link or not a folder where one is needed. */
  const walkTo = (rel: string): { full: string; stat?: Stats; refusal?: ReadRefusal } => {
    const parts = rel.split('/').filter(Boolean);
    let full = root;
    let stat: Stats | undefined;
    for (let i = 0; i < parts.length; i++) {
      full = `${full}${sep}${parts[i]}`;
      const shownPath = parts.slice(0, i + 1).join('/');
      try {
        stat = lstatSync(full);
      } catch {
        return { full };
      }
      if (stat.isSymbolicLink()) return { full, refusal: linkRefusal(full, shownPath) };
      if (i < parts.length - 1 && !stat.isDirectory()) return { full };
    }
    return { full, stat };
  };

  return {
    async list(dir, { recursive }) {
      const out: string[] = [];
      const start = walkTo(dir);
      // A section folder that is itself a link is reported as one entry (hash refuses it), never walked.
      if (start.refusal) return [dir];
      if (!start.stat?.isDirectory() && dir) return start.stat ? [dir] : [];
      const walk = (rel: string, full: string) => {
        let entries;
        try {
          entries = readdirSync(full, { withFileTypes: true });
        } catch {
          return; // Unreadable folder: nothing listed (verify then reports listed files in it as missing).
        }
        for (const e of entries) {
          const child = rel ? `${rel}/${e.name}` : e.name;
          // Dirent types come from lstat semantics: a linked folder is a symbolic link here, so it is listed, not walked.
          if (e.isDirectory()) {
            if (recursive) walk(child, `${full}${sep}${e.name}`);
          } else out.push(child);
        }
      };
      walk(dir, start.full);
      return out.sort();
    },
    async hash(path) {
      const at = walkTo(path);
      if (at.refusal) return at.refusal;
      if (!at.stat) return undefined;
      const kind = kindOf(at.stat);
      if (kind) return { refused: `${path} is ${kind}: a package holds regular files only` };
      if (at.stat.size > maxBytes) return { refused: `${path} is ${mib(at.stat.size)}, over the ${mib(maxBytes)} limit for a package file` };
      let fd: number;
      try {
        // O_NOFOLLOW: a file swapped for a link after the lstat still fails; O_NONBLOCK: a swapped-in FIFO cannot hang us.
        fd = openSync(at.full, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        if (code === 'ELOOP') return linkRefusal(at.full, path);
        return code === 'ENOENT' ? undefined : { refused: `${path} cannot be read (${code ?? String(e)})` };
      }
      try {
        const st = fstatSync(fd);
        const opened = kindOf(st);
        if (opened) return { refused: `${path} is ${opened}: a package holds regular files only` };
        const h = createHash('sha256');
        const buf = Buffer.allocUnsafe(1024 * 1024);
        let total = 0;
        for (let n; (n = readSync(fd, buf, 0, buf.length, null)) > 0;) {
          total += n;
          // The file may grow while it is read: the cap holds for the bytes actually read.
          if (total > maxBytes) return { refused: `${path} is over the ${mib(maxBytes)} limit for a package file` };
          h.update(buf.subarray(0, n));
        }
        return h.digest('hex');
      } finally {
        closeSync(fd);
      }
    },
  };
}
