import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../analyze';
import { configSchema } from '../config';
import { Workspace } from '../workspace/workspace';
import { checkDocsExamples, expectClean, expectFlags, memoryFiles, ready, recordingRule, render } from '../../testing/rule-test';
import rule from './missing-rollback';

before(ready);

const up = '-- adds accounts\nCREATE TABLE accounts (id bigint PRIMARY KEY);';

/** Findings of this rule for one file of a workspace made of `files`. */
function analyze(files: Record<string, string>, path: string): Finding[] {
  const config = configSchema.parse({});
  const ws = new Workspace({ files: memoryFiles(files), configFor: () => config, rules: [recordingRule(rule)] });
  return ws.analyze(path).filter((f) => f.rule === rule.id);
}

describe('missing-rollback', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('flags a diesel migration without down.sql at its first statement', () => {
    assert.equal(
      render(up, expectFlags(rule, up, { file: 'migration', down: null })),
      `-- adds accounts
CREATE TABLE accounts (id bigint PRIMARY KEY);
^^^^^^ missing-rollback: Migration test has no down migration: it cannot be rolled back, although the diesel layout supports it.`,
    );
  });

  test('flags a down file with no statements (empty, or comments only)', () => {
    assert.match(
      expectFlags(rule, up, { file: 'migration', down: '' })[0].message,
      /down migration of test \(migrations\/2024-01-02-000000_test\/down\.sql\) has no statements/,
    );
    expectFlags(rule, up, { file: 'migration', down: '-- TODO\n/* later */\n' });
  });

  test('is clean with a real down, a down that does not parse (syntax-error reports that), an empty up, or plain SQL', () => {
    expectClean(rule, up, { file: 'migration', down: 'DROP TABLE accounts;' });
    expectClean(rule, up, { file: 'migration', down: 'DROP TABLEE accounts;' });
    expectClean(rule, '-- nothing yet\n', { file: 'migration', down: null });
    expectClean(rule, up);
  });

  test('a data-only change is fine with a down part that explains why nothing is undone', () => {
    const data = "DELETE FROM application_integration WHERE kind = 'LoraCloud';";
    expectClean(rule, data, { file: 'migration', down: '/* Nothing to do: the up migration deletes rows. */' });
    const [f] = expectFlags(rule, data, { file: 'migration', down: '' });
    assert.match(f.help ?? '', /say in a comment in the down migration why/);
    expectFlags(rule, data, { file: 'migration', down: null });
    // Comments do not undo a schema change.
    expectFlags(rule, up, { file: 'migration', down: '-- nothing to undo' });
  });

  test('golang-migrate pairs; layouts without down migrations are not flagged', () => {
    assert.equal(analyze({ 'm/1_a.up.sql': up, 'm/1_a.down.sql': '' }, 'm/1_a.up.sql').length, 1);
    assert.equal(analyze({ 'm/1_a.up.sql': up, 'm/1_a.down.sql': 'DROP TABLE accounts;' }, 'm/1_a.up.sql').length, 0);
    assert.equal(analyze({ 'm/1_a.up.sql': up, 'm/2_b.up.sql': 'SELECT 1;', 'm/2_b.down.sql': 'SELECT 1;' }, 'm/1_a.up.sql').length, 1);
    assert.equal(analyze({ 'prisma/migrations/20240101000000_init/migration.sql': up }, 'prisma/migrations/20240101000000_init/migration.sql').length, 0);
  });

  test('dbmate: an empty -- migrate:down section is flagged, a filled one is not', () => {
    const path = 'db/migrations/20240101000000_accounts.sql';
    const empty = analyze({ [path]: `-- migrate:up\n${up}\n\n-- migrate:down\n` }, path);
    assert.equal(empty.length, 1);
    assert.match(empty[0].message, /has no statements/);
    assert.equal(analyze({ [path]: `-- migrate:up\n${up}\n\n-- migrate:down\nDROP TABLE accounts;\n` }, path).length, 0);
  });

  test('a suppression comment with a reason silences it', () => {
    expectClean(rule, `-- pgdba-ignore missing-rollback -- data fix, nothing to undo\n${up}`, { file: 'migration', down: '' });
    expectClean(rule, `-- pgdba-ignore-file missing-rollback\n${up}`, { file: 'migration', down: null });
  });

  describe('partial rollbacks', () => {
    const schema = 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL);';
    const files = (upSql: string, downSql: string) => ({
      'm/1_users.up.sql': schema,
      'm/1_users.down.sql': 'DROP TABLE users;',
      'm/2_b.up.sql': upSql,
      'm/2_b.down.sql': downSql,
    });

    test('reports what the down leaves behind on the up statement that made it', () => {
      const upSql = 'ALTER TABLE users ADD COLUMN age int;\nCREATE INDEX users_email ON users (email);';
      const findings = analyze(files(upSql, 'DROP INDEX users_email;'), 'm/2_b.up.sql');
      assert.equal(
        render(upSql, findings),
        `ALTER TABLE users ADD COLUMN age int;
^^^^^ missing-rollback: The down migration of b does not undo this statement: column users.age is left behind by the down.
CREATE INDEX users_email ON users (email);`,
      );
    });

    test('reports a definition the down does not put back, and a down that drops what the up never touched', () => {
      const changed = analyze(files('ALTER TABLE users ALTER COLUMN email DROP NOT NULL;', 'SELECT 1 FROM users LIMIT 0;'), 'm/2_b.up.sql');
      assert.equal(changed.length, 0, 'a SELECT in the down hides what it does: trusted');
      const [notRestored] = analyze(
        files('ALTER TABLE users ALTER COLUMN email DROP NOT NULL;', "ALTER TABLE users ALTER COLUMN email SET DEFAULT '';"),
        'm/2_b.up.sql',
      );
      assert.match(notRestored.message, /column users\.email differs after the down: was text not null, now text default ''/);
      const [destructive] = analyze(
        files('ALTER TABLE users ADD COLUMN age int;', 'ALTER TABLE users DROP COLUMN age; ALTER TABLE users DROP COLUMN email;'),
        'm/2_b.up.sql',
      );
      assert.match(destructive.message, /changes what this migration leaves as it was: column users\.email is not restored by the down/);
    });

    test('is clean when the down restores the schema, however it spells it', () => {
      const clean = (upSql: string, downSql: string) =>
        assert.deepEqual(
          analyze(files(upSql, downSql), 'm/2_b.up.sql').map((f) => f.message),
          [],
        );
      clean('ALTER TABLE users ADD COLUMN age int; CREATE INDEX users_age ON users (age);', 'DROP INDEX users_age; ALTER TABLE users DROP COLUMN age;');
      // int / integer / int4, casts in defaults, DEFAULT NULL, a named NOT NULL constraint (PostgreSQL 18) are the same schema.
      clean(
        'ALTER TABLE users DROP COLUMN email;',
        'ALTER TABLE users ADD COLUMN email text; ALTER TABLE users ADD CONSTRAINT users_email_not_null NOT NULL email;',
      );
      clean("ALTER TABLE users ADD COLUMN theme varchar(20) NOT NULL DEFAULT 'dark';", 'ALTER TABLE users DROP COLUMN theme;');
      clean("ALTER TABLE users ALTER COLUMN email SET DEFAULT 'x'::text;", 'ALTER TABLE users ALTER COLUMN email DROP DEFAULT;');
      clean('ALTER TABLE users ADD COLUMN n integer DEFAULT NULL; ALTER TABLE users DROP COLUMN n;', 'SELECT 1;');
      clean('ALTER TABLE users RENAME COLUMN email TO mail;', 'ALTER TABLE users RENAME COLUMN mail TO email;');
    });

    test('dbmate: the down section is compared with the up section of the same file', () => {
      const path = 'db/migrations/20240102000000_age.sql';
      const base = { 'db/migrations/20240101000000_users.sql': `-- migrate:up\n${schema}\n-- migrate:down\nDROP TABLE users;\n` };
      const text = '-- migrate:up\nALTER TABLE users ADD COLUMN age int;\nCREATE TABLE notes (id int);\n\n-- migrate:down\nDROP TABLE notes;\n';
      const [f, ...rest] = analyze({ ...base, [path]: text }, path);
      assert.equal(rest.length, 0);
      assert.match(f?.message ?? '', /column users\.age is left behind/);
      assert.equal(text.slice(f.start, f.end), 'ALTER', 'on the up statement, inside the up section');
      assert.deepEqual(analyze({ ...base, [path]: text.replace('DROP TABLE notes;', 'DROP TABLE notes;\nALTER TABLE users DROP COLUMN age;') }, path), []);
    });

    test('ory pop migrations split into parts are judged as one migration', () => {
      const dir = 'persistence/sql/migrations';
      const part = (n: number, dir_: 'up' | 'down') => `${dir}/20210101000000${String(n).padStart(6, '0')}_accounts.postgres.${dir_}.sql`;
      const popFiles = {
        [part(0, 'up')]: 'CREATE TABLE accounts (id uuid PRIMARY KEY);',
        [part(1, 'up')]: 'CREATE INDEX accounts_id ON accounts (id);',
        // The downs are mirrored: part 0's down is empty, part 1's drops the table (and its index with it).
        [part(0, 'down')]: '',
        [part(1, 'down')]: 'DROP TABLE accounts;',
      };
      for (const p of [part(0, 'up'), part(1, 'up')])
        assert.deepEqual(
          analyze(popFiles, p).map((f) => f.message),
          [],
        );
      const incomplete = { ...popFiles, [part(1, 'down')]: 'DROP INDEX accounts_id;' };
      assert.match(analyze(incomplete, part(0, 'up'))[0]?.message ?? '', /table accounts is left behind by the down/);
    });

    test('edits re-check what they change, in any order, as a fresh analysis would', () => {
      const texts: Record<string, string> = {
        'm/1_users.up.sql': schema,
        'm/1_users.down.sql': 'DROP TABLE users;',
        'm/2_age.up.sql': 'ALTER TABLE users ADD COLUMN age int;',
        'm/2_age.down.sql': 'ALTER TABLE users DROP COLUMN email;',
        'm/3_idx.up.sql': 'CREATE INDEX users_email ON users (email);',
        'm/3_idx.down.sql': 'DROP INDEX users_email;',
      };
      const config = configSchema.parse({});
      const live = new Workspace({ files: memoryFiles({ ...texts }), configFor: () => config, rules: [recordingRule(rule)] });
      const messages = (ws: Workspace, path: string) =>
        ws
          .analyze(path)
          .filter((f) => f.rule === rule.id)
          .map((f) => f.message);
      const check = (path: string) => {
        const fresh = new Workspace({ files: memoryFiles({ ...texts }), configFor: () => config, rules: [recordingRule(rule)] });
        assert.deepEqual(messages(live, path), messages(fresh, path), path);
        return messages(live, path);
      };
      assert.equal(check('m/3_idx.up.sql').length, 0);
      assert.equal(check('m/2_age.up.sql').length, 2, 'age left behind, and email dropped by a down that never added it');
      const edit = (path: string, text: string) => {
        texts[path] = text;
        live.setOverlay(path, text);
      };
      edit('m/2_age.down.sql', 'ALTER TABLE users DROP COLUMN age;');
      assert.deepEqual(check('m/2_age.up.sql'), []);
      // An earlier migration's DDL changes the catalog the later ones are checked on.
      edit('m/1_users.up.sql', 'CREATE TABLE users (id bigint PRIMARY KEY, email text NOT NULL, age int);');
      edit('m/2_age.up.sql', 'ALTER TABLE users ALTER COLUMN age SET NOT NULL;');
      assert.match(check('m/2_age.up.sql')[0] ?? '', /column users\.age is not restored by the down/);
      assert.equal(check('m/3_idx.up.sql').length, 0);
      edit('m/3_idx.down.sql', '-- keep it\nSELECT 1 WHERE false;');
      assert.equal(check('m/3_idx.up.sql').length, 0, 'a SELECT in the down: trusted');
      edit('m/3_idx.down.sql', 'DROP INDEX IF EXISTS other;');
      assert.match(check('m/3_idx.up.sql')[0] ?? '', /index users_email is left behind/);
      assert.match(check('m/2_age.up.sql')[0] ?? '', /column users\.age is not restored/);
    });
  });
});
