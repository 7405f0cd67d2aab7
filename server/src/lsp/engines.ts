// One EXPLAIN engine per workspace folder: the configured dev database, else PGlite built (in the background) from the folder's migrations.
import { createHash } from 'node:crypto';
import { basename } from 'node:path';
import type { Config, EditorSettings } from '../core/config';
import {
  buildPgliteFromMigrations,
  checkHostAllowed,
  connectPg,
  EngineError,
  nodeLibpqEnvironment,
  resolveConnection,
  type ConnectionSettings,
  type Engine,
  type Migration,
  type PgliteBuild,
} from '../engine';

/** `project`: PGlite is built per project of a folder, from that project's schema sources alone. */
export type EngineChoice = { kind: 'pg'; settings: ConnectionSettings; source: string } | { kind: 'pglite'; statementTimeoutMs: number; project?: string };

/**
 * pgdba.database.url wins, then pgdba.json `database`, else embedded PGlite. The host allow-list always comes from the
 * editor setting: a pgdba.json checked into a repository must not be able to widen where the editor connects.
 */
export function chooseEngine(settings: EditorSettings, config: Config, configPath?: string): EngineChoice {
  const db = settings.database;
  if (db.url.trim()) {
    return { kind: 'pg', source: 'settings', settings: { url: db.url.trim(), allowedHosts: db.allowedHosts, statementTimeoutMs: db.statementTimeoutMs } };
  }
  const f = config.database;
  if (f && (f.url || f.host || f.port || f.database || f.user || f.service)) {
    const settingsFromFile: ConnectionSettings = {
      url: f.url,
      host: f.host,
      port: f.port,
      database: f.database,
      user: f.user,
      service: f.service,
      sslmode: f.sslmode,
      allowedHosts: db.allowedHosts,
      statementTimeoutMs: f.statementTimeoutMs,
    };
    return { kind: 'pg', source: configPath ?? 'pgdba.json', settings: settingsFromFile };
  }
  return { kind: 'pglite', statementTimeoutMs: db.statementTimeoutMs };
}

export interface EngineStatus {
  state: 'starting' | 'ready' | 'error';
  label: string;
  message?: string;
  /** While PGlite applies the migrations: how many of how many are in. */
  progress?: { done: number; total: number };
}

/** A window progress the manager reports to while it builds (LSP work-done progress in the editor). */
export interface ProgressReporter {
  report(message: string, percentage: number): void;
  done(): void;
}

/** What the manager needs from the language server: logging, one-off messages, status, progress and the client's secrets. */
export interface EngineEvents {
  log(message: string): void;
  /** A failure the user must hear about (window/showMessage); the manager calls it once per folder and cause. */
  notify(message: string): void;
  status(root: string, status: EngineStatus): void;
  progress(title: string): Promise<ProgressReporter>;
  /** The password SecretStorage holds for `user@host:port/db`, if any. */
  password(target: string, root: string): Promise<string | undefined>;
}

export interface ManagerOptions {
  /** Where built PGlite data directories are cached for a folder (undefined: in memory only). */
  cacheDir(root: string): string | undefined;
  /** What PGlite is built from for a project of the folder (see schemaSources); empty for a virtual folder. */
  migrations(root: string, project: string | undefined): Migration[];
  /** After a failure, requests fail fast with the same error for this long before connecting again (default 30 s). */
  retryMs?: number;
}

export interface ReadyEngine {
  engine: Engine;
  /** e.g. `PGlite, PostgreSQL 18 (embedded; 12 migrations)` or `PostgreSQL 15 at app@localhost:5432/app`. */
  label: string;
  /** Changes when the schema behind the engine changes: the plan cache's key. */
  schemaVersion(): Promise<string>;
  /** The last schema version seen, for synchronous readers. */
  lastSchemaVersion(): string;
}

interface Slot {
  root: string;
  key: string;
  promise: Promise<ReadyEngine>;
  ready?: ReadyEngine;
  failure?: { error: EngineError; at: number };
  /** sha256 of the migrations a PGlite engine was built from. */
  migrationsHash?: string;
  /** Files changed under the folder: check the migrations again before the next use. */
  stale: boolean;
  target?: string;
  /** What is happening while the engine starts, e.g. `Building PGlite from 12 migrations`. */
  doing: string;
  /** Migrations applied so far while PGlite builds. */
  progress?: { done: number; total: number };
}

