// The table locks each statement takes (PostgreSQL 15 lock levels) and what each lock mode blocks.
import type { AlterTableCmd, AlterTableStmt, Constraint, CreateStmt, IndexStmt, RangeVar, VariableSetStmt } from '@pgsql/types';
import { as, constValue, optionOn, listName, strs, unwrap, walk, type QName } from '../parse/ast';
import type { ParsedSql, Statement } from '../parse/parse';
import { createdInFile, type CreatedInFile } from './created-in-file';
import { defineFact } from './file-facts';
import { lazyField } from './lazy';
import { nameRange, rangeVarRange, relationText, type Range } from './relations';
import { transactions } from './transactions';

/** Table-level lock modes, weakest first (https://www.postgresql.org/docs/15/explicit-locking.html#LOCKING-TABLES). */
export const LOCK_MODES = [
  'ACCESS SHARE',
  'ROW SHARE',
  'ROW EXCLUSIVE',
  'SHARE UPDATE EXCLUSIVE',
  'SHARE',
  'SHARE ROW EXCLUSIVE',
  'EXCLUSIVE',
  'ACCESS EXCLUSIVE',
] as const;
export type LockMode = (typeof LOCK_MODES)[number];

export function lockStrength(mode: LockMode): number {
  return LOCK_MODES.indexOf(mode);
}

export function strongest(modes: LockMode[]): LockMode | undefined {
  return modes.reduce<LockMode | undefined>((a, m) => (a === undefined || lockStrength(m) > lockStrength(a) ? m : a), undefined);
}

/**
 * What a held lock blocks, from the conflict table: plain SELECT takes ACCESS SHARE (conflicts only with
 * ACCESS EXCLUSIVE); INSERT/UPDATE/DELETE take ROW EXCLUSIVE (conflicts with SHARE and stronger); every
 * mode from SHARE UPDATE EXCLUSIVE up conflicts with itself, so it also blocks other DDL and VACUUM.
 */
export function blocks(mode: LockMode): { reads: boolean; writes: boolean; ddl: boolean } {
  const s = lockStrength(mode);
  return { reads: mode === 'ACCESS EXCLUSIVE', writes: s >= lockStrength('SHARE'), ddl: s >= lockStrength('SHARE UPDATE EXCLUSIVE') };
}

/** Human wording of what a lock mode blocks, for messages: "reads, writes and DDL". */
export function blocksText(mode: LockMode): string {
  const b = blocks(mode);
  if (b.reads) return 'reads, writes and DDL';
  if (b.writes) return 'writes and DDL';
  if (b.ddl) return 'DDL and VACUUM';
  return 'only ACCESS EXCLUSIVE DDL';
}

/** A lock mode is dangerous to wait for when it conflicts with the application's own reads or writes. */
export function blocksTraffic(mode: LockMode): boolean {
  return blocks(mode).writes;
}

/** The lock an ALTER TABLE subcommand takes on its table (AlterTableGetLockLevel in PostgreSQL 15's tablecmds.c). */
export function alterCommandLock(cmd: AlterTableCmd): LockMode {
  switch (cmd.subtype) {
    case 'AT_EnableTrig':
    case 'AT_EnableAlwaysTrig':
    case 'AT_EnableReplicaTrig':
    case 'AT_EnableTrigAll':
    case 'AT_EnableTrigUser':
    case 'AT_DisableTrig':
    case 'AT_DisableTrigAll':
    case 'AT_DisableTrigUser':
      return 'SHARE ROW EXCLUSIVE';
    case 'AT_AddConstraint': {
      // FOREIGN KEY adds triggers to both tables: SHARE ROW EXCLUSIVE, like CREATE TRIGGER.
      const con = as<Constraint>(cmd.def, 'Constraint');
      return con?.contype === 'CONSTR_FOREIGN' ? 'SHARE ROW EXCLUSIVE' : 'ACCESS EXCLUSIVE';
    }
    case 'AT_SetStatistics':
    case 'AT_ClusterOn':
    case 'AT_DropCluster':
    case 'AT_SetOptions':
    case 'AT_ResetOptions':
    case 'AT_ValidateConstraint':
    case 'AT_AttachPartition':
    case 'AT_DetachPartitionFinalize':
      return 'SHARE UPDATE EXCLUSIVE';
    case 'AT_SetRelOptions':
    case 'AT_ResetRelOptions':
      // Most storage parameters (fillfactor, autovacuum_*) need only SHARE UPDATE EXCLUSIVE.
      return 'SHARE UPDATE EXCLUSIVE';
    case 'AT_DetachPartition': {
      const concurrent = as<{ concurrent?: boolean }>(cmd.def, 'PartitionCmd')?.concurrent === true;
      return concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE';
    }
    default:
      return 'ACCESS EXCLUSIVE';
  }
}

