import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready } from '../../testing/rule-test';
import rule from './foreign-key-without-index';

before(ready);
const m = { file: 'migration' as const };

describe('foreign-key-without-index', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the REFERENCES clause', () => {
    const sql = 'create table o (id int, user_id int references users (id));';
    const [f] = expectFlags(rule, sql);
    assert.equal(sql.slice(f.start, f.end), 'references users');
    assert.match(f.message, /^No index on o \(user_id\) for its foreign key to users:/);
  });

  test('fix creates the index after the statement (CONCURRENTLY for an existing table outside a transaction)', () => {
    assert.equal(
      expectFix(rule, 'create table o (id int, user_id int references users (id));'),
      'create table o (id int, user_id int references users (id));\nCREATE INDEX o_user_id_idx ON o (user_id);',
    );
    assert.equal(
      expectFix(rule, 'alter table o add constraint fk foreign key (a, "B") references p (x, y)', {
        ...m,
        schema: 'create table p (x int, y int, unique (x, y));\ncreate table o (a int, "B" int);',
        config: { migrations: { transaction: 'none' } },
      }),
      'alter table o add constraint fk foreign key (a, "B") references p (x, y);\nCREATE INDEX CONCURRENTLY "o_a_B_idx" ON o (a, "B");',
    );
  });

  test('an index in a later migration, a composite primary key, or a dropped key count', () => {
    expectClean(rule, 'create table o (a int references p (id), b int, primary key (a, b));');
    expectFlags(rule, 'create table o (a int references p (id), b int, primary key (b, a));');
    expectClean(rule, 'create table o (a int references p (id));', {
      ...m,
      files: { 'migrations/2024-02-01-000000_idx/up.sql': 'create index on o (a);', 'migrations/2024-02-01-000000_idx/down.sql': 'select 1;' },
    });
    expectClean(rule, 'create table o (a int constraint fk references p (id));\nalter table o drop constraint fk;');
    expectClean(rule, 'create table o (a int references p (id), b int);\ncreate index on o (a, b);');
  });

  test('an index that does not start with the key columns does not count', () => {
    expectFlags(rule, 'create table o (a int references p (id), b int);\ncreate index on o (b, a);');
  });
});
