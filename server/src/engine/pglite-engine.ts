// The embedded PGlite engine. PGlite lives in a worker thread: a request that outlives its timeout terminates the worker
// (PGlite itself ignores statement_timeout), and the next request restarts it from where it started (snapshot or template).
import { cpSync, existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import { cp, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { EngineError, toEngineError, type ErrorContext } from './errors';
import { explainOnSession, type Session } from './explain-runner';
import { Mutex } from './mutex';
import { spareOf } from './pglite-cache';
import type { WorkerRequest, WorkerResponse } from './pglite-worker';
import { DEFAULT_STATEMENT_TIMEOUT_MS, type Engine, type ExplainOptions, type ExplainOutcome, type QueryResult } from './types';

/** Where PGlite keeps its data directory. */
export type PgliteStorage =
  /** In memory, started from a data-directory tarball (from `snapshot()`) or as a fresh cluster. */
  | { kind: 'memory'; snapshot?: Uint8Array }
  /** On disk, in place: the caller owns the directory (used while building a cache entry). */
  | { kind: 'directory'; path: string }
  /**
   * On disk, on a private copy of `template` made under `runRoot` at each start and removed when the worker ends.
   * `spare`: keep one more copy ready under runRoot, made in the background after each start, so that the next start (a
   * reopened editor, a restart after a timeout) renames it instead of copying: copying ≈1,400 files takes 0.5–1 s.
   * For long-lived processes: a CLI run would wait for the background copy before it exits.
   */
  | { kind: 'template'; template: string; runRoot: string; spare?: boolean };

export interface PgliteEngineOptions {
  storage?: PgliteStorage;
  /** SQL names of PGlite contrib extensions to make available (e.g. `pg_trgm`, `uuid-ossp`). */
  extensions?: string[];
  statementTimeoutMs?: number;
  /** Path of the worker script; defaults to pglite-worker.(ts|js) beside this module (the bundle ships dist/pglite-worker.js). */
  workerPath?: string;
}

let runCounter = 0;

/** Removes private copies left under runRoot by processes that no longer exist (a killed language server, say). */
export function removeStaleRuns(runRoot: string): void {
  let names: string[];
  try {
    names = readdirSync(runRoot);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = Number(name.split('-')[0]);
    if (!Number.isInteger(pid) || pid === process.pid || isAlive(pid)) continue;
    // In the background: nothing waits for garbage to go.
    rm(join(runRoot, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

type Pending = { resolve: (v: unknown) => void; reject: (e: unknown) => void };
type RequestBody = WorkerRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

function defaultWorkerPath(): string {
  const ts = join(__dirname, 'pglite-worker.ts');
  return __filename.endsWith('.ts') && existsSync(ts) ? ts : join(__dirname, 'pglite-worker.js');
}

/** Node 20 does not apply tsx's loader hooks inside worker threads, so a .ts worker (tests, tsx runs) is required through tsx's CJS hook. */
function spawnWorker(path: string): Worker {
  if (!path.endsWith('.ts')) return new Worker(path);
  const tsx = require.resolve('tsx/cjs/api'); // absolute: an eval worker resolves bare names from the cwd
  return new Worker(`require(${JSON.stringify(tsx)}).register(); require(${JSON.stringify(path)});`, { eval: true });
}

export class PgliteEngine implements Engine {
  readonly kind = 'pglite' as const;
  readonly label = 'PGlite (embedded)';
  private worker: Worker | undefined;
  /** Resolves once the current worker has opened PGlite; cleared when the worker is lost. */
  private ready: Promise<Worker> | undefined;
  private version = 0;
  /** `version()`, e.g. `PostgreSQL 18.6 (PGlite 0.5.16) on wasm32…`; a cached build made by another PGlite is not reused. */
  versionText = '';
  private nextId = 0;
  private readonly pending = new Map<number, Pending>();
  private readonly mutex = new Mutex();
  private snapshotBytes: Uint8Array | undefined;
  private readonly storage: PgliteStorage;
  private readonly extensions: string[];
  private readonly statementTimeoutMs: number;
  private readonly workerPath: string;
  private closed = false;
  /** The spare copy being made, if any. */
  private sparing: Promise<unknown> | undefined;
  /** Removals of private copies whose worker ended. */
  private cleanups: Promise<unknown>[] = [];

  constructor(opts: PgliteEngineOptions = {}) {
    this.storage = opts.storage ?? { kind: 'memory' };
    if (this.storage.kind === 'memory') this.snapshotBytes = this.storage.snapshot;
    this.extensions = opts.extensions ?? [];
    this.statementTimeoutMs = opts.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS;
    this.workerPath = opts.workerPath ?? defaultWorkerPath();
  }

  private errorContext(): ErrorContext {
    return { target: this.label, timeoutMs: this.statementTimeoutMs };
  }

  /** Starts the worker and opens PGlite (from the snapshot when there is one). Not subject to the statement timeout. */
  start(): Promise<Worker> {
    if (this.closed) return Promise.reject(new EngineError('other', 'The PGlite engine is closed.'));
    this.ready ??= this.open();
    return this.ready;
  }

  private async open(): Promise<Worker> {
    const path = this.dataPath();
    const worker = spawnWorker(this.workerPath);
    worker.on('message', (res: WorkerResponse) => this.settle(worker, res));
    worker.on('error', (err) => this.lost(worker, err));
    worker.on('exit', (code) => {
      this.lost(worker, new Error(`the PGlite worker exited with code ${code}`));
      // In the background: removing ≈65 MB takes a quarter of a second that the editor need not wait for. close() waits.
      if (this.storage.kind === 'template' && path) this.cleanups.push(rm(path, { recursive: true, force: true }).catch(() => undefined));
    });
    this.worker = worker;
    try {
      // Copy the snapshot: transferring would detach our only restart point.
      const dataDir = this.snapshotBytes ? this.snapshotBytes.slice().buffer : undefined;
      const v = (await this.send(worker, { op: 'open', path, dataDir, extensions: this.extensions }, undefined, dataDir ? [dataDir] : [])) as {
        num: number;
        text: string;
      };
      this.version = v.num;
      this.versionText = v.text;
      this.prepareSpare();
      return worker;
    } catch (err) {
      await this.kill(worker);
      throw toEngineError(err, this.errorContext());
    }
  }

  /** The on-disk data directory for the next worker (a fresh private copy in template mode), or undefined for memory. */
  private dataPath(): string | undefined {
    const st = this.storage;
    if (st.kind === 'memory') return undefined;
    if (st.kind === 'directory') return st.path;
    mkdirSync(st.runRoot, { recursive: true });
    const path = join(st.runRoot, `${process.pid}-${Date.now().toString(36)}-${++runCounter}`);
    if (st.spare) {
      try {
        renameSync(spareOf(st.runRoot, st.template), path);
        return path;
      } catch {
        // No spare yet, or another process took it first: copy.
      }
    }
    // Copying a directory (0.25–1 s for 65 MB) and opening it is several times faster than loading a tarball into memory.
    cpSync(st.template, path, { recursive: true });
    return path;
  }

  /** Makes the template's spare copy in the background when there is none (see PgliteStorage); close() waits for it. */
  private prepareSpare(): void {
    const st = this.storage;
    if (st.kind !== 'template' || !st.spare || this.sparing) return;
    const spare = spareOf(st.runRoot, st.template);
    if (existsSync(spare)) return;
    // Named after this process until complete, so a half-made copy is never taken and removeStaleRuns finds it if we die.
    const partial = join(st.runRoot, `${process.pid}-spare-${++runCounter}`);
    this.sparing = cp(st.template, partial, { recursive: true })
      .then(() => rename(partial, spare))
      .catch(() => rm(partial, { recursive: true, force: true }))
      .catch(() => undefined)
      .finally(() => (this.sparing = undefined));
  }

  private settle(worker: Worker, res: WorkerResponse): void {
    const p = this.pending.get(res.id);
    if (!p) return;
    this.pending.delete(res.id);
    // An idle worker must not keep the process (a CLI run, a test) alive; a busy one must.
    if (this.pending.size === 0) worker.unref();
    if (res.ok) p.resolve(res.value);
    else p.reject(Object.assign(new Error(res.error.message), res.error));
  }

  /** The worker died (terminated on timeout, crashed, or out of memory): fail what was waiting; the next request restarts it. */
  private lost(worker: Worker, err: unknown): void {
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.ready = undefined;
    for (const [, p] of this.pending) p.reject(new EngineError('other', `PGlite stopped: ${(err as Error)?.message ?? err}`, { cause: err }));
    this.pending.clear();
  }

  private async kill(worker: Worker): Promise<void> {
    this.lost(worker, new Error('terminated'));
    await worker.terminate();
  }

  private send(worker: Worker, body: RequestBody, timeoutMs?: number, transfer: ArrayBuffer[] = []): Promise<unknown> {
    const id = ++this.nextId;
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const clear = () => timer && clearTimeout(timer);
      this.pending.set(id, {
        resolve: (v) => (clear(), resolve(v)),
        reject: (e) => (clear(), reject(e)),
      });
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.pending.delete(id);
          reject(new EngineError('timeout', `The statement was stopped: it ran past the statement_timeout of ${timeoutMs} ms.`));
          void this.kill(worker);
        }, timeoutMs);
      }
      worker.ref();
      worker.postMessage({ ...body, id }, transfer);
    });
  }

  private async request(body: RequestBody, timeoutMs?: number): Promise<unknown> {
    const worker = await this.start();
    return this.send(worker, body, timeoutMs);
  }

  private session(): Session {
    return {
      run: async (sql, params = [], timeoutMs = this.statementTimeoutMs) =>
        (await this.request({ op: 'query', sql, params }, timeoutMs)) as Record<string, unknown>[],
      simple: async (sql, timeoutMs = this.statementTimeoutMs) => (await this.request({ op: 'exec', sql }, timeoutMs)) as Record<string, unknown>[],
      rollback: async () => {
        // After a timeout the worker is gone, and with it the transaction: nothing to roll back.
        if (this.worker) await this.request({ op: 'query', sql: 'ROLLBACK' });
      },
    };
  }

  query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
    return this.mutex.run(async () => {
      try {
        return { rows: (await this.session().run(sql, params)) as T[] };
      } catch (err) {
        throw toEngineError(err, { ...this.errorContext(), sqlLength: sql.length });
      }
    });
  }

  /** Runs a script; `timeoutMs` overrides the statement timeout (migrations during a build get a longer one). */
  exec(sql: string, timeoutMs = this.statementTimeoutMs): Promise<void> {
    return this.mutex.run(async () => {
      try {
        await this.request({ op: 'exec', sql }, timeoutMs);
      } catch (err) {
        throw toEngineError(err, { ...this.errorContext(), sqlLength: sql.length });
      }
    });
  }

  async serverVersion(): Promise<number> {
    await this.start();
    return this.version;
  }

  async explain(sql: string, opts: ExplainOptions = {}): Promise<ExplainOutcome> {
    const serverVersion = await this.serverVersion();
    return this.mutex.run(() =>
      explainOnSession(this.session(), sql, opts, {
        kind: 'pglite',
        serverVersion,
        statementTimeoutMs: this.statementTimeoutMs,
        errors: this.errorContext(),
      }),
    );
  }

  /** Dumps the data directory (a gzipped tarball) and makes it the restart point after a timeout. */
  snapshot(): Promise<Uint8Array> {
    return this.mutex.run(async () => {
      const buf = (await this.request({ op: 'dump' })) as ArrayBuffer;
      this.snapshotBytes = new Uint8Array(buf);
      return this.snapshotBytes;
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    const worker = await this.ready?.catch(() => undefined);
    if (worker) {
      await this.send(worker, { op: 'close' }, 5000).catch(() => undefined);
      await this.kill(worker);
    }
    await this.sparing;
    await Promise.all(this.cleanups);
  }
}

/** Starts an embedded PGlite engine (a fresh cluster, or the given snapshot) and waits until it answers. */
export async function createPgliteEngine(opts: PgliteEngineOptions = {}): Promise<PgliteEngine> {
  const engine = new PgliteEngine(opts);
  await engine.start();
  return engine;
}
