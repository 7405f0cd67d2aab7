// Tenant knowledge: tenant tables and their tenant column, RLS that enforces the tenant, and which table references of a query are pinned to one tenant.
import type { Catalog, Table } from '../catalog/types';
import { defineFact } from './file-facts';
import {
  comparisonsOf,
  filtersOf,
  isPinnedToValue,
  isValue,
  joinColumns,
  joinFilters,
  nestedComparisons,
  outputs,
  isView,
  PIN_OPS,
  relColumns,
  topLevelConjuncts,
  type ColumnTarget,
  type Comparison,
  type JoinInfo,
  type QueryLevel,
  type Rel,
  type StatementScopes,
} from './query-scopes';
import { queryScopes } from './file-scopes';
import type { Statement } from '../parse/parse';
import { as, unwrap } from '../parse/ast';
import { currentTenantMatcher, NO_CURRENT_TENANT, type CurrentTenant } from './current-tenant';
import { rlsEnforcesTenant } from './tenant-policy';

/** The tenant column of a table: the first configured tenant column it has. */
export function tenantColumnOf(table: Table | undefined, columns: readonly string[]): string | undefined {
  if (!table) return undefined;
  return columns.find((c) => table.columns.has(c));
}

/** How a pin analysis judges conditions. */
export interface PinOptions {
  /** tenant.currentTenant: what an RLS policy must compare the tenant column with to enforce the tenant. */
  currentTenant?: CurrentTenant;
  /** Only values this accepts pin (the RLS-bypass rule asks for the current tenant, where any value pins otherwise). */
  pinValue?: (expr: unknown) => boolean;
  /** References pinned from outside: a view's exposed tenant column, pinned by the query that reads the view. */
  assumed?: ReadonlySet<Rel>;
}

/** Why a tenant table reference is not pinned to one tenant. */
export type UnpinnedReason =
  | { kind: 'none' }
  | { kind: 'or' | 'not' }
  /** The tenant condition sits in the ON of an outer join that keeps every row of this side. */
  | { kind: 'preserved'; join: JoinInfo }
  /** Joined to another relation on a column that is not the tenant key. */
  | { kind: 'other-column'; other: Rel; column: string; otherColumn: string }
  /** Joined on the tenant column to a relation that is not pinned either. */
  | { kind: 'unpinned-peer'; other: Rel }
  /** A view that reads a tenant table without pinning it, and does not expose the tenant column to pin it by. */
  | { kind: 'view-hidden'; inner: string; column: string };

export interface TenantRef {
  rel: Rel;
  table: Table;
  column: string;
  /** RLS enforces the tenant: the reference needs no filter. */
  exempt: boolean;
  pinned: boolean;
  reason?: UnpinnedReason;
}

/** What a view leaves to its reader: the tenant table reference it does not pin, and the output column that carries its key (if exposed). */
interface ViewTenant {
  column: string;
  inner: string;
  exposed: boolean;
  rel: Rel;
}

/** Works out, per query level (outer levels first), which tenant table references are pinned; pins propagate through tenant-column equalities. */
class PinAnalysis {
  private readonly pinned = new Set<Rel>();
  private readonly done = new Set<QueryLevel>();
  private readonly busy = new Set<QueryLevel>();

  constructor(
    private readonly columns: readonly string[],
    private readonly catalog?: Catalog,
    /** Every level of the statement, to find the level of an `IN (SELECT …)` subquery. */
    private readonly levels: readonly QueryLevel[] = [],
    private readonly opts: PinOptions = {},
  ) {}

  tenantColumn(rel: Rel): string | undefined {
    if (rel.kind !== 'table') return undefined;
    if (isView(rel)) return this.viewTenant(rel)?.column;
    return tenantColumnOf(rel.table, this.columns);
  }

  private readonly views = new Map<Rel, ViewTenant | undefined>();

