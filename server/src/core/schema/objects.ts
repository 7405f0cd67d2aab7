// One reading of each DDL AST (constraint, index, trigger, policy, partition spec) into the schema document, shared by the
// static side (the AST as written) and the engine side (pg_get_*def output parsed back into an AST).
import type { Constraint, CreateTrigStmt, IndexStmt, PartitionBoundSpec, PartitionSpec, RangeVar } from '@pgsql/types';
import { as, strs } from '../parse/ast';
import { normalizeExprNode, visibleName } from './normalize';
import type { ConstraintJson, IndexJson, TriggerJson } from './types';

const FK_ACTIONS: Record<string, string> = { r: 'restrict', c: 'cascade', n: 'set null', d: 'set default' };
const CONTYPES: Record<string, ConstraintJson['type']> = {
  CONSTR_PRIMARY: 'primary',
  CONSTR_UNIQUE: 'unique',
  CONSTR_CHECK: 'check',
  CONSTR_FOREIGN: 'foreign',
  CONSTR_EXCLUSION: 'exclusion',
};

/** schema.name of a RangeVar, unqualified names in public (introspection runs with search_path = public). */
export function relKey(rv: RangeVar | undefined, defaultSchema = 'public'): string {
  return `${rv?.schemaname ?? defaultSchema}.${rv?.relname ?? ''}`;
}

function nonEmpty<T>(list: T[]): T[] | undefined {
  return list.length ? list : undefined;
}

export interface ConstraintContext {
  /** Columns of a column constraint (its own `keys` are empty). */
  columns?: string[];
  /** The referenced table's key, resolved through the catalog. */
  referencedTable?: string;
  /** The referenced table's primary key, for `REFERENCES t` without columns. */
  referencedPrimaryKey?: string[];
  deferrable?: boolean;
  initiallyDeferred?: boolean;
  /** NOT VALID as the catalog knows it (VALIDATE CONSTRAINT clears it; the AST keeps what was written). */
  notValid?: boolean;
}

export function constraintJson(con: Constraint, ctx: ConstraintContext = {}): ConstraintJson | undefined {
  const type = CONTYPES[con.contype ?? ''];
  if (!type) return undefined;
  const out: ConstraintJson = { type };
  const keys = type === 'foreign' ? strs(con.fk_attrs) : strs(con.keys);
  if (type === 'exclusion') {
    out.columns = (con.exclusions ?? []).map((pair) => {
      const [elem, op] = as<{ items?: unknown[] }>(pair, 'List')?.items ?? [];
      return `${indexElemText(elem)} WITH ${strs(as<{ items?: unknown[] }>(op, 'List')?.items ?? op).join('.')}`;
    });
    const where = normalizeExprNode(con.where_clause);
    if (where) out.check = where;
  } else if (type !== 'check') {
    out.columns = keys.length ? keys : (ctx.columns ?? []);
  }
  if (type === 'check') out.check = normalizeExprNode(con.raw_expr) ?? '';
  if (type === 'foreign') {
    const pk = strs(con.pk_attrs);
    out.references = {
      table: ctx.referencedTable ?? relKey(con.pktable),
      columns: pk.length ? pk : (ctx.referencedPrimaryKey ?? []),
      onDelete: FK_ACTIONS[con.fk_del_action ?? ''],
      onUpdate: FK_ACTIONS[con.fk_upd_action ?? ''],
      match: con.fk_matchtype === 'f' ? 'full' : undefined,
    };
  }
  const include = nonEmpty(strs(con.including));
  if (include) out.include = include;
  if (con.deferrable || ctx.deferrable) out.deferrable = true;
  if (con.initdeferred || ctx.initiallyDeferred) out.initiallyDeferred = true;
  if (ctx.notValid ?? con.skip_validation) out.notValid = true;
  if (con.is_no_inherit) out.noInherit = true;
  if (con.nulls_not_distinct) out.nullsNotDistinct = true;
  return out;
}