/** `Building PGlite from 342 migrations… (120/342)`: what the status bar, the window progress and a waiting hover say. */
export function doingText(doing: string, progress?: { done: number; total: number }): string {
  return progress ? `${doing}… (${progress.done}/${progress.total})` : `${doing}…`;
}

/** Progress reaches the editor at most this often: a warm prefix can apply hundreds of small migrations a second. */
const PROGRESS_EVERY_MS = 250;

/** Errors that mean "no connection" rather than "this statement failed". */
export function isConnectionError(e: unknown): e is EngineError {
  return e instanceof EngineError && (e.code === 'auth' || e.code === 'refused' || e.code === 'host-not-allowed');
}

/** A dev database serves the whole folder; PGlite is one engine per project of it. */
function slotOf(root: string, choice: EngineChoice): string {
  return choice.kind === 'pglite' && choice.project !== undefined ? `${root}\0${choice.project}` : root;
}

const closed = new WeakSet<Engine>();

/** Several paths may retire the same engine (replaced while starting, then superseded): close it once. */
function closeOnce(engine: Engine): Promise<void> {
  if (closed.has(engine)) return Promise.resolve();
  closed.add(engine);
  return engine.close();
}

function hashMigrations(ms: readonly Migration[]): string {
  const h = createHash('sha256');
  for (const m of ms) h.update(m.id).update('\0').update(m.sql).update('\0');
  return h.digest('hex');
}

function buildSummary(root: string, b: PgliteBuild, count: number): string {
  const from = b.cache === 'full' ? 'from the cache' : b.cache === 'prefix' ? `${b.reused} of them from the cache` : 'built';
  const lines = [`PGlite for ${root}: ${count} migrations, ${b.applied} statements applied (${from}, ${b.ms} ms), ${b.skipped.length} skipped.`];
  for (const s of b.skipped) lines.push(`  skipped in ${s.migration}: ${s.excerpt} — ${s.reason}`);
  return lines.join('\n');
}

// A catalog fingerprint: any DDL rewrites rows of these catalogs, so it changes the newest xmin or the row count.
const FINGERPRINT_SQL = `SELECT (SELECT count(*) FROM pg_class) || ':' || (SELECT coalesce(max(xmin::text::bigint), 0) FROM pg_class) || ':' ||
  (SELECT coalesce(max(xmin::text::bigint), 0) FROM pg_attribute) || ':' || (SELECT coalesce(max(xmin::text::bigint), 0) FROM pg_index) AS v`;
/** A dev database's schema is re-fingerprinted at most this often, so a cached hover costs no round trip. */
const FINGERPRINT_TTL_MS = 5000;

export class EngineManager {
  private readonly slots = new Map<string, Slot>();
  private readonly announced = new Set<string>();
  private readonly retryMs: number;

  constructor(
    private readonly events: EngineEvents,
    private readonly options: ManagerOptions,
  ) {
    this.retryMs = options.retryMs ?? 30_000;
  }

  /** The folder's engine, started (or rebuilt after its migrations changed) when needed. Rejects with an EngineError. */
  engine(root: string, choice: EngineChoice): Promise<ReadyEngine> {
    const key = JSON.stringify(choice);
    const slot = this.slots.get(slotOf(root, choice));
    if (slot && slot.key === key) {
      // A dev database does not change with the files; PGlite is rebuilt only when the migrations themselves changed.
      if (slot.stale && (choice.kind === 'pg' || slot.migrationsHash === hashMigrations(this.migrations(root, choice)))) slot.stale = false;
      if (!slot.stale && !slot.failure) return slot.promise;
      // After a failure (also one found later by a query) the same error comes back at once until it is time to retry.
      if (!slot.stale && slot.failure && Date.now() - slot.failure.at < this.retryMs) return Promise.reject(slot.failure.error);
    }
    return this.start(root, choice, key, slot).promise;
  }