  /**
   * What a view leaves to its reader: undefined when its own query pins (or RLS enforces) every tenant table it reads;
   * else the output column that carries the unpinned table's tenant key (the reader must pin it), or the hidden key.
   */
  viewTenant(rel: Rel): ViewTenant | undefined {
    if (this.views.has(rel)) return this.views.get(rel);
    this.views.set(rel, undefined); // a view that reads itself (impossible in PostgreSQL) stops here
    const body = rel.body ?? [];
    // Every level of the view's query: its sublinks (IN, EXISTS, scalar) read tables too.
    const levels = rel.viewLevels ?? allLevels(body);
    const unpinned = (a: PinAnalysis) => {
      for (const level of levels) for (const r of level.rels) if (a.tenantColumn(r) && !a.isPinned(r)) return r;
      return undefined;
    };
    const opts = { ...this.opts, assumed: undefined };
    const base = new PinAnalysis(this.columns, this.catalog, levels, opts);
    const first = unpinned(base);
    let found: ViewTenant | undefined;
    if (first) {
      const c = base.tenantColumn(first) ?? '';
      const outs = body.length === 1 ? outputs(body[0]) : undefined;
      const i = outs?.findIndex((o) => o.source?.rel === first && o.source.column === c) ?? -1;
      const inner = first.table?.key ?? first.name ?? '';
      found = i >= 0 && outs ? { column: outs[i].name, inner, exposed: true, rel: first } : { column: c, inner, exposed: false, rel: first };
      // The reader pins the exposed column: every other tenant table of the view must be pinned through that pin
      // (`… WHERE x IN (SELECT x FROM other_tenant_table)` is not).
      const rest = found.exposed ? unpinned(new PinAnalysis(this.columns, this.catalog, levels, { ...opts, assumed: new Set([first]) })) : undefined;
      if (rest) found = { column: base.tenantColumn(rest) ?? '', inner: rest.table?.key ?? rest.name ?? '', exposed: false, rel: rest };
    }
    this.views.set(rel, found);
    return found;
  }

  exempt(rel: Rel): boolean {
    const c = this.tenantColumn(rel);
    return !!(c && rel.table && rlsEnforcesTenant(rel.table, c, this.opts.currentTenant));
  }

  isPinned(rel: Rel): boolean {
    this.level(rel.level);
    return this.pinned.has(rel);
  }

  level(l: QueryLevel): void {
    if (this.done.has(l) || this.busy.has(l)) return;
    this.busy.add(l);
    if (l.outer) this.level(l.outer);
    for (const rel of l.rels) {
      const c = this.tenantColumn(rel);
      if (c && (this.exempt(rel) || this.opts.assumed?.has(rel) || (this.exposedOrTable(rel) && this.pinnedToValue(rel, c)))) this.pinned.add(rel);
    }
    for (let changed = true; changed;) {
      changed = false;
      for (const rel of l.rels) {
        const c = this.tenantColumn(rel);
        if (c && !this.pinned.has(rel) && this.exposedOrTable(rel) && this.pinnedByEquality(rel, c)) {
          this.pinned.add(rel);
          changed = true;
        }
      }
    }
    this.busy.delete(l);
    this.done.add(l);
  }

  /**
   * `c = $1`, `c IN ($1, $2)`, `c = ANY($1)`, and `c IN (SELECT …)` when the subquery itself yields one tenant's rows:
   * its column is pinned (by the caller's value, or a unique key equal to one value). `tenant_id IN (SELECT tenant_id
   * FROM subscriptions WHERE plan = 'pro')` spans every tenant on the plan.
   */
  private pinnedToValue(rel: Rel, c: string): boolean {
    return filtersOf(rel).some((f) =>
      comparisonsOf(f.expr, rel.level).some(
        (cmp) =>
          cmp.column.rel === rel &&
          cmp.column.column === c &&
          PIN_OPS.has(cmp.op) &&
          cmp.other.kind === 'value' &&
          (cmp.subquery === undefined ? this.valueOk(cmp) : this.subqueryPinned(cmp.subquery)),
      ),
    );
  }

  /** Whether the value side of a comparison is one that pins (any value, unless the analysis asks for particular ones). */
  private valueOk(cmp: Comparison): boolean {
    const accept = this.opts.pinValue;
    if (!accept) return true;
    const items = Array.isArray(cmp.otherNode) ? cmp.otherNode : [cmp.otherNode];
    return items.length > 0 && items.every((v) => v !== undefined && accept(v));
  }

  private exprOk(expr: unknown): boolean {
    return !this.opts.pinValue || this.opts.pinValue(expr);
  }

  private subqueryPinned(subselect: unknown): boolean {
    const payload = unwrap(subselect)?.value;
    const level = this.levels.find((l) => l.node === payload);
    if (!level || level.kind !== 'select') return false;
    this.level(level);
    const out = outputs(level)?.[0];
    if (!out) return false;
    if (out.source) return this.columnPinned(out.source);
    return out.expr !== undefined && isValue(out.expr) && !as(out.expr, 'SubLink') && this.exprOk(out.expr);
  }

  /** A table, or a view whose unpinned tenant key is one of its columns (a hidden one cannot be pinned from outside). */
  private exposedOrTable(rel: Rel): boolean {
    return !isView(rel) || this.viewTenant(rel)?.exposed === true;
  }

