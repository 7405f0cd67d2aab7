// sqlc named parameters become $n for EXPLAIN.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser } from '../parse/parse';
import { sqlcToPositional } from './sqlc';

before(() => initParser());

describe('sqlcToPositional', () => {
  test('sqlc.arg, sqlc.narg and sqlc.slice; one number per name', () => {
    const r = sqlcToPositional(
      'SELECT * FROM posts WHERE tenant_id = sqlc.arg(tenant_id) AND id = ANY(sqlc.slice(ids)) AND (author = sqlc.narg(author) OR sqlc.narg(author) IS NULL) LIMIT sqlc.arg(lim)',
    );
    assert.equal(r.sql, 'SELECT * FROM posts WHERE tenant_id = $1 AND id = ANY($2) AND (author = $3 OR $3 IS NULL) LIMIT $4');
    assert.deepEqual(r.names, ['tenant_id', 'ids', 'author', 'lim']);
  });

  test('@name, after any $n already written; operators and strings untouched', () => {
    const r = sqlcToPositional("SELECT * FROM t WHERE a = $1 AND b = @b AND tags @> '{x}' AND note = '@b' AND c = @b");
    assert.equal(r.sql, "SELECT * FROM t WHERE a = $1 AND b = $2 AND tags @> '{x}' AND note = '@b' AND c = $2");
  });

  test('text without sqlc parameters is returned as it is', () => {
    const sql = 'SELECT @ -5, abs(x) FROM t';
    assert.deepEqual(sqlcToPositional(sql), { sql, names: [] });
  });
});
