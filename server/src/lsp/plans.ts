// Plans per folder: EXPLAIN on the folder's engine, cached per statement text and schema version, one run per statement at a time.
import { PlanCache } from '../core/explain';
import { EngineError, explainStatement, type ExplainedStatement } from '../engine';
import { isConnectionError, type EngineChoice, type EngineManager, type ReadyEngine } from './engines';

/** A plan, or why the statement could not be planned (cached too, so a broken statement is not re-sent on every hover). */
export type PlanEntry = { ok: true; result: ExplainedStatement; source: string } | { ok: false; message: string; source: string; position?: number };

export interface PlanOutcome {
  entry: PlanEntry;
  cached: boolean;
}

export interface PlanRequest {
  analyze?: boolean;
  /** Plan again even if the cache has it. */
  fresh?: boolean;
}

export class PlanService {
  private readonly caches = new Map<string, { schema: string; cache: PlanCache<PlanEntry> }>();
  private readonly running = new Map<string, Promise<PlanEntry>>();

  constructor(private readonly engines: EngineManager) {}

  /** The cached plan when the engine is up and the plan was made against its current schema; never waits. */
  peek(root: string, choice: EngineChoice, text: string): PlanEntry | undefined {
    const ready = this.engines.peek(root, choice);
    if (!ready) return undefined;
    return this.cacheFor(root, this.schemaKey(ready, ready.lastSchemaVersion())).get({ text });
  }

  /** Like peek, but refreshes a dev database's schema fingerprint first (a few ms at most, and only every few seconds). */
  async cached(root: string, choice: EngineChoice, text: string): Promise<PlanEntry | undefined> {
    const ready = this.engines.peek(root, choice);
    if (!ready) return undefined;
    const schema = this.schemaKey(ready, await ready.schemaVersion());
    return this.cacheFor(root, schema).get({ text });
  }

  /** Plans a statement (starting the engine if needed). Rejects with an EngineError only when there is no engine or no connection. */
  async plan(root: string, choice: EngineChoice, text: string, req: PlanRequest = {}): Promise<PlanOutcome> {
    const ready = await this.engines.engine(root, choice);
    let schema: string;
    try {
      schema = this.schemaKey(ready, await ready.schemaVersion());
    } catch (err) {
      throw this.failed(root, err);
    }
    const cache = this.cacheFor(root, schema);
    if (!req.fresh && !req.analyze) {
      const hit = cache.get({ text });
      if (hit) return { entry: hit, cached: true };
    }
    const key = `${root}\0${schema}\0${req.analyze ? 'analyze' : ''}\0${text.trim()}`;
    let run = this.running.get(key);
    if (!run) {
      run = this.explain(root, ready, text, !!req.analyze).finally(() => this.running.delete(key));
      this.running.set(key, run);
    }
    const entry = await run;
    // An ANALYZE result is never reused: each one is an explicit request to run the statement now.
    if (!req.analyze) cache.set({ text }, entry);
    return { entry, cached: false };
  }

  private async explain(root: string, ready: ReadyEngine, text: string, analyze: boolean): Promise<PlanEntry> {
    try {
      return { ok: true, result: await explainStatement(ready.engine, text, { analyze }), source: ready.label };
    } catch (err) {
      const e = this.failed(root, err);
      // A refused ANALYZE offers the plain plan, which the editor shows with "pgdba: Open plan".
      const message = e.code === 'side-effects' ? `${e.message} Use "pgdba: Open plan": ${e.hint}.` : e.message;
      return { ok: false, message, source: ready.label, position: e.position };
    }
  }

  /** Connection losses go to the engine manager (announced once, then fail fast) and are thrown; statement errors are returned. */
  private failed(root: string, err: unknown): EngineError {
    const e = err instanceof EngineError ? err : new EngineError('other', (err as Error)?.message ?? String(err), { cause: err });
    if (isConnectionError(e)) {
      this.engines.connectionLost(root, e);
      throw e;
    }
    return e;
  }

  private schemaKey(ready: ReadyEngine, version: string): string {
    return `${ready.label}\u0001${version}`;
  }

  /** One cache per folder, emptied when the folder's schema changes (old plans would never be asked for again). */
  private cacheFor(root: string, schema: string): { get(k: { text: string }): PlanEntry | undefined; set(k: { text: string }, v: PlanEntry): void } {
    let c = this.caches.get(root);
    if (!c || c.schema !== schema) {
      c = { schema, cache: c?.cache ?? new PlanCache<PlanEntry>() };
      c.cache.retainSchema(schema);
      this.caches.set(root, c);
    }
    const { cache } = c;
    return { get: (k) => cache.get({ ...k, schemaVersion: schema }), set: (k, v) => cache.set({ ...k, schemaVersion: schema }, v) };
  }
}
