// The outline of a file (its DDL objects and queries, sqlc query names first) and the project's symbols for workspace-wide search.
import { platformOf } from '../projects/platform';
import { as, listName, qnameText, rangeVarName, type QName } from '../parse/ast';
import type { ParsedSql, Statement } from '../parse/parse';
import type { Catalog, Loc } from '../catalog/types';
import { namesOf } from './refs';

export type SymbolKind =
  'table' | 'view' | 'column' | 'index' | 'function' | 'type' | 'policy' | 'trigger' | 'sequence' | 'schema' | 'extension' | 'alter' | 'query';

export interface OutlineSymbol {
  name: string;
  detail?: string;
  kind: SymbolKind;
  /** The whole statement (or column definition). */
  start: number;
  end: number;
  /** The name itself. */
  selectionStart: number;
  selectionEnd: number;
  children?: OutlineSymbol[];
}

const QUERY_KINDS: Record<string, string> = { SelectStmt: 'SELECT', InsertStmt: 'INSERT', UpdateStmt: 'UPDATE', DeleteStmt: 'DELETE', MergeStmt: 'MERGE' };

/** sqlc's `-- name: GetUser :one` comment just above a statement. */
function sqlcName(parsed: ParsedSql, stmt: Statement, previousEnd: number): { name: string; detail: string } | undefined {
  const before = parsed.text.slice(previousEnd, stmt.start);
  const m = /--\s*name:\s*([A-Za-z_][\w]*)\s*(:[a-z]+)?/.exec(before);
  return m ? { name: m[1], detail: m[2] ?? '' } : undefined;
}

function objectName(stmt: Statement): { name: QName; kind: SymbolKind; detail?: string } | undefined {
  const n = stmt.node;
  const create = as<{ relation?: { schemaname?: string; relname?: string } }>(n, 'CreateStmt');
  if (create) return { name: rangeVarName(create.relation as never)!, kind: 'table' };
  const view = as<{ view?: { schemaname?: string; relname?: string } }>(n, 'ViewStmt');
  if (view) return { name: rangeVarName(view.view as never)!, kind: 'view' };
  const ctas = as<{ into?: { rel?: { schemaname?: string; relname?: string } }; objtype?: string }>(n, 'CreateTableAsStmt');
  if (ctas?.into?.rel)
    return {
      name: rangeVarName(ctas.into.rel as never)!,
      kind: ctas.objtype === 'OBJECT_MATVIEW' ? 'view' : 'table',
      detail: ctas.objtype === 'OBJECT_MATVIEW' ? 'materialized view' : undefined,
    };
  const index = as<{ idxname?: string; relation?: { relname?: string } }>(n, 'IndexStmt');
  if (index) return { name: { name: index.idxname ?? '(unnamed index)' }, kind: 'index', detail: `on ${index.relation?.relname ?? ''}` };
  const fn = as<{ funcname?: unknown[]; is_procedure?: boolean }>(n, 'CreateFunctionStmt');
  if (fn) return { name: listName(fn.funcname)!, kind: 'function', detail: fn.is_procedure ? 'procedure' : 'function' };
  const en = as<{ typeName?: unknown[] }>(n, 'CreateEnumStmt');
  if (en) return { name: listName(en.typeName)!, kind: 'type', detail: 'enum' };
  const domain = as<{ domainname?: unknown[] }>(n, 'CreateDomainStmt');
  if (domain) return { name: listName(domain.domainname)!, kind: 'type', detail: 'domain' };
  const comp = as<{ typevar?: { schemaname?: string; relname?: string } }>(n, 'CompositeTypeStmt');
  if (comp?.typevar) return { name: rangeVarName(comp.typevar as never)!, kind: 'type', detail: 'composite' };
  const policy = as<{ policy_name?: string; table?: { relname?: string } }>(n, 'CreatePolicyStmt');
  if (policy) return { name: { name: policy.policy_name ?? '' }, kind: 'policy', detail: `on ${policy.table?.relname ?? ''}` };
  const trig = as<{ trigname?: string; relation?: { relname?: string } }>(n, 'CreateTrigStmt');
  if (trig) return { name: { name: trig.trigname ?? '' }, kind: 'trigger', detail: `on ${trig.relation?.relname ?? ''}` };
  const seq = as<{ sequence?: { schemaname?: string; relname?: string } }>(n, 'CreateSeqStmt');
  if (seq?.sequence) return { name: rangeVarName(seq.sequence as never)!, kind: 'sequence' };
  const schema = as<{ schemaname?: string }>(n, 'CreateSchemaStmt');
  if (schema) return { name: { name: schema.schemaname ?? '' }, kind: 'schema' };
  const ext = as<{ extname?: string }>(n, 'CreateExtensionStmt');
  if (ext) return { name: { name: ext.extname ?? '' }, kind: 'extension' };
  const alter = as<{ relation?: { schemaname?: string; relname?: string } }>(n, 'AlterTableStmt');
  if (alter?.relation) return { name: rangeVarName(alter.relation as never)!, kind: 'alter', detail: 'ALTER TABLE' };
  return undefined;
}

