// Tables and indexes created earlier in the same file: they are empty and unseen by other sessions, so no lock or rewrite rule fires on them.
import type { CreateStmt, IndexStmt, RangeVar, VariableSetStmt } from '@pgsql/types';
import { as, constValue, listName, strs, unwrap, walk, type QName } from '../parse/ast';
import type { Statement } from '../parse/parse';
import type { Catalog } from '../catalog/types';
import { defineFact, type FactContext } from './file-facts';

/** A relation reference as found in the AST (RangeVar) or in a name list. */
export type RelationRef = { schemaname?: string; relname?: string } | QName;

interface Life {
  /** Statement index (in the parse) that created it. */
  created: number;
  /** Statement index that dropped or renamed it away. */
  gone?: number;
}

export interface CreatedInFile {
  /** The effective search_path before a statement ran (SET search_path and set_config are followed). */
  searchPath(at: Statement): string[];
  /** The `schema.name` key a relation reference resolves to at a statement. */
  resolve(ref: RelationRef, at: Statement): string;
  /** Whether the relation was created earlier in this file (and still exists at `at`). */
  isNewTable(ref: RelationRef, at: Statement): boolean;
  /** Whether the index was created earlier in this file, or belongs to a table that was. */
  isNewIndex(ref: QName, at: Statement): boolean;
  /** The table key an index belongs to (from this file or the catalog), when known. */
  indexTable(ref: QName, at: Statement): string | undefined;
  /** Whether the column was added earlier in this file (or its table was created here). */
  isNewColumn(ref: RelationRef, column: string, at: Statement): boolean;
  /** Whether a later statement of the file drops the table: then only that DROP's lock matters. */
  isDroppedLater(ref: RelationRef, at: Statement): boolean;
  /** New, or dropped later in the file: no lock or rewrite on it can hurt beyond the CREATE / DROP itself. */
  isTransient(ref: RelationRef, at: Statement): boolean;
  /** The index is new, or belongs to a table that is new or dropped later in the file. */
  isTransientIndex(ref: QName, at: Statement): boolean;
}

function refParts(ref: RelationRef): { schema?: string; name: string } {
  if ('relname' in ref || 'schemaname' in ref) {
    const r = ref as { schemaname?: string; relname?: string };
    return { schema: r.schemaname || undefined, name: r.relname ?? '' };
  }
  const q = ref as QName;
  return { schema: q.schema, name: q.name };
}

/** A search_path value list as PostgreSQL reads it: comma-separated, optionally quoted, `$user` skipped. */
export function parseSearchPath(values: string[]): string[] {
  return values
    .flatMap((v) => v.split(','))
    .map((p) => p.trim())
    .map((p) => (p.startsWith('"') ? p.slice(1, -1).replace(/""/g, '"') : p.toLowerCase()))
    .filter((p) => p && p !== '$user');
}

const QUERY_KINDS = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt', 'ExplainStmt', 'CopyStmt']);

/** A new search_path set by this statement (SET / SET LOCAL search_path, or SELECT set_config('search_path', …)). */
function searchPathSet(stmt: Statement): string[] | undefined {
  const set = as<VariableSetStmt>(stmt.node, 'VariableSetStmt');
  if (set && set.name === 'search_path') {
    if (set.kind === 'VAR_SET_VALUE') return parseSearchPath((set.args ?? []).map((a) => constValue(a)).filter((v): v is string => typeof v === 'string'));
    if (set.kind === 'VAR_RESET' || set.kind === 'VAR_SET_DEFAULT') return ['public'];
  }
  if (stmt.kind !== 'SelectStmt') return undefined;
  let found: string[] | undefined;
  walk(stmt.node, (kind, value) => {
    if (kind !== 'FuncCall') return;
    const name = strs(value.funcname).pop();
    const args = Array.isArray(value.args) ? value.args : [];
    if (name === 'set_config' && constValue(args[0]) === 'search_path' && typeof constValue(args[1]) === 'string') {
      found = parseSearchPath([constValue(args[1]) as string]);
    }
  });
  return found;
}

class Tracker implements CreatedInFile {
  private readonly paths = new Map<number, string[]>();
  private readonly tables = new Map<string, Life[]>();
  private readonly indexes = new Map<string, Life & { table: string }>();
  private readonly columns = new Map<string, number>();
  private readonly drops = new Map<string, number[]>();
  private readonly truncated = new Map<string, number>();
  private path: string[] = ['public'];

  constructor(
    private readonly catalog: Catalog,
    private readonly filePath: string,
    /** For a down migration: the path of its up part, whose tables belong to this migration. */
    private readonly upPath?: string,
  ) {}

  searchPath(at: Statement): string[] {
    return this.paths.get(at.index) ?? this.path;
  }

  private alive(key: string, at: number): boolean {
    return (this.tables.get(key) ?? []).some((l) => l.created < at && (l.gone === undefined || l.gone >= at));
  }

