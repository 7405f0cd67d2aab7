import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from '../config';
import { initParser, parseSql } from '../parse/parse';
import type { FileInfo } from '../workspace/file-info';
import { buildTransactionModel, transactionMode } from './transactions';

before(async () => {
  await initParser();
});

const model = (sql: string, mode: 'wrapped' | 'implicit' | 'none') => {
  const parsed = parseSql(sql);
  return { parsed, tx: buildTransactionModel(parsed.statements, mode) };
};

describe('transaction model', () => {
  test("a runner-wrapped file is one block; the file's BEGIN nests and its COMMIT ends the runner's block", () => {
    const { parsed, tx } = model('select 1;\nbegin;\nselect 2;\ncommit;\nselect 3;', 'wrapped');
    const [s1, , s2, , s3] = parsed.statements;
    assert.equal(tx.blockOf(s1)?.kind, 'runner');
    assert.ok(tx.sameTransaction(s1, s2));
    assert.equal(tx.inTransaction(s3), false);
    assert.deepEqual(
      tx.problems.map((p) => p.kind),
      ['nested-begin', 'commit-in-wrapped'],
    );
  });

  test('autocommit files: explicit blocks, stray COMMIT, unterminated BEGIN, COMMIT AND CHAIN', () => {
    const { parsed, tx } = model('select 0;\nbegin;\nselect 1;\ncommit and chain;\nselect 2;\ncommit;\ncommit;\nstart transaction;\nselect 3;', 'none');
    const s = parsed.statements;
    assert.equal(tx.inTransaction(s[0]), false);
    assert.ok(tx.inTransaction(s[2]));
    assert.ok(tx.inTransaction(s[4]));
    assert.equal(tx.sameTransaction(s[2], s[4]), false);
    assert.deepEqual(
      tx.problems.map((p) => p.kind),
      ['stray-end', 'unterminated'],
    );
  });

  test('an implicit multi-statement block turns into an explicit one at BEGIN and restarts after COMMIT', () => {
    const { parsed, tx } = model('select 1;\nbegin;\nselect 2;\ncommit;\nselect 3;\nselect 4;', 'implicit');
    const s = parsed.statements;
    assert.ok(tx.sameTransaction(s[0], s[2]));
    assert.equal(tx.blockOf(s[0])?.kind, 'explicit');
    assert.ok(tx.sameTransaction(s[4], s[5]));
    assert.equal(tx.blockOf(s[4])?.kind, 'implicit');
    assert.deepEqual(tx.problems, []);
  });

  test('mode: config override, golang-migrate implicit blocks, single statements, plain files', () => {
    const statements = parseSql('select 1; select 2;').statements;
    const one = parseSql('create index concurrently i on t (a);').statements;
    const config = configSchema.parse({});
    const gm: FileInfo = { path: 'm/1_x.up.sql', role: 'migration-up', transaction: 'none', migration: { layout: 'golang-migrate' } as FileInfo['migration'] };
    assert.equal(transactionMode({ file: gm, config, statements }), 'implicit');
    assert.equal(transactionMode({ file: gm, config, statements: one }), 'none');
    assert.equal(transactionMode({ file: gm, config: configSchema.parse({ migrations: { transaction: 'wrapped' } }), statements: one }), 'wrapped');
    assert.equal(
      transactionMode({
        file: { path: 'q.sql', role: 'plain', transaction: 'none' },
        config: configSchema.parse({ migrations: { transaction: 'wrapped' } }),
        statements,
      }),
      'none',
    );
  });
});
