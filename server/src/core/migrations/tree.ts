// An index of the workspace's file list by directory, and what discovery has claimed so far.
import type { IgnoredFile, LayoutKind, LayoutProblem, Migration, WorkspaceFiles } from './types';

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export function join(dir: string, name: string): string {
  return dir === '' ? name : `${dir}/${name}`;
}

export function isSqlFile(path: string): boolean {
  return /\.sql$/i.test(path);
}

/** One migrations folder as a detector found it, its migrations already in the tool's order. */
export interface RootResult {
  root: string;
  layout: LayoutKind;
  migrations: Migration[];
}

/** The file list by directory, plus the bookkeeping every detector shares. */
export class Discovery {
  readonly all: Set<string>;
  /** Directory → names of the files directly inside it. */
  readonly filesIn = new Map<string, string[]>();
  /** Directory → names of its direct subdirectories. */
  readonly dirsIn = new Map<string, Set<string>>();
  /** Paths that belong to a migration or were deliberately ignored; later detectors skip them. */
  readonly claimed = new Set<string>();
  readonly ignored: IgnoredFile[] = [];
  readonly problems: LayoutProblem[] = [];
  readonly results: RootResult[] = [];

  constructor(readonly files: WorkspaceFiles) {
    let listed: string[] = [];
    try {
      listed = files.list();
    } catch {
      // A listing that fails is an empty workspace, not a crash of the whole analysis.
    }
    this.all = new Set(listed.filter((p) => typeof p === 'string' && p !== ''));
    for (const path of this.all) {
      const dir = dirname(path);
      let names = this.filesIn.get(dir);
      if (!names) this.filesIn.set(dir, (names = []));
      names.push(basename(path));
      for (let d = dir; d !== ''; d = dirname(d)) {
        const parent = dirname(d);
        let subs = this.dirsIn.get(parent);
        if (!subs) this.dirsIn.set(parent, (subs = new Set()));
        if (subs.has(basename(d))) break;
        subs.add(basename(d));
      }
    }
    for (const names of this.filesIn.values()) names.sort();
  }

  has(path: string): boolean {
    return this.all.has(path);
  }

  read(path: string): string | undefined {
    if (!this.all.has(path)) return undefined;
    try {
      return this.files.read(path);
    } catch {
      return undefined;
    }
  }

  /** Directories that directly hold at least one file. */
  directories(): string[] {
    return [...this.filesIn.keys()].sort();
  }

  /** Unclaimed file names directly inside `dir`. */
  unclaimedIn(dir: string): string[] {
    return (this.filesIn.get(dir) ?? []).filter((n) => !this.claimed.has(join(dir, n)));
  }

  subdirs(dir: string): string[] {
    return [...(this.dirsIn.get(dir) ?? [])].sort();
  }

  claim(...paths: (string | undefined)[]): void {
    for (const p of paths) if (p !== undefined) this.claimed.add(p);
  }

  ignore(path: string, reason: string): void {
    this.claimed.add(path);
    this.ignored.push({ path, reason });
  }

  problem(path: string, message: string): void {
    this.problems.push({ path, message });
  }

  add(result: RootResult): void {
    if (result.migrations.length > 0) this.results.push(result);
  }

  /** The nearest ancestor of `dir` (itself included) holding one of `names`, and which one it holds. */
  nearest(dir: string, names: string[]): string | undefined {
    for (let d: string | undefined = dir; d !== undefined; d = d === '' ? undefined : dirname(d)) {
      for (const n of names) if (this.all.has(join(d, n))) return n;
    }
    return undefined;
  }
}