  resolve(ref: RelationRef, at: Statement): string {
    const { schema, name } = refParts(ref);
    if (schema) return `${schema}.${name}`;
    const path = ['pg_temp', ...this.searchPath(at)];
    for (const s of path) {
      const key = `${s}.${name}`;
      if (this.alive(key, at.index) || this.catalog.tables.has(key)) return key;
    }
    return `${this.searchPath(at)[0] ?? 'public'}.${name}`;
  }

  isNewTable(ref: RelationRef, at: Statement): boolean {
    return this.alive(this.resolve(ref, at), at.index);
  }

  private indexKey(ref: QName, at: Statement): string | undefined {
    const schemas = ref.schema ? [ref.schema] : ['pg_temp', ...this.searchPath(at)];
    for (const s of schemas) {
      const key = `${s}.${ref.name}`;
      if (this.indexes.has(key) || this.catalog.indexes.has(key)) return key;
    }
    return undefined;
  }

  indexTable(ref: QName, at: Statement): string | undefined {
    const key = this.indexKey(ref, at);
    if (!key) return undefined;
    return this.indexes.get(key)?.table ?? this.catalog.indexes.get(key)?.table;
  }

  isNewIndex(ref: QName, at: Statement): boolean {
    const key = this.indexKey(ref, at);
    if (!key) return false;
    const own = this.indexes.get(key);
    if (own && own.created < at.index && (own.gone === undefined || own.gone >= at.index)) return true;
    const table = this.indexTable(ref, at);
    return table !== undefined && this.alive(table, at.index);
  }

  isNewColumn(ref: RelationRef, column: string, at: Statement): boolean {
    if (this.isNewTable(ref, at)) return true;
    const added = this.columns.get(`${this.resolve(ref, at)}\u0000${column}`);
    return added !== undefined && added < at.index;
  }

  isDroppedLater(ref: RelationRef, at: Statement): boolean {
    return (this.drops.get(this.resolve(ref, at)) ?? []).some((d) => d > at.index);
  }

  isTransient(ref: RelationRef, at: Statement): boolean {
    const key = this.resolve(ref, at);
    return this.isNewTable(ref, at) || this.isDroppedLater(ref, at) || this.ownedByUp(key) || this.emptied(key, at);
  }

  /** TRUNCATE earlier in the file left the table empty (and, in a transaction, ACCESS EXCLUSIVE-locked until COMMIT). */
  private emptied(key: string, at: Statement): boolean {
    const t = this.truncated.get(key);
    return t !== undefined && t < at.index;
  }

  /** A down migration undoing its own up: the tables that up created are this migration's, not the application's yet. */
  private ownedByUp(key: string): boolean {
    return this.upPath !== undefined && this.catalog.tables.get(key)?.loc.file === this.upPath;
  }

  isTransientIndex(ref: QName, at: Statement): boolean {
    if (this.isNewIndex(ref, at)) return true;
    const table = this.indexTable(ref, at);
    if (!table) return false;
    const dot = table.indexOf('.');
    return this.isDroppedLater({ schema: table.slice(0, dot), name: table.slice(dot + 1) }, at) || this.ownedByUp(table);
  }

  private create(key: string, at: number): void {
    this.tables.set(key, [...(this.tables.get(key) ?? []), { created: at }]);
  }

  private drop(key: string, at: number): void {
    for (const l of this.tables.get(key) ?? []) if (l.gone === undefined) l.gone = at;
  }

  /** CREATE TABLE IF NOT EXISTS creates nothing when an earlier file already made the table. */
  private existedBefore(key: string): boolean {
    const t = this.catalog.tables.get(key);
    return t !== undefined && t.loc.file !== this.filePath;
  }

  private createRelation(rv: RangeVar | undefined, stmt: Statement, ifNotExists: boolean): void {
    if (!rv?.relname) return;
    const schema = rv.schemaname || (rv.relpersistence === 't' ? 'pg_temp' : (this.path[0] ?? 'public'));
    const key = `${schema}.${rv.relname}`;
    if (ifNotExists && !this.alive(key, stmt.index + 1) && this.existedBefore(key)) return;
    this.create(key, stmt.index);
  }

