// A copy-on-write Map for catalog copies: a copy over a base costs what is read or written through it, not the base's size.

/** Orders entries across a base and its copies (insertion order, as a Map iterates). Shared by a root and its copies. */
interface Clock {
  next: number;
}

/**
 * A Map that is either a root (it owns its entries) or a copy over a base that must not change while the copy is in use.
 * A copy clones a base value the first time `get` hands it out, and during iteration when `cloneWhenIterated` says so
 * (values iterated but not cloned are shared: the caller makes sure they are only read). Iteration order is exactly a
 * Map's: base order with entries updated in place, then entries added, in insertion order.
 */
export class CowMap<V> extends Map<string, V> {
  /** A root's entries; a copy's entries read, written or added (in insertion order). */
  private readonly own = new Map<string, V>();
  /** Order numbers of a root's keys and of a copy's added keys (a copy's other keys have their base's). */
  private readonly seqs = new Map<string, number>();
  /** A copy's keys that are not at their base position: new, or deleted from the base and set again. */
  private readonly added = new Set<string>();
  /** Base keys deleted in this copy. */
  private readonly removed = new Set<string>();
  private baseOrder?: Map<string, number>;

  constructor(
    private readonly base: Map<string, V> | undefined,
    private readonly clone: (v: V) => V,
    private readonly cloneWhenIterated: (key: string, v: V) => boolean = () => false,
    private readonly clock: Clock = base instanceof CowMap ? base.clock : { next: 0 },
  ) {
    super();
  }

  /** A root holding `m`'s entries (in order). */
  static root<V>(m: Map<string, V>, clone: (v: V) => V): CowMap<V> {
    const out = new CowMap<V>(undefined, clone);
    for (const [k, v] of m) out.set(k, v);
    return out;
  }

  /** A copy over `base`, with the same value cloner. */
  static over<V>(base: Map<string, V>, clone: (v: V) => V, cloneWhenIterated?: (key: string, v: V) => boolean): CowMap<V> {
    return new CowMap(base, clone, cloneWhenIterated);
  }

  private inBase(k: string): boolean {
    return this.base !== undefined && !this.removed.has(k) && this.base.has(k);
  }

  /** The value without cloning it (for reading only). */
  peek(k: string): V | undefined {
    const v = this.own.get(k);
    if (v !== undefined || !this.base || this.removed.has(k)) return v;
    // A key the base lacks peeks as undefined there: no `has` first.
    return peek(this.base, k);
  }

  override get(k: string): V | undefined {
    const v = this.own.get(k);
    if (v !== undefined || !this.base || this.removed.has(k)) return v;
    const b = peek(this.base, k);
    if (b === undefined) return undefined;
    const copy = this.clone(b);
    this.own.set(k, copy);
    return copy;
  }

  override has(k: string): boolean {
    return this.own.has(k) || this.inBase(k);
  }

  override set(k: string, value: V): this {
    if (!this.own.has(k) && !this.inBase(k)) {
      this.seqs.set(k, this.clock.next++);
      if (this.base) this.added.add(k);
    }
    this.own.set(k, value);
    return this;
  }

  override delete(k: string): boolean {
    if (!this.base) {
      this.seqs.delete(k);
      return this.own.delete(k);
    }
    if (this.own.delete(k)) {
      if (this.added.delete(k)) this.seqs.delete(k);
      if (this.base.has(k)) this.removed.add(k);
      return true;
    }
    if (!this.inBase(k)) return false;
    this.removed.add(k);
    return true;
  }

  override clear(): void {
    for (const k of [...this.keys()]) this.delete(k);
  }

  override get size(): number {
    return this.base ? this.base.size - this.removed.size + this.added.size : this.own.size;
  }

  override entries(): MapIterator<[string, V]> {
    return this.base ? this.copyEntries() : this.own.entries();
  }

  private *copyEntries(): MapIterator<[string, V]> {
    // Over a root, walk its entries directly (statements walk whole maps, e.g. to find a free constraint name).
    const base = this.base instanceof CowMap && !this.base.base ? this.base.own : this.base!;
    for (const [k, v] of base) {
      if (this.removed.has(k)) continue;
      const mine = this.own.get(k);
      if (mine !== undefined) yield [k, mine];
      else yield [k, this.cloneWhenIterated(k, v) ? (this.get(k) as V) : v];
    }
    for (const k of this.added) yield [k, this.own.get(k) as V];
  }

  override [Symbol.iterator](): MapIterator<[string, V]> {
    return this.entries();
  }

  override keys(): MapIterator<string> {
    return this.base ? this.copyKeys() : this.own.keys();
  }

  private *copyKeys(): MapIterator<string> {
    // Keys alone never clone a value (copyEntries may, for values handed out to be changed).
    const base = this.base instanceof CowMap && !this.base.base ? this.base.own : this.base!;
    for (const k of base.keys()) if (!this.removed.has(k)) yield k;
    for (const k of this.added) yield k;
  }

  override values(): MapIterator<V> {
    return this.base ? this.copyValues() : this.own.values();
  }

  private *copyValues(): MapIterator<V> {
    for (const [, v] of this.copyEntries()) yield v;
  }

