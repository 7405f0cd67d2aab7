// Posix path helpers for workspace-relative paths in the project model (core has no node:path).

/** Joins and normalises `a/b/../c` → `a/c`; undefined when the path climbs out of the workspace. */
export function resolvePath(base: string, rel: string): string | undefined {
  const out: string[] = [];
  for (const part of `${base}/${rel}`.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length === 0) return undefined;
      out.pop();
    } else out.push(part);
  }
  return out.join('/');
}

/** Whether `path` is `dir` or inside it ('' holds everything). */
export function isWithin(path: string, dir: string): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

/** How many leading folder names two paths share. */
export function sharedDepth(a: string, b: string): number {
  const x = a.split('/');
  const y = b.split('/');
  let n = 0;
  while (n < x.length && n < y.length && x[n] === y[n]) n++;
  return n;
}