  apply(stmt: Statement): void {
    this.paths.set(stmt.index, this.path);
    // Queries create nothing; only a set_config('search_path', …) among them matters. Deciding by kind and text keeps
    // the (lazily shifted) AST of the file's other statements untouched.
    if (QUERY_KINDS.has(stmt.kind) && !/set_config/i.test(stmt.text)) return;
    const u = unwrap(stmt.node);
    if (!u) return;
    const v = u.value;
    switch (u.kind) {
      case 'CreateStmt': {
        const c = v as CreateStmt;
        this.createRelation(c.relation, stmt, c.if_not_exists === true);
        break;
      }
      case 'CreateSeqStmt':
        this.createRelation(v.sequence as RangeVar, stmt, v.if_not_exists === true);
        break;
      case 'CreateForeignTableStmt':
        this.createRelation((v.base as CreateStmt | undefined)?.relation, stmt, false);
        break;
      case 'CreateTableAsStmt':
        this.createRelation((v.into as { rel?: RangeVar } | undefined)?.rel, stmt, v.if_not_exists === true);
        break;
      case 'SelectStmt':
        this.createRelation((v.intoClause as { rel?: RangeVar } | undefined)?.rel, stmt, false);
        break;
      case 'ViewStmt':
        this.createRelation(v.view as RangeVar, stmt, false);
        break;
      case 'AlterTableStmt': {
        const rel = v.relation as RangeVar | undefined;
        if (!rel) break;
        const key = this.resolve(rel, stmt);
        for (const c of (v.cmds as unknown[]) ?? []) {
          const cmd = as<{ subtype?: string; def?: unknown }>(c, 'AlterTableCmd');
          const col = cmd?.subtype === 'AT_AddColumn' ? as<{ colname?: string }>(cmd.def, 'ColumnDef')?.colname : undefined;
          if (col && !this.columns.has(`${key}\u0000${col}`)) this.columns.set(`${key}\u0000${col}`, stmt.index);
        }
        break;
      }
      case 'IndexStmt': {
        const s = v as IndexStmt;
        if (!s.idxname || !s.relation) break;
        const table = this.resolve(s.relation, stmt);
        const key = `${table.split('.')[0]}.${s.idxname}`;
        if (s.if_not_exists && this.catalog.indexes.get(key) && this.catalog.indexes.get(key)?.loc.file !== this.filePath) break;
        this.indexes.set(key, { created: stmt.index, table });
        break;
      }
      case 'RenameStmt': {
        const rel = v.relation as RangeVar | undefined;
        const type = v.renameType as string;
        const newname = v.newname as string | undefined;
        if (!rel || !newname) break;
        if (type === 'OBJECT_TABLE' || type === 'OBJECT_VIEW' || type === 'OBJECT_MATVIEW' || type === 'OBJECT_FOREIGN_TABLE') {
          const old = this.resolve(rel, stmt);
          if (this.alive(old, stmt.index)) {
            this.drop(old, stmt.index);
            this.create(`${old.split('.')[0]}.${newname}`, stmt.index);
          }
        } else if (type === 'OBJECT_INDEX') {
          const key = this.indexKey({ schema: rel.schemaname || undefined, name: rel.relname ?? '' }, stmt);
          const own = key ? this.indexes.get(key) : undefined;
          if (key && own) this.indexes.set(`${key.split('.')[0]}.${newname}`, { ...own });
        }
        break;
      }
      case 'AlterObjectSchemaStmt': {
        const rel = v.relation as RangeVar | undefined;
        const to = v.newschema as string | undefined;
        if (!rel || !to) break;
        const old = this.resolve(rel, stmt);
        if (this.alive(old, stmt.index)) {
          this.drop(old, stmt.index);
          this.create(`${to}.${rel.relname}`, stmt.index);
        }
        break;
      }
      case 'TruncateStmt':
        for (const r of (v.relations as unknown[]) ?? []) {
          const rv = as<RangeVar>(r, 'RangeVar');
          if (rv) this.truncated.set(this.resolve(rv, stmt), stmt.index);
        }
        break;
      case 'DropStmt': {
        const type = v.removeType as string;
        for (const o of (v.objects as unknown[]) ?? []) {
          const q = listName(as<{ items?: unknown[] }>(o, 'List')?.items ?? []);
          if (!q) continue;
          if (type === 'OBJECT_INDEX') {
            const key = this.indexKey(q, stmt);
            const own = key ? this.indexes.get(key) : undefined;
            if (own && own.gone === undefined) own.gone = stmt.index;
          } else if (type === 'OBJECT_TABLE' || type === 'OBJECT_VIEW' || type === 'OBJECT_MATVIEW' || type === 'OBJECT_FOREIGN_TABLE') {
            const key = this.resolve(q, stmt);
            this.drop(key, stmt.index);
            this.drops.set(key, [...(this.drops.get(key) ?? []), stmt.index]);
          }
        }
        break;
      }
      default:
        break;
    }
    const path = searchPathSet(stmt);
    if (path) this.path = path.length ? path : ['public'];
  }
}

export function trackCreated(ctx: Pick<FactContext, 'statements' | 'catalog' | 'file'>): CreatedInFile {
  const up = ctx.file.role === 'migration-down' ? ctx.file.migration?.up.path : undefined;
  const tracker = new Tracker(ctx.catalog, ctx.file.path, up);
  for (const stmt of ctx.statements) tracker.apply(stmt);
  return tracker;
}

/** Relations and indexes created earlier in the file (or section) being analysed, with search_path resolution. */
export const createdInFile = defineFact('created-in-file', (ctx): CreatedInFile => trackCreated(ctx));
