// The DBA gate checklist: what a reviewer expects before a schema change ships, used for every package section that has no data yet.

export type GateId = 'inputs' | 'migrations' | 'perf' | 'security' | 'ha_dr' | 'observability' | 'hygiene';

export interface GateItem {
  id: string;
  text: string;
}

export interface Gate {
  id: GateId;
  title: string;
  items: GateItem[];
}

export const GATES: readonly Gate[] = [
  {
    id: 'inputs',
    title: 'Inputs complete',
    items: [
      { id: 'brief', text: 'The brief is linked, with the business reason and an owner.' },
      { id: 'schema', text: 'Current definition of every table, view and function touched.' },
      { id: 'volumes', text: 'Row counts, table sizes and growth of the tables touched.' },
      { id: 'queries', text: 'The queries that read and write these tables, with their frequency.' },
      { id: 'version', text: 'Target PostgreSQL version and extensions.' },
    ],
  },
  {
    id: 'migrations',
    title: 'Migrations and data safety',
    items: [
      { id: 'forward', text: 'Forward migrations in the migrations folder, one concern per file.' },
      { id: 'rollback', text: 'A tested rollback for every migration in migrations/rollback, or a written reason why none is possible.' },
      { id: 'timeouts', text: 'lock_timeout and statement_timeout set; no long ACCESS EXCLUSIVE lock on a busy table.' },
      { id: 'rewrite', text: 'No table rewrite of a large table (column type change, volatile default).' },
      { id: 'backfill', text: 'Backfills run in batches, outside the DDL transaction.' },
      { id: 'online', text: 'Constraints added NOT VALID then validated; indexes built CONCURRENTLY.' },
      { id: 'expand', text: 'Renames and drops done expand/contract across releases.' },
    ],
  },
  {
    id: 'perf',
    title: 'Performance and indexing',
    items: [
      { id: 'plans', text: 'EXPLAIN (ANALYZE, BUFFERS) of the key queries before and after, in the perf folder.' },
      { id: 'indexes', text: 'Every new index justified by a query; duplicate and unused indexes removed.' },
      { id: 'partitioning', text: 'A partitioning or archiving plan for tables that keep growing.' },
      { id: 'budgets', text: 'Perf budgets: p95 latency and rows read per key query.' },
    ],
  },
  {
    id: 'security',
    title: 'Security and compliance',
    items: [
      { id: 'grants', text: 'Roles and grants follow least privilege (catalog extract in the security folder).' },
      { id: 'rls', text: 'Row-level security enabled and forced on tenant tables, with policies on the tenant key.' },
      { id: 'definer', text: 'SECURITY DEFINER functions pin search_path and revoke EXECUTE from PUBLIC.' },
      { id: 'data', text: 'Personal data classified; encryption and retention stated.' },
    ],
  },
  {
    id: 'ha_dr',
    title: 'HA and DR',
    items: [
      { id: 'wal', text: 'WAL volume and replica lag caused by the change estimated.' },
      { id: 'backup', text: 'A fresh backup or PITR point recorded before the change.' },
      { id: 'rpo', text: 'RPO and RTO stated, and the restore path rehearsed.' },
      { id: 'failover', text: 'What happens on a failover in the middle of the migration.' },
    ],
  },
  {
    id: 'observability',
    title: 'Observability',
    items: [
      { id: 'alerts', text: 'Metrics and alerts for the change: lock waits, replica lag, error rate.' },
      { id: 'baseline', text: 'pg_stat_statements baseline of the key queries.' },
      { id: 'watch', text: 'Dashboards or log queries to watch during and after the rollout.' },
    ],
  },
  {
    id: 'hygiene',
    title: 'Repo hygiene',
    items: [
      { id: 'naming', text: 'Migrations named and ordered by the project convention, and committed.' },
      { id: 'lint', text: 'pgdba check is clean, or every suppression carries a reason.' },
      { id: 'rehearsal', text: 'Rehearsal transcript (up, down, up on a copy) and validation.log in the evidence folder.' },
      { id: 'sealed', text: 'Manifest sealed and `pgdba package verify` clean.' },
    ],
  },
];

export function gate(id: GateId): Gate {
  const g = GATES.find((x) => x.id === id);
  if (!g) throw new Error(`unknown DBA gate ${id}`);
  return g;
}

/** Markdown task list of a gate's items (all of them, or those named by `itemIds`, in gate order). */
export function gateChecklist(id: GateId, itemIds?: readonly string[]): string {
  const g = gate(id);
  const items = itemIds ? g.items.filter((i) => itemIds.includes(i.id)) : g.items;
  if (itemIds && items.length !== itemIds.length) throw new Error(`unknown item in gate ${id}: ${itemIds.join(', ')}`);
  return items.map((i) => `- [ ] ${i.text}`).join('\n');
}

/** The whole checklist as Markdown, one heading per gate. */
export function fullGateChecklist(): string {
  return GATES.map((g, n) => `### ${n + 1}. ${g.title}\n\n${gateChecklist(g.id)}`).join('\n\n');
}
