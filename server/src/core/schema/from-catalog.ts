// The schema document of the static catalog: what the workspace's SQL defines, in the normal form introspection prints.
import type { Constraint, CreateStmt, CreateTrigStmt, IndexStmt } from '@pgsql/types';
import { as } from '../parse/ast';
import { constraintName, isRealConstraint } from '../catalog/extras-table';
import { relationsIn } from '../catalog/rewrite';
import type { Catalog, Column, Table } from '../catalog/types';
import { constraintJson, indexJson, partitionBoundText, partitionKeyText, relKey, triggerJson } from './objects';
import { normalizeExpr, normalizeExprNode, normalizeTypeText } from './normalize';
import { functionsJson, sequencesJson, typesJson } from './from-catalog-objects';
import { type ColumnJson, type ConstraintJson, type PolicyJson, type SchemaJson, type TableJson, emptySchemaJson } from './types';

const STORAGE_TYPES = new Set(['plain', 'external', 'extended', 'main']);

function columnJson(catalog: Catalog, c: Column): ColumnJson {
  const out: ColumnJson = { type: normalizeTypeText(c.typeSql ?? c.type) };
  if (c.notNull) out.notNull = true;
  if (c.serialSequence) {
    const seq = c.serialSequence.replace(/^public\./, '');
    out.default = normalizeExpr(`nextval('${seq.replace(/'/g, "''")}')`);
  } else if (c.default !== undefined && !c.generated) {
    // DEFAULT NULL is stored as no default at all, unless coercing it to the type's length or precision makes it a
    // function call (varchar(40), numeric(10,2)): PostgreSQL skips only a plain null constant (AddRelationNewConstraints).
    const d = normalizeExpr(c.default);
    if (d !== 'NULL' || out.type.includes('(')) out.default = d;
  }
  if (c.identity) out.identity = c.identity;
  if (c.generated) out.generated = normalizeExpr(c.generatedExpr) ?? '';
  if (c.collation) out.collation = c.collation.split('.').pop();
  // An enum's own storage is plain (pg_type.typstorage): SET STORAGE PLAIN on one changes nothing.
  const enumType = c.storage === 'plain' && (catalog.enums.has(c.type) || catalog.enums.has(`public.${c.type}`));
  if (c.storage && STORAGE_TYPES.has(c.storage) && !enumType) out.storage = c.storage;
  if (c.compression === 'pglz' || c.compression === 'lz4') out.compression = c.compression;
  if (c.statistics !== undefined) out.statistics = c.statistics;
  if (c.options?.size) out.options = [...c.options].map(([k, v]) => `${k}=${v}`).sort();
  return out;
}

/** privileges per grantee, ALL when every one of them. */
export function grantsJson(grants: { privileges: string[]; grantee: string }[], kind: 'table' | 'function'): Record<string, string[]> | undefined {
  const by = new Map<string, Set<string>>();
  for (const g of grants) {
    const set = by.get(g.grantee) ?? new Set<string>();
    for (const p of g.privileges) set.add(kind === 'function' && p === 'ALL' ? 'EXECUTE' : p);
    by.set(g.grantee, set);
  }
  if (!by.size) return undefined;
  const out: Record<string, string[]> = {};
  for (const [grantee, set] of by) out[grantee] = set.has('ALL') ? ['ALL'] : [...set].sort();
  return out;
}

function primaryKeyOf(catalog: Catalog, key: string | undefined): string[] | undefined {
  const t = key ? catalog.tables.get(key) : undefined;
  return t?.constraints.find((k) => k.type === 'primary')?.columns;
}

function constraintsJson(catalog: Catalog, t: Table): Record<string, ConstraintJson> | undefined {
  const out: Record<string, ConstraintJson> = {};
  for (const k of t.constraints) {
    const name = constraintName(k);
    if (!name || !isRealConstraint(k)) continue;
    const json = constraintJson(k.node as Constraint, {
      columns: k.columns,
      referencedTable: k.references?.table,
      referencedPrimaryKey: primaryKeyOf(catalog, k.references?.table),
      deferrable: k.deferrable,
      initiallyDeferred: k.initiallyDeferred,
      notValid: k.notValid,
    });
    if (json) out[name] = json;
  }
  return Object.keys(out).length ? out : undefined;
}

