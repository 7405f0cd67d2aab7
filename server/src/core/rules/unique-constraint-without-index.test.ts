import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready } from '../../testing/rule-test';
import rule from './unique-constraint-without-index';

before(ready);
const m = { file: 'migration' as const };
const auto = { ...m, config: { migrations: { transaction: 'none' } } };

describe('unique-constraint-without-index', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the constraint', () => {
    const sql = 'alter table users add constraint k unique (email);';
    const [f] = expectFlags(rule, sql, m);
    assert.equal(sql.slice(f.start, f.end), 'constraint k unique (email)');
    assert.equal(f.message, 'ADD UNIQUE builds its index on users while holding an ACCESS EXCLUSIVE lock, blocking reads, writes and DDL for the whole build.');
  });

  test('fix builds the index concurrently and attaches it', () => {
    assert.equal(
      expectFix(rule, 'alter table app.users add constraint "Users_pk" primary key (id, "order");', auto),
      'CREATE UNIQUE INDEX CONCURRENTLY "Users_pk" ON app.users (id, "order");\nALTER TABLE app.users ADD CONSTRAINT "Users_pk" PRIMARY KEY USING INDEX "Users_pk";',
    );
  });

  test('no fix in a transaction, for unnamed or INCLUDE constraints, or EXCLUDE', () => {
    assert.equal(expectFlags(rule, 'alter table u add constraint k unique (e);', m)[0].fix, undefined);
    assert.equal(expectFlags(rule, 'alter table u add unique (e);', auto)[0].fix, undefined);
    assert.equal(expectFlags(rule, 'alter table u add constraint k unique (e) include (f);', auto)[0].fix, undefined);
    assert.match(
      expectFlags(rule, 'alter table r add constraint no_overlap exclude using gist (room with =, during with &&);', auto)[0].message,
      /cannot use a prebuilt index/,
    );
  });

  test('a new column with PRIMARY KEY or UNIQUE', () => {
    assert.match(expectFlags(rule, 'alter table u add column id bigserial primary key;', m)[0].message, /ADD COLUMN id PRIMARY KEY/);
  });

  test('quiet with USING INDEX, on new tables, and for CHECK', () => {
    expectClean(rule, 'alter table u add constraint u_pk primary key using index u_pk;', m);
    expectClean(rule, 'create table u (id int);\nalter table u add primary key (id);', m);
    expectClean(rule, 'alter table u add constraint c check (id > 0);', m);
  });
});
