// Context-aware completion from the tokens before the cursor and a parse of the statement: relations, in-scope columns, functions, enum labels, keywords, ALTER TABLE commands.
import { resolveTable } from '../catalog/apply-state';
import type { Catalog, Table } from '../catalog/types';
import { ByteOffsetMap } from '../parse/offsets';
import { parseSql, scanTokens, type Token } from '../parse/parse';
import { builtinFunctions, displayType, keywords } from './builtins';
import { identName, isIdentToken, statementNames } from './refs';
import type { IntelFile, IntelProject } from './resolve';

export type CompletionKind = 'table' | 'view' | 'column' | 'function' | 'keyword' | 'enum-value' | 'command' | 'schema' | 'cte';

export interface Completion {
  label: string;
  kind: CompletionKind;
  detail?: string;
  documentation?: string;
  insertText?: string;
  /** Ranking: lower sorts first (in-scope columns, then relations, functions, keywords). */
  rank: number;
}

export interface CompletionResult {
  items: Completion[];
  /** The word being completed (replaced by the chosen item). */
  start: number;
  end: number;
}

const RELATION_KEYWORDS = new Set(['from', 'join', 'update', 'into', 'table', 'truncate', 'references', 'only']);
const ALTER_COMMANDS = [
  'ADD COLUMN',
  'DROP COLUMN',
  'ALTER COLUMN',
  'RENAME COLUMN',
  'RENAME TO',
  'ADD CONSTRAINT',
  'DROP CONSTRAINT',
  'VALIDATE CONSTRAINT',
  'ENABLE ROW LEVEL SECURITY',
  'FORCE ROW LEVEL SECURITY',
  'SET SCHEMA',
  'SET (',
  'OWNER TO',
  'ATTACH PARTITION',
  'DETACH PARTITION',
];
const COLUMN_COMMANDS = new Set(['drop column', 'alter column', 'rename column', 'drop', 'alter', 'rename']);

/** The top-level chunk of the file around the cursor: the statement being written. */
function chunkAround(file: IntelFile, offset: number): { start: number; end: number } {
  const chunk = file.parsed.chunks.find((c) => c.start <= offset && offset <= c.end) ?? file.parsed.chunks.find((c) => c.start >= offset);
  return chunk ? { start: Math.min(chunk.start, offset), end: Math.max(chunk.end, offset) } : { start: 0, end: file.parsed.text.length };
}

function lower(t: Token | undefined): string {
  return t ? t.text.toLowerCase() : '';
}

/** Relations visible in the statement (alias → table) from a parse, retried with a placeholder at the cursor. */
function scopeOf(text: string, base: number, offset: number): { relations: Map<string, { schema?: string; name: string }>; ctes: Set<string> } {
  const rel = offset - base;
  for (const candidate of [
    text,
    `${text.slice(0, rel)}__pgdba__${text.slice(rel)}`,
    `${text.slice(0, rel)}__pgdba__ ${text.slice(rel).replace(/^[^\s,)]*/, '')}`,
  ]) {
    const parsed = parseSql(candidate);
    const stmt = parsed.statements[0];
    if (parsed.errors.length || !stmt) continue;
    const names = statementNames(stmt, parsed.tokens);
    return { relations: names.relations, ctes: names.ctes };
  }
  return fromTokens(scanTokens(text, new ByteOffsetMap(text)) ?? []);
}

/** When the statement does not parse even with a placeholder: FROM/JOIN/UPDATE/INTO items read off the tokens. */
function fromTokens(tokens: Token[]): { relations: Map<string, { schema?: string; name: string }>; ctes: Set<string> } {
  const relations = new Map<string, { schema?: string; name: string }>();
  for (let i = 0; i < tokens.length; i++) {
    if (!RELATION_KEYWORDS.has(lower(tokens[i])) || !isIdentToken(tokens[i + 1])) continue;
    let j = i + 1;
    const parts = [identName(tokens[j].text)];
    while (tokens[j + 1]?.text === '.' && isIdentToken(tokens[j + 2])) {
      parts.push(identName(tokens[j + 2].text));
      j += 2;
    }
    const name = { schema: parts.length > 1 ? parts[parts.length - 2] : undefined, name: parts[parts.length - 1] };
    let k = j + 1;
    if (lower(tokens[k]) === 'as') k++;
    const alias = tokens[k] && tokens[k].name === 'IDENT' ? identName(tokens[k].text) : undefined;
    relations.set(alias ?? name.name, name);
  }
  return { relations, ctes: new Set() };
}