export interface LockTaken {
  /** Resolved `schema.name` key. */
  table: string;
  /** The name as written, for messages. */
  display: string;
  mode: LockMode;
  /** The relation reference in the statement. */
  range: Range;
  /** The table was created earlier in this file (nobody can be waiting on it) or is dropped later in it. */
  isNew: boolean;
  /** The relation is a view or materialized view (its lock blocks readers of the view, not of any table). */
  isView?: boolean;
}

/** The lock mode number of LOCK TABLE (1 = ACCESS SHARE … 8 = ACCESS EXCLUSIVE). */
function lockStmtMode(mode: unknown): LockMode {
  return typeof mode === 'number' && mode >= 1 && mode <= 8 ? LOCK_MODES[mode - 1] : 'ACCESS EXCLUSIVE';
}

interface Builder {
  parsed: ParsedSql;
  stmt: Statement;
  created: CreatedInFile;
  out: LockTaken[];
}

function addRv(b: Builder, rv: RangeVar | undefined, mode: LockMode): void {
  if (!rv?.relname) return;
  const table = b.created.resolve(rv, b.stmt);
  const { parsed, stmt } = b;
  // The range (placeholder here) needs the statement's tokens: it is found when a rule first reads it.
  const lock: LockTaken = { table, display: relationText(rv), mode, range: { start: stmt.start, end: stmt.end }, isNew: b.created.isTransient(rv, stmt) };
  b.out.push(lazyField(lock, 'range', () => rangeVarRange(parsed, rv, stmt)));
}

function addName(b: Builder, q: QName, mode: LockMode, opts: { table?: string; isNew?: boolean; isView?: boolean } = {}): void {
  const parts = q.schema ? [q.schema, q.name] : [q.name];
  const { parsed, stmt } = b;
  // For an index, `table` is the table it belongs to: name that, not the index.
  const display = opts.table ? opts.table.replace(/^public\./, '') : parts.join('.');
  const lock: LockTaken = {
    table: opts.table ?? b.created.resolve(q, stmt),
    display,
    mode,
    range: { start: stmt.start, end: stmt.end },
    isNew: opts.isNew ?? b.created.isTransient(q, stmt),
    isView: opts.isView,
  };
  b.out.push(lazyField(lock, 'range', () => nameRange(parsed, stmt.start, stmt.end, parts) ?? { start: stmt.start, end: stmt.end }));
}

function foreignKeyTargets(b: Builder, constraints: unknown[] | undefined): void {
  for (const c of constraints ?? []) {
    const con = as<Constraint>(c, 'Constraint');
    if (con?.contype === 'CONSTR_FOREIGN') addRv(b, con.pktable, 'SHARE ROW EXCLUSIVE');
  }
}

