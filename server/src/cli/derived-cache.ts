// The derived part of a checked path's cache entry (see core/workspace/derived-store.ts): DDL signatures by file text,
// project catalogs and partial-rollback reports by digests of their inputs. A run that analyses part of a project (one
// file edited) takes the catalog and the reports instead of parsing and replaying every migration. Kept with V8's
// serializer (catalogs hold Maps, Sets and shared AST nodes); anything unreadable, foreign or from another version is
// ignored and written again.
import { readFileSync } from 'node:fs';
import { deserialize, serialize } from 'node:v8';
import type { Catalog } from '../core/catalog/types';
import type { LeftoverReport } from '../core/rollback/leftovers';
import type { DerivedStore, SourceKind } from '../core/workspace/derived-store';

const KIND = 'pgdba-derived';
const SCHEMA = 2;

/** Hits, for `--cache` statistics and tests. */
export interface DerivedStats {
  signaturesReused: number;
  catalogsReused: number;
  rollbacksReused: number;
}

interface Parts {
  signatures: Map<string, string>;
  catalogs: Map<string, Uint8Array>;
  leftovers: Map<string, LeftoverReport>;
}

const empty = (): Parts => ({ signatures: new Map(), catalogs: new Map(), leftovers: new Map() });

function isPairs(x: unknown, value: (v: unknown) => boolean): x is [string, unknown][] {
  return Array.isArray(x) && x.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string' && value(p[1]));
}

export class DerivedCache implements DerivedStore {
  private stored?: Parts;
  /** What this run asked for or made: written back, with stored entries it did not use while there is room. */
  private readonly used = empty();
  private added = false;
  private readonly digests = new Map<SourceKind, Map<string, string>>();

  constructor(
    private readonly file: string,
    private readonly version: string,
    readonly digest: (text: string) => string,
    private readonly stats: DerivedStats,
  ) {}

  private parts(): Parts {
    if (this.stored) return this.stored;
    this.stored = empty();
    try {
      const x = deserialize(readFileSync(this.file)) as Record<string, unknown> | null;
      if (
        x?.kind === KIND &&
        x.schema === SCHEMA &&
        x.version === this.version &&
        isPairs(x.signatures, (v) => typeof v === 'string') &&
        isPairs(x.catalogs, (v) => v instanceof Uint8Array) &&
        isPairs(x.leftovers, (v) => !!v && typeof v === 'object')
      ) {
        this.stored = {
          signatures: new Map(x.signatures as [string, string][]),
          catalogs: new Map(x.catalogs as [string, Uint8Array][]),
          leftovers: new Map(x.leftovers as [string, LeftoverReport][]),
        };
      }
    } catch {
      // Missing or corrupt: everything is derived again, then written.
    }
    return this.stored;
  }

  private textKey(text: string, kind: SourceKind): string {
    let byText = this.digests.get(kind);
    if (!byText) this.digests.set(kind, (byText = new Map()));
    let d = byText.get(text);
    if (d === undefined) byText.set(text, (d = this.digest(`${kind}\u0000${text}`)));
    return d;
  }

  signature(text: string, kind: SourceKind): string | undefined {
    const key = this.textKey(text, kind);
    const found = this.used.signatures.get(key) ?? this.parts().signatures.get(key);
    if (found !== undefined && !this.used.signatures.has(key)) {
      this.used.signatures.set(key, found);
      this.stats.signaturesReused++;
    }
    return found;
  }

  keepSignature(text: string, kind: SourceKind, signature: string): void {
    const key = this.textKey(text, kind);
    if (this.used.signatures.get(key) === signature) return;
    this.used.signatures.set(key, signature);
    if (this.parts().signatures.get(key) !== signature) this.added = true;
  }

  catalog(inputs: string): Catalog | undefined {
    const bytes = this.used.catalogs.get(inputs) ?? this.parts().catalogs.get(inputs);
    if (!bytes) return undefined;
    let catalog: Catalog;
    try {
      catalog = deserialize(bytes) as Catalog;
    } catch {
      return undefined;
    }
    if (!(catalog?.tables instanceof Map)) return undefined;
    this.used.catalogs.set(inputs, bytes);
    this.stats.catalogsReused++;
    return catalog;
  }

  keepCatalog(inputs: string, catalog: Catalog): void {
    // Serialized now: what is kept is the catalog as built, whatever happens to the object later.
    this.used.catalogs.set(inputs, serialize(catalog));
    this.added = true;
  }

  leftovers(inputs: string): LeftoverReport | undefined {
    const found = this.used.leftovers.get(inputs) ?? this.parts().leftovers.get(inputs);
    if (found && !this.used.leftovers.has(inputs)) {
      this.used.leftovers.set(inputs, found);
      this.stats.rollbacksReused++;
    }
    return found;
  }

  keepLeftovers(inputs: string, report: LeftoverReport): void {
    this.used.leftovers.set(inputs, report);
    this.added = true;
  }

  /**
   * The bytes to write, or undefined when the file already holds them. Entries this run did not use stay while the
   * file holds at most twice what a run over the whole project uses (the texts of edited files, catalogs and reports
   * of schemas since changed are dropped then), so a report for a migration not touched this time survives.
   */
  output(): Uint8Array | undefined {
    const stored = this.parts();
    const room = 2 * Math.max(this.used.signatures.size, 1);
    const merged = <V>(used: Map<string, V>, old: Map<string, V>, limit: number): [string, V][] => {
      const out = new Map(used);
      if (used.size + old.size <= limit) for (const [k, v] of old) if (!out.has(k)) out.set(k, v);
      return [...out];
    };
    const signatures = merged(this.used.signatures, stored.signatures, room);
    const catalogs = merged(this.used.catalogs, stored.catalogs, 4);
    const leftovers = merged(this.used.leftovers, stored.leftovers, room);
    const same = signatures.length === stored.signatures.size && catalogs.length === stored.catalogs.size && leftovers.length === stored.leftovers.size;
    if (!this.added && same) return undefined;
    return serialize({ kind: KIND, schema: SCHEMA, version: this.version, signatures, catalogs, leftovers });
  }
}
