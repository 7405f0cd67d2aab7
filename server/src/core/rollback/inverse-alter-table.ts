// Inverse of ALTER TABLE: each subcommand undone in reverse order against the table as it stood before that subcommand.
import type { AlterTableStmt, ColumnDef, RangeVar } from '@pgsql/types';
import { QuoteUtils } from 'pgsql-deparser';
import { applyStatement, tableKey } from '../catalog/build';
import { constraintName, isRealConstraint } from '../catalog/extras-table';
import { columnsIn } from '../catalog/rewrite';
import type { Catalog, Constraint, Table } from '../catalog/types';
import { as, typeNameText } from '../parse/ast';
import type { Statement } from '../parse/parse';
import { cloneCatalog } from './catalog-before';
import { addConstraintSql, columnSql, commentSql, createIndexSql, ownedBySql, recreateSequence, relSql, typeDependents } from './recreate';
import { alterTable, deparse, nameList, parseExpr, parseTypeName, strNode, type Json } from './sql';
import { coveredByTable } from './covered';
import type { InvertContext, Inverse } from './types';

const SERIAL = /^(small|big)?serial[248]?$/;

interface CmdInverse {
  /** Statements that must run before `cmds` (dropping what a type change would rewrite). */
  pre?: string[];
  /** AlterTableCmd payloads on the same relation, merged into one ALTER TABLE. */
  cmds?: Json[];
  sql?: string[];
  irreversible?: string;
  warning?: string;
  note?: string;
}

type Cmd = { subtype?: string; name?: string; def?: unknown; behavior?: string; missing_ok?: boolean; num?: number };

const FLIP: Record<string, string> = {
  AT_EnableRowSecurity: 'AT_DisableRowSecurity',
  AT_DisableRowSecurity: 'AT_EnableRowSecurity',
  AT_ForceRowSecurity: 'AT_NoForceRowSecurity',
  AT_NoForceRowSecurity: 'AT_ForceRowSecurity',
  AT_EnableTrig: 'AT_DisableTrig',
  AT_EnableAlwaysTrig: 'AT_EnableTrig',
  AT_EnableReplicaTrig: 'AT_EnableTrig',
  AT_DisableTrig: 'AT_EnableTrig',
  AT_EnableTrigAll: 'AT_DisableTrigAll',
  AT_DisableTrigAll: 'AT_EnableTrigAll',
  AT_EnableTrigUser: 'AT_DisableTrigUser',
  AT_DisableTrigUser: 'AT_EnableTrigUser',
  AT_SetLogged: 'AT_SetUnLogged',
  AT_SetUnLogged: 'AT_SetLogged',
  AT_AddInherit: 'AT_DropInherit',
  AT_DropInherit: 'AT_AddInherit',
  AT_ClusterOn: 'AT_DropCluster',
  AT_AddIdentity: 'AT_DropIdentity',
};

/** Settings whose previous value the catalog does not keep: the reviewer restores them. */
const UNTRACKED: Record<string, string> = {
  AT_SetStatistics: 'statistics target',
  AT_SetStorage: 'storage',
  AT_SetCompression: 'compression',
  AT_SetOptions: 'column options',
  AT_ResetOptions: 'column options',
  AT_SetRelOptions: 'storage parameters',
  AT_ResetRelOptions: 'storage parameters',
  AT_ReplicaIdentity: 'replica identity',
  AT_ChangeOwner: 'owner',
  AT_SetTableSpace: 'tablespace',
  AT_SetIdentity: 'identity options',
  AT_DropCluster: 'clustering index',
  AT_SetAccessMethod: 'access method',
};

function stateFlag(table: Table | undefined, subtype: string): boolean | undefined {
  if (!table) return undefined;
  if (subtype === 'AT_EnableRowSecurity') return table.rls.enabled;
  if (subtype === 'AT_DisableRowSecurity') return !table.rls.enabled;
  if (subtype === 'AT_ForceRowSecurity') return table.rls.forced;
  if (subtype === 'AT_NoForceRowSecurity') return !table.rls.forced;
  return undefined;
}

