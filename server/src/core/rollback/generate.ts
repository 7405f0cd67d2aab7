// Generates a down migration from an up migration and the catalog as it stood before it: each statement inverted, in reverse.
import type { AlterTableStmt, RangeVar } from '@pgsql/types';
import { applyStatement, newApplyState, resolveTable, tableKey } from '../catalog/build';
import type { Catalog, Index } from '../catalog/types';
import { as, strs, unwrap } from '../parse/ast';
import { parseSql, type ParsedSql, type Statement } from '../parse/parse';
import { parseSync } from 'libpg-query';
import { cloneCatalog } from './catalog-before';
import { invert } from './inverse';
import { createIndexSql } from './recreate';
import { replayDown } from './replay';
import { irreversibleComment, sqlComment } from './sql';
import type { Block, Created, Inverse, Rollback, RollbackItem, RollbackOptions, RollbackWarning } from './types';

export interface GenerateOptions extends RollbackOptions {
  /** Only statements starting inside this range (a dbmate up section); offsets stay those of the parsed text. */
  section?: { start: number; end: number };
}

const CREATING = /^(Create|Define|Composite|View|Index)/;

function keys(c: Catalog): Created {
  const functions = new Set<string>();
  for (const [k, list] of c.functions) for (const f of list) functions.add(`${k}(${f.argTypes.join(',')})`);
  return {
    tables: new Set(c.tables.keys()),
    indexes: new Set(c.indexes.keys()),
    types: new Set([...c.enums.keys(), ...(c.types?.keys() ?? [])]),
    sequences: new Set(c.sequences?.keys() ?? []),
    functions,
    schemas: new Set(c.schemas),
  };
}

function noteCreated(created: Created, before: Created, after: Created): void {
  for (const k of Object.keys(created) as (keyof Created)[]) {
    for (const key of after[k]) if (!before[k].has(key)) created[k].add(key);
  }
}

function emptyCreated(): Created {
  return { tables: new Set(), indexes: new Set(), types: new Set(), sequences: new Set(), functions: new Set(), schemas: new Set() };
}

function safeInvert(run: () => Inverse): Inverse {
  try {
    return run();
  } catch (err) {
    return { irreversible: `pgdba could not invert this statement (${err instanceof Error ? err.message : String(err)})` };
  }
}

function excerpt(stmt: Statement): string {
  const line = stmt.text.trim().split('\n')[0] ?? '';
  return line.length > 70 ? `${line.slice(0, 67)}…` : line;
}

/**
 * The down migration for `up`, given the catalog before it (see catalogBefore). Statements are undone in reverse order;
 * what cannot be undone is re-created as far as the catalog allows and marked `-- pgdba: irreversible: <why>`.
 */
