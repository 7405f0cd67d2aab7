// Partial rollbacks across a workspace, kept per migration: each is checked on the catalog before it, which is kept and
// moved forward (the CLI asks in apply order, so the ups are replayed once in all) and reused while the earlier ups' DDL
// stays the same (an edit in the editor re-checks one migration, not the workspace).
import { emptyCatalog, type Catalog } from '../catalog/types';
import type { Migration } from '../migrations';
import type { ParsedSql } from '../parse/parse';
import { applyUp, partSection, type OrderedUp } from './catalog-before';
import { commitCatalog, plainCatalog, rootCatalog } from './cow-catalog';
import { leftoversAndAfterUp, opaqueCounts, type LeftoverReport, type MigrationPart } from './leftovers';
import type { DerivedStore } from '../workspace/derived-store';

/** What the cache reads from the workspace. */
export interface LeftoversSource {
  migrations: readonly Migration[];
  parsed(path: string): ParsedSql | undefined;
  /** The DDL signature of a file run as a migration (equal signatures give equal catalogs); undefined when unreadable. */
  ddl(path: string): string | undefined;
  /** Reports an earlier run made, by their inputs. */
  store?: DerivedStore;
  /** A new catalog of what exists before the first migration (a platform's schemas, see platformCatalog); default empty. */
  base?(): Catalog;
}

/** A migration, or the parts of one ory pop migration, which roll back together. */
interface Unit {
  ids: string[];
  /** The migrations' ups, parsed only when the unit is checked or its ups are applied. */
  upSections: Migration['up'][];
  parsedUps?: OrderedUp[];
  /** The migrations' downs, parsed only when the unit is checked (an edit or a cached run asks about one unit). */
  downSections: (Migration['down'] | undefined)[];
  /** Those downs once read (units are made again for each workspace version). */
  resolved?: { downs: MigrationPart[]; deps: (ParsedSql | undefined)[] };
  /** How many ups come before the unit. */
  first: number;
}

/** A unit's ups, parsed. */
function upsOf(unit: Unit, source: LeftoversSource): OrderedUp[] {
  return (unit.parsedUps ??= unit.upSections.flatMap((section, i) => {
    const parsed = source.parsed(section.path);
    return parsed ? [{ id: unit.ids[i], path: section.path, parsed, section: partSection(section, parsed.text) }] : [];
  }));
}

/** A unit's downs that hold statements, and the parses its report depends on (each up, then its down). */
function downsOf(unit: Unit, source: LeftoversSource): { downs: MigrationPart[]; deps: (ParsedSql | undefined)[] } {
  const downs: MigrationPart[] = [];
  const deps: (ParsedSql | undefined)[] = [];
  upsOf(unit, source).forEach((up, i) => {
    const section = unit.downSections[i];
    const down = section ? source.parsed(section.path) : undefined;
    deps.push(up.parsed, down);
    const downSection = section && down ? partSection(section, down.text) : undefined;
    if (section && down && down.statements.some((s) => !downSection || (s.start >= downSection.start && s.start < downSection.end))) {
      downs.push({ path: section.path, parsed: down, section: downSection });
    }
  });
  return { downs, deps };
}

interface Snapshot {
  sigs: string[];
  count: number;
  catalog: Catalog;
}

interface Entry {
  deps: (ParsedSql | undefined)[];
  /** The DDL signatures of every up when the entry was made; the first `count` are the ups before the unit. */
  sigs: string[];
  count: number;
  report: LeftoverReport;
}

/** ory's pop migrations split one change into parts `<14-digit timestamp><6-digit part>_<name>`. */
function groupOf(m: Migration): string | undefined {
  return m.layout === 'pop' && /^\d{20}$/.test(m.version) ? `${m.root}\u0000${m.version.slice(0, 14)}\u0000${m.name}` : undefined;
}

function unitsOf(source: LeftoversSource): { units: Unit[]; sigs: string[] } {
  const units: Unit[] = [];
  const sigs: string[] = [];
  let lastGroup: string | undefined;
  for (const m of source.migrations) {
    const signature = source.ddl(m.up.path);
    if (signature === undefined) continue;
    const group = groupOf(m);
    const unit: Unit = group !== undefined && group === lastGroup ? units[units.length - 1] : { ids: [], upSections: [], downSections: [], first: sigs.length };
    if (unit !== units[units.length - 1]) units.push(unit);
    lastGroup = group;
    unit.ids.push(m.id);
    unit.upSections.push(m.up);
    unit.downSections.push(m.down);
    sigs.push(`${m.id}\u0001${m.up.path}\u0001${m.up.start}:${m.up.end}\u0001${signature}`);
  }
  return { units, sigs };
}

function samePrefix(a: readonly string[], b: readonly string[], count: number): boolean {
  if (a.length < count || b.length < count) return false;
  for (let i = 0; i < count; i++) if (a[i] !== b[i]) return false;
  return true;
}

export class LeftoversCache {
  private readonly entries = new Map<string, Entry>();
  /**
   * Catalogs after the first `count` ups: `before`, the one the last check started from (an edit in the editor checks
   * the same migration again), and `next`, the one it ended with (the CLI asks in apply order). They share the objects
   * the check did not touch, so moving one forward in place spoils the other.
   */
  /** `uses`: how many checks started from it. */
  private before?: Snapshot & { uses: number };
  private next?: Snapshot;
  /** The catalog each copy-on-write copy was made over (`next` is a copy over `before`, or over a copy over it). */
  private readonly overOf = new WeakMap<Catalog, Catalog>();
  /** The units as of a workspace version. */
  private units?: { version: number; units: Unit[]; sigs: string[]; byId: Map<string, Unit>; chain: string[] };

