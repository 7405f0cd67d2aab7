import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Finding } from '../analyze';
import { configSchema } from '../config';
import { Workspace } from '../workspace/workspace';
import { checkDocsExamples, expectClean, expectFlags, memoryFiles, ready, render } from '../testing/rule-test';
import rule from './missing-rollback';

before(ready);

const up = '-- adds accounts\nCREATE TABLE accounts (id bigint PRIMARY KEY);';

/** Findings of this rule for one file of a workspace made of `files`. */
function analyze(files: Record<string, string>, path: string): Finding[] {
  const config = configSchema.parse({});
  const ws = new Workspace({ files: memoryFiles(files), configFor: () => config, rules: [rule] });
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
    assert.match(expectFlags(rule, up, { file: 'migration', down: '' })[0].message, /down migration of test \(migrations\/2024-01-02-000000_test\/down\.sql\) has no statements/);
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
});