  /** `rel.c = other.c` (in WHERE, a filtering ON, or JOIN … USING (c)) where other's column is pinned. */
  private pinnedByEquality(rel: Rel, c: string): boolean {
    for (const f of filtersOf(rel)) {
      for (const cmp of comparisonsOf(f.expr, rel.level)) {
        if (cmp.column.rel !== rel || cmp.column.column !== c || cmp.op !== '=' || cmp.other.kind !== 'column') continue;
        if (this.columnPinned(cmp.other.target) || (f.join && pinnedWithin(f.join.quals, cmp.other.target, (x) => this.valueOk(x)))) return true;
      }
    }
    for (const j of rel.level.joins) {
      if (!joinFilters(j, rel) || !joinColumns(j).includes(c)) continue;
      const others = (j.left.includes(rel) ? j.right : j.left).filter((r) => relColumns(r)?.includes(c));
      if (others.some((o) => this.columnPinned({ rel: o, column: c }))) return true;
    }
    return false;
  }

  /** Whether a column holds one tenant's value: the tenant column of a pinned table, or a CTE/subquery column that passes one through. */
  columnPinned(t: ColumnTarget, depth = 0): boolean {
    const { rel, column } = t;
    if (rel.kind === 'table') {
      // A row found by a unique key holds one tenant too, even where the reference itself is reported as unpinned.
      if (this.tenantColumn(rel) === column) return this.isPinned(rel) || this.singleRow(rel);
      // Another table's column is one value when pinned by `=` itself, or when a unique key pins its row (JOIN tenants t … WHERE t.slug = $1).
      return this.pinnedColumn(rel, column) || this.singleRow(rel);
    }
    if ((rel.kind !== 'cte' && rel.kind !== 'subquery') || !rel.body?.length || depth > 16) return false;
    const index = relColumns(rel)?.indexOf(column) ?? -1;
    if (index < 0) return false;
    return rel.body.every((body) => {
      this.level(body);
      const out = outputs(body)?.[index];
      if (!out) return false;
      if (out.source) return this.columnPinned(out.source, depth + 1);
      // A constant or parameter column (`SELECT $1 AS tenant_id`) holds one value.
      return out.expr !== undefined && isValue(out.expr) && this.exprOk(out.expr);
    });
  }

  /** A column pinned by `=`, `IN` or `= ANY` to a value that pins. */
  private pinnedColumn(rel: Rel, column: string): boolean {
    if (!this.opts.pinValue) return isPinnedToValue(rel, column);
    return filtersOf(rel).some((f) =>
      comparisonsOf(f.expr, rel.level).some(
        (c) => c.column.rel === rel && c.column.column === column && PIN_OPS.has(c.op) && c.other.kind === 'value' && this.valueOk(c),
      ),
    );
  }

  /** A non-tenant table reference restricted to at most one row: every column of a primary key or unique constraint/index is pinned by `=` to a value. */
  private singleRow(rel: Rel): boolean {
    const table = rel.table;
    if (!table) return false;
    const keys = table.constraints.filter((k) => k.type === 'primary' || k.type === 'unique').map((k) => k.columns);
    for (const ix of this.catalog?.indexes.values() ?? []) if (ix.unique && ix.table === table.key) keys.push(ix.columns);
    const eq = new Set<string>();
    for (const f of filtersOf(rel)) {
      for (const cmp of comparisonsOf(f.expr, rel.level))
        if (cmp.column.rel === rel && cmp.op === '=' && cmp.other.kind === 'value' && this.valueOk(cmp)) eq.add(cmp.column.column);
    }
    return keys.some((cols) => cols.length > 0 && cols.every((c) => eq.has(c)));
  }

  reason(rel: Rel, c: string): UnpinnedReason {
    const level = rel.level;
    const view = isView(rel) ? this.viewTenant(rel) : undefined;
    if (view && !view.exposed) return { kind: 'view-hidden', inner: view.inner, column: view.column };
    const onTenant = (t: ColumnTarget) => t.rel === rel && t.column === c;
    const filters = filtersOf(rel);
    for (const f of filters) {
      // Under OR an `=` / IN that would pin is lost; under NOT any condition on the tenant column is (NOT (tenant_id <> $1)).
      const hidden = nestedComparisons(f.expr, level).find((n) => onTenant(n.comparison.column) && (n.under === 'not' || PIN_OPS.has(n.comparison.op)));
      if (hidden) return { kind: hidden.under };
    }
    for (const j of level.joins) {
      if (joinFilters(j, rel) || (!j.left.includes(rel) && !j.right.includes(rel))) continue;
      if (topLevelConjuncts(j.quals).some((q) => comparisonsOf(q, level).some((cmp) => onTenant(cmp.column) && PIN_OPS.has(cmp.op))))
        return { kind: 'preserved', join: j };
    }
    let peer: Rel | undefined;
    let other: UnpinnedReason | undefined;
    for (const f of filters) {
      for (const cmp of comparisonsOf(f.expr, level)) {
        if (cmp.column.rel !== rel || cmp.op !== '=' || cmp.other.kind !== 'column' || cmp.other.target.rel === rel) continue;
        const o = cmp.other.target;
        if (cmp.column.column === c) peer ??= o.rel;
        else other ??= { kind: 'other-column', other: o.rel, column: cmp.column.column, otherColumn: o.column };
      }
    }
    for (const j of level.joins) {
      if (!joinFilters(j, rel) || (!j.left.includes(rel) && !j.right.includes(rel))) continue;
      const cols = joinColumns(j);
      const o = (j.left.includes(rel) ? j.right : j.left)[0];
      if (o && cols.includes(c)) peer ??= o;
      else if (o && cols.length) other ??= { kind: 'other-column', other: o, column: cols[0], otherColumn: cols[0] };
    }
    if (peer) return { kind: 'unpinned-peer', other: peer };
    return other ?? { kind: 'none' };
  }
}

