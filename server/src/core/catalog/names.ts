// The names PostgreSQL gives unnamed indexes, constraints and serial sequences (src/backend/commands/indexcmds.c, catalog/pg_constraint.c).
import { as, str, strs } from '../parse/ast';

/** NAMEDATALEN - 1: identifiers are truncated to 63 bytes. */
const MAX_NAME_BYTES = 63;
/** UTF-8 bytes of one code point, as TextEncoder writes it (a lone surrogate becomes U+FFFD). */
function codePointBytes(cp: number): number {
  return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
}

/** UTF-8 byte length, counted without encoding (names are measured character by character while clipping). */
function byteLength(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const cp = s.codePointAt(i)!;
    n += codePointBytes(cp);
    if (cp >= 0x10000) i++;
  }
  return n;
}

/** The longest prefix of `s` of at most `bytes` UTF-8 bytes that does not split a character (pg_mbcliplen). */
function clipBytes(s: string, bytes: number): string {
  let used = 0;
  let out = '';
  for (const ch of s) {
    const n = byteLength(ch);
    if (used + n > bytes) break;
    used += n;
    out += ch;
  }
  return out;
}

/** makeObjectName: name1[_name2][_label] within 63 bytes, truncating the longer of name1/name2 first. */
export function makeObjectName(name1: string, name2: string | undefined, label: string | undefined): string {
  let overhead = 0;
  let n1 = byteLength(name1);
  let n2 = 0;
  if (name2 !== undefined) {
    n2 = byteLength(name2);
    overhead++;
  }
  if (label !== undefined) overhead += byteLength(label) + 1;
  const avail = MAX_NAME_BYTES - overhead;
  while (n1 + n2 > avail) {
    if (n1 > n2) n1--;
    else n2--;
  }
  let name = clipBytes(name1, n1);
  if (name2 !== undefined) name += '_' + clipBytes(name2, n2);
  if (label !== undefined) name += '_' + label;
  return name;
}

/** ChooseRelationName / ChooseConstraintName: the first of label, label1, label2… whose name is free. */
export function chooseName(name1: string, name2: string | undefined, label: string, taken: (name: string) => boolean): string {
  for (let pass = 0; ; pass++) {
    const name = makeObjectName(name1, name2, pass === 0 ? label : `${label}${pass}`);
    if (!taken(name)) return name;
  }
}

/** ChooseIndexNameAddition / ChooseForeignKeyConstraintNameAddition: names joined by `_`, stopping past 63 bytes. */
export function nameAddition(names: string[]): string {
  let buf = '';
  for (const n of names) {
    if (buf.length > 0) buf += '_';
    buf += clipBytes(n, MAX_NAME_BYTES);
    if (byteLength(buf) >= MAX_NAME_BYTES + 1) break;
  }
  return clipBytes(buf, MAX_NAME_BYTES);
}

/** FigureColnameInternal as used by FigureIndexColname: the name an expression gives an index column, or undefined ("expr"). */
export function figureColname(node: unknown): string | undefined {
  return figure(node)[0];
}

function figure(node: unknown): [string | undefined, number] {
  const u = node && typeof node === 'object' ? Object.keys(node as object)[0] : undefined;
  const v = u ? ((node as Record<string, Record<string, unknown>>)[u] ?? {}) : {};
  switch (u) {
    case 'ColumnRef': {
      const fields = strs(v.fields);
      const last = fields[fields.length - 1];
      return last && last !== '*' ? [last, 2] : [undefined, 0];
    }
    case 'FuncCall': {
      const names = strs(v.funcname);
      return [names[names.length - 1], 2];
    }
    case 'TypeCast': {
      const [name, strength] = figure(v.arg);
      if (strength > 1) return [name, strength];
      const tn = strs((v.typeName as { names?: unknown[] } | undefined)?.names);
      return [tn[tn.length - 1], 1];
    }
    case 'CollateClause':
      return figure(v.arg);
    case 'A_Expr':
      return v.kind === 'AEXPR_NULLIF' ? ['nullif', 2] : [undefined, 0];
    case 'CoalesceExpr':
      return ['coalesce', 2];
    case 'MinMaxExpr':
      return [v.op === 'IS_GREATEST' ? 'greatest' : 'least', 2];
    case 'CaseExpr':
      return ['case', 1];
    case 'A_ArrayExpr':
      return ['array', 2];
    case 'RowExpr':
      return ['row', 2];
    case 'SQLValueFunction':
      return [
        String(v.op ?? '')
          .replace(/^SVFOP_/, '')
          .toLowerCase() || undefined,
        2,
      ];
    case 'SubLink': {
      // transformSubLink rewrites the node in place before FigureColname looks: a scalar subquery is named by its target.
      if (v.subLinkType === 'EXISTS_SUBLINK') return ['exists', 2];
      if (v.subLinkType === 'ARRAY_SUBLINK') return ['array', 2];
      if (v.subLinkType !== 'EXPR_SUBLINK') return [undefined, 0];
      let sel = (v.subselect as { SelectStmt?: Record<string, unknown> } | undefined)?.SelectStmt;
      while (sel && sel.op && sel.op !== 'SETOP_NONE') sel = sel.larg as Record<string, unknown>;
      const first = as<{ name?: string; val?: unknown }>((sel?.targetList as unknown[] | undefined)?.[0], 'ResTarget');
      const inner = first?.name ?? figure(first?.val)[0];
      return inner ? [inner, 2] : [undefined, 0];
    }
    case 'A_Indirection': {
      const ind = (v.indirection as unknown[] | undefined) ?? [];
      for (let i = ind.length - 1; i >= 0; i--) {
        const s = str(ind[i]);
        if (s && s !== '*') return [s, 2];
      }
      return figure(v.arg);
    }
    default:
      return [undefined, 0];
  }
}

/** ChooseIndexColumnNames: each index column's name (column, expression name or `expr`), made unique with 1, 2, … */
export function indexColumnNames(params: unknown[]): string[] {
  const out: string[] = [];
  for (const p of params) {
    const e = as<{ name?: string; expr?: unknown; indexcolname?: string }>(p, 'IndexElem');
    const orig = e?.indexcolname ?? e?.name ?? (e?.expr ? figureColname(e.expr) : undefined) ?? 'expr';
    let name = orig;
    for (let i = 1; out.includes(name); i++) name = clipBytes(orig, MAX_NAME_BYTES - String(i).length) + i;
    out.push(name);
  }
  return out;
}
