// Whether row level security enforces the tenant on a table: enabled, forced, and a policy that compares the tenant column with the current tenant.
import type { Table } from '../catalog/types';
import { as } from '../parse/ast';
import { mentionsCurrentTenant, NO_CURRENT_TENANT, type CurrentTenant } from './current-tenant';
import { topLevelConjuncts } from './query-predicates';

/**
 * Whether the database itself confines the table to one tenant: RLS enabled and forced (so the owner is bound too)
 * with a policy on the tenant column. With tenant.currentTenant configured the policy must compare the tenant column
 * with a current-tenant expression (`tenant_id = current_setting('app.tenant_id')::uuid`, `tenant_id IN (SELECT …
 * auth.uid() …)`) as a top-level AND term of its USING (WITH CHECK for an INSERT policy); without it, a policy that
 * references the tenant column counts.
 */
export function rlsEnforcesTenant(table: Table, column: string, isCurrent: CurrentTenant = NO_CURRENT_TENANT): boolean {
  if (!table.rls.enabled || !table.rls.forced) return false;
  return table.policies.some((p) => {
    // The CreatePolicyStmt payload, as later changed by ALTER POLICY.
    const node = p.node as { qual?: unknown; with_check?: unknown } | undefined;
    // A policy read from a live database has no parse tree: its column list is all there is.
    if (isCurrent === NO_CURRENT_TENANT || !node) return p.columns.includes(column);
    return topLevelConjuncts(node.qual ?? node.with_check).some((e) => comparesWithCurrentTenant(e, column, isCurrent));
  });
}

/** The written column a policy condition names, casts aside: `tenant_id`, `notes.tenant_id`, `tenant_id::text`. */
function policyColumn(expr: unknown): string | undefined {
  let e = expr;
  for (let c = as<{ arg?: unknown }>(e, 'TypeCast'); c; c = as<{ arg?: unknown }>(e, 'TypeCast')) e = c.arg;
  const ref = as<{ fields?: unknown[] }>(e, 'ColumnRef');
  const last = ref?.fields?.[ref.fields.length - 1];
  return as<{ sval?: string }>(last, 'String')?.sval;
}

/** `column = <current tenant>` (either side, IS NOT DISTINCT FROM too), `column IN (…)`, `column = ANY (…)` or `column IN (SELECT …)` whose values come from the current tenant. */
function comparesWithCurrentTenant(expr: unknown, column: string, isCurrent: CurrentTenant): boolean {
  const a = as<{ kind?: string; name?: unknown[]; lexpr?: unknown; rexpr?: unknown }>(expr, 'A_Expr');
  const op = as<{ sval?: string }>(a?.name?.[a.name.length - 1], 'String')?.sval;
  if (a && op === '=' && ['AEXPR_OP', 'AEXPR_NOT_DISTINCT', 'AEXPR_IN', 'AEXPR_OP_ANY'].includes(a.kind ?? '')) {
    const items = as<{ items?: unknown[] }>(a.rexpr, 'List')?.items;
    const right = (items ?? [a.rexpr]).every((v) => mentionsCurrentTenant(v, isCurrent));
    if (policyColumn(a.lexpr) === column && right) return true;
    return (a.kind === 'AEXPR_OP' || a.kind === 'AEXPR_NOT_DISTINCT') && policyColumn(a.rexpr) === column && mentionsCurrentTenant(a.lexpr, isCurrent);
  }
  const sub = as<{ subLinkType?: string; testexpr?: unknown; operName?: unknown[]; subselect?: unknown }>(expr, 'SubLink');
  const subOp = as<{ sval?: string }>(sub?.operName?.[sub.operName.length - 1], 'String')?.sval ?? '=';
  return sub?.subLinkType === 'ANY_SUBLINK' && subOp === '=' && policyColumn(sub.testexpr) === column && mentionsCurrentTenant(sub.subselect, isCurrent);
}
