import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyCatalog } from '../catalog/types';
import { initParser, parseSql } from '../parse/parse';
import { trackCreated } from './created-in-file';

before(async () => {
  await initParser();
});

function track(sql: string) {
  const parsed = parseSql(sql);
  const created = trackCreated({
    statements: parsed.statements,
    catalog: emptyCatalog(),
    file: { path: 'm.sql', role: 'migration-up', transaction: 'wrapped' },
  });
  return { s: parsed.statements, created };
}

describe('created in file', () => {
  test('tables exist from the statement after their CREATE until their DROP', () => {
    const { s, created } = track('select 1;\ncreate table t (a int);\nselect 2;\ndrop table t;\nselect 3;');
    assert.equal(created.isNewTable({ name: 't' }, s[0]), false);
    assert.equal(created.isNewTable({ name: 't' }, s[2]), true);
    assert.equal(created.isNewTable({ name: 't' }, s[3]), true);
    assert.equal(created.isNewTable({ name: 't' }, s[4]), false);
    assert.equal(created.isDroppedLater({ name: 't' }, s[2]), true);
  });

  test('search_path decides where unqualified names go and resolve', () => {
    const { s, created } = track("set search_path = app, public;\ncreate table t (a int);\nselect set_config('search_path', 'public', false);\nselect 1;");
    assert.equal(created.resolve({ name: 't' }, s[2]), 'app.t');
    assert.equal(created.isNewTable({ schema: 'app', name: 't' }, s[3]), true);
    assert.equal(created.isNewTable({ name: 't' }, s[3]), false);
  });

  test('renames, SET SCHEMA, indexes, added columns and TRUNCATE', () => {
    const { s, created } = track(
      'create table t (a int);\ncreate index ti on t (a);\nalter table t rename to u;\nalter table u set schema x;\nalter table old add column c int;\ntruncate big;\nselect 1;',
    );
    const last = s[s.length - 1];
    assert.equal(created.isNewTable({ schema: 'x', name: 'u' }, last), true);
    assert.equal(created.isNewTable({ name: 'u' }, last), false);
    assert.equal(created.isNewIndex({ name: 'ti' }, last), true);
    assert.equal(created.isNewColumn({ name: 'old' }, 'c', last), true);
    assert.equal(created.isNewColumn({ name: 'old' }, 'd', last), false);
    assert.equal(created.isTransient({ name: 'big' }, last), true);
    assert.equal(created.isTransient({ name: 'big' }, s[0]), false);
  });
});
