// Finds and loads the nearest pgdba.json above a file (shared by the CLI and the language server), cached per folder.
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { defaultConfig, loadConfigText, type Config, type ConfigProblem } from '../core/config';
import { rules } from '../core/rules';

const KNOWN_RULES = new Set(rules.map((r) => r.id));

export interface ResolvedConfig {
  config: Config;
  /** The pgdba.json that applies, when there is one. */
  path?: string;
  problems: ConfigProblem[];
}

export class ConfigFiles {
  private readonly byDir = new Map<string, ResolvedConfig>();
  private readonly byFile = new Map<string, ResolvedConfig>();

  /** `explicit`: a config file given on the command line; it applies to every file. */
  constructor(private readonly explicit?: string) {}

  /** Validates a pgdba.json text (an open editor's, which may differ from disk). */
  check(text: string): ConfigProblem[] {
    return loadConfigText(text, KNOWN_RULES).problems;
  }

  defaults(): Config {
    return defaultConfig();
  }

  /** Forgets cached configs (a pgdba.json changed). */
  clear(): void {
    this.byDir.clear();
    this.byFile.clear();
  }

  load(file: string): ResolvedConfig {
    const cached = this.byFile.get(file);
    if (cached) return cached;
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (error) {
      const message = `cannot read ${file}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`;
      return { config: defaultConfig(), path: file, problems: [{ message, start: 0, end: 0, path: [] }] };
    }
    const loaded = loadConfigText(text, KNOWN_RULES);
    const resolved = { config: loaded.config, path: file, problems: loaded.problems };
    this.byFile.set(file, resolved);
    return resolved;
  }

  /** The configuration for an absolute file path: --config, else the nearest pgdba.json up the tree, else defaults. */
  forPath(absPath: string): ResolvedConfig {
    if (this.explicit) return this.load(resolve(this.explicit));
    const visited: string[] = [];
    let dir = dirname(resolve(absPath));
    let found: ResolvedConfig | undefined;
    for (;;) {
      const hit = this.byDir.get(dir);
      if (hit) {
        found = hit;
        break;
      }
      visited.push(dir);
      const candidate = join(dir, 'pgdba.json');
      let exists: boolean;
      try {
        readFileSync(candidate);
        exists = true;
      } catch {
        exists = false;
      }
      if (exists) {
        found = this.load(candidate);
        break;
      }
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
    const result = found ?? { config: defaultConfig(), problems: [] };
    for (const v of visited) this.byDir.set(v, result);
    return result;
  }
}
