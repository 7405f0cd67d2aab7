// .gitignore rules for a workspace (nested .gitignore files, those above it up to the repository, .git/info/exclude).
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';

const toPosix = (p: string) => p.split(sep).join('/');

function readRules(file: string): Ignore | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  return ignore().add(text);
}

/** The repository folder holding `dir` (nearest ancestor with `.git`), if any. */
function repositoryOf(dir: string): string | undefined {
  for (let d = dir; ; d = dirname(d)) {
    if (existsSync(join(d, '.git'))) return d;
    if (dirname(d) === d) return undefined;
  }
}

interface Rules {
  /** Absolute folder the patterns are relative to. */
  base: string;
  rules: Ignore;
}

/**
 * Git's ignore rules as seen from `root`, loaded lazily per folder. Later (deeper) files override earlier ones, `!`
 * re-includes, and nothing inside an ignored folder comes back, as in git (gitignore(5)). The `ignore` package does the
 * pattern matching.
 */
export class GitIgnore {
  /** Rules from outside the root: .git/info/exclude and .gitignore files between the repository and the root. */
  private readonly outer: Rules[] = [];
  /** Folder (root-relative, posix) → its .gitignore rules, or null when it has none. */
  private readonly byDir = new Map<string, Rules | null>();

  constructor(private readonly root: string) {
    const repo = repositoryOf(root);
    if (!repo) return;
    const exclude = readRules(join(repo, '.git', 'info', 'exclude'));
    if (exclude) this.outer.push({ base: repo, rules: exclude });
    const between: string[] = [];
    for (let d = dirname(root); repo !== root && d.length >= repo.length; d = dirname(d)) {
      between.unshift(d);
      if (d === repo || dirname(d) === d) break;
    }
    for (const d of between) {
      const rules = readRules(join(d, '.gitignore'));
      if (rules) this.outer.push({ base: d, rules });
    }
  }

  /** Tells the walker a folder's .gitignore (it already knows whether one exists, so no failed reads). */
  load(dir: string, hasFile: boolean): void {
    if (this.byDir.has(dir)) return;
    const rules = hasFile ? readRules(join(this.root, dir, '.gitignore')) : undefined;
    this.byDir.set(dir, rules ? { base: join(this.root, dir), rules } : null);
    // New rules may change what was decided about folders under this one.
    if (rules) this.folders.clear();
  }

  private rulesOf(dir: string): Rules | null {
    if (!this.byDir.has(dir)) this.load(dir, existsSync(join(this.root, dir, '.gitignore')));
    return this.byDir.get(dir) ?? null;
  }

  /** Whether one entry is ignored, its parent folders known not to be (the walker's question). */
  matches(rel: string, isDir: boolean): boolean {
    const chain: Rules[] = [...this.outer];
    const parts = rel.split('/');
    for (let i = 0; i < parts.length; i++) {
      const r = this.rulesOf(parts.slice(0, i).join('/'));
      if (r) chain.push(r);
    }
    // No rules on the way (most folders of most projects): nothing to match, and no paths to build.
    if (!chain.length) return false;
    const abs = join(this.root, rel);
    let ignored = false;
    for (const { base, rules } of chain) {
      const path = toPosix(relative(base, abs)) + (isDir ? '/' : '');
      const t = rules.test(path);
      if (t.ignored) ignored = true;
      else if (t.unignored) ignored = false;
    }
    return ignored;
  }

  /** Whether a root-relative file is ignored, itself or through one of its folders. */
  ignored(rel: string): boolean {
    const slash = rel.lastIndexOf('/');
    if (slash > 0 && this.folderIgnored(rel.slice(0, slash))) return true;
    return this.matches(rel, false);
  }

  /** Verdicts on folders, asked for every file in them (a check asks about each file several times). */
  private readonly folders = new Map<string, boolean>();

  private folderIgnored(dir: string): boolean {
    let verdict = this.folders.get(dir);
    if (verdict === undefined) {
      const slash = dir.lastIndexOf('/');
      verdict = (slash > 0 && this.folderIgnored(dir.slice(0, slash))) || this.matches(dir, true);
      this.folders.set(dir, verdict);
    }
    return verdict;
  }
}
