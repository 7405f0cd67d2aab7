// Tests for dbmate section splitting and its transaction option.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { hasDbmateMarker, sectionOf } from './dbmate';

const slice = (text: string, s?: { start: number; end: number }) => (s ? text.slice(s.start, s.end) : undefined);

describe('sectionOf (dbmate)', () => {
  test('splits up and down sections after their marker lines', () => {
    const text = '-- migrate:up\ncreate table t (id int);\n\n-- migrate:down\ndrop table t;\n';
    const s = sectionOf('db/migrations/1_t.sql', text);
    assert.equal(slice(text, s.up), 'create table t (id int);\n\n');
    assert.equal(slice(text, s.down), 'drop table t;\n');
    assert.equal(s.up?.path, 'db/migrations/1_t.sql');
    assert.equal(s.upTransaction, 'wrapped');
    assert.equal(s.downTransaction, 'wrapped');
    assert.deepEqual(s.problems, []);
  });

  test('reads transaction:false per section', () => {
    const text = '-- migrate:up transaction:false\ncreate index concurrently i on t (a);\n-- migrate:down\ndrop index i;\n';
    const s = sectionOf('x.sql', text);
    assert.equal(s.upTransaction, 'none');
    assert.equal(s.downTransaction, 'wrapped');
    assert.equal(slice(text, s.up), 'create index concurrently i on t (a);\n');
  });

  test('accepts a down section before the up section and CRLF line ends', () => {
    const text = '-- migrate:down transaction:false\r\ndrop table t;\r\n-- migrate:up\r\ncreate table t ();\r\n';
    const s = sectionOf('x.sql', text);
    assert.equal(slice(text, s.down), 'drop table t;\r\n');
    assert.equal(slice(text, s.up), 'create table t ();\r\n');
    assert.equal(s.downTransaction, 'none');
  });

  test('a file without a down marker has no down section; an empty down is an empty section', () => {
    assert.equal(sectionOf('x.sql', '-- migrate:up\nselect 1;\n').down, undefined);
    const text = '-- migrate:up\nselect 1;\n-- migrate:down\n';
    const s = sectionOf('x.sql', text);
    assert.equal(slice(text, s.down), '');
  });

  test('reports what dbmate refuses', () => {
    assert.match(sectionOf('x.sql', 'select 1;').problems.join(), /migrate:up/);
    assert.match(sectionOf('x.sql', 'create type e as enum ();\n-- migrate:up\nselect 1;').problems.join(), /before the first/);
    assert.deepEqual(sectionOf('x.sql', '-- a comment\n\n-- migrate:up\nselect 1;').problems, []);
  });

  test('needs the marker at the start of a line, spelled exactly', () => {
    assert.equal(hasDbmateMarker('select 1; -- migrate:up'), false);
    assert.equal(hasDbmateMarker('-- migrate:upgrade\n'), false);
    assert.equal(hasDbmateMarker('--migrate:up\n'), true);
  });
});
