// sqlc's named parameters (sqlc.arg(x), sqlc.narg(x), sqlc.slice(x), @x) rewritten to $n so PostgreSQL can plan the query.
import { scanTokens, type Token } from '../parse/parse';

export interface PositionalSql {
  sql: string;
  /** The parameter names in $n order ($1 is names[first - 1] …); empty when the text has no sqlc parameters. */
  names: string[];
}

const SQLC_FUNCS = new Set(['arg', 'narg', 'slice']);
/** Tokens after which `@` is a binary operator, not sqlc's prefix: something that ends an operand. */
const OPERAND_END = new Set(['IDENT', 'ICONST', 'FCONST', 'SCONST', 'PARAM', 'BCONST', 'XCONST']);

function isName(t: Token | undefined): boolean {
  return !!t && (t.name === 'IDENT' || t.keyword !== 'NO_KEYWORD' || t.name === 'SCONST');
}

function nameOf(t: Token): string {
  if (t.name === 'SCONST') return t.text.slice(1, -1);
  return t.text.startsWith('"') ? t.text.slice(1, -1) : t.text.toLowerCase();
}

/** Rewrites sqlc parameters to $n (the same name gets the same number, after the highest $n already written). */
export function sqlcToPositional(sql: string): PositionalSql {
  if (!/sqlc\s*\.|@/i.test(sql)) return { sql, names: [] };
  const tokens = scanTokens(sql) ?? [];
  const highest = Math.max(0, ...tokens.filter((t) => t.name === 'PARAM').map((t) => Number(t.text.slice(1))));
  const names: string[] = [];
  const edits: { start: number; end: number; name: string }[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (
      /^sqlc$/i.test(t.text) &&
      tokens[i + 1]?.text === '.' &&
      SQLC_FUNCS.has((tokens[i + 2]?.text ?? '').toLowerCase()) &&
      tokens[i + 3]?.text === '(' &&
      isName(tokens[i + 4]) &&
      tokens[i + 5]?.text === ')'
    ) {
      edits.push({ start: t.start, end: tokens[i + 5].end, name: nameOf(tokens[i + 4]) });
      i += 5;
    } else if (
      t.text === '@' &&
      isName(tokens[i + 1]) &&
      tokens[i + 1].name !== 'SCONST' &&
      tokens[i + 1].start === t.end &&
      !(tokens[i - 1] && (OPERAND_END.has(tokens[i - 1].name) || tokens[i - 1].text === ')'))
    ) {
      edits.push({ start: t.start, end: tokens[i + 1].end, name: nameOf(tokens[i + 1]) });
      i += 1;
    }
  }
  if (!edits.length) return { sql, names: [] };
  let out = '';
  let at = 0;
  for (const e of edits) {
    let n = names.indexOf(e.name);
    if (n < 0) n = names.push(e.name) - 1;
    out += `${sql.slice(at, e.start)}$${highest + n + 1}`;
    at = e.end;
  }
  return { sql: out + sql.slice(at), names };
}
