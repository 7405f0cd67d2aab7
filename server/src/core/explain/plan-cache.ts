// A bounded LRU cache of plans keyed by statement text, schema version and EXPLAIN variant, so a repeated hover costs no round trip.

export interface PlanCacheKey {
  /** The statement text as sent to EXPLAIN. */
  text: string;
  /** Changes whenever the schema behind the engine changes (e.g. the migrations' content hash, or a catalog version). */
  schemaVersion: string;
  /** Distinguishes plans of the same text: engine, analyse or not, parameter values. */
  variant?: string;
}

export class PlanCache<V> {
  private readonly entries = new Map<string, V>();

  constructor(private readonly maxEntries = 500) {}

  private static key(k: PlanCacheKey): string {
    return `${k.schemaVersion}\u0000${k.variant ?? ''}\u0000${k.text.trim()}`;
  }

  get(k: PlanCacheKey): V | undefined {
    const key = PlanCache.key(k);
    const v = this.entries.get(key);
    if (v === undefined) return undefined;
    // Re-insert: a Map iterates in insertion order, so the first key is always the least recently used.
    this.entries.delete(key);
    this.entries.set(key, v);
    return v;
  }

  set(k: PlanCacheKey, v: V): void {
    const key = PlanCache.key(k);
    this.entries.delete(key);
    this.entries.set(key, v);
    while (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string;
      this.entries.delete(oldest);
    }
  }

  /** Drops every plan made against another schema version. */
  retainSchema(schemaVersion: string): void {
    for (const key of [...this.entries.keys()]) if (!key.startsWith(`${schemaVersion}\u0000`)) this.entries.delete(key);
  }

  clear(): void {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }
}
