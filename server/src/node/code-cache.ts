// Loads a bundled CommonJS file with V8's compiled code kept in a cache folder, for Node versions without
// module.enableCompileCache (before 22.1): `pgdba check --cache` then starts its analysis without compiling it again.
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import Module from 'node:module';
import { basename, dirname, join } from 'node:path';
import { Script } from 'node:vm';

interface NodeModule {
  exports: unknown;
  filename: string;
  paths: string[];
  loaded: boolean;
}
interface ModuleInternals {
  new (id: string): NodeModule;
  wrap(source: string): string;
  _cache: Record<string, NodeModule | undefined>;
  _nodeModulePaths(dir: string): string[];
}

export interface CachedLoad<T> {
  exports: T;
  /** Whether V8 used the kept code (false: none was kept, or it was made by another Node or another build). */
  usedCache: boolean;
  /**
   * Keeps the code compiled so far, when the kept code was not used. Call it after the work: V8 compiles functions
   * when they first run, and only compiled functions are kept.
   */
  save(): void;
}

/** Requires `file` (a CommonJS bundle with no dynamic import), compiling it with the code kept in `dir`. */
export function requireWithCodeCache<T>(file: string, dir: string): CachedLoad<T> {
  const M = Module as unknown as ModuleInternals;
  const loaded = M._cache[file];
  if (loaded) return { exports: loaded.exports as T, usedCache: false, save: () => undefined };
  const source = readFileSync(file, 'utf8');
  const kept = join(dir, `code-${createHash('sha1').update(`${process.version}\u0000${file}\u0000${source}`).digest('hex')}.bin`);
  let cachedData: Buffer | undefined;
  try {
    cachedData = readFileSync(kept);
  } catch {
    // None kept yet.
  }
  const script = new Script(M.wrap(source), { filename: file, cachedData });
  const usedCache = !!cachedData && !script.cachedDataRejected;
  const m = new M(file);
  m.filename = file;
  m.paths = M._nodeModulePaths(dirname(file));
  M._cache[file] = m;
  try {
    const wrapper = script.runInThisContext() as (exports: unknown, require: NodeJS.Require, module: NodeModule, filename: string, dirname: string) => void;
    wrapper.call(m.exports, m.exports, Module.createRequire(file), m, file, dirname(file));
  } catch (error) {
    delete M._cache[file];
    throw error;
  }
  m.loaded = true;
  return {
    exports: m.exports as T,
    usedCache,
    save: () => {
      if (usedCache) return;
      try {
        mkdirSync(dir, { recursive: true });
        const tmp = `${kept}.${process.pid}.tmp`;
        writeFileSync(tmp, script.createCachedData());
        renameSync(tmp, kept);
        // Code kept for other builds or Node versions is not used again here.
        for (const f of readdirSync(dir)) if (/^code-[0-9a-f]{40}\.bin$/.test(f) && f !== basename(kept)) rmSync(join(dir, f), { force: true });
      } catch {
        // Code that cannot be kept only costs start-up time.
      }
    },
  };
}
