// The analysed workspace: file texts (open editors over disk), parses, migration layout and catalog, kept incrementally.
import type { Catalog } from '../catalog/types';
import { analyzeFile, StatementCache, type Finding } from '../analyze';
import type { Config, ProjectConfig } from '../config';
import type { Migration, WorkspaceFiles, WorkspaceLayout } from '../migrations';
import { buildProjects, type Project, type ProjectModel } from '../projects';
import { reparse } from '../parse/incremental';
import type { LeftoverReport } from '../rollback/leftovers';
import { LeftoversCache, type LeftoversSource } from '../rollback/leftovers-pass';
import { parseSql, type ParsedSql, type Statement } from '../parse/parse';
import type { Rule } from '../rules/rule';
import type { FileInfo } from './file-info';
import { ddlSignature } from './ddl';
import { ProjectCatalogs, type CatalogInputs } from './project-catalogs';
import { platformCatalog } from '../projects/platform-catalog';
import type { DerivedStore, SourceKind } from './derived-store';

export interface WorkspaceOptions {
  files: WorkspaceFiles;
  /** The effective configuration for a file (the nearest pgdba.json, merged with defaults). */
  configFor(path: string): Config;
  /** The configured projects, paths relative to the workspace root (default: the root pgdba.json's `projects`). */
  projects?(): readonly ProjectConfig[];
  rules?: readonly Rule[];
  /**
   * Every file is analysed, once (`pgdba check`): no statement's rule results are kept for a next analysis (an editor
   * analyses a file again on every edit), and a project's catalog comes out of the partial-rollback pass, which checks
   * every migration on the way (each up is applied once for both).
   */
  singlePass?: boolean;
  /** What an earlier run derived (signatures, catalogs, partial-rollback reports), to take instead of deriving it. */
  store?: DerivedStore;
}

interface ParseEntry {
  parsed: ParsedSql;
  /** The DDL signature as a schema file (made with the parse: every catalog check compares it). */
  ddl: string;
  /** As a migration (made when first asked). */
  migrationDdl?: string;
}

/** A part of a file that plays one role: a whole file, or one section of a dbmate file. */
export interface FilePart extends FileInfo {
  statements?: Statement[];
}

const FULL = Number.MAX_SAFE_INTEGER;

export class Workspace {
  private readonly overlays = new Map<string, string>();
  private readonly disk = new Map<string, string | undefined>();
  private readonly parses = new Map<string, ParseEntry>();
  private layoutCache?: { model: ProjectModel; parts: Map<string, FileInfo[]>; order: string[]; ignored: Set<string> };
  private readonly catalogs = new ProjectCatalogs();
  private readonly ruleCaches = new Map<string, { catalog: Catalog; config: Config; cache: StatementCache }>();
  /** Per project: a migration's partial rollback is checked on its own project's migrations only. */
  private readonly leftoversCaches = new Map<string, LeftoversCache>();
  /** Bumped by every change of texts or files: while it stays the same, caches over every file (the checked catalog,
   * partial rollbacks) need no new check. */
  private edits = 0;

  constructor(private readonly options: WorkspaceOptions) {}

  /** Changes with every edit of a text or a file: equal generations mean equal findings (for the same configs). */
  get generation(): number {
    return this.edits;
  }

  /** Sets the text of an open editor (it wins over disk). */
  setOverlay(path: string, text: string): void {
    if (this.overlays.get(path) !== text) this.edits++;
    // A file the layout has not listed (new, or created on disk since the last listing, before the watcher said so)
    // may join a project: discover again.
    const known = this.overlays.has(path) || (this.diskText(path) !== undefined && (!this.layoutCache || this.layoutCache.parts.has(path)));
    this.overlays.set(path, text);
    if (!known) this.layoutCache = undefined;
  }

  clearOverlay(path: string): void {
    this.edits++;
    this.overlays.delete(path);
    this.parses.delete(path);
    for (const key of this.ruleCaches.keys()) if (key.startsWith(`${path}\u0000`)) this.ruleCaches.delete(key);
  }

  /** A file changed on disk. */
  fileChanged(path: string): void {
    this.edits++;
    this.disk.delete(path);
    if (!this.overlays.has(path)) this.parses.delete(path);
  }

  /** Files were created, deleted or renamed: the layout is discovered again. */
  filesChanged(): void {
    this.edits++;
    this.disk.clear();
    this.layoutCache = undefined;
  }

  private diskText(path: string): string | undefined {
    if (!this.disk.has(path)) this.disk.set(path, this.options.files.read(path));
    return this.disk.get(path);
  }

