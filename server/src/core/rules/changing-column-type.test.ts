import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFlags, ready, testWorkspace } from '../../testing/rule-test';
import rule from './changing-column-type';

before(ready);
const m = { file: 'migration' as const };

describe('changing-column-type', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the subcommand and names the lock', () => {
    const sql = 'alter table users alter column id type bigint;';
    const [f] = expectFlags(rule, sql, m);
    assert.equal(sql.slice(f.start, f.end), 'alter column id type bigint');
    assert.equal(
      f.message,
      'ALTER COLUMN id TYPE bigint rewrites users and rebuilds its indexes under an ACCESS EXCLUSIVE lock, blocking reads, writes and DDL for the whole rewrite.',
    );
  });

  test('judges exactly when the file shows the previous type', () => {
    expectClean(rule, 'alter table u add column a varchar(10);\nalter table u alter column a type varchar(20);', m);
    expectFlags(rule, 'alter table u add column a varchar(20);\nalter table u alter column a type varchar(10);', m);
    expectClean(rule, 'alter table u add column a numeric(10,2);\nalter table u alter column a type numeric(12,2);', m);
    expectFlags(rule, 'alter table u add column a numeric(10,2);\nalter table u alter column a type numeric(12,3);', m);
    expectClean(rule, 'alter table u add column a varchar(10);\nalter table u alter column a type text;', m);
    expectFlags(rule, 'alter table u add column a text;\nalter table u alter column a type varchar(10);', m);
    expectFlags(rule, 'alter table u add column a int;\nalter table u alter column a type bigint;', m);
    expectClean(rule, 'alter table u add column a cidr;\nalter table u alter column a type inet;', m);
  });

  test('USING always rewrites; unknown previous types get a hedged message', () => {
    assert.match(expectFlags(rule, 'alter table u alter column a type text using a::text;', m)[0].message, /USING/);
    assert.match(expectFlags(rule, 'alter table u alter column a type varchar(50);', m)[0].message, /unless it only raises/);
    assert.match(expectFlags(rule, 'alter table u alter column a type timestamptz;', m)[0].message, /TimeZone is UTC/);
  });

  test('a down migration knows the type its up produced from the catalog', () => {
    const { workspace } = testWorkspace(
      'alter table t alter column m type mood using m::mood;',
      {
        file: 'migration',
        schema: "create type mood as enum ('a');\ncreate table t (m text, n varchar(10));",
        down: 'alter table t alter column m type text;\nalter table t alter column n type text;',
      },
      [rule],
    );
    const findings = workspace.analyze('migrations/2024-01-02-000000_test/down.sql');
    assert.deepEqual(
      findings.map((f) => f.message.split(' rewrites')[0]),
      ['ALTER COLUMN m TYPE text'],
    );
  });

  test('quiet on unbounded text targets and on tables created in the file', () => {
    expectClean(rule, 'alter table u alter column a type text;', m);
    expectClean(rule, 'alter table u alter column a type varchar;', m);
    expectClean(rule, 'create table u (a int);\nalter table u alter column a type bigint;', m);
  });
});
