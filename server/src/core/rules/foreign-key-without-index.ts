// foreign-key-without-index: a foreign key whose referencing columns have no index makes deletes on the parent scan the child.
import type { AlterTableCmd, AlterTableStmt, ColumnDef, Constraint, CreateStmt, RangeVar } from '@pgsql/types';
import { as, strs } from '../parse/ast';
import { createdInFile } from '../facts/created-in-file';
import { afterSemicolon, quoteIdent, rangeVarRange, relationText, truncateIdent } from '../facts/relations';
import { transactions } from '../facts/transactions';
import type { Statement } from '../parse/parse';
import type { Table } from '../catalog/types';
import { defineRule } from './rule';

interface ForeignKey {
  stmt: Statement;
  relation: RangeVar;
  columns: string[];
  con: Constraint;
}

function foreignKeys(stmt: Statement): ForeignKey[] {
  const out: ForeignKey[] = [];
  const add = (relation: RangeVar | undefined, con: Constraint | undefined, column?: string) => {
    if (!relation || con?.contype !== 'CONSTR_FOREIGN') return;
    const columns = strs(con.fk_attrs);
    out.push({ stmt, relation, columns: columns.length ? columns : column ? [column] : [], con });
  };
  const fromColumn = (relation: RangeVar | undefined, def: ColumnDef | undefined) => {
    for (const k of def?.constraints ?? []) add(relation, as<Constraint>(k, 'Constraint'), def?.colname);
  };
  const create = as<CreateStmt>(stmt.node, 'CreateStmt');
  for (const e of create?.tableElts ?? []) {
    add(create?.relation, as<Constraint>(e, 'Constraint'));
    fromColumn(create?.relation, as<ColumnDef>(e, 'ColumnDef'));
  }
  const alter = as<AlterTableStmt>(stmt.node, 'AlterTableStmt');
  for (const c of alter?.cmds ?? []) {
    const cmd = as<AlterTableCmd>(c, 'AlterTableCmd');
    if (cmd?.subtype === 'AT_AddConstraint') add(alter?.relation, as<Constraint>(cmd.def, 'Constraint'));
    if (cmd?.subtype === 'AT_AddColumn') fromColumn(alter?.relation, as<ColumnDef>(cmd.def, 'ColumnDef'));
  }
  return out;
}

/** Whether some index (or PRIMARY KEY / UNIQUE constraint) of the table starts with exactly these columns, in any order. */
function covered(table: Table, indexes: { table: string; columns: string[] }[], columns: string[]): boolean {
  const want = new Set(columns);
  const leads = (cols: string[]) => cols.length >= want.size && cols.slice(0, want.size).every((c) => want.has(c));
  if (indexes.some((i) => i.table === table.key && leads(i.columns))) return true;
  return table.constraints.some((k) => (k.type === 'primary' || k.type === 'unique') && leads(k.columns));
}

export default defineRule({
  id: 'foreign-key-without-index',
  category: 'schema-design',
  severity: 'info',
  recommended: true,
  fix: 'safe',
  scope: 'all',
  messages: {
    missing:
      'No index on {table} ({columns}) for its foreign key to {ref}: every DELETE or key UPDATE on {ref} scans {table} to find referencing rows, holding its locks meanwhile.',
  },
  docs: {
    summary: 'Foreign key whose referencing columns are not the leading columns of any index.',
    why: 'PostgreSQL indexes the referenced side of a foreign key (it must be unique) but not the referencing side. Without that index, each delete or key update on the parent scans the child table, and ON DELETE CASCADE / SET NULL do it under row locks; joins on the key are slow too. pgdba checks the indexes that exist after every migration in the workspace.',
    help: 'Create an index on the referencing columns (CONCURRENTLY when the table already holds data).',
    bad: ['CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));'],
    good: [
      'CREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users (id));\nCREATE INDEX orders_user_id_idx ON orders (user_id);',
      'CREATE TABLE memberships (user_id bigint REFERENCES users (id), team_id bigint, PRIMARY KEY (user_id, team_id));',
    ],
  },
  sources: [{ tool: 'squawk', rule: 'adding-foreign-key-constraint', relation: 'inspired' }],
  check(ctx) {
    const created = ctx.facts.get(createdInFile);
    const tx = ctx.facts.get(transactions);
    const indexes = [...ctx.catalog.indexes.values()];
    const migration = ctx.file.role !== 'plain';
    for (const stmt of ctx.statements) {
      if (stmt.kind !== 'CreateStmt' && stmt.kind !== 'AlterTableStmt') continue;
      for (const fk of foreignKeys(stmt)) {
        const key = created.resolve(fk.relation, stmt);
        const table = ctx.catalog.tables.get(key);
        if (!table || fk.columns.length === 0) continue;
        // The workspace dropped or replaced this foreign key later: nothing to index.
        const same = (cols: string[]) => cols.length === fk.columns.length && cols.every((c) => fk.columns.includes(c));
        if (!table.constraints.some((k) => k.type === 'foreign' && same(k.columns))) continue;
        if (covered(table, indexes, fk.columns)) continue;
        const at = typeof fk.con.location === 'number' && fk.con.location >= stmt.start ? fk.con.location : stmt.start;
        const end = fk.con.pktable ? rangeVarRange(ctx.parsed, fk.con.pktable, stmt).end : stmt.end;
        const isNew = created.isNewTable(fk.relation, stmt) || stmt.kind === 'CreateStmt';
        let fix;
        if (!migration || isNew || !tx.inTransaction(stmt)) {
          const name = quoteIdent(truncateIdent(`${table.name}_${fk.columns.join('_')}_idx`));
          const r = rangeVarRange(ctx.parsed, fk.relation, stmt);
          const target = ctx.parsed.text.slice(r.start, r.end);
          const concurrently = migration && !isNew ? ' CONCURRENTLY' : '';
          const pos = afterSemicolon(ctx.parsed, stmt);
          const semi = pos > stmt.end ? '' : ';';
          const text = `${semi}\nCREATE INDEX${concurrently} ${name} ON ${target} (${fk.columns.map(quoteIdent).join(', ')});`;
          fix = { title: 'Create an index on the referencing columns', edits: [{ start: pos, end: pos, newText: text }] };
        }
        const data = { table: relationText(fk.relation), columns: fk.columns.join(', '), ref: relationText(fk.con.pktable) };
        ctx.report({ start: at, end: Math.max(end, at + 1), messageId: 'missing', data, statement: stmt, fix });
      }
    }
  },
});
