import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { parseSql } from '../parse/parse';
import { ready, testWorkspace } from '../../testing/rule-test';
import {
  comparisonsOf,
  filtersOf,
  isPinnedToValue,
  outputColumns,
  resolveColumn,
  statementScopes,
  topLevelConjuncts,
  type QueryLevel,
  type Rel,
  type StatementScopes,
} from './query-scopes';
import { searchPaths } from './file-scopes';

before(ready);

const SCHEMA = `
create table orders (id bigint primary key, tenant_id bigint not null, customer_id bigint, total numeric);
create table items (id bigint primary key, order_id bigint, tenant_id bigint not null, sku text);
create schema app;
create table app."Users" (id bigint primary key, tenant_id bigint, name text);
`;

function scopes(sql: string, schema = SCHEMA, index = 0): StatementScopes {
  const catalog = testWorkspace('select 1;', { schema }).workspace.catalog();
  const parsed = parseSql(sql);
  const stmt = parsed.statements[index];
  return statementScopes(stmt, catalog, parsed.tokens, searchPaths(parsed.statements).get(stmt));
}

/** A compact picture of the levels: context, kind and the relations (written text, catalog key or kind). */
function shape(s: StatementScopes, sql: string): string[] {
  return s.levels.map(
    (l) => `${l.context}${l.setBranch ? '/branch' : ''}:${l.kind}${l.limited ? '+limit' : ''}[${l.rels.map((r) => relText(r, sql)).join(', ')}]`,
  );
}

function relText(r: Rel, sql: string): string {
  const written = r.start >= 0 ? sql.slice(r.start, r.end) : r.kind;
  return `${written}${r.alias ? ` as ${r.alias}` : ''}${r.table ? `=${r.table.key}` : ''}${r.kind === 'cte' ? '=cte' : ''}`;
}

function relNamed(level: QueryLevel, refName: string): Rel {
  const rel = level.rels.find((r) => r.refName === refName);
  assert.ok(rel, `no relation ${refName} at level ${level.id}`);
  return rel;
}

