// The analysed workspace: file texts (open editors over disk), parses, migration layout and catalog, kept incrementally.
import { applyStatement, newApplyState } from '../catalog/build';
import { emptyCatalog, type Catalog } from '../catalog/types';
import { analyzeFile, StatementCache, type Finding } from '../analyze';
import type { Config } from '../config';
import { discoverLayout, type Migration, type WorkspaceFiles, type WorkspaceLayout } from '../migrations';
import { reparse } from '../parse/incremental';
import type { LeftoverReport } from '../rollback/leftovers';
import { LeftoversCache } from '../rollback/leftovers-pass';
import { parseSql, type ParsedSql, type Statement } from '../parse/parse';
import type { Rule } from '../rules/rule';
import type { FileInfo } from './file-info';
import { ddlSignature } from './ddl';

export interface WorkspaceOptions {
  files: WorkspaceFiles;
  /** The effective configuration for a file (the nearest pgdba.json, merged with defaults). */
  configFor(path: string): Config;
  rules?: readonly Rule[];
}

interface ParseEntry {
  parsed: ParsedSql;
  ddl: string;
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
  private layoutCache?: { layout: WorkspaceLayout; parts: Map<string, FileInfo[]>; order: string[]; ignored: Set<string> };
  private catalogCache?: { catalog: Catalog; inputs: Map<string, string>; checked: number };
  private readonly ruleCaches = new Map<string, { catalog: Catalog; config: Config; cache: StatementCache }>();
  private readonly leftoversCache = new LeftoversCache();
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
    const known = this.overlays.has(path) || this.diskText(path) !== undefined;
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

  layout(): WorkspaceLayout {
    return this.layoutState().layout;
  }

  private layoutState() {
    if (this.layoutCache) return this.layoutCache;
    const files: WorkspaceFiles = {
      list: () => {
        const all = new Set(this.options.files.list());
        for (const p of this.overlays.keys()) all.add(p);
        return [...all];
      },
      read: (p) => this.text(p),
    };
    const layout = discoverLayout(files);
    const parts = new Map<string, FileInfo[]>();
    const add = (path: string, info: FileInfo) => parts.set(path, [...(parts.get(path) ?? []), info]);
    const order: string[] = [];
    for (const m of layout.migrations) {
      add(m.up.path, this.part(m.up, 'migration-up', m, m.transaction));
      order.push(m.up.path);
      if (m.down) add(m.down.path, this.part(m.down, 'migration-down', m, m.downTransaction ?? m.transaction));
      if (m.verify) add(m.verify.path, this.part(m.verify, 'migration-verify', m, 'none'));
    }
    for (const p of [...layout.plain].sort()) {
      if (!parts.has(p)) {
        add(p, { path: p, role: 'plain', transaction: 'none' });
        order.push(p);
      }
    }
    // Files for other databases (pop's mysql/sqlite variants) never run on PostgreSQL: they are not analysed.
    const ignored = new Set(layout.ignored.map((i) => i.path));
    this.layoutCache = { layout, parts, order, ignored };
    this.catalogCache = undefined;
    return this.layoutCache;
  }

  private part(section: { path: string; start: number; end: number }, role: FileInfo['role'], migration: Migration, transaction: FileInfo['transaction']): FileInfo {
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

  /** What a migration's hand-written down leaves behind (see `LeftoversCache`). */
  leftovers(migrationId: string): LeftoverReport | undefined {
    const source = { migrations: this.layout().migrations, parsed: (p: string) => this.parsed(p), ddl: (p: string) => this.parses.get(p)?.ddl ?? '' };
    return this.leftoversCache.get(migrationId, source, this.edits);
  }

  /** The roles a file plays (several for a dbmate file); a file outside any layout is plain SQL. */
  fileParts(path: string): FileInfo[] {
    const state = this.layoutState();
    if (state.ignored.has(path)) return [];
    return state.parts.get(path) ?? [{ path, role: 'plain', transaction: 'none' }];
  }

  /** The catalog after every migration up part in order, then every plain SQL file. Rebuilt only when DDL changed. */
  catalog(): Catalog {
    const { parts, order } = this.layoutState();
    const cached = this.catalogCache;
    // Checking every file's DDL on each call made analysing a whole workspace quadratic in its files.
    if (cached && cached.checked === this.edits) return cached.catalog;
    if (cached && order.length === cached.inputs.size && order.every((p) => this.parsed(p) && this.parses.get(p)?.ddl === cached.inputs.get(p))) {
      cached.checked = this.edits;
      return cached.catalog;
    }
    const catalog = emptyCatalog();
    const inputs = new Map<string, string>();
    for (const path of order) {
      const parsed = this.parsed(path);
      if (!parsed) continue;
      inputs.set(path, this.parses.get(path)?.ddl ?? '');
      const up = (parts.get(path) ?? []).find((p) => p.role === 'migration-up' || p.role === 'plain');
      const state = newApplyState(path);
      for (const stmt of parsed.statements) {
        if (up?.section && (stmt.start < up.section.start || stmt.start >= up.section.end)) continue;
        applyStatement(catalog, stmt, state);
      }
    }
    catalog.version = (cached?.catalog.version ?? 0) + 1;
    // A file of the order that could not be read fails the check above: such a catalog is built again each time.
    this.catalogCache = { catalog, inputs, checked: inputs.size === order.length ? this.edits : -1 };
    return catalog;
  }

  /** Findings for one file (all of its parts). */
  analyze(path: string): Finding[] {
    const parsed = this.parsed(path);
    if (!parsed) return [];
    const catalog = this.catalog();
    const config = this.options.configFor(path);
    const out: Finding[] = [];
    for (const part of this.fileParts(path)) {
      out.push(...analyzeFile({ file: part, parsed, catalog, config, rules: this.options.rules, cache: this.ruleCache(part, catalog, config) }));
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