function policiesJson(t: Table): Record<string, PolicyJson> | undefined {
  if (!t.policies.length) return undefined;
  const out: Record<string, PolicyJson> = {};
  for (const p of t.policies) {
    const node = (p.node ?? {}) as { qual?: unknown; with_check?: unknown };
    const json: PolicyJson = { command: p.command, permissive: p.permissive, roles: p.roles.length ? [...p.roles].sort() : ['public'] };
    const using = normalizeExprNode(node.qual);
    const check = normalizeExprNode(node.with_check);
    if (using) json.using = using;
    if (check) json.check = check;
    out[p.name] = json;
  }
  return out;
}

function triggersJson(t: Table): TableJson['triggers'] {
  if (!t.triggers?.length) return undefined;
  return Object.fromEntries(t.triggers.map((tr) => [tr.name, triggerJson(tr.node as CreateTrigStmt)]));
}

function tableJson(catalog: Catalog, t: Table): TableJson {
  const node = as<CreateStmt>({ CreateStmt: t.node }, 'CreateStmt') ?? {};
  const out: TableJson = {
    kind: t.kind === 'foreign-table' ? 'foreign table' : t.partition ? 'partitioned table' : 'table',
    columns: Object.fromEntries([...t.columns].map(([n, c]) => [n, columnJson(catalog, c)])),
  };
  const constraints = constraintsJson(catalog, t);
  if (constraints) out.constraints = constraints;
  if (t.partition) out.partitionKey = partitionKeyText(node.partspec);
  if (t.partitionOf) {
    out.partitionOf = t.partitionOf;
    out.partitionBound = partitionBoundText(node.partbound);
  } else if (node.inhRelations?.length) {
    out.inherits = node.inhRelations.map((r) => relKey(as(r, 'RangeVar'), t.schema));
  }
  if (t.unlogged) out.unlogged = true;
  if (t.reloptions?.size) out.reloptions = [...t.reloptions].map(([k, v]) => `${k}=${v}`).sort();
  if (t.replicaIdentity) out.replicaIdentity = t.replicaIdentity;
  if (t.clusterOn) out.clusterOn = t.clusterOn;
  if (t.rls.enabled) out.rowSecurity = true;
  if (t.rls.forced) out.forceRowSecurity = true;
  const triggers = triggersJson(t);
  if (triggers) out.triggers = triggers;
  const policies = policiesJson(t);
  if (policies) out.policies = policies;
  const grants = grantsJson(t.grants, 'table');
  if (grants) out.grants = grants;
  return out;
}

/** The relations a view's query reads that the catalog knows (CTE names and functions are not relations). */
function viewReads(catalog: Catalog, t: Table): string[] {
  const keys = new Set<string>();
  for (const r of relationsIn(t.node)) {
    const key = `${r.schema ?? t.schema}.${r.name}`;
    const fallback = `public.${r.name}`;
    if (key !== t.key && catalog.tables.has(key)) keys.add(key);
    else if (!r.schema && fallback !== t.key && catalog.tables.has(fallback)) keys.add(fallback);
  }
  return [...keys].sort();
}

export function schemaFromCatalog(catalog: Catalog): SchemaJson {
  const out = emptySchemaJson();
  out.schemas = [...catalog.schemas].sort();
  out.extensions = [...catalog.extensions].filter((e) => e !== 'plpgsql').sort();
  for (const t of catalog.tables.values()) {
    if (t.temporary || t.schema === 'pg_temp') continue;
    if (t.kind === 'view' || t.kind === 'materialized-view') {
      const v: SchemaJson['views'][string] = { kind: t.kind === 'view' ? 'view' : 'materialized view', reads: viewReads(catalog, t) };
      const triggers = triggersJson(t);
      if (triggers) v.triggers = triggers;
      const grants = grantsJson(t.grants, 'table');
      if (grants) v.grants = grants;
      out.views[t.key] = v;
    } else {
      out.tables[t.key] = tableJson(catalog, t);
    }
  }
  for (const [key, ix] of catalog.indexes) {
    if (!ix.node) continue;
    out.indexes[key] = indexJson(ix.node as IndexStmt, ix.table);
  }
  out.functions = functionsJson(catalog);
  out.types = typesJson(catalog);
  out.sequences = sequencesJson(catalog);
  return out;
}