export function generateRollback(up: string | ParsedSql, before: Catalog, opts: GenerateOptions = {}): Rollback {
  const parsed = typeof up === 'string' ? parseSql(up) : up;
  const catalog = cloneCatalog(before);
  const state = newApplyState(opts.file ?? '<up>');
  const created = emptyCreated();
  const items: RollbackItem[] = [];
  const warnings: RollbackWarning[] = [];
  const prelude: string[] = [];
  const finals: { step: Step; check: NonNullable<Inverse['finalNote']> }[] = [];
  const steps: Step[] = [];
  let explicitTransaction = false;
  const inSection = (offset: number) => !opts.section || (offset >= opts.section.start && offset < opts.section.end);
  for (const stmt of parsed.statements) {
    if (!inSection(stmt.start)) continue;
    const u = unwrap(stmt.node);
    if (stmt.kind === 'TransactionStmt') {
      if (u?.value.kind === 'TRANS_STMT_BEGIN' || u?.value.kind === 'TRANS_STMT_START') explicitTransaction = true;
      items.push({ statementIndex: stmt.index, inverse: '', note: 'transaction control: the down gets the same' });
      continue;
    }
    if (stmt.kind === 'VariableSetStmt') {
      // Session settings (search_path, lock_timeout…) apply to the down as well.
      prelude.push(stmt.text.trim());
      applyStatement(catalog, stmt, state);
      items.push({ statementIndex: stmt.index, inverse: '', note: 'setting repeated at the top of the down' });
      continue;
    }
    const snapshot = CREATING.test(stmt.kind) ? keys(catalog) : undefined;
    const renamedTable =
      stmt.kind === 'RenameStmt' && u?.value.relation
        ? resolveTable(catalog, (u.value.relation as RangeVar).schemaname, (u.value.relation as RangeVar).relname ?? '', state.searchPath)?.key
        : undefined;
    const reshapes = reshaped(catalog, stmt, state);
    let inv = temporary(catalog, stmt, state)
      ? { note: 'a temporary table: gone at the end of the session anyway' }
      : safeInvert(() => invert({ catalog, state, stmt, created }));
    const absorbed = absorbedIndexes(catalog, stmt, state);
    applyStatement(catalog, stmt, state);
    const late = inv.late;
    if (late) inv = safeInvert(() => late(catalog));
    if (snapshot) noteCreated(created, snapshot, keys(catalog));
    if (renamedTable && created.tables.has(renamedTable) && u) {
      const schema = renamedTable.split('.')[0];
      if (u.value.renameType === 'OBJECT_TABLE' || u.value.renameType === 'OBJECT_VIEW') created.tables.add(`${schema}.${String(u.value.newname)}`);
    }
    inv = withAbsorbedIndexes(inv, absorbed, state.searchPath);
    const checked = checkSql(inv);
    const item: RollbackItem = {
      statementIndex: stmt.index,
      inverse: [...checked.sql, ...checked.blocks.flatMap((b) => b.sql)].map((s) => `${s};`).join('\n'),
    };
    const step: Step = { item, stmt, now: checked.sql, blocks: checked.blocks, restores: new Set(inv.restores ?? []), reshapes };
    steps.push(step);
    if (inv.finalNote) finals.push({ step, check: inv.finalNote });
    inv = { ...inv, irreversible: [inv.irreversible, checked.invalid].filter(Boolean).join('; ') || undefined };
    if (inv.irreversible) item.irreversible = inv.irreversible;
    if (inv.warning) item.warning = inv.warning;
    if (inv.note) item.note = inv.note;
    items.push(item);
    if (inv.irreversible) warnings.push({ statementIndex: stmt.index, start: stmt.start, end: stmt.end, message: inv.irreversible, irreversible: true });
    if (inv.warning) warnings.push({ statementIndex: stmt.index, start: stmt.start, end: stmt.end, message: inv.warning, irreversible: false });
  }
  for (const { step, check } of finals) {
    const note = check(catalog, created);
    if (!note) continue;
    step.item.inverse = '';
    step.item.note = note;
    step.now = [];
    step.blocks = [];
  }
  for (const e of parsed.errors) {
    if (!inSection(e.start)) continue;
    warnings.push({ start: e.start, end: e.end, message: `a syntax error here hides a statement from the rollback: ${e.message}`, irreversible: true });
  }
  const rendered = render(steps.reverse(), prelude, explicitTransaction, warnings, opts, catalog);
  return { sql: rendered.sql, items, warnings, needsReview: rendered.needsReview };
}

/**
 * `ADD CONSTRAINT … PRIMARY KEY / UNIQUE USING INDEX i` absorbs index i: it becomes the constraint's index, renamed.
 * Dropping the constraint in the down drops it too, so the index has to be built again (PostgreSQL docs, ALTER TABLE).
 */