/** The levels of a query and every level nested in it (FROM subqueries, CTEs and sublinks are levels of their own). */
function allLevels(roots: readonly QueryLevel[]): QueryLevel[] {
  const out = new Set<QueryLevel>();
  const add = (l: QueryLevel) => {
    if (out.has(l)) return;
    out.add(l);
    for (const r of l.rels) if (r.kind !== 'table') for (const b of r.body ?? []) add(b);
  };
  roots.forEach(add);
  return [...out];
}

/** Whether an ON clause itself pins a column to a value: its matched rows carry that value even where the relation is the preserved side. */
function pinnedWithin(quals: unknown, t: ColumnTarget, ok: (c: Comparison) => boolean): boolean {
  return topLevelConjuncts(quals).some((q) =>
    comparisonsOf(q, t.rel.level).some((c) => c.column.rel === t.rel && c.column.column === t.column && PIN_OPS.has(c.op) && c.other.kind === 'value' && ok(c)),
  );
}

/** Every reference to a tenant table in a statement's query levels, with whether it is pinned to one tenant and why not. */
export function tenantRefs(scopes: StatementScopes, columns: readonly string[], catalog?: Catalog, opts: PinOptions = {}): TenantRef[] {
  const analysis = new PinAnalysis(columns, catalog, scopes.levels, opts);
  const out: TenantRef[] = [];
  for (const level of scopes.levels) {
    for (const rel of level.rels) {
      const column = analysis.tenantColumn(rel);
      if (!column || !rel.table) continue;
      const exempt = analysis.exempt(rel);
      const pinned = analysis.isPinned(rel);
      out.push({ rel, table: rel.table, column, exempt, pinned, reason: pinned ? undefined : analysis.reason(rel, column) });
    }
  }
  return out;
}

/** The tenant table references of every statement in the file. */
export const tenantReferences = defineFact('tenant-references', (ctx, facts): Map<Statement, TenantRef[]> => {
  const out = new Map<Statement, TenantRef[]>();
  const currentTenant = currentTenantMatcher(ctx.config.tenant.currentTenant);
  for (const [stmt, scopes] of facts.get(queryScopes)) out.set(stmt, tenantRefs(scopes, ctx.config.tenant.columns, ctx.catalog, { currentTenant }));
  return out;
});

/**
 * The table references of a query, and of the views it reads (recursively), that its conditions confine to the current
 * tenant (tenant.currentTenant): a tenant column pinned to a current-tenant expression, directly or through a tenant-key
 * join, inside a view, or by the reader through the tenant column a view exposes. A SECURITY DEFINER routine that
 * filters so applies the tenant policy itself. Empty when no current-tenant expression is configured.
 */
export function currentTenantConfined(
  levels: readonly QueryLevel[],
  columns: readonly string[],
  catalog: Catalog | undefined,
  isCurrent: CurrentTenant,
): Set<Rel> {
  const out = new Set<Rel>();
  if (isCurrent === NO_CURRENT_TENANT) return out;
  const opts: PinOptions = { currentTenant: isCurrent, pinValue: isCurrent };
  const visit = (a: PinAnalysis, at: readonly QueryLevel[], depth: number) => {
    for (const level of at) {
      for (const rel of level.rels) {
        if (!isView(rel)) {
          if (a.tenantColumn(rel) && a.isPinned(rel)) out.add(rel);
          continue;
        }
        if (depth >= 8) continue;
        // The reader's pin on the exposed tenant column pins the view's own reference to that table.
        const vt = a.viewTenant(rel);
        const assumed = vt?.exposed && a.isPinned(rel) ? new Set([vt.rel]) : undefined;
        const inner = rel.viewLevels ?? [];
        visit(new PinAnalysis(columns, catalog, inner, { ...opts, assumed }), inner, depth + 1);
      }
    }
  };
  visit(new PinAnalysis(columns, catalog, levels, opts), levels, 0);
  return out;
}
