// The plan model: `EXPLAIN (FORMAT JSON)` output turned into a typed tree, plus the node labels PostgreSQL's text format uses.

export interface ActualStats {
  /** Milliseconds, per loop (as EXPLAIN reports them). */
  startupTime: number;
  totalTime: number;
  /** Rows per loop. */
  rows: number;
  loops: number;
}

export interface PlanNode {
  /** Pre-order index in the plan, 0 for the root. */
  id: number;
  nodeType: string;
  relation?: string;
  schema?: string;
  alias?: string;
  indexName?: string;
  cteName?: string;
  functionName?: string;
  joinType?: string;
  strategy?: string;
  partialMode?: string;
  operation?: string;
  scanDirection?: string;
  parentRelationship?: string;
  subplanName?: string;
  startupCost: number;
  totalCost: number;
  planRows: number;
  planWidth: number;
  /** Present when the plan was analysed and the node ran; `loops` 0 means "never executed". */
  actual?: ActualStats;
  filter?: string;
  indexCond?: string;
  recheckCond?: string;
  hashCond?: string;
  mergeCond?: string;
  joinFilter?: string;
  /** Per loop, like EXPLAIN's text output. */
  rowsRemovedByFilter?: number;
  rowsRemovedByJoinFilter?: number;
  sortKey?: string[];
  sortMethod?: string;
  sortSpaceType?: string;
  sortSpaceUsedKb?: number;
  hashBatches?: number;
  originalHashBatches?: number;
  /** HashAggregate spill (PG 13+). */
  diskUsageKb?: number;
  hashAggBatches?: number;
  children: PlanNode[];
  /** The node's own JSON object, for anything not modelled here. */
  raw: Record<string, unknown>;
}