function absorbedIndexes(catalog: Catalog, stmt: Statement, state: ReturnType<typeof newApplyState>): Index[] {
  const at = as<AlterTableStmt>(stmt.node, 'AlterTableStmt');
  const out: Index[] = [];
  for (const c of at?.cmds ?? []) {
    const con = as<{ indexname?: string }>(as<{ def?: unknown }>(c, 'AlterTableCmd')?.def, 'Constraint');
    if (!con?.indexname) continue;
    const schema = at?.relation?.schemaname || undefined;
    const ix = (schema ? [schema] : state.searchPath).map((s) => catalog.indexes.get(`${s}.${con.indexname}`)).find(Boolean);
    if (ix) out.push(ix);
  }
  return out;
}

function withAbsorbedIndexes(inv: Inverse, absorbed: Index[], searchPath: readonly string[]): Inverse {
  if (!absorbed.length || !inv.sql?.length) return inv;
  const sql = [...inv.sql];
  const missing: string[] = [];
  for (const ix of absorbed) {
    const create = createIndexSql(ix, searchPath);
    if (create) sql.push(create);
    else missing.push(ix.name);
  }
  const warning = missing.length ? `index ${missing.join(', ')} was absorbed by the constraint and is dropped with it: re-create it by hand` : undefined;
  return { ...inv, sql, warning: [inv.warning, warning].filter(Boolean).join('; ') || undefined };
}

/** One up statement's place in the down. */
interface Step {
  item: RollbackItem;
  stmt: Statement;
  now: string[];
  blocks: Block[];
  restores: Set<string>;
  /** Tables whose columns the up statement changes (added, dropped, renamed, retyped): its inverse changes them back. */
  reshapes: Set<string>;
}

function reshaped(catalog: Catalog, stmt: Statement, state: ReturnType<typeof newApplyState>): Set<string> {
  const at = as<AlterTableStmt>(stmt.node, 'AlterTableStmt');
  if (at) return new Set([tableKey(at.relation, state, catalog)]);
  const rn = as<{ renameType?: string; relation?: RangeVar }>(stmt.node, 'RenameStmt');
  if (rn?.renameType === 'OBJECT_COLUMN' && rn.relation) return new Set([tableKey(rn.relation, state, catalog)]);
  return new Set();
}

/** CREATE TEMP TABLE and what is done to temporary tables leave nothing to undo. */
function temporary(catalog: Catalog, stmt: Statement, state: ReturnType<typeof newApplyState>): boolean {
  const v = unwrap(stmt.node)?.value;
  const rv = (v?.relation ?? (v?.into as { rel?: RangeVar } | undefined)?.rel) as RangeVar | undefined;
  if (rv?.relpersistence === 't') return true;
  if (stmt.kind !== 'DropStmt' || v?.removeType !== 'OBJECT_TABLE') return false;
  const objects = (v.objects as unknown[] | undefined) ?? [];
  return (
    objects.length > 0 &&
    objects.every((o) => {
      const parts = strs(as<{ items?: unknown[] }>(o, 'List')?.items);
      const t = resolveTable(catalog, parts.length > 1 ? parts[parts.length - 2] : undefined, parts[parts.length - 1] ?? '', state.searchPath);
      return (
        (
          (t?.node as { relation?: RangeVar; into?: { rel?: RangeVar } } | undefined)?.relation ??
          (t?.node as { into?: { rel?: RangeVar } } | undefined)?.into?.rel
        )?.relpersistence === 't'
      );
    })
  );
}

/** Every generated statement must parse: one that does not (a deparser gap) is left out and reported, never run. */
function checkSql(inv: Inverse): { sql: string[]; blocks: Block[]; invalid?: string } {
  const bad: string[] = [];
  const ok = (s: string) => {
    try {
      parseSync(s);
      return true;
    } catch {
      bad.push(s.split('\n')[0]);
      return false;
    }
  };
  const sql = (inv.sql ?? []).filter(ok);
  const blocks = (inv.blocks ?? []).map((b) => ({ ...b, sql: b.sql.filter(ok) }));
  return { sql, blocks, invalid: bad.length ? `pgdba produced SQL that does not parse, left out: ${bad.join(' / ')}` : undefined };
}