  text(path: string): string | undefined {
    return this.overlays.get(path) ?? this.diskText(path);
  }

  /** The parse of a file, reusing the previous parse of the same file for the statements an edit did not touch. */
  parsed(path: string): ParsedSql | undefined {
    const text = this.text(path);
    if (text === undefined) return undefined;
    const prev = this.parses.get(path);
    if (prev && prev.parsed.text === text) return prev.parsed;
    const parsed = prev ? reparse(prev.parsed, text) : parseSql(text);
    this.parses.set(path, { parsed, ddl: ddlSignature(parsed) });
    // Section boundaries (dbmate markers) move with the text: discover that file's sections again.
    if (prev && this.layoutCache?.parts.get(path)?.some((p) => p.section)) this.layoutCache = undefined;
    return parsed;
  }

  /**
   * The signature of what a file builds into a catalog when it runs as a migration or as a schema file (see
   * ddlSignature): from its parse, or from the store for a text it has seen (without parsing it); undefined when the
   * file cannot be read.
   */
  ddl(path: string, kind: SourceKind): string | undefined {
    const text = this.text(path);
    if (text === undefined) return undefined;
    const store = this.options.store;
    let entry = this.parses.get(path);
    if (entry?.parsed.text !== text) {
      const known = store?.signature(text, kind);
      if (known !== undefined) return known;
      this.parsed(path);
      entry = this.parses.get(path)!;
    }
    const signature = kind === 'schema' ? entry.ddl : (entry.migrationDdl ??= ddlSignature(entry.parsed, 'migration'));
    store?.keepSignature(text, kind, signature);
    return signature;
  }

  layout(): WorkspaceLayout {
    return this.layoutState().model.layout;
  }

  /** The workspace's projects (each migrations folder, sqlc file or pgdba.json project, and the files they hold). */
  projects(): ProjectModel {
    return this.layoutState().model;
  }

  /** The project a file belongs to; undefined for a file that is ignored, excluded or not in the workspace. */
  projectOf(path: string): Project | undefined {
    const model = this.layoutState().model;
    const i = model.projectOf.get(path);
    return i === undefined ? undefined : model.projects[i];
  }

  /** Ignored by .gitignore (the node layer says) or under a configured `exclude` prefix: no project, no finding. */
  isExcluded(path: string): boolean {
    if (this.options.files.ignored?.(path)) return true;
    return this.options.configFor(path).exclude.some((prefix) => path.startsWith(prefix));
  }

  private layoutState() {
    if (this.layoutCache) return this.layoutCache;
    const files: WorkspaceFiles = {
      list: () => {
        const all = new Set(this.options.files.list());
        for (const p of this.overlays.keys()) all.add(p);
        return [...all].filter((p) => !this.isExcluded(p));
      },
      read: (p) => this.text(p),
    };
    const configured = this.options.projects ? this.options.projects() : this.options.configFor('pgdba.json').projects;
    const model = buildProjects(files, configured);
    const layout = model.layout;
    const parts = new Map<string, FileInfo[]>();
    const add = (path: string, info: FileInfo) => parts.set(path, [...(parts.get(path) ?? []), info]);
    const order: string[] = [];
    for (const m of layout.migrations) {
      add(m.up.path, this.part(m.up, 'migration-up', m, m.transaction));
      order.push(m.up.path);
      if (m.down) add(m.down.path, this.part(m.down, 'migration-down', m, m.downTransaction ?? m.transaction));
      if (m.verify) add(m.verify.path, this.part(m.verify, 'migration-verify', m, 'none'));
    }
    for (const p of model.projects.flatMap((project) => [...project.schema, ...project.queries]).sort()) {
      if (!parts.has(p)) {
        add(p, { path: p, role: 'plain', transaction: 'none' });
        order.push(p);
      }
    }
    // Files for other databases (pop's mysql/sqlite variants) never run on PostgreSQL: they are not analysed.
    const ignored = new Set(layout.ignored.map((i) => i.path));
    this.layoutCache = { model, parts, order, ignored };
    this.catalogs.clear();
    return this.layoutCache;
  }

  private part(
    section: { path: string; start: number; end: number },
    role: FileInfo['role'],
    migration: Migration,
    transaction: FileInfo['transaction'],
  ): FileInfo {
    const whole = section.start === 0 && section.end >= FULL;
    return {
      path: section.path,
      role,
      migration,
      transaction,
      section: whole ? undefined : { start: section.start, end: section.end },
      readPart: (s) => this.parsed(s.path),
      ...(role === 'migration-up' ? { leftovers: () => this.leftovers(migration.id) } : {}),
    };
  }