function defaultOf(catalog: Catalog, table: Table, col: { default?: string; serialSequence?: string; type: string }): string | undefined {
  if (col.default !== undefined) return col.default;
  const seq = col.serialSequence && SERIAL.test(col.type) ? catalog.sequences?.get(col.serialSequence) : undefined;
  if (!seq) return undefined;
  const name = nameList(seq.key, [table.schema])
    .map((n) => quoteIdent((n.String as { sval: string }).sval))
    .join('.');
  return `nextval(${QuoteUtils.escape(name)}::regclass)`;
}

/** Re-adds what DROP COLUMN took: the column, then constraints and indexes that involved it. */
function restoreColumn(ctx: InvertContext, catalog: Catalog, table: Table, name: string, cascade: boolean): CmdInverse {
  const col = table.columns.get(name);
  const sp = ctx.state.searchPath;
  if (!col) return { irreversible: `column ${table.name}.${name} is not in the schema built from earlier migrations; re-create it by hand` };
  if (!col.type && !col.typeSql)
    return { irreversible: `the type of column ${table.name}.${name} (made by CREATE TABLE … AS) is not known; re-create it by hand` };
  const c = columnSql(catalog, table, col);
  // A sequence the column owned (OWNED BY, as pg_dump writes serials) went with it.
  const owned = [...(catalog.sequences?.values() ?? [])].filter((s) => !s.implicit && s.ownedBy?.table === table.key && s.ownedBy.column === name);
  const sql = [...owned.flatMap((s) => recreateSequence(s, sp, false)), ...c.before, `ALTER TABLE ${relSql(table.key, sp)} ADD COLUMN ${c.def}`, ...c.after];
  sql.push(...owned.map((s) => ownedBySql(s, sp)));
  const involves = (k: Constraint) => k.columns.includes(name) || columnsIn((k.node as Json | undefined)?.raw_expr).has(name);
  for (const k of table.constraints) if (isRealConstraint(k) && involves(k)) sql.push(addConstraintSql(table, k, sp));
  for (const ix of catalog.indexes.values()) {
    if (ix.table !== table.key || !(ix.columns.includes(name) || columnsIn(ix.node).has(name))) continue;
    const s = createIndexSql(ix, sp);
    if (s) sql.push(s);
  }
  if (cascade) {
    for (const other of catalog.tables.values()) {
      for (const k of other.constraints) {
        if (k.type === 'foreign' && k.references?.table === table.key && k.references.columns.includes(name)) sql.push(addConstraintSql(other, k, sp));
      }
    }
  }
  if (col.comment !== undefined) sql.push(commentSql('OBJECT_COLUMN', { List: { items: [...nameList(table.key, sp), strNode(name)] } }, col.comment));
  const warning =
    col.notNull && col.default === undefined && !col.identity
      ? `${table.name}.${name} is NOT NULL without a default: re-adding it fails while the table has rows`
      : undefined;
  return { sql, irreversible: `the data in column ${table.name}.${name} is lost: the column comes back empty`, warning };
}

function restoreConstraint(ctx: InvertContext, catalog: Catalog, table: Table, cmd: Cmd): CmdInverse {
  const k = table.constraints.find((x) => isRealConstraint(x) && constraintName(x) === cmd.name);
  if (!k) {
    if (cmd.missing_ok) return { note: `constraint ${cmd.name} did not exist: nothing to undo` };
    return { irreversible: `constraint ${cmd.name} on ${table.name} is not in the schema built from earlier migrations; re-create it by hand` };
  }
  const sp = ctx.state.searchPath;
  const sql = [addConstraintSql(table, k, sp)];
  if (cmd.behavior === 'DROP_CASCADE' && (k.type === 'primary' || k.type === 'unique')) {
    for (const other of catalog.tables.values()) {
      for (const fk of other.constraints) {
        if (fk.type !== 'foreign' || fk.references?.table !== table.key) continue;
        const cols = fk.references.columns;
        if ((cols.length === 0 && k.type === 'primary') || cols.join(',') === k.columns.join(',')) sql.push(addConstraintSql(other, fk, sp));
      }
    }
  }
  return { sql };
}