function alterTable(b: Builder, s: AlterTableStmt): void {
  if (s.objtype !== 'OBJECT_TABLE' && s.objtype !== 'OBJECT_MATVIEW' && s.objtype !== 'OBJECT_FOREIGN_TABLE') return;
  const cmds = (s.cmds ?? []).map((c) => as<AlterTableCmd>(c, 'AlterTableCmd')).filter((c): c is AlterTableCmd => !!c);
  const mode = strongest(cmds.map(alterCommandLock));
  if (mode) addRv(b, s.relation, mode);
  for (const cmd of cmds) {
    if (cmd.subtype === 'AT_AddConstraint') foreignKeyTargets(b, [cmd.def]);
    if (cmd.subtype === 'AT_AddColumn') foreignKeyTargets(b, as<{ constraints?: unknown[] }>(cmd.def, 'ColumnDef')?.constraints);
    const part = as<{ name?: RangeVar; concurrent?: boolean }>(cmd.def, 'PartitionCmd');
    // The partition itself is locked ACCESS EXCLUSIVE by ATTACH and by a plain DETACH.
    if (part?.name && (cmd.subtype === 'AT_AttachPartition' || cmd.subtype === 'AT_DetachPartition')) {
      addRv(b, part.name, part.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE');
    }
  }
}

function dropStmt(b: Builder, v: Record<string, unknown>): void {
  const type = v.removeType as string;
  for (const o of (v.objects as unknown[]) ?? []) {
    const q = listName(as<{ items?: unknown[] }>(o, 'List')?.items ?? []);
    if (!q) continue;
    if (type === 'OBJECT_TABLE' || type === 'OBJECT_MATVIEW' || type === 'OBJECT_VIEW' || type === 'OBJECT_FOREIGN_TABLE') {
      addName(b, q, 'ACCESS EXCLUSIVE', { isView: type === 'OBJECT_MATVIEW' || type === 'OBJECT_VIEW' });
    } else if (type === 'OBJECT_INDEX') {
      const table = b.created.indexTable(q, b.stmt);
      if (table) addName(b, q, v.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'ACCESS EXCLUSIVE', { table, isNew: b.created.isTransientIndex(q, b.stmt) });
    } else if (type === 'OBJECT_TRIGGER' || type === 'OBJECT_POLICY' || type === 'OBJECT_RULE') {
      // DROP TRIGGER / POLICY / RULE name ON table: the list is [schema?, table, name].
      const items = as<{ items?: unknown[] }>(o, 'List')?.items ?? [];
      const table = listName(items.slice(0, -1));
      if (table) addName(b, table, 'ACCESS EXCLUSIVE');
    }
  }
}

/** The locks one statement takes on tables, strongest per reference. */
export function locksOf(parsed: ParsedSql, stmt: Statement, created: CreatedInFile): LockTaken[] {
  const b: Builder = { parsed, stmt, created, out: [] };
  const u = unwrap(stmt.node);
  if (!u) return b.out;
  const v = u.value;
  switch (u.kind) {
    case 'AlterTableStmt':
      alterTable(b, v as AlterTableStmt);
      break;
    case 'RenameStmt': {
      const t = v.renameType as string;
      if (t === 'OBJECT_TABLE' || t === 'OBJECT_COLUMN' || t === 'OBJECT_TABCONSTRAINT' || t === 'OBJECT_MATVIEW' || t === 'OBJECT_VIEW') {
        addRv(b, v.relation as RangeVar, 'ACCESS EXCLUSIVE');
        if (v.relationType === 'OBJECT_VIEW' || v.relationType === 'OBJECT_MATVIEW' || t === 'OBJECT_VIEW' || t === 'OBJECT_MATVIEW')
          for (const l of b.out) l.isView = true;
      }
      break;
    }
    case 'IndexStmt': {
      const s = v as IndexStmt;
      addRv(b, s.relation, s.concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE');
      break;
    }
    case 'DropStmt':
      dropStmt(b, v);
      break;
    case 'ReindexStmt': {
      const concurrent = optionOn(v.params, 'concurrently');
      const rv = v.relation as RangeVar | undefined;
      if (v.kind === 'REINDEX_OBJECT_TABLE') addRv(b, rv, concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE');
      else if (v.kind === 'REINDEX_OBJECT_INDEX' && rv?.relname) {
        const q = { schema: rv.schemaname || undefined, name: rv.relname };
        const table = created.indexTable(q, stmt);
        if (table)
          b.out.push({
            table,
            display: relationText(rv),
            mode: concurrent ? 'SHARE UPDATE EXCLUSIVE' : 'SHARE',
            range: rangeVarRange(parsed, rv, stmt),
            isNew: created.isTransientIndex(q, stmt),
          });
      }
      break;
    }
    case 'RefreshMatViewStmt':
      addRv(b, v.relation as RangeVar, v.concurrent ? 'EXCLUSIVE' : 'ACCESS EXCLUSIVE');
      for (const l of b.out) l.isView = true;
      break;
    case 'VacuumStmt': {
      const full = optionOn(v.options, 'full');
      const mode: LockMode = full && v.is_vacuumcmd !== false ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE';
      for (const r of (v.rels as unknown[]) ?? []) addRv(b, as<{ relation?: RangeVar }>(r, 'VacuumRelation')?.relation, mode);
      break;
    }
    case 'ClusterStmt':
      addRv(b, v.relation as RangeVar, 'ACCESS EXCLUSIVE');
      break;
    case 'TruncateStmt':
      for (const r of (v.relations as unknown[]) ?? []) addRv(b, as<RangeVar>(r, 'RangeVar'), 'ACCESS EXCLUSIVE');
      break;
    case 'LockStmt':
      for (const r of (v.relations as unknown[]) ?? []) addRv(b, as<RangeVar>(r, 'RangeVar'), lockStmtMode(v.mode));
      break;
    case 'CreateTrigStmt':
      addRv(b, v.relation as RangeVar, 'SHARE ROW EXCLUSIVE');
      break;
    case 'AlterSeqStmt':
      // AlterSequence locks the sequence SHARE ROW EXCLUSIVE, which makes nextval() — so every INSERT using it — wait.
      addRv(b, v.sequence as RangeVar, 'SHARE ROW EXCLUSIVE');
      break;
    case 'CreatePolicyStmt':
    case 'AlterPolicyStmt':
      addRv(b, v.table as RangeVar, 'ACCESS EXCLUSIVE');
      break;
    case 'RuleStmt':
      addRv(b, v.relation as RangeVar, 'ACCESS EXCLUSIVE');
      break;
    case 'CreateStmt': {
      const c = v as CreateStmt;
      // DefineRelation: a new partition locks its parent ACCESS EXCLUSIVE, plain inheritance SHARE UPDATE EXCLUSIVE.
      for (const p of c.inhRelations ?? []) addRv(b, as<RangeVar>(p, 'RangeVar'), c.partbound ? 'ACCESS EXCLUSIVE' : 'SHARE UPDATE EXCLUSIVE');
      for (const e of c.tableElts ?? []) {
        foreignKeyTargets(b, [e]);
        foreignKeyTargets(b, as<{ constraints?: unknown[] }>(e, 'ColumnDef')?.constraints);
      }
      break;
    }
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'InsertStmt':
    case 'MergeStmt':
      addRv(b, v.relation as RangeVar, 'ROW EXCLUSIVE');
      break;
    default:
      break;
  }
  return b.out;
}

export interface StatementLocks {
  of(stmt: Statement): LockTaken[];
}

/** The locks every statement of the file takes, computed once. */
export const statementLocks = defineFact('locks', (ctx, facts): StatementLocks => {
  const created = facts.get(createdInFile);
  const cache = new Map<number, LockTaken[]>();
  return {
    of(stmt) {
      let l = cache.get(stmt.index);
      if (!l) {
        l = locksOf(ctx.parsed, stmt, created);
        cache.set(stmt.index, l);
      }
      return l;
    },
  };
});

/** The lock_timeout a statement sets: 'on', 'off', or undefined when it does not touch it; `local` for SET LOCAL / is_local set_config. */
export function timeoutSetting(stmt: Statement): { on: boolean; local: boolean } | undefined {
  const set = as<VariableSetStmt>(stmt.node, 'VariableSetStmt');
  if (set?.name === 'lock_timeout') {
    if (set.kind !== 'VAR_SET_VALUE') return { on: false, local: set.is_local === true };
    const v = constValue(set.args?.[0]);
    return { on: !(v === 0 || v === '0'), local: set.is_local === true };
  }
  let found: { on: boolean; local: boolean } | undefined;
  // A set_config call names the function in the text (U& escapes aside): other statements need no walk.
  if (!/set_config|u&/i.test(stmt.text)) return undefined;
  walk(stmt.node, (kind, value) => {
    if (kind !== 'FuncCall' || strs(value.funcname).pop() !== 'set_config') return;
    const args = Array.isArray(value.args) ? value.args : [];
    if (constValue(args[0]) !== 'lock_timeout') return;
    const v = constValue(args[1]);
    found = { on: !(v === 0 || v === '0'), local: constValue(args[2]) === true };
  });
  return found;
}

export interface LockTimeouts {
  /** Whether a non-zero lock_timeout is in effect when the statement runs (SET, SET LOCAL in its block, set_config). */
  covered(stmt: Statement): boolean;
}

/** Where the file sets lock_timeout: session-wide until turned off, SET LOCAL until the end of its transaction block. */
export const lockTimeouts = defineFact('lock-timeouts', (ctx, facts): LockTimeouts => {
  const tx = facts.get(transactions);
  const covered = new Set<number>();
  let session = false;
  let localBlock: number | undefined;
  for (const stmt of ctx.statements) {
    const setting = timeoutSetting(stmt);
    if (setting) {
      if (setting.local) localBlock = setting.on ? tx.blockOf(stmt)?.id : undefined;
      else session = setting.on;
      continue;
    }
    if (session || (localBlock !== undefined && tx.blockOf(stmt)?.id === localBlock)) covered.add(stmt.index);
  }
  return { covered: (stmt) => covered.has(stmt.index) };
});