describe('query-scopes', () => {
  test('finds every level: CTEs, FROM subqueries, sublinks in WHERE and the select list, set branches', () => {
    const sql = `with recent as (select * from orders where total > 1)
      select (select count(*) from items i where i.order_id = r.id), r.*
      from recent r join (select * from items) x on x.order_id = r.id
      where exists (select 1 from orders o2 where o2.id = r.id)
      union all select * from orders limit 5`;
    assert.deepEqual(shape(scopes(sql), sql), [
      'cte:select[orders=public.orders]',
      'root/branch:select+limit[recent as r=cte, subquery as x]',
      'from:select[items=public.items]',
      'sublink:select[items as i=public.items]',
      'sublink:select[orders as o2=public.orders]',
      'root/branch:select+limit[orders=public.orders]',
    ]);
  });

  test('UPDATE … FROM, DELETE … USING, MERGE and INSERT … SELECT levels', () => {
    let sql = 'update orders o set total = 0 from items i where i.order_id = o.id';
    assert.deepEqual(shape(scopes(sql), sql), ['root:update[orders as o=public.orders, items as i=public.items]']);
    assert.equal(scopes(sql).levels[0].rels[0].role, 'target');
    sql = 'delete from orders using items where items.order_id = orders.id';
    assert.deepEqual(shape(scopes(sql), sql), ['root:delete[orders=public.orders, items=public.items]']);
    sql = 'merge into orders o using items i on o.id = i.order_id when matched then delete';
    const merge = scopes(sql);
    assert.deepEqual(shape(merge, sql), ['root:merge[orders as o=public.orders, items as i=public.items]']);
    assert.equal(merge.levels[0].joins[0].type, 'inner');
    sql = 'insert into items (id, order_id, tenant_id) select id, id, tenant_id from orders';
    assert.deepEqual(shape(scopes(sql), sql), ['insert-source:select[orders=public.orders]']);
  });

  test('MERGE … WHEN NOT MATCHED keeps unmatched source rows: the source is the preserved side', () => {
    const s = scopes('merge into orders o using items i on o.id = i.order_id when not matched then insert (id) values (i.id)');
    assert.equal(s.levels[0].joins[0].type, 'right');
  });

  test('wrappers: views, EXPLAIN, COPY, cursors, PREPARE, CREATE TABLE AS, SELECT INTO', () => {
    assert.equal(scopes('create view v as select * from orders').wrapper, 'view');
    assert.equal(scopes('explain select * from orders').wrapper, 'explain');
    assert.equal(scopes('explain (analyze) select * from orders').wrapper, 'explain-analyze');
    assert.equal(scopes('copy (select * from orders) to stdout').wrapper, 'copy');
    assert.equal(scopes('declare c cursor for select * from orders').wrapper, 'cursor');
    assert.equal(scopes('prepare p as select * from orders').wrapper, 'prepare');
    assert.equal(scopes('create table t2 as select * from orders').wrapper, 'create-table-as');
    assert.equal(scopes('select * into t3 from orders').wrapper, 'select-into');
    assert.equal(scopes('select * from orders').wrapper, undefined);
    assert.deepEqual(scopes('create index on orders (id)').levels, []);
  });

  test('CTE names shadow tables; schema-qualified and quoted names resolve through the catalog', () => {
    let sql = 'with orders as (select 1 as id) select * from orders, public.orders p';
    assert.deepEqual(shape(scopes(sql), sql), ['cte:select[]', 'root:select[orders=cte, public.orders as p=public.orders]']);
    sql = 'select * from app."Users" u';
    assert.deepEqual(shape(scopes(sql), sql), ['root:select[app."Users" as u=app.Users]']);
  });

  test('SET search_path resolves unqualified names for the statements after it', () => {
    const schema = 'create schema app; create table app.accounts (id int, tenant_id int);';
    const sql = 'select * from accounts; set search_path = app, public; select * from accounts;';
    assert.equal(scopes(sql, schema, 0).levels[0].rels[0].table, undefined);
    assert.equal(scopes(sql, schema, 2).levels[0].rels[0].table?.key, 'app.accounts');
  });

  test('LIMIT ALL and OFFSET do not bound a level; FETCH FIRST does', () => {
    assert.equal(scopes('select * from orders limit all').levels[0].limited, false);
    assert.equal(scopes('select * from orders offset 10').levels[0].limited, false);
    assert.equal(scopes('select * from orders fetch first 3 rows only').levels[0].limited, true);
  });

  test('join structure: sides, USING, NATURAL, outer join types', () => {
    const s = scopes('select * from orders o left join items i using (id) natural join app."Users" u');
    const [inner, outer] = [s.levels[0].joins[1], s.levels[0].joins[0]];
    assert.equal(outer.type, 'left');
    assert.deepEqual(outer.using, ['id']);
    assert.deepEqual(
      outer.left.map((r) => r.refName),
      ['o'],
    );
    assert.deepEqual(
      outer.right.map((r) => r.refName),
      ['i'],
    );
    assert.equal(inner.natural, true);
    assert.deepEqual(
      inner.right.map((r) => r.refName),
      ['u'],
    );
    assert.equal(scopes('select * from orders cross join items').levels[0].joins[0].type, 'cross');
  });

  test('topLevelConjuncts splits AND only: OR and NOT stay whole', () => {
    const where = scopes('select * from orders where a = 1 and (b = 2 and c = 3) and (d = 4 or e = 5) and not f').levels[0].where;
    const kinds = topLevelConjuncts(where).map((c) => Object.keys(c as object)[0]);
    assert.deepEqual(kinds, ['A_Expr', 'A_Expr', 'A_Expr', 'BoolExpr', 'BoolExpr']);
    assert.deepEqual(topLevelConjuncts(undefined), []);
  });

  test('resolveColumn: by alias, by unique catalog column, through outer levels, never ambiguous', () => {
    const s = scopes(
      'select * from orders o join items i on i.order_id = o.id where customer_id = 1 and exists (select 1 from items x where x.order_id = o.id and total > 0)',
    );
    const [top, sub] = s.levels;
    const col = (level: QueryLevel, ...fields: string[]) => resolveColumn(level, { ColumnRef: { fields: fields.map((sval) => ({ String: { sval } })) } });
    assert.equal(col(top, 'o', 'id')?.rel.refName, 'o');
    assert.equal(col(top, 'customer_id')?.rel.refName, 'o');
    assert.equal(col(top, 'tenant_id'), undefined, 'both tables have tenant_id: ambiguous');
    assert.equal(col(top, 'orders', 'id'), undefined, 'an aliased table is not visible by its name');
    assert.equal(col(sub, 'total')?.rel.refName, 'o', 'unknown here, found on the outer level');
    assert.equal(col(sub, 'order_id')?.rel.refName, 'x');
  });

  test('an unqualified USING column resolves to the merged (left) side', () => {
    const s = scopes('select * from orders o join items i using (tenant_id) where tenant_id = 1');
    assert.equal(resolveColumn(s.levels[0], { ColumnRef: { fields: [{ String: { sval: 'tenant_id' } }] } })?.rel.refName, 'o');
  });

  test('CTE and subquery output columns expand * through the catalog and honour alias lists', () => {
    const s = scopes('with c(a, b) as (select id, tenant_id from orders) select * from c, (select * from items) s');
    const root = s.levels.find((l) => l.context === 'root');
    assert.ok(root);
    assert.deepEqual(outputColumns(root), ['a', 'b', 'id', 'order_id', 'tenant_id', 'sku']);
  });

  test('comparisonsOf: =, IN, = ANY, BETWEEN, row equality, casts, mirrored operators', () => {
    const s = scopes(
      'select * from orders where tenant_id = $1::bigint and id in (1, 2) and customer_id = any($2) and total between 1 and 2 and (id, tenant_id) = ($3, $4) and 5 < total and id::text = tenant_id::text',
    );
    const level = s.levels[0];
    const summary = topLevelConjuncts(level.where).flatMap((c) =>
      comparisonsOf(c, level).map((x) => `${x.column.column} ${x.op} ${x.other.kind === 'column' ? x.other.target.column : x.other.kind}`),
    );
    assert.deepEqual(summary, [
      'tenant_id = value',
      'id in value',
      'customer_id any value',
      'total between value',
      'id = value',
      'tenant_id = value',
      'total > value',
      'id = tenant_id',
      'tenant_id = id',
    ]);
  });

  test('isPinnedToValue: WHERE and filtering ONs count, a LEFT JOIN ON does not filter the preserved side, OR does not count', () => {
    let s = scopes('select * from orders o left join items i on i.tenant_id = 1 and o.tenant_id = 1');
    assert.equal(isPinnedToValue(relNamed(s.levels[0], 'i'), 'tenant_id'), true);
    assert.equal(isPinnedToValue(relNamed(s.levels[0], 'o'), 'tenant_id'), false);
    s = scopes('select * from orders o where o.tenant_id = 1 or o.id = 2');
    assert.equal(isPinnedToValue(relNamed(s.levels[0], 'o'), 'tenant_id'), false);
    s = scopes('select * from orders o left join items i on true where i.id = 3');
    assert.equal(filtersOf(relNamed(s.levels[0], 'o')).length, 2, 'a strict WHERE on the nullable side makes the join inner');
  });
});
