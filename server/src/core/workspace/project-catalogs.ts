// One schema catalog per project, built from the project's schema sources and rebuilt only when their DDL changed.
import { applyStatement, newApplyState } from '../catalog/build';
import { emptyCatalog, type Catalog } from '../catalog/types';
import { schemaSources, sourceStatements, type Project, type SchemaSource } from '../projects';
import type { ParsedSql } from '../parse/parse';

export interface CatalogInputs {
  parsed(path: string): ParsedSql | undefined;
  /** The DDL signature of a parsed file run as the given kind of source (see ddlSignature). */
  ddl(path: string, kind: SchemaSource['kind']): string;
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
  get(key: string, projects: readonly Project[], io: CatalogInputs, edits: number): Catalog {
    const cached = this.entries.get(key);
    if (cached && cached.checked === edits) return cached.catalog;
    const sources = projects.flatMap(schemaSources);
    const kinds = new Map(sources.map((s) => [s.path, s.kind]));
    if (cached && kinds.size === cached.inputs.size && [...kinds].every(([p, kind]) => io.parsed(p) && io.ddl(p, kind) === cached.inputs.get(p))) {
      cached.checked = edits;
      return cached.catalog;
    }
    const catalog = emptyCatalog();
    const inputs = new Map<string, string>();
    for (const source of sources) {
      const parsed = io.parsed(source.path);
      if (!parsed) continue;
      inputs.set(source.path, io.ddl(source.path, source.kind));
      const state = newApplyState(source.path, { refuse: source.kind === 'migration' });
      for (const stmt of sourceStatements(source, parsed)) applyStatement(catalog, stmt, state);
    }
    catalog.version = ++this.version;
    // A source that could not be read fails the check above: such a catalog is built again each time.
    this.entries.set(key, { catalog, inputs, checked: inputs.size === kinds.size ? edits : -1 });
    return catalog;
  }
}