  /** The engine when it is up right now, without starting or waiting for anything. */
  peek(root: string, choice: EngineChoice): ReadyEngine | undefined {
    const slot = this.slots.get(slotOf(root, choice));
    return slot && slot.key === JSON.stringify(choice) && !slot.stale ? slot.ready : undefined;
  }

  /** What the folder's engine is busy with while it starts, e.g. `Building PGlite from 12 migrations… (3/12)`. */
  starting(root: string): string | undefined {
    for (const slot of this.slots.values()) if (slot.root === root && !slot.ready && !slot.failure) return doingText(slot.doing, slot.progress);
    return undefined;
  }

  /** A query found the connection gone (server stopped, password changed): fail fast for a while and say so once. */
  connectionLost(root: string, error: EngineError): void {
    // Connections are lost by dev databases, whose slot is the folder's own.
    const slot = this.slots.get(root);
    if (slot) slot.failure = { error, at: Date.now() };
    this.announce(root, error);
    this.events.status(root, { state: 'error', label: slot?.ready?.label ?? slot?.target ?? 'database', message: error.message });
  }

  /** Files changed on disk: folders containing them check their migrations before the next plan. */
  filesChanged(paths: readonly string[]): void {
    for (const slot of this.slots.values()) {
      const { root } = slot;
      if (paths.some((p) => p === root || p.startsWith(root + '/') || p.startsWith(root + '\\'))) slot.stale = true;
    }
  }

  /** Settings or pgdba.json changed: failures are retried at once and announced again if they persist. */
  reset(): void {
    this.announced.clear();
    for (const slot of this.slots.values()) if (slot.failure) slot.failure.at = 0;
  }

  /** A stored password changed: connections to that target are made again. */
  passwordChanged(target: string): void {
    for (const [id, slot] of this.slots) {
      if (slot.target !== target) continue;
      const { root } = slot;
      this.slots.delete(id);
      for (const k of [...this.announced]) if (k.startsWith(`${root}\0`)) this.announced.delete(k);
      void slot.promise.then((r) => closeOnce(r.engine)).catch(() => undefined);
    }
  }

  async closeAll(): Promise<void> {
    const slots = [...this.slots.values()];
    this.slots.clear();
    await Promise.all(slots.map((s) => s.promise.then((r) => closeOnce(r.engine)).catch(() => undefined)));
  }

  private migrations(root: string, choice: EngineChoice): Migration[] {
    return this.options.migrations(root, choice.kind === 'pglite' ? choice.project : undefined);
  }

  private start(root: string, choice: EngineChoice, key: string, previous: Slot | undefined): Slot {
    const slot: Slot = { root, key, stale: false, doing: 'Starting', promise: Promise.resolve(undefined as unknown as ReadyEngine) };
    const id = slotOf(root, choice);
    this.slots.set(id, slot);
    const made = choice.kind === 'pg' ? this.connect(root, choice, slot) : this.build(root, choice, slot);
    slot.promise = made.then(
      (ready) => {
        slot.ready = ready;
        for (const k of [...this.announced]) if (k.startsWith(`${root}\0`)) this.announced.delete(k);
        if (this.slots.get(id) === slot) this.events.status(root, { state: 'ready', label: ready.label });
        else void closeOnce(ready.engine); // replaced while starting
        return ready;
      },
      (err: unknown) => {
        const error = err instanceof EngineError ? err : new EngineError('other', (err as Error)?.message ?? String(err), { cause: err });
        slot.failure = { error, at: Date.now() };
        if (this.slots.get(id) === slot) {
          this.announce(root, error);
          this.events.status(root, {
            state: 'error',
            label: slot.target ?? (choice.kind === 'pglite' ? 'PGlite (embedded)' : 'database'),
            message: error.message,
          });
        }
        throw error;
      },
    );
    slot.promise.catch(() => undefined); // failures are reported above; callers that wait see them too
    // The engine it replaces keeps serving requests already under way; it is closed once the new one has settled.
    if (previous) void slot.promise.catch(() => undefined).then(() => previous.promise.then((r) => closeOnce(r.engine)).catch(() => undefined));
    return slot;
  }

