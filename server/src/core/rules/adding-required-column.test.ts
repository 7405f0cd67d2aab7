import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready } from '../../testing/rule-test';
import rule from './adding-required-column';

before(ready);
const m = { file: 'migration' as const };

describe('adding-required-column', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the column', () => {
    const sql = 'alter table users add column t bigint not null, add column u int;';
    const [f] = expectFlags(rule, sql, m);
    assert.equal(sql.slice(f.start, f.end), 'add column t bigint not null');
  });

  test('a new primary key column without values fails too', () => {
    expectFlags(rule, 'alter table u add column k text primary key;', m);
  });

  test('quiet when the column fills itself or the table is new', () => {
    expectClean(rule, 'alter table u add column id bigserial not null;', m);
    expectClean(rule, 'alter table u add column id bigint generated always as identity;', m);
    expectClean(rule, 'alter table u add column l text not null generated always as (lower(n)) stored;', m);
    expectClean(rule, 'create table u (n text);\nalter table u add column t int not null;', m);
  });
});
