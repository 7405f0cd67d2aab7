import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready } from '../../testing/rule-test';
import rule from './validate-in-same-transaction';

before(ready);
const m = { file: 'migration' as const };
const none = { ...m, config: { migrations: { transaction: 'none' } } };

describe('validate-in-same-transaction', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the VALIDATE subcommand and names the inherited lock', () => {
    const sql = 'alter table o add constraint fk foreign key (u) references users (id) not valid;\nalter table o validate constraint fk;';
    const [f] = expectFlags(rule, sql, m);
    assert.equal(sql.slice(f.start, f.end), 'validate constraint fk');
    assert.match(f.message, /SHARE ROW EXCLUSIVE lock on o/);
  });

  test('also within one statement, and inside an explicit transaction block', () => {
    expectFlags(rule, 'alter table o add constraint c check (a > 0) not valid, validate constraint c;', none);
    expectFlags(rule, 'begin;\nalter table o add constraint c check (a > 0) not valid;\nalter table o validate constraint c;\ncommit;', none);
  });

  test('quiet when the add was committed first, or on another table / constraint', () => {
    expectClean(rule, 'alter table o add constraint c check (a > 0) not valid;\nalter table o validate constraint c;', none);
    expectClean(rule, 'alter table o add constraint c check (a > 0) not valid;\nalter table p validate constraint c;', m);
    expectClean(rule, 'alter table o add constraint c check (a > 0) not valid;\nalter table o validate constraint d;', m);
  });
});