function invertCmd(ctx: InvertContext, catalog: Catalog, table: Table | undefined, key: string, cmd: Cmd, raw: Json): CmdInverse {
  const subtype = cmd.subtype ?? '';
  const col = cmd.name && table ? table.columns.get(cmd.name) : undefined;
  const unknownColumn: CmdInverse = {
    irreversible: `column ${key}.${cmd.name} is not in the schema built from earlier migrations: its previous definition is not known`,
  };
  if (FLIP[subtype]) {
    if (stateFlag(table, subtype)) return { note: 'already in that state before: nothing to undo' };
    return { cmds: [{ ...raw, subtype: FLIP[subtype], def: subtype === 'AT_AddIdentity' ? undefined : raw.def }] };
  }
  if (UNTRACKED[subtype]) return { warning: `the previous ${UNTRACKED[subtype]} of ${key} is not known to pgdba: restore it by hand if it matters` };
  switch (subtype) {
    case 'AT_AddColumn': {
      const def = as<ColumnDef>(cmd.def, 'ColumnDef');
      if (cmd.missing_ok && def?.colname && table?.columns.has(def.colname)) return { note: `column ${def.colname} already existed: nothing to undo` };
      return { cmds: [{ subtype: 'AT_DropColumn', name: def?.colname }] };
    }
    case 'AT_DropColumn':
      if (!table || !col) return cmd.missing_ok ? { note: `column ${cmd.name} did not exist: nothing to undo` } : unknownColumn;
      return restoreColumn(ctx, catalog, table, col.name, cmd.behavior === 'DROP_CASCADE');
    case 'AT_AlterColumnType': {
      if (!col || !table) return unknownColumn;
      const oldType = SERIAL.test(col.type) ? (catalog.sequences?.get(col.serialSequence ?? '')?.dataType ?? 'integer') : (col.typeSql ?? col.type);
      const typeName = parseTypeName(oldType);
      if (!typeName) return unknownColumn;
      const newType = typeNameText(as<ColumnDef>(cmd.def, 'ColumnDef')?.typeName);
      // Enums and other user types have no casts to or from most types; every type has one through text.
      const viaText = isUserType(catalog, oldType, ctx.state.searchPath) || isUserType(catalog, newType, ctx.state.searchPath);
      const using = parseExpr(`${quoteIdent(col.name)}::${viaText ? 'text::' : ''}${oldType}`);
      const def: Json = { colname: col.name, typeName, raw_default: using };
      if (col.collation) def.collClause = { collname: col.collation.split('.').map(strNode) };
      const prev = defaultOf(catalog, table, col);
      const cmds: Json[] = [];
      // The current default may not convert to the old type; the old default is put back as it was written.
      if (viaText || prev !== undefined) cmds.push({ subtype: 'AT_ColumnDefault', name: col.name });
      cmds.push({ subtype: 'AT_AlterColumnType', name: col.name, def: { ColumnDef: def } });
      if (prev !== undefined) cmds.push({ subtype: 'AT_ColumnDefault', name: col.name, def: parseExpr(prev) });
      const deps = typeDependents(catalog, table, col.name, ctx.state.searchPath);
      const conversion = customConversion(as<ColumnDef>(cmd.def, 'ColumnDef')?.raw_default, col.name);
      return {
        pre: deps.drop,
        cmds,
        sql: deps.create,
        warning: 'converting back can fail or lose precision if values written since do not fit the old type',
        irreversible:
          conversion && `the up converted ${key}.${col.name} with USING ${conversion}; converting back needs an expression of its own (a cast is used)`,
      };
    }
    case 'AT_ColumnDefault': {
      if (!col || !table) return unknownColumn;
      const prev = defaultOf(catalog, table, col);
      if (prev === undefined) return cmd.def ? { cmds: [{ subtype: 'AT_ColumnDefault', name: col.name }] } : { note: 'no default before: nothing to undo' };
      return { cmds: [{ subtype: 'AT_ColumnDefault', name: col.name, def: parseExpr(prev) }] };
    }
    case 'AT_SetNotNull':
      if (!col) return unknownColumn;
      return col.notNull ? { note: `${key}.${col.name} was already NOT NULL` } : { cmds: [{ subtype: 'AT_DropNotNull', name: col.name }] };
    case 'AT_DropNotNull':
      if (!col) return unknownColumn;
      return col.notNull
        ? { cmds: [{ subtype: 'AT_SetNotNull', name: col.name }], warning: `SET NOT NULL fails if NULLs were written to ${key}.${col.name} since` }
        : { note: `${key}.${col.name} was already nullable` };
    case 'AT_DropConstraint':
      if (!table) return { irreversible: `${key} is not in the schema built from earlier migrations` };
      return restoreConstraint(ctx, catalog, table, cmd);
    case 'AT_ValidateConstraint': {
      const k = table?.constraints.find((x) => constraintName(x) === cmd.name);
      if (!k || !table) return { note: 'validation cannot be undone, and leaves no mark pgdba can restore' };
      if (!k.notValid) return { note: `constraint ${cmd.name} was already valid` };
      return { cmds: [{ subtype: 'AT_DropConstraint', name: cmd.name }], sql: [addConstraintSql(table, k, ctx.state.searchPath)] };
    }
    case 'AT_AlterConstraint': {
      const a = as<{ conname?: string }>(cmd.def, 'ATAlterConstraint') ?? as<{ conname?: string }>(cmd.def, 'Constraint');
      const k = table?.constraints.find((x) => constraintName(x) === a?.conname);
      if (!k) return { irreversible: `constraint ${a?.conname} is not known: its previous deferrability cannot be restored` };
      const def = {
        ATAlterConstraint: { conname: a?.conname, alterDeferrability: true, deferrable: k.deferrable === true, initdeferred: k.initiallyDeferred === true },
      };
      return { cmds: [{ subtype: 'AT_AlterConstraint', def }] };
    }
    case 'AT_DropIdentity':
      if (!col?.identity) return cmd.missing_ok ? { note: 'no identity before: nothing to undo' } : unknownColumn;
      return {
        cmds: [
          {
            subtype: 'AT_AddIdentity',
            name: col.name,
            def: { Constraint: { contype: 'CONSTR_IDENTITY', generated_when: col.identity === 'always' ? 'a' : 'd' } },
          },
        ],
        warning: `the identity sequence of ${key}.${col.name} restarts at 1`,
      };
    case 'AT_DropExpression':
      return { irreversible: `${key}.${cmd.name} cannot be made a generated column again; recreate the column to restore it` };
    case 'AT_AttachPartition': {
      const part = (cmd.def as { PartitionCmd?: { name?: RangeVar } })?.PartitionCmd?.name;
      return { cmds: [{ subtype: 'AT_DetachPartition', def: { PartitionCmd: { name: part, concurrent: false } } }] };
    }
    case 'AT_DetachPartition': {
      const pc = (cmd.def as { PartitionCmd?: { name?: RangeVar } })?.PartitionCmd;
      const part = pc?.name && catalog.tables.get(tableKey(pc.name, ctx.state, catalog));
      const bound = (part?.node as Json | undefined)?.partbound;
      if (!bound) return { irreversible: `the partition bound of ${pc?.name?.relname} is not known` };
      return { cmds: [{ subtype: 'AT_AttachPartition', def: { PartitionCmd: { name: pc?.name, bound, concurrent: false } } }] };
    }
    default:
      return { irreversible: `ALTER TABLE ${subtype.replace(/^AT_/, '')} on ${key}: pgdba cannot undo this yet` };
  }
}