function relationItems(catalog: Catalog, searchPath: string[], schema: string | undefined, ctes: Set<string>): Completion[] {
  const out: Completion[] = [...ctes].map((c) => ({ label: c, kind: 'cte' as const, detail: 'WITH query', rank: 1 }));
  for (const t of catalog.tables.values()) {
    if (schema && t.schema !== schema) continue;
    const visible = searchPath.includes(t.schema);
    const insertText = !schema && !visible ? `${t.schema}.${t.name}` : undefined;
    out.push({
      label: insertText ?? t.name,
      kind: t.kind === 'table' || t.kind === 'foreign-table' ? 'table' : 'view',
      detail: `${t.kind} ${t.key} (${t.columns.size} columns)`,
      insertText,
      rank: 2,
    });
  }
  if (!schema) for (const s of catalog.schemas) if (!searchPath.includes(s)) out.push({ label: s, kind: 'schema', detail: 'schema', rank: 3 });
  return out;
}

function columnItems(t: Table, alias: string | undefined, rank: number): Completion[] {
  return [...t.columns.values()].map((c) => ({
    label: c.name,
    kind: 'column' as const,
    detail: `${c.typeSql ?? c.type}${c.notNull ? ' not null' : ''} — ${alias && alias !== t.name ? `${alias} (${t.key})` : t.key}`,
    rank,
  }));
}

function functionItems(catalog: Catalog, withBuiltins: boolean): Completion[] {
  const out: Completion[] = [];
  for (const list of catalog.functions.values()) {
    for (const f of list)
      out.push({
        label: f.name,
        kind: 'function',
        detail: `${f.schema}.${f.name}(${f.argTypes.map(displayType).join(', ')})${f.returns ? ` → ${displayType(f.returns)}` : ''}`,
        rank: 4,
      });
  }
  if (withBuiltins) {
    for (const [name, list] of builtinFunctions())
      out.push({
        label: name,
        kind: 'function',
        detail: `${name}(${list[0].args}) → ${list[0].result}${list.length > 1 ? ` (+${list.length - 1} overloads)` : ''}`,
        documentation: list[0].doc,
        rank: 6,
      });
  }
  return out;
}

function keywordItems(): Completion[] {
  return keywords().map((k) => ({ label: k.word.toUpperCase(), kind: 'keyword' as const, rank: k.category === 'R' ? 7 : 8 }));
}

/** Enum labels when the cursor follows `col =`, `col <>`, `col IN (` or a comma in that list, and col is of an enum type. */
function enumItems(catalog: Catalog, before: Token[], tables: Table[]): Completion[] {
  let i = before.length - 1;
  while (i >= 0 && (before[i].text === ',' || before[i].name === 'SCONST')) i--;
  if (before[i]?.text === '(' && lower(before[i - 1]) === 'in') i -= 2;
  else if (['=', '<>', '!='].includes(before[i]?.text ?? '')) i -= 1;
  else return [];
  const col = before[i];
  if (!isIdentToken(col)) return [];
  const name = identName(col.text);
  for (const t of tables) {
    const c = t.columns.get(name);
    const e =
      c && (catalog.enums.get(c.type) ?? catalog.enums.get(`public.${c.type}`) ?? [...catalog.enums.values()].find((x) => x.key.endsWith(`.${c.type}`)));
    if (e) return e.values.map((v) => ({ label: `'${v.replace(/'/g, "''")}'`, kind: 'enum-value' as const, detail: `${e.key} label`, rank: 0 }));
  }
  return [];
}