  private announce(root: string, error: EngineError): void {
    const key = `${root}\0${error.code}`;
    if (this.announced.has(key)) return;
    this.announced.add(key);
    this.events.log(`EXPLAIN engine for ${root}: ${error.message}`);
    this.events.notify(`pgdba (${basename(root) || root}): ${error.message} Linting goes on; plans are unavailable until this is fixed.`);
  }

  private async build(root: string, choice: Extract<EngineChoice, { kind: 'pglite' }>, slot: Slot): Promise<ReadyEngine> {
    const migrations = this.migrations(root, choice);
    slot.migrationsHash = hashMigrations(migrations);
    // The project's own migrations; a platform's prelude (Supabase's auth and storage) is applied too, and named apart.
    const own = migrations.filter((m) => m.kind !== 'platform').length;
    const prelude = migrations.find((m) => m.kind === 'platform');
    const platform = prelude ? ` on the ${prelude.id}` : '';
    slot.doing = migrations.length ? `Building PGlite from ${own} migrations${platform}` : 'Starting PGlite';
    this.events.status(root, { state: 'starting', label: 'PGlite (embedded)', message: doingText(slot.doing) });
    const progress = migrations.length ? await this.events.progress(`pgdba: ${slot.doing}`) : undefined;
    let sentAt = 0;
    const onProgress = (done: number, total: number) => {
      slot.progress = { done, total };
      const now = Date.now();
      if (now - sentAt < PROGRESS_EVERY_MS && done < total) return;
      sentAt = now;
      progress?.report(`${done}/${total} applied`, Math.floor((100 * done) / total));
      if (!slot.ready && !slot.failure)
        this.events.status(root, { state: 'starting', label: 'PGlite (embedded)', message: doingText(slot.doing, slot.progress), progress: slot.progress });
    };
    try {
      const cacheDir = migrations.length ? this.options.cacheDir(root) : undefined;
      // spare: the next start of this build (a reopened window, a restart after a timeout) skips copying it.
      const build = await buildPgliteFromMigrations(migrations, { cacheDir, statementTimeoutMs: choice.statementTimeoutMs, onProgress, spare: true });
      this.events.log(buildSummary(root, build, own));
      const major = Math.floor((await build.engine.serverVersion()) / 10000);
      const skipped = build.skipped.length ? `, ${build.skipped.length} statements skipped (see the pgdba output)` : '';
      return {
        engine: build.engine,
        label: `PGlite, PostgreSQL ${major} (embedded; ${own} migrations${platform}${skipped})`,
        schemaVersion: async () => build.schemaVersion,
        lastSchemaVersion: () => build.schemaVersion,
      };
    } finally {
      progress?.done();
    }
  }

  private async connect(root: string, choice: Extract<EngineChoice, { kind: 'pg' }>, slot: Slot): Promise<ReadyEngine> {
    const lenv = nodeLibpqEnvironment();
    const resolved = resolveConnection(choice.settings, lenv);
    slot.target = resolved.target;
    slot.doing = `Connecting to ${resolved.target}`;
    this.events.status(root, { state: 'starting', label: resolved.target, message: doingText(slot.doing) });
    // Refuse before anything leaves the machine, including the request for the password.
    checkHostAllowed(resolved.host, choice.settings.allowedHosts);
    for (const w of resolved.warnings) this.events.log(w);
    const password = await this.events.password(resolved.target, root).catch(() => undefined);
    const engine = await connectPg({ ...choice.settings, password }, lenv);
    const major = Math.floor((await engine.serverVersion()) / 10000);
    let last = { value: '', at: 0 };
    const schemaVersion = async () => {
      if (Date.now() - last.at < FINGERPRINT_TTL_MS) return last.value;
      const { rows } = await engine.query<{ v: string }>(FINGERPRINT_SQL);
      last = { value: String(rows[0]?.v ?? ''), at: Date.now() };
      return last.value;
    };
    await schemaVersion();
    this.events.log(`EXPLAIN engine for ${root}: PostgreSQL ${major} at ${resolved.target} (configured in ${choice.source}).`);
    return { engine, label: `PostgreSQL ${major} at ${resolved.target}`, schemaVersion, lastSchemaVersion: () => last.value };
  }
}
