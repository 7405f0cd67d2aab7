import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready } from '../../testing/rule-test';
import rule from './constraint-without-not-valid';

before(ready);
const m = { file: 'migration' as const };
const auto = { ...m, config: { migrations: { transaction: 'none' } } };

describe('constraint-without-not-valid', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the constraint and names the locks', () => {
    const sql = 'alter table orders add constraint fk foreign key (user_id) references users (id);';
    const [f] = expectFlags(rule, sql, m);
    assert.equal(sql.slice(f.start, f.end), 'constraint fk foreign key (user_id) references users (id)');
    assert.equal(
      f.message,
      'ADD CONSTRAINT fk FOREIGN KEY scans every row of orders while holding SHARE ROW EXCLUSIVE locks on orders and users, blocking writes to both.',
    );
  });

  test('fix adds NOT VALID and a separate VALIDATE outside a transaction', () => {
    assert.equal(
      expectFix(rule, 'alter table app.orders add constraint "Positive" check (total > 0);', auto),
      'alter table app.orders add constraint "Positive" check (total > 0) NOT VALID;\nALTER TABLE app.orders VALIDATE CONSTRAINT "Positive";',
    );
    assert.equal(
      expectFix(rule, 'alter domain positive add constraint pos check (value > 0)', auto),
      'alter domain positive add constraint pos check (value > 0) NOT VALID;\nALTER DOMAIN positive VALIDATE CONSTRAINT pos;',
    );
  });

  test('no fix in a transaction or for an unnamed constraint', () => {
    assert.equal(expectFlags(rule, 'alter table o add constraint c check (a > 0);', m)[0].fix, undefined);
    assert.equal(expectFlags(rule, 'alter table o add check (a > 0);', auto)[0].fix, undefined);
  });

  test('column constraints on a new column are flagged too', () => {
    const [f] = expectFlags(rule, 'alter table o add column n int check (n > 0);', m);
    assert.match(f.message, /ADD COLUMN n with a CHECK/);
  });

  test('quiet on NOT VALID, new tables, UNIQUE, new domains and partitioned FKs', () => {
    expectClean(rule, 'alter table o add constraint c foreign key (a) references u (id) not valid;', m);
    expectClean(rule, 'create table o (a int);\nalter table o add constraint c check (a > 0);', m);
    expectClean(rule, 'alter table o add constraint u unique (a);', m);
    expectClean(rule, 'create domain d as int;\nalter domain d add constraint c check (value > 0);', m);
    expectClean(rule, 'alter table e add constraint fk foreign key (a) references u (id);', {
      ...m,
      schema: 'create table e (a int, at date) partition by range (at);',
    });
    expectClean(rule, 'alter table o add column n int;', m);
  });
});