/** Completion items at `offset` in a file of the project. */
export function complete(project: IntelProject, file: IntelFile, offset: number): CompletionResult {
  const catalog = project.catalog;
  const searchPath = project.searchPath ?? ['public'];
  const chunk = chunkAround(file, offset);
  const text = file.parsed.text.slice(chunk.start, chunk.end);
  const beforeText = file.parsed.text.slice(chunk.start, offset);
  const before = (scanTokens(beforeText, new ByteOffsetMap(beforeText), chunk.start) ?? []).filter((t) => t.name !== 'SQL_COMMENT' && t.name !== 'C_COMMENT');
  const last = before[before.length - 1];
  const typing = last && last.end === offset && isIdentToken(last);
  const start = typing ? last.start : offset;
  const ctx = typing ? before.slice(0, -1) : before;
  const prev = ctx[ctx.length - 1];
  const result = (items: Completion[]) => ({ items, start, end: offset });

  // `x.`: columns of the relation x stands for, or the relations of schema x.
  if (prev?.text === '.' && isIdentToken(ctx[ctx.length - 2])) {
    const qualifier = identName(ctx[ctx.length - 2].text);
    if (catalog.schemas.has(qualifier) && !scopeOf(text, chunk.start, offset).relations.has(qualifier))
      return result([
        ...relationItems(catalog, searchPath, qualifier, new Set()),
        ...functionItems({ ...catalog, functions: new Map([...catalog.functions].filter(([k]) => k.startsWith(`${qualifier}.`))) }, false),
      ]);
    const rel = scopeOf(text, chunk.start, offset).relations.get(qualifier) ?? { name: qualifier };
    const t = resolveTable(catalog, rel.schema, rel.name, searchPath);
    return result(t ? columnItems(t, qualifier, 0) : []);
  }
  // ALTER TABLE t … : its commands, then its columns after DROP/ALTER/RENAME COLUMN.
  const alterAt = ctx.map(lower).lastIndexOf('alter');
  if (alterAt >= 0 && lower(ctx[alterAt + 1]) === 'table') {
    let j = alterAt + 2;
    while (['if', 'exists', 'only'].includes(lower(ctx[j]))) j++;
    const nameToks: Token[] = [];
    while (isIdentToken(ctx[j])) {
      nameToks.push(ctx[j]);
      if (ctx[j + 1]?.text !== '.') break;
      j += 2;
    }
    const rest = ctx
      .slice(j + 1)
      .map(lower)
      .join(' ');
    const table = nameToks.length
      ? resolveTable(catalog, nameToks.length > 1 ? identName(nameToks[0].text) : undefined, identName(nameToks[nameToks.length - 1].text), searchPath)
      : undefined;
    if (!nameToks.length || j >= ctx.length) return result(relationItems(catalog, searchPath, undefined, new Set()));
    if (rest === '' || rest.endsWith(',')) return result(ALTER_COMMANDS.map((c) => ({ label: c, kind: 'command' as const, rank: 1 })));
    const tail = ctx.slice(-2).map(lower).join(' ');
    if (table && (COLUMN_COMMANDS.has(tail) || COLUMN_COMMANDS.has(lower(prev)))) return result(columnItems(table, undefined, 0));
  }
  if (prev && (RELATION_KEYWORDS.has(lower(prev)) || (prev.text === ',' && inFromList(ctx)))) {
    return result(relationItems(catalog, searchPath, undefined, scopeOf(text, chunk.start, offset).ctes));
  }
  const scope = scopeOf(text, chunk.start, offset);
  const tables: Table[] = [];
  const items: Completion[] = [];
  for (const [alias, rel] of scope.relations) {
    const t = resolveTable(catalog, rel.schema, rel.name, searchPath);
    if (!t || tables.includes(t)) continue;
    tables.push(t);
    items.push(...columnItems(t, alias, 0));
  }
  const labels = enumItems(catalog, ctx, tables);
  if (labels.length) return result(labels);
  items.push(...functionItems(catalog, typing), ...(typing ? keywordItems() : []));
  if (!tables.length && typing) items.push(...relationItems(catalog, searchPath, undefined, scope.ctes).map((i) => ({ ...i, rank: 5 })));
  return result(items);
}

/** Whether the cursor is in a FROM list (the last clause keyword before it is FROM, not WHERE/ON/SELECT…). */
function inFromList(ctx: Token[]): boolean {
  for (let i = ctx.length - 1; i >= 0; i--) {
    const w = lower(ctx[i]);
    if (w === 'from') return true;
    if (['where', 'on', 'select', 'set', 'group', 'order', 'having', 'using', 'returning', 'values'].includes(w)) return false;
  }
  return false;
}