/**
 * Orders the down: steps in reverse up order; a block (a view or CREATE TABLE … AS coming back) waits until later steps
 * have put the columns of what it reads back as they were, and until what it reads has been re-created.
 */
function schedule(steps: Step[]): { step: Step; sql: string[] }[] {
  const all = steps.flatMap((s, i) => s.blocks.map((b) => ({ block: b, at: i })));
  const emitted = new Set<Block>();
  const out: { step: Step; sql: string[] }[] = [];
  const ready = (b: Block, at: number, now: number) => {
    const reads = new Set(b.reads);
    for (let j = at + 1; j < steps.length; j++) {
      if (j <= now) continue;
      const s = steps[j];
      if ([...(b.star ? s.reshapes : []), ...s.restores].some((k) => reads.has(k))) return false;
    }
    return all.every((o) => o.block === b || emitted.has(o.block) || !o.block.restores.some((k) => reads.has(k)));
  };
  let pending: { block: Block; at: number; step: Step }[] = [];
  const flush = (now: number) => {
    for (let progress = true; progress;) {
      progress = false;
      for (const p of pending) {
        if (!ready(p.block, p.at, now)) continue;
        emitted.add(p.block);
        out.push({ step: p.step, sql: p.block.sql });
        pending = pending.filter((x) => x !== p);
        progress = true;
        break;
      }
    }
  };
  steps.forEach((s, i) => {
    out.push({ step: s, sql: s.now });
    pending.push(...s.blocks.map((block) => ({ block, at: i, step: s })));
    flush(i);
  });
  for (const p of pending) out.push({ step: p.step, sql: p.block.sql });
  return out;
}

function render(
  steps: Step[],
  prelude: string[],
  tx: boolean,
  warnings: RollbackWarning[],
  opts: GenerateOptions,
  after: Catalog,
): { sql: string; needsReview: number } {
  const out: string[] = [];
  if (opts.header !== false) {
    out.push(sqlComment(`Rollback of ${opts.file ?? 'the up migration'}, generated by pgdba. Review before running.`));
    // The down takes the same strong locks as any migration: give up rather than queue every query behind them.
    if (!prelude.some((p) => /^set\s+(session\s+)?lock_timeout\b/i.test(p))) out.push("SET lock_timeout = '5s';");
  }
  for (const p of prelude) out.push(`${p};`);
  if (tx) out.push('BEGIN;');
  const body: string[] = [];
  const marked = new Set<Step>();
  const ordered = schedule(steps);
  // The down as it will run, replayed on the catalog after the up: what PostgreSQL would reject is marked for review.
  const flat = ordered.flatMap((o) => o.sql);
  const review = replayDown(cloneCatalog(after), flat, prelude, opts.file ?? '<down>');
  let at = 0;
  for (const { step, sql } of ordered) {
    const lines: string[] = [];
    if (!marked.has(step)) {
      marked.add(step);
      const item = step.item;
      if (item.irreversible) lines.push(irreversibleComment(`${item.irreversible} (undoing: ${excerpt(step.stmt)})`));
      if (item.warning) lines.push(sqlComment(`pgdba: check: ${item.warning}`));
    }
    for (const s of sql) {
      const why = review.get(at++);
      if (why) lines.push(sqlComment(`pgdba: needs review: ${why}`));
      lines.push(`${s};`);
    }
    if (lines.length) body.push(lines.join('\n'));
  }
  for (const w of warnings) if (w.statementIndex === undefined) body.push(irreversibleComment(w.message));
  if (!body.length) body.push(sqlComment('pgdba: nothing to undo: the up migration changes no schema pgdba knows of.'));
  out.push(body.join('\n\n'));
  if (tx) out.push('COMMIT;');
  return { sql: out.join('\n') + '\n', needsReview: review.size };
}