function nameRange(parsed: ParsedSql, stmt: Statement, name: string): { selectionStart: number; selectionEnd: number } {
  const ref = namesOf(parsed, stmt).refs.find((r) => r.name === name && r.start >= stmt.start && r.end <= stmt.end);
  // LSP requires the selection inside the symbol's range.
  return ref ? { selectionStart: ref.start, selectionEnd: ref.end } : { selectionStart: stmt.start, selectionEnd: stmt.start };
}

/** The outline of a file: one symbol per DDL object (tables with their columns) and per query. */
export function documentSymbols(parsed: ParsedSql): OutlineSymbol[] {
  const out: OutlineSymbol[] = [];
  let previousEnd = 0;
  for (const stmt of parsed.statements) {
    const range = { start: stmt.start, end: stmt.end };
    const named = objectName(stmt);
    if (named?.name) {
      const sym: OutlineSymbol = { name: qnameText(named.name), kind: named.kind, detail: named.detail, ...range, ...nameRange(parsed, stmt, named.name.name) };
      if (named.kind === 'table' || named.kind === 'alter') {
        const cols = namesOf(parsed, stmt).refs.filter((r) => r.kind === 'column' && r.definition);
        if (cols.length)
          sym.children = cols
            .filter((c) => c.start >= stmt.start && c.end <= stmt.end)
            .map((c) => ({ name: c.name, kind: 'column' as const, start: c.start, end: c.end, selectionStart: c.start, selectionEnd: c.end }));
      }
      out.push(sym);
    } else if (QUERY_KINDS[stmt.kind]) {
      const sqlc = sqlcName(parsed, stmt, previousEnd);
      const target = namesOf(parsed, stmt).refs.find((r) => r.kind === 'relation');
      const label = `${QUERY_KINDS[stmt.kind]}${target ? ` ${target.name}` : ''}`;
      out.push({
        name: sqlc?.name ?? label,
        detail: sqlc ? `${sqlc.detail} ${label}`.trim() : undefined,
        kind: 'query',
        ...range,
        selectionStart: stmt.start,
        selectionEnd: stmt.start + (/^\S+/.exec(stmt.text)?.[0].length ?? 0),
      });
    }
    previousEnd = stmt.end;
  }
  return out;
}

export interface ProjectSymbol {
  name: string;
  kind: SymbolKind;
  container?: string;
  loc: Loc;
}

/** Every named object of the catalog, filtered by a case-insensitive subsequence match of `query`. */
export function workspaceSymbols(catalog: Catalog, query: string, limit = 500): ProjectSymbol[] {
  const q = query.toLowerCase();
  const matches = (name: string) => {
    let i = 0;
    for (const ch of name.toLowerCase()) if (ch === q[i]) i++;
    return i === q.length;
  };
  const out: ProjectSymbol[] = [];
  const add = (name: string, kind: SymbolKind, loc: Loc, container?: string) => {
    // A platform's objects (Supabase's auth.users) are in no file to go to.
    if (out.length < limit && matches(name) && !platformOf(loc.file)) out.push({ name, kind, loc, container });
  };
  for (const t of catalog.tables.values()) {
    add(t.name, t.kind === 'table' || t.kind === 'foreign-table' ? 'table' : 'view', t.loc, t.schema);
    for (const c of t.columns.values()) add(c.name, 'column', c.loc, t.key);
    for (const p of t.policies) add(p.name, 'policy', p.loc, t.key);
    for (const tr of t.triggers ?? []) add(tr.name, 'trigger', tr.loc, t.key);
  }
  for (const list of catalog.functions.values()) for (const f of list) add(f.name, 'function', f.loc, f.schema);
  for (const [key, ix] of catalog.indexes) add(ix.name, 'index', ix.loc, key.slice(0, key.indexOf('.')));
  for (const e of catalog.enums.values()) add(e.key.slice(e.key.indexOf('.') + 1), 'type', e.loc, e.key.slice(0, e.key.indexOf('.')));
  for (const t of catalog.types?.values() ?? []) add(t.key.slice(t.key.indexOf('.') + 1), 'type', t.loc, t.key.slice(0, t.key.indexOf('.')));
  for (const s of catalog.sequences?.values() ?? []) if (!s.implicit) add(s.name, 'sequence', s.loc, s.schema);
  return out;
}