  /**
   * What a migration's hand-written down leaves behind (see `LeftoversCache`), on the catalog its own project's earlier
   * migrations build (another service's migrations in the same repository never run on that database).
   */
  leftovers(migrationId: string): LeftoverReport | undefined {
    const up = this.layout().migrations.find((m) => m.id === migrationId)?.up.path;
    const { cache, source } = this.rollbackPass(up === undefined ? undefined : this.projectOf(up));
    return cache.get(migrationId, source, this.edits);
  }

  private rollbackPass(project: Project | undefined): { cache: LeftoversCache; source: LeftoversSource } {
    const name = project?.name ?? '';
    let cache = this.leftoversCaches.get(name);
    if (!cache) this.leftoversCaches.set(name, (cache = new LeftoversCache()));
    const source = {
      migrations: project?.migrations ?? this.layout().migrations,
      parsed: (p: string) => this.parsed(p),
      ddl: (p: string) => this.ddl(p, 'migration'),
      store: this.options.store,
      base: () => platformCatalog(project?.layout),
    };
    return { cache, source };
  }

  /** The roles a file plays (several for a dbmate file); a file outside any layout is plain SQL. */
  fileParts(path: string): FileInfo[] {
    const state = this.layoutState();
    if (state.ignored.has(path) || this.isExcluded(path)) return [];
    return state.parts.get(path) ?? [{ path, role: 'plain', transaction: 'none' }];
  }

  /**
   * The catalog a file is analysed against: its project's schema sources applied in order (see `schemaSources`).
   * Without a path, every project's (for whole-workspace reports). Rebuilt only when the sources' DDL changed.
   */
  catalog(path?: string): Catalog {
    const { model } = this.layoutState();
    const io: CatalogInputs = {
      parsed: (p) => this.parsed(p),
      ddl: (p, kind) => this.ddl(p, kind),
      store: this.options.store,
      afterMigrations: this.options.singlePass
        ? (project) => {
            const { cache, source } = this.rollbackPass(project);
            return cache.catalogAfterAll(source, this.edits);
          }
        : undefined,
    };
    if (path === undefined) return this.catalogs.get('\u0000all', model.projects, io, this.edits);
    const project = this.projectOf(path);
    // A file no project holds (a loose file given by path): its own DDL only.
    if (!project)
      return this.catalogs.get(
        `\u0000file:${path}`,
        [{ name: path, root: '', layout: 'plain', migrations: [], schema: [], queries: [path], origin: 'plain', notes: [] }],
        io,
        this.edits,
      );
    return this.catalogs.get(project.name, [project], io, this.edits);
  }

  /** Findings for one file (all of its parts). */
  analyze(path: string): Finding[] {
    const parsed = this.parsed(path);
    if (!parsed || this.isExcluded(path)) return [];
    const catalog = this.catalog(path);
    const config = this.options.configFor(path);
    const out: Finding[] = [];
    for (const part of this.fileParts(path)) {
      const cache = this.options.singlePass ? undefined : this.ruleCache(part, catalog, config);
      out.push(...analyzeFile({ file: part, parsed, catalog, config, rules: this.options.rules, cache }));
    }
    return dedupe(out);
  }

  /** Per-statement rule results for one file part, valid while the catalog and the config stay the same objects. */
  private ruleCache(part: FileInfo, catalog: Catalog, config: Config): StatementCache {
    const key = `${part.path}\u0000${part.role}`;
    const hit = this.ruleCaches.get(key);
    if (hit && hit.catalog === catalog && hit.config === config) return hit.cache;
    const cache = new StatementCache();
    this.ruleCaches.set(key, { catalog, config, cache });
    return cache;
  }

  /** Every SQL file the workspace knows, in catalog order then the rest (down and verify parts). */
  sqlFiles(): string[] {
    const { parts, order } = this.layoutState();
    const inOrder = new Set(order);
    const rest = [...parts.keys()].filter((p) => !inOrder.has(p)).sort();
    return [...order, ...rest];
  }
}

/** A dbmate file is analysed once per section; file-level findings (syntax errors, suppressions) must appear once. */
function dedupe(findings: Finding[]): Finding[] {
  const seen = new Set<string>();
  return findings.filter((f) => {
    const key = `${f.rule}:${f.start}:${f.end}:${f.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
