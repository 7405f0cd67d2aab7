// One schema catalog per project, built from the project's schema sources and rebuilt only when their DDL changed.
import { applyStatement, newApplyState } from '../catalog/build';
import type { Catalog } from '../catalog/types';
import { platformCatalog } from '../projects/platform-catalog';
import { schemaSources, sourceStatements, type Project } from '../projects';
import type { ParsedSql } from '../parse/parse';
import type { DerivedStore, SourceKind } from './derived-store';

export interface CatalogInputs {
  parsed(path: string): ParsedSql | undefined;
  /** The DDL signature of a file run as the given kind of source (see ddlSignature); undefined when unreadable. */
  ddl(path: string, kind: SourceKind): string | undefined;
  /** Catalogs an earlier run built, by their inputs. */
  store?: DerivedStore;
  /** The catalog after a project's migrations, when something else walks them anyway (a new object, the caller's). */
  afterMigrations?(project: Project): Catalog;
}

interface Entry {
  catalog: Catalog;
  inputs: Map<string, string>;
  /** The edit count the inputs were last checked at. */
  checked: number;
}

export class ProjectCatalogs {
  private readonly entries = new Map<string, Entry>();
  private version = 0;

  /** Forget every catalog (the projects themselves changed). */
  clear(): void {
    this.entries.clear();
  }

  /**
   * The catalog after the projects' schema sources in order. `edits` is the workspace's change counter: while it stays
   * the same no input is checked again (checking every file's DDL on each call made a whole-workspace run quadratic).
   */
  get(name: string, projects: readonly Project[], io: CatalogInputs, edits: number): Catalog {
    const cached = this.entries.get(name);
    if (cached && cached.checked === edits) return cached.catalog;
    const sources = projects.flatMap(schemaSources);
    const kinds = new Map(sources.map((s) => [s.path, s.kind]));
    const inputs = new Map<string, string>();
    for (const [path, kind] of kinds) {
      const signature = io.ddl(path, kind);
      if (signature !== undefined) inputs.set(path, signature);
    }
    if (cached && inputs.size === kinds.size && cached.inputs.size === kinds.size && [...inputs].every(([p, sig]) => cached.inputs.get(p) === sig)) {
      cached.checked = edits;
      return cached.catalog;
    }
    // Everything the build reads, in order: the sources' paths (catalog locations), kinds, sections and signatures.
    const key =
      io.store &&
      inputs.size === kinds.size &&
      io.store.digest(
        sources.map((s) => [s.path, s.kind, s.section ? `${s.section.start}:${s.section.end}` : '', inputs.get(s.path)].join('\u0001')).join('\u0000'),
      );
    let catalog = key ? io.store!.catalog(key) : undefined;
    if (!catalog) {
      const walked = projects.length === 1 && projects[0].migrations.length > 0 ? io.afterMigrations?.(projects[0]) : undefined;
      // What the project's platform made before its first migration (Supabase's auth and storage schemas), if anything.
      catalog = walked ?? platformCatalog(projects[0]?.layout);
      for (const source of sources) {
        if (walked && source.kind === 'migration') continue;
        const parsed = io.parsed(source.path);
        if (!parsed) continue;
        const state = newApplyState(source.path, { refuse: source.kind === 'migration' });
        for (const stmt of sourceStatements(source, parsed)) applyStatement(catalog, stmt, state);
      }
      if (key) io.store!.keepCatalog(key, catalog);
    }
    catalog.version = ++this.version;
    // A source that could not be read fails the check above: such a catalog is built again each time.
    this.entries.set(name, { catalog, inputs, checked: inputs.size === kinds.size ? edits : -1 });
    return catalog;
  }
}
