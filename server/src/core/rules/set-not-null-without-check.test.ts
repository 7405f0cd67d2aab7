import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkDocsExamples, expectClean, expectFix, expectFlags, ready } from '../../testing/rule-test';
import rule from './set-not-null-without-check';

before(ready);
const m = { file: 'migration' as const };
const auto = { ...m, config: { migrations: { transaction: 'none' } } };

describe('set-not-null-without-check', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the subcommand', () => {
    const sql = 'alter table users alter column email set not null;';
    const [f] = expectFlags(rule, sql, m);
    assert.equal(sql.slice(f.start, f.end), 'alter column email set not null');
    assert.equal(f.message, 'SET NOT NULL on users.email scans every row under an ACCESS EXCLUSIVE lock, blocking reads, writes and DDL until the scan ends.');
  });

  test('fix proves the column with a validated CHECK outside a transaction', () => {
    assert.equal(
      expectFix(rule, 'alter table app.users alter column "Email" set not null;', auto),
      [
        'ALTER TABLE app.users ADD CONSTRAINT "users_Email_not_null" CHECK ("Email" IS NOT NULL) NOT VALID;',
        'ALTER TABLE app.users VALIDATE CONSTRAINT "users_Email_not_null";',
        'ALTER TABLE app.users ALTER COLUMN "Email" SET NOT NULL;',
        'ALTER TABLE app.users DROP CONSTRAINT "users_Email_not_null";',
      ].join('\n'),
    );
    assert.equal(expectFlags(rule, 'alter table users alter column email set not null;', m)[0].fix, undefined);
  });

  test('quiet after a valid CHECK (col IS NOT NULL) in the file or a validated one', () => {
    expectClean(
      rule,
      'alter table u add constraint c check (email is not null) not valid;\nalter table u validate constraint c;\nalter table u alter column email set not null;',
      m,
    );
    expectClean(rule, 'alter table u add constraint c check (email is not null), alter column email set not null;', m);
    expectClean(rule, 'alter table u alter column email set not null;', {
      ...m,
      schema: 'create table u (email text);\nalter table u add constraint u_email_not_null check (email is not null);',
    });
  });

  test('still flags a check on another column, a NOT VALID check, and before PostgreSQL 12', () => {
    expectFlags(rule, 'alter table u add constraint c check (name is not null);\nalter table u alter column email set not null;', m);
    expectFlags(rule, 'alter table u add constraint c check (email is not null) not valid;\nalter table u alter column email set not null;', m);
    const [f] = expectFlags(rule, 'alter table u add constraint c check (email is not null);\nalter table u alter column email set not null;', {
      ...m,
      config: { postgres: { version: 11 } },
    });
    assert.match(f.message, /before PostgreSQL 12/);
  });
});
