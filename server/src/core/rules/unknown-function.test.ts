import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready, type RuleTestOptions } from '../../testing/rule-test';
import rule from './unknown-function';

before(ready);

const schema = `
create table orders (id bigint primary key, note text, tags text[]);
create function order_total(p_id bigint, p_tax numeric default 0) returns numeric language sql as $$ select 1 $$;
create function tag_all(variadic tags text[]) returns int language sql as $$ select 1 $$;
create extension pg_trgm;
`;
const opts: RuleTestOptions = { schema };

describe('unknown-function', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('a function nobody defines, with a suggestion', () => {
    const [f] = expectFlags(rule, 'select order_totl(id) from orders', opts);
    assert.match(f.message, /did you mean order_total\?/);
    expectFlags(rule, 'select pg_catalog.no_such_function()', opts);
  });

  test('wrong arity of a project function; defaults and variadic understood', () => {
    const [f] = expectFlags(rule, 'select order_total() from orders', opts);
    assert.match(f.message, /takes 1–2 arguments, not 0/);
    expectFlags(rule, 'select order_total(id, 1, 2) from orders', opts);
    expectClean(rule, "select order_total(id), order_total(id, 0.2), tag_all('a', 'b', 'c') from orders", opts);
  });

  test('built-ins (SQL-syntax ones too), extension functions and unknown schemas are known', () => {
    expectClean(
      rule,
      "select lower(note), now(), count(*), coalesce(note, ''), extract(year from now()), trim(note), substring(note from 2), similarity(note, 'x') from orders",
      opts,
    );
    expectClean(rule, 'select auth.uid()', opts);
    expectClean(rule, 'select st_area(geom) from orders', { schema: `${schema}\ncreate extension postgis;` });
  });
});