export interface Plan {
  root: PlanNode;
  /** Every node in pre-order (nodes[i].id === i). */
  nodes: PlanNode[];
  analyzed: boolean;
  planningTimeMs?: number;
  executionTimeMs?: number;
  triggers: { name: string; relation?: string; timeMs: number; calls: number }[];
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

function toNode(raw: Record<string, unknown>, nodes: PlanNode[]): PlanNode {
  const id = nodes.length;
  const loops = num(raw['Actual Loops']);
  const node: PlanNode = {
    id,
    nodeType: text(raw['Node Type']) ?? '?',
    relation: text(raw['Relation Name']),
    schema: text(raw['Schema']),
    alias: text(raw['Alias']),
    indexName: text(raw['Index Name']),
    cteName: text(raw['CTE Name']),
    functionName: text(raw['Function Name']),
    joinType: text(raw['Join Type']),
    strategy: text(raw['Strategy']),
    partialMode: text(raw['Partial Mode']),
    operation: text(raw['Operation']),
    scanDirection: text(raw['Scan Direction']),
    parentRelationship: text(raw['Parent Relationship']),
    subplanName: text(raw['Subplan Name']),
    startupCost: num(raw['Startup Cost']) ?? 0,
    totalCost: num(raw['Total Cost']) ?? 0,
    planRows: num(raw['Plan Rows']) ?? 0,
    planWidth: num(raw['Plan Width']) ?? 0,
    actual:
      loops === undefined
        ? undefined
        : {
            startupTime: num(raw['Actual Startup Time']) ?? 0,
            totalTime: num(raw['Actual Total Time']) ?? 0,
            rows: num(raw['Actual Rows']) ?? 0,
            loops,
          },
    filter: text(raw['Filter']),
    indexCond: text(raw['Index Cond']),
    recheckCond: text(raw['Recheck Cond']),
    hashCond: text(raw['Hash Cond']),
    mergeCond: text(raw['Merge Cond']),
    joinFilter: text(raw['Join Filter']),
    rowsRemovedByFilter: num(raw['Rows Removed by Filter']),
    rowsRemovedByJoinFilter: num(raw['Rows Removed by Join Filter']),
    sortKey: Array.isArray(raw['Sort Key']) ? (raw['Sort Key'] as unknown[]).filter((k): k is string => typeof k === 'string') : undefined,
    sortMethod: text(raw['Sort Method']),
    sortSpaceType: text(raw['Sort Space Type']),
    sortSpaceUsedKb: num(raw['Sort Space Used']),
    hashBatches: num(raw['Hash Batches']),
    originalHashBatches: num(raw['Original Hash Batches']),
    diskUsageKb: num(raw['Disk Usage']),
    hashAggBatches: num(raw['HashAgg Batches']),
    children: [],
    raw,
  };
  nodes.push(node);
  const kids = raw['Plans'];
  if (Array.isArray(kids)) {
    for (const k of kids) if (k && typeof k === 'object') node.children.push(toNode(k as Record<string, unknown>, nodes));
  }
  return node;
}

/** Parses `EXPLAIN (FORMAT JSON)` output (the array PostgreSQL returns, or its single element). Throws on anything else. */
export function parsePlan(json: unknown): Plan {
  const doc = (Array.isArray(json) ? json[0] : json) as Record<string, unknown> | undefined;
  const rootRaw = doc?.['Plan'];
  if (!doc || !rootRaw || typeof rootRaw !== 'object') throw new Error('not EXPLAIN (FORMAT JSON) output: no "Plan" object');
  const nodes: PlanNode[] = [];
  const root = toNode(rootRaw as Record<string, unknown>, nodes);
  const triggers = Array.isArray(doc['Triggers'])
    ? (doc['Triggers'] as Record<string, unknown>[]).map((t) => ({
        name: text(t['Trigger Name']) ?? '?',
        relation: text(t['Relation']),
        timeMs: num(t['Time']) ?? 0,
        calls: num(t['Calls']) ?? 0,
      }))
    : [];
  return {
    root,
    nodes,
    analyzed: root.actual !== undefined,
    planningTimeMs: num(doc['Planning Time']),
    executionTimeMs: num(doc['Execution Time']),
    triggers,
  };
}

const JOIN_SUFFIX: Record<string, string> = {
  Left: ' Left Join',
  Full: ' Full Join',
  Right: ' Right Join',
  Semi: ' Semi Join',
  Anti: ' Anti Join',
  'Right Semi': ' Right Semi Join',
  'Right Anti': ' Right Anti Join',
};

const AGG_NAMES: Record<string, string> = { Plain: 'Aggregate', Sorted: 'GroupAggregate', Hashed: 'HashAggregate', Mixed: 'MixedAggregate' };

/** The table a node reads, as `schema.name` when the schema is known. */
export function relationName(n: PlanNode): string | undefined {
  if (!n.relation) return undefined;
  return n.schema ? `${n.schema}.${n.relation}` : n.relation;
}

/** The node's headline as in PostgreSQL's text format (explain.c), e.g. `Index Scan using t_pkey on t`. */
export function nodeLabel(n: PlanNode): string {
  let name = n.nodeType;
  if (n.nodeType === 'Aggregate' && n.strategy) name = AGG_NAMES[n.strategy] ?? name;
  if (n.partialMode && n.partialMode !== 'Simple') name = `${n.partialMode} ${name}`;
  if (n.joinType && n.joinType !== 'Inner') {
    const suffix = JOIN_SUFFIX[n.joinType] ?? ` ${n.joinType} Join`;
    if (n.nodeType === 'Nested Loop') name += suffix;
    else if (n.nodeType === 'Hash Join') name = 'Hash' + suffix;
    else if (n.nodeType === 'Merge Join') name = 'Merge' + suffix;
  }
  if (n.nodeType === 'ModifyTable' && n.operation) name = n.operation;
  if (n.scanDirection === 'Backward') name += ' Backward';
  if (n.indexName && n.nodeType !== 'Bitmap Index Scan') name += ` using ${n.indexName}`;
  if (n.nodeType === 'Bitmap Index Scan' && n.indexName) name += ` on ${n.indexName}`;
  const rel = relationName(n) ?? n.cteName ?? n.functionName;
  if (rel) {
    name += ` on ${rel}`;
    if (n.alias && n.alias !== n.relation && n.alias !== n.cteName && n.alias !== n.functionName) name += ` ${n.alias}`;
  } else if (n.nodeType === 'Subquery Scan' && n.alias) {
    name += ` on ${n.alias}`;
  }
  return name;
}

/** Rows a node produced in total (per-loop rows × loops) when analysed, else its estimate. */
export function totalRows(n: PlanNode): number {
  return n.actual ? n.actual.rows * n.actual.loops : n.planRows;
}

/** The nearest table at or below a node, for naming what an operation works on. */
export function nearestRelation(n: PlanNode): PlanNode | undefined {
  if (n.relation) return n;
  for (const c of n.children) {
    const r = nearestRelation(c);
    if (r) return r;
  }
  return undefined;
}

/** Every table the plan reads. */
export function planRelations(plan: Plan): string[] {
  return [...new Set(plan.nodes.map(relationName).filter((r): r is string => !!r))];
}