  override forEach(fn: (value: V, key: string, map: Map<string, V>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) fn.call(thisArg, v, k, this);
  }

  /** The key's place in iteration order (comparable across a base and its copies). */
  seq(k: string): number | undefined {
    if (!this.base || this.added.has(k)) return this.seqs.get(k);
    return this.inBase(k) ? this.baseSeq(k) : undefined;
  }

  private baseSeq(k: string): number {
    if (this.base instanceof CowMap) return this.base.seq(k) ?? -1;
    // A plain Map base: number its keys once, in its order (below every number the clock gives).
    if (!this.baseOrder) {
      this.baseOrder = new Map();
      let i = -this.base!.size - 1;
      for (const key of this.base!.keys()) this.baseOrder.set(key, i++);
    }
    return this.baseOrder.get(k) ?? -1;
  }

  /**
   * Each entry for reading only, in `keys()` order: this copy's value where it has one, else the base's (not cloned), as
   * `peek` gives it. A callback allocates no entry per key (whole-map scans run for many statements).
   */
  forEachRead(fn: (value: V, key: string) => void): void {
    const base = this.base;
    if (!base) {
      this.own.forEach(fn);
      return;
    }
    const own = this.own;
    const removed = this.removed;
    const each = (v: V, k: string) => {
      if (removed.has(k)) return;
      const mine = own.get(k);
      fn(mine !== undefined ? mine : v, k);
    };
    if (base instanceof CowMap) {
      if (base.base) base.forEachRead(each);
      else base.own.forEach(each);
    } else base.forEach(each);
    for (const k of this.added) fn(own.get(k) as V, k);
  }

  /**
   * The keys whose values (as `peek` gives them) pass `test`, in `keys()` order. The base is tested as it is, then only
   * the few keys this copy changed are looked at: a scan costs what a plain Map's does, not two lookups per key.
   */
  keysWhere(test: (value: V) => boolean): string[] {
    const own = this.own;
    if (!this.base) return keysWhere(own, test);
    const removed = this.removed;
    const added = this.added;
    const out = keysWhere(this.base, test).filter((k) => !removed.has(k) && !own.has(k));
    // Base keys whose value this copy holds (read or changed) stay at their base position.
    let moved = false;
    for (const [k, v] of own) {
      if (added.has(k) || !test(v)) continue;
      out.push(k);
      moved = true;
    }
    if (moved) out.sort((a, b) => (this.seq(a) ?? 0) - (this.seq(b) ?? 0));
    for (const k of added) if (test(own.get(k) as V)) out.push(k);
    return out;
  }

  /** Keys this copy (and the copies under it, down to `stop`) read, wrote or deleted. */
  touched(stop?: Map<string, V>, into = new Set<string>()): Set<string> {
    for (const k of this.own.keys()) into.add(k);
    for (const k of this.removed) into.add(k);
    if (this.base instanceof CowMap && this.base !== stop) this.base.touched(stop, into);
    return into;
  }

  /** Writes this copy's changes into its base (which then equals this copy; other copies over that base become invalid). */
  commit(): Map<string, V> {
    const base = this.base;
    if (!base) return this;
    for (const k of this.removed) base.delete(k);
    for (const [k, v] of this.own) if (!this.added.has(k)) base.set(k, v);
    for (const k of this.added) base.set(k, this.own.get(k) as V);
    return base;
  }
}

/**
 * A map's entries for reading only: a copy-on-write copy hands out its base's values without cloning them. Whoever
 * changes one takes it with `get` first (which clones it in a copy); deleting needs no value at all.
 */
/** (value, key) for each entry of a map, read without cloning (see CowMap.forEachRead). */
export function forEachRead<V>(m: Map<string, V>, fn: (value: V, key: string) => void): void {
  if (m instanceof CowMap) m.forEachRead(fn);
  else m.forEach((v, k) => fn(v, k));
}

/** The keys of a map's entries that pass `test`, read without cloning (collect first, then delete or take for changing). */
export function keysWhere<V>(m: Map<string, V>, test: (value: V) => boolean): string[] {
  if (m instanceof CowMap) return m.keysWhere(test);
  const out: string[] = [];
  m.forEach((v, k) => {
    if (test(v)) out.push(k);
  });
  return out;
}

/**
 * The values of a map that pass `test`, taken for changing: tested without cloning, so a catalog copy clones only the
 * values it hands out here, not every value a loop over it would have cloned.
 */
export function takeWhere<V>(m: Map<string, V>, test: (value: V) => boolean): V[] {
  return keysWhere(m, test).map((k) => m.get(k) as V);
}

/** A map's value without cloning it. */
export function peek<V>(m: Map<string, V>, k: string): V | undefined {
  return m instanceof CowMap ? m.peek(k) : m.get(k);
}

/** Keys in a map's iteration order (a few keys of a large map, without walking it when it is a CowMap). */
export function inMapOrder<V>(m: Map<string, V>, keys: Iterable<string>): string[] {
  const present = [...keys].filter((k) => m.has(k));
  if (!(m instanceof CowMap)) {
    const want = new Set(present);
    return [...m.keys()].filter((k) => want.has(k));
  }
  return present.sort((a, b) => (m.seq(a) ?? 0) - (m.seq(b) ?? 0));
}
