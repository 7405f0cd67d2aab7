// "The current tenant" as pgdba.json's tenant.currentTenant spells it: each expression parsed once and matched against written SQL by parse tree, not text.
import { as, constValue, strs, unwrap, walk } from '../parse/ast';
import { parseSql } from '../parse/parse';

/** Whether an expression means the current tenant. */
export type CurrentTenant = (expr: unknown) => boolean;

/** Matches nothing: no tenant.currentTenant configured. */
export const NO_CURRENT_TENANT: CurrentTenant = () => false;

/** Keys that say where a node was written or how it was spelled, not what it computes. */
const IGNORED = new Set(['location', 'stmt_location', 'stmt_len', 'funcformat']);

/**
 * The expression an operand stands for, with what does not change its value peeled off: casts (`::uuid` and
 * `CAST(… AS uuid)` parse alike; the tenant is the same value whatever type it is compared as) and Supabase's
 * `(select auth.uid())` wrapper, a scalar subquery with one output and no FROM, which PostgreSQL evaluates once per
 * statement (pg_dump prints it as `( SELECT auth.uid() AS uid)`).
 */
function peel(node: unknown): unknown {
  for (let e = node, i = 0; i < 16; i++) {
    const cast = as<{ arg?: unknown }>(e, 'TypeCast');
    if (cast) {
      e = cast.arg;
      continue;
    }
    const sub = as<{ subLinkType?: string; subselect?: unknown }>(e, 'SubLink');
    const sel = sub?.subLinkType === 'EXPR_SUBLINK' ? as<Record<string, unknown>>(sub.subselect, 'SelectStmt') : undefined;
    const targets = sel?.targetList as unknown[] | undefined;
    const bare =
      sel &&
      targets?.length === 1 &&
      !sel.fromClause &&
      !sel.whereClause &&
      !sel.groupClause &&
      !sel.havingClause &&
      !sel.withClause &&
      !sel.limitCount &&
      !sel.distinctClause &&
      (!sel.op || sel.op === 'SETOP_NONE');
    if (!bare) return e;
    e = as<{ val?: unknown }>(targets![0], 'ResTarget')?.val;
  }
  return node;
}

/** A function name without pg_catalog (always searched first); the GUC name of current_setting folded (GUC names ignore case). */
function funcName(call: { funcname?: unknown }): string[] {
  const parts = strs(call.funcname);
  return parts[0] === 'pg_catalog' && parts.length > 1 ? parts.slice(1) : parts;
}

/** Two function calls name the same function when their names agree and, if both are schema-qualified, their schemas too. */
function sameCall(a: Record<string, unknown>, b: Record<string, unknown>): boolean {
  const na = funcName(a);
  const nb = funcName(b);
  if (na[na.length - 1] !== nb[nb.length - 1] || (na.length > 1 && nb.length > 1 && na.join('.') !== nb.join('.'))) return false;
  let argsA = (a.args as unknown[] | undefined) ?? [];
  let argsB = (b.args as unknown[] | undefined) ?? [];
  if (na[na.length - 1] === 'current_setting') {
    // current_setting(name, missing_ok): missing_ok only decides between NULL and an error when the setting is unset.
    argsA = argsA.slice(0, 1);
    argsB = argsB.slice(0, 1);
    const ga = constValue(peel(argsA[0]));
    const gb = constValue(peel(argsB[0]));
    if (typeof ga === 'string' && typeof gb === 'string') return ga.toLowerCase() === gb.toLowerCase();
  }
  if (argsA.length !== argsB.length) return false;
  const rest = (v: Record<string, unknown>) => Object.fromEntries(Object.entries(v).filter(([k]) => k !== 'funcname' && k !== 'args'));
  return argsA.every((x, i) => sameExpr(x, argsB[i])) && sameTree(rest(a), rest(b));
}

function sameTree(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((x, i) => sameExpr(x, b[i]));
  }
  if (!a || !b || typeof a !== 'object' || typeof b !== 'object') return a === b;
  const ka = Object.keys(a).filter((k) => !IGNORED.has(k));
  const kb = Object.keys(b).filter((k) => !IGNORED.has(k));
  if (ka.length !== kb.length) return false;
  return ka.every((k) => kb.includes(k) && sameExpr((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Whether two expressions compute the same value, compared by parse tree: spacing, quoting, casts, `pg_catalog.` and the `(select …)` wrapper aside. */
export function sameExpr(a: unknown, b: unknown): boolean {
  const pa = peel(a);
  const pb = peel(b);
  const ca = as<Record<string, unknown>>(pa, 'FuncCall');
  const cb = as<Record<string, unknown>>(pb, 'FuncCall');
  if (ca || cb) return !!ca && !!cb && sameCall(ca, cb);
  const ua = unwrap(pa);
  const ub = unwrap(pb);
  if (ua && ub) return ua.kind === ub.kind && sameTree(ua.value, ub.value);
  return sameTree(pa, pb);
}

/** The configured expressions as parse trees; one that does not parse as an expression is left out (the quick fix checks its own edits). */
function parseExpressions(exprs: readonly string[]): unknown[] {
  const out: unknown[] = [];
  for (const text of exprs) {
    const parsed = parseSql(`SELECT ${text}`);
    const sel = parsed.errors.length || parsed.statements.length !== 1 ? undefined : as<{ targetList?: unknown[] }>(parsed.statements[0].node, 'SelectStmt');
    const val = sel?.targetList?.length === 1 ? as<{ val?: unknown }>(sel.targetList[0], 'ResTarget')?.val : undefined;
    if (val) out.push(val);
  }
  return out;
}

const memo = new Map<string, CurrentTenant>();

/** The matcher for a tenant.currentTenant list (parsed once per distinct list). */
export function currentTenantMatcher(exprs: readonly string[] | undefined): CurrentTenant {
  if (!exprs?.length) return NO_CURRENT_TENANT;
  const key = JSON.stringify(exprs);
  let m = memo.get(key);
  if (!m) {
    const trees = parseExpressions(exprs);
    m = trees.length ? (expr) => trees.some((t) => sameExpr(t, expr)) : NO_CURRENT_TENANT;
    if (memo.size > 32) memo.clear();
    memo.set(key, m);
  }
  return m;
}

/** Whether an expression is, or anywhere contains (sublinks included), a current-tenant expression: `(SELECT tenant_id FROM members WHERE user_id = auth.uid())`. */
export function mentionsCurrentTenant(expr: unknown, isCurrent: CurrentTenant): boolean {
  if (isCurrent === NO_CURRENT_TENANT) return false;
  if (isCurrent(expr)) return true;
  let found = false;
  walk(expr, (_kind, value) => {
    if (found) return false;
    // walk hands over the payload: rewrap it to compare it as a node.
    if (isCurrent({ [_kind]: value })) found = true;
    return found ? false : undefined;
  });
  return found;
}