function indexElemText(node: unknown): string {
  const e = as<{ name?: string; expr?: unknown; opclass?: unknown[]; ordering?: string; nulls_ordering?: string; collation?: unknown[] }>(node, 'IndexElem');
  if (!e) return normalizeExprNode(node) ?? '?';
  let text = e.name ?? `(${normalizeExprNode(e.expr) ?? '?'})`;
  const collation = strs(e.collation);
  if (collation.length) text += ` COLLATE ${visibleName(collation)}`;
  const opclass = strs(e.opclass);
  if (opclass.length) text += ` ${visibleName(opclass)}`;
  const desc = e.ordering === 'SORTBY_DESC';
  if (desc) text += ' DESC';
  // NULLS FIRST is the default for DESC and NULLS LAST for ASC: PostgreSQL prints only the other one.
  if (e.nulls_ordering === 'SORTBY_NULLS_FIRST' && !desc) text += ' NULLS FIRST';
  if (e.nulls_ordering === 'SORTBY_NULLS_LAST' && desc) text += ' NULLS LAST';
  return text;
}

export function indexJson(s: IndexStmt, table: string): IndexJson {
  const out: IndexJson = { table, method: s.accessMethod ?? 'btree', keys: (s.indexParams ?? []).map(indexElemText) };
  if (s.unique) out.unique = true;
  const include = nonEmpty((s.indexIncludingParams ?? []).map(indexElemText));
  if (include) out.include = include;
  const where = normalizeExprNode(s.whereClause);
  if (where) out.where = where;
  if (s.nulls_not_distinct) out.nullsNotDistinct = true;
  return out;
}

const EVENTS: [number, string][] = [
  [4, 'insert'],
  [8, 'delete'],
  [16, 'update'],
  [32, 'truncate'],
];

export function triggerJson(s: CreateTrigStmt): TriggerJson {
  const timing = s.timing ?? 0;
  const out: TriggerJson = {
    timing: timing & 64 ? 'instead of' : timing & 2 ? 'before' : 'after',
    events: EVENTS.filter(([bit]) => ((s.events ?? 0) & bit) !== 0).map(([, name]) => name),
    level: s.row ? 'row' : 'statement',
    function: visibleName(strs(s.funcname)),
  };
  const args = strs(s.args);
  if (args.length) out.args = args;
  const columns = strs(s.columns);
  if (columns.length) out.columns = columns;
  const when = normalizeExprNode(s.whenClause);
  if (when) out.when = when;
  if (s.isconstraint) out.constraint = true;
  return out;
}

export function partitionKeyText(spec: PartitionSpec | undefined): string | undefined {
  if (!spec) return undefined;
  const strategy = String(spec.strategy ?? '')
    .replace('PARTITION_STRATEGY_', '')
    .toLowerCase();
  const parts = (spec.partParams ?? []).map((p) => {
    const e = as<{ name?: string; expr?: unknown; opclass?: unknown[]; collation?: unknown[] }>(p, 'PartitionElem');
    const text = e?.name ?? `(${normalizeExprNode(e?.expr) ?? '?'})`;
    const opclass = strs(e?.opclass);
    return opclass.length ? `${text} ${visibleName(opclass)}` : text;
  });
  return `${strategy} (${parts.join(', ')})`;
}

/** PostgreSQL prints range bounds of timestamp columns in full ('2026-11-01 00:00:00+00'): the midnight part goes. */
function boundDatum(node: unknown): string {
  const text = normalizeExprNode(node) ?? '?';
  return text.replace(/^'(\d{4}-\d\d-\d\d) 00:00:00(\+00(:00)?)?'$/, "'$1'");
}

export function partitionBoundText(b: PartitionBoundSpec | undefined): string | undefined {
  if (!b) return undefined;
  if (b.is_default) return 'default';
  const list = (l: unknown[] | undefined) => (l ?? []).map(boundDatum).join(', ');
  if (b.strategy === 'l') return `in (${list(b.listdatums)})`;
  if (b.strategy === 'h') return `with (modulus ${b.modulus}, remainder ${b.remainder ?? 0})`;
  return `from (${list(b.lowerdatums)}) to (${list(b.upperdatums)})`;
}