  /**
   * What migration `id`'s down (or its part group's downs) leaves different from before its up; undefined without downs.
   * `version` changes whenever a workspace text may have changed.
   */
  get(id: string, source: LeftoversSource, version: number): LeftoverReport | undefined {
    const { units, sigs, byId } = this.unitsFor(source, version);
    const unit = byId.get(id);
    if (!unit) return undefined;
    const { downs, deps } = (unit.resolved ??= downsOf(unit, source));
    if (downs.length === 0) return undefined;
    const entry = this.entries.get(id);
    if (
      entry &&
      entry.deps.length === deps.length &&
      entry.deps.every((d, i) => d === deps[i]) &&
      entry.count === unit.first &&
      samePrefix(entry.sigs, sigs, unit.first)
    ) {
      return entry.report;
    }
    const ups = upsOf(unit, source);
    const key = source.store && this.storeKey(unit, downs, source.store);
    const kept = key ? source.store!.leftovers(key) : undefined;
    // The opaque counts are the only part that statements the catalog ignores change (a SELECT added): counted afresh.
    let report = kept && { ...kept, opaque: opaqueCounts(ups, downs) };
    if (!report) {
      // The tool rolls a part group back newest part first.
      const before = this.catalogBefore(units, sigs, unit.first, source);
      const { report: r, afterUp } = leftoversAndAfterUp(ups, [...downs].reverse(), before);
      this.overOf.set(afterUp, before);
      this.next = { sigs, count: unit.first + unit.upSections.length, catalog: afterUp };
      report = unit.ids.length > 1 ? { ...r, group: unit.ids.length } : r;
      if (key) source.store!.keepLeftovers(key, report);
    }
    for (const i of unit.ids) this.entries.set(i, { deps, sigs, count: unit.first, report });
    return report;
  }

  /**
   * The catalog after every up, checking each migration on the way: a single pass (the CLI) applies each up once for
   * both the project's catalog and the partial-rollback check. The catalog is the caller's (plain maps); the cache lets
   * go of it.
   */
  catalogAfterAll(source: LeftoversSource, version: number): Catalog {
    const { units, sigs } = this.unitsFor(source, version);
    for (const unit of units) this.get(unit.ids[0], source, version);
    let catalog = this.catalogBefore(units, sigs, sigs.length, source);
    for (let over = this.overOf.get(catalog); over; over = this.overOf.get(catalog)) catalog = commitCatalog(catalog, over);
    this.before = this.next = undefined;
    return plainCatalog(catalog);
  }

  private unitsFor(source: LeftoversSource, version: number) {
    if (this.units?.version !== version) {
      const { units, sigs } = unitsOf(source);
      this.units = { version, units, sigs, byId: new Map(units.flatMap((u) => u.ids.map((i) => [i, u] as const))), chain: [''] };
    }
    return this.units;
  }

  /**
   * Everything a unit's report depends on but its opaque counts, digested: the ups before it (their signatures,
   * chained), its ups' signatures (what they run into the catalog, which is all the comparison looks at), its downs.
   */
  private storeKey(unit: Unit, downs: readonly MigrationPart[], store: DerivedStore): string {
    const { sigs, chain } = this.units!;
    for (let i = chain.length; i <= unit.first; i++) chain.push(store.digest(`${chain[i - 1]}\u0000${sigs[i - 1]}`));
    return store.digest(
      [
        chain[unit.first],
        ...sigs.slice(unit.first, unit.first + unit.upSections.length),
        ...downs.map((d) => `${d.path}\u0001${d.section ? `${d.section.start}:${d.section.end}` : ''}\u0001${d.parsed.text}`),
        String(unit.ids.length),
      ].join('\u0000'),
    );
  }

  /** The catalog after the first `count` ups (the caller never changes it: checks work on copies). */
  private catalogBefore(units: Unit[], sigs: string[], count: number, source: LeftoversSource): Catalog {
    const usable = (x?: Snapshot) => x && x.count <= count && samePrefix(x.sigs, sigs, x.count);
    const candidates = [this.before, this.next].filter(usable) as Snapshot[];
    const base = candidates.sort((x, y) => y.count - x.count)[0];
    if (base && base === this.next && base.count === count) {
      const over = this.overOf.get(base.catalog);
      if (over && over === this.before?.catalog && this.before.uses <= 1) {
        // Walking forward (the CLI): `before` will not be asked for again; fold the copy into it, so copies stay one
        // level over a plain root (iterating a copy of a copy costs more).
        this.before = { sigs, count, catalog: commitCatalog(base.catalog, over), uses: 1 };
        this.next = undefined;
        return this.before.catalog;
      }
      // Keep copies at most two deep over `before` (kept for the editor, which checks one migration again and again):
      // a copy over a copy is folded into the one under it, at the cost of what the last migration touched.
      if (over && over !== this.before?.catalog) this.next = { ...base, catalog: commitCatalog(base.catalog, over) };
      return this.next!.catalog;
    }
    if (this.before && base === this.before && base.count === count) {
      this.before.uses++;
      return this.before.catalog;
    }
    if (base?.count === count) return base.catalog;
    // Moving forward in place: fold the copies into the catalog under them (`before` is replaced).
    let catalog = base?.catalog ?? rootCatalog(source.base?.() ?? emptyCatalog());
    for (let over = this.overOf.get(catalog); over; over = this.overOf.get(catalog)) catalog = commitCatalog(catalog, over);
    for (const unit of units) {
      if (unit.first < (base?.count ?? 0)) continue;
      if (unit.first >= count) break;
      for (const up of upsOf(unit, source)) applyUp(catalog, up);
    }
    this.before = { sigs, count, catalog, uses: 1 };
    this.next = undefined;
    return catalog;
  }
}
