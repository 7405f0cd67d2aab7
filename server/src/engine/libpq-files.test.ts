// Tests for the .pgpass, pg_service.conf and keyword/value conninfo parsers.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { matchPgpass, parseKeywordConninfo, parsePgpass, parseServiceFile } from './libpq-files';

describe('pgpass', () => {
  const entries = parsePgpass(
    ['# comment', 'db.example:5432:app:alice:s3cret', 'localhost:*:*:bob:pa\\:ss\\\\w:rd', '*:*:*:*:fallback', 'short:line'].join('\n'),
  );
  test('parses lines with escapes and skips comments and short lines', () => {
    assert.equal(entries.length, 3);
    assert.equal(entries[1].password, 'pa:ss\\w:rd');
  });
  test('first matching line wins; * matches anything', () => {
    assert.equal(matchPgpass(entries, { host: 'db.example', port: 5432, database: 'app', user: 'alice' }), 's3cret');
    assert.equal(matchPgpass(entries, { host: 'db.example', port: 5433, database: 'app', user: 'alice' }), 'fallback');
  });
  test('a Unix-socket connection matches localhost', () => {
    assert.equal(matchPgpass(entries, { host: '/var/run/postgresql', port: 5432, database: 'x', user: 'bob' }), 'pa:ss\\w:rd');
  });
  test('no match gives undefined', () => {
    assert.equal(matchPgpass(parsePgpass('h:1:d:u:p'), { host: 'h', port: 2, database: 'd', user: 'u' }), undefined);
  });
});

describe('pg_service.conf', () => {
  test('reads sections of keyword=value, ignoring comments and blank lines', () => {
    const s = parseServiceFile('# top\n[dev]\nhost = localhost\nport=5433\n\n[prod]\nhost=db.example\n');
    assert.deepEqual(s.get('dev'), { host: 'localhost', port: '5433' });
    assert.deepEqual(s.get('prod'), { host: 'db.example' });
    assert.equal(s.get('other'), undefined);
  });
});

describe('keyword/value conninfo', () => {
  test('plain and quoted values', () => {
    assert.deepEqual(parseKeywordConninfo("host=localhost  dbname = 'my db' password='it\\'s'"), {
      host: 'localhost',
      dbname: 'my db',
      password: "it's",
    });
  });
  test('rejects a keyword without =', () => {
    assert.throws(() => parseKeywordConninfo('host localhost'), /missing "="/);
  });
  test('rejects an unterminated quote', () => {
    assert.throws(() => parseKeywordConninfo("dbname='x"), /unterminated/);
  });
});