const quoteIdent = (s: string) => QuoteUtils.quoteIdentifier(s);

/** A USING expression that is more than the column (or a cast of it), as SQL; undefined otherwise. */
function customConversion(using: unknown, column: string): string | undefined {
  if (!using) return undefined;
  let e: unknown = using;
  while (as<{ arg?: unknown }>(e, 'TypeCast')) e = as<{ arg?: unknown }>(e, 'TypeCast')?.arg;
  const fields = as<{ fields?: unknown[] }>(e, 'ColumnRef')?.fields;
  if (fields && fields.length === 1 && as<{ sval?: string }>(fields[0], 'String')?.sval === column) return undefined;
  try {
    return deparse(using);
  } catch {
    return 'an expression';
  }
}

/** Whether a type (as written, maybe with typmods or []) is an enum, domain, composite or range type from the catalog. */
export function isUserType(catalog: Catalog, type: string, sp: readonly string[]): boolean {
  const base = type
    .replace(/(\[\])+$/, '')
    .replace(/\(.*\)$/, '')
    .replace(/"/g, '');
  const keys = base.includes('.') ? [base] : sp.map((s) => `${s}.${base}`);
  return keys.some((k) => catalog.enums.has(k) || !!catalog.types?.has(k));
}

/** Adds a constraint: its inverse needs the name PostgreSQL chose, known once the statement is applied. */
function addConstraintInverse(nullableBefore: ReadonlySet<string>, key: string, cmd: Cmd, after: Catalog): CmdInverse {
  const con = as<{ contype?: string; keys?: unknown[] }>(cmd.def, 'Constraint');
  const added = after.tables.get(key)?.constraints.find((k) => k.node === con);
  const name = added && constraintName(added);
  if (!name) return { irreversible: 'the name of the added constraint is not known; drop it by hand' };
  const cmds: Json[] = [{ subtype: 'AT_DropConstraint', name }];
  // ADD PRIMARY KEY (and PostgreSQL 18's ADD CONSTRAINT … NOT NULL col) also made its columns NOT NULL.
  if (added?.type === 'primary' || added?.type === 'not-null')
    for (const c of added.columns) if (nullableBefore.has(c)) cmds.push({ subtype: 'AT_DropNotNull', name: c });
  return { cmds };
}

/** Splits an ALTER TABLE into one statement per subcommand, so each is inverted against the table as it stood before it. */
function single(stmt: Statement, s: AlterTableStmt, cmd: unknown): Statement {
  return { ...stmt, node: { AlterTableStmt: { ...s, cmds: [cmd] } } as never };
}

export function invertAlterTable(ctx: InvertContext, s: AlterTableStmt): Inverse {
  const key = tableKey(s.relation, ctx.state, ctx.catalog);
  const objtype = s.objtype ?? 'OBJECT_TABLE';
  const cmds = s.cmds ?? [];
  const covered = coveredByTable(ctx, key);
  // Later subcommands see the effect of earlier ones (ADD COLUMN a, ALTER a SET NOT NULL): work on a copy when there are several.
  const catalog = cmds.length > 1 ? cloneCatalog(ctx.catalog) : ctx.catalog;
  const parts: (CmdInverse | ((after: Catalog) => CmdInverse))[] = [];
  for (const c of cmds) {
    const cmd = as<Cmd>(c, 'AlterTableCmd');
    if (!cmd) continue;
    const table = catalog.tables.get(key);
    const con = as<{ contype?: string; pktable?: RangeVar }>(cmd.def, 'Constraint');
    const foreignElsewhere = con?.contype === 'CONSTR_FOREIGN' && con.pktable && tableKey(con.pktable, ctx.state, catalog) !== key;
    if (covered && !foreignElsewhere) {
      parts.push({ note: covered });
    } else if (cmd.subtype === 'AT_AddConstraint' || cmd.subtype === 'AT_AddIndexConstraint') {
      // The table object is changed in place when the statement is applied: note what was nullable now.
      const nullable = new Set([...(table?.columns.values() ?? [])].filter((col) => !col.notNull).map((col) => col.name));
      parts.push((after) => addConstraintInverse(nullable, key, cmd, after));
    } else {
      parts.push(invertCmd(ctx, catalog, table, key, cmd, as<Json>(c, 'AlterTableCmd') ?? {}));
    }
    if (cmds.length > 1) applyStatement(catalog, single(ctx.stmt, s, c), ctx.state);
  }
  const build = (all: CmdInverse[]): Inverse => {
    const sql: string[] = [];
    let pending: Json[] = [];
    const flush = () => {
      // DROP COLUMN takes the constraints on the column with it: drop those constraints first, explicitly.
      const first = pending.filter((c) => c.subtype === 'AT_DropConstraint');
      if (pending.length) sql.push(alterTable(key, ctx.state.searchPath, [...first, ...pending.filter((c) => !first.includes(c))], objtype));
      pending = [];
    };
    // Undo in reverse order; consecutive plain subcommands share one ALTER TABLE.
    for (const p of [...all].reverse()) {
      if (p.pre?.length) {
        flush();
        sql.push(...p.pre);
      }
      if (p.cmds) pending.push(...p.cmds.map((c) => stripUndefined(c)));
      if (p.sql?.length) {
        flush();
        sql.push(...p.sql);
      }
    }
    flush();
    const join = (k: 'irreversible' | 'warning' | 'note') => [...new Set(all.map((p) => p[k]).filter(Boolean))].join('; ') || undefined;
    return { sql, irreversible: join('irreversible'), warning: join('warning'), note: sql.length ? undefined : join('note') };
  };
  if (parts.every((p) => typeof p !== 'function')) return build(parts as CmdInverse[]);
  return { late: (after) => build(parts.map((p) => (typeof p === 'function' ? p(after) : p))) };
}

function stripUndefined(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}
