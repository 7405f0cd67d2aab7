import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { identEndAt, leadingPlainWords, plainWordEnd, qualifiedNameAt, stringAt } from './plain-text';

/** The text a range covers. */
const cut = (text: string, r: { start: number; end: number } | undefined) => (r ? text.slice(r.start, r.end) : undefined);

describe('plain-text: names read without the scanner', () => {
  test('a quoted name with "" inside matches its value exactly, and only it', () => {
    const text = 'create table "My""Table" (id int)';
    const at = text.indexOf('"My');
    assert.equal(cut(text, qualifiedNameAt(text, at, ['My"Table'])), '"My""Table"');
    assert.equal(qualifiedNameAt(text, at, ['my"table']), undefined);
    assert.equal(qualifiedNameAt(text, at, ['My']), undefined);
  });

  test('unquoted names fold to lower case; mixed case matches the folded name only', () => {
    const text = 'alter table Public.MixedCase add x int';
    const at = text.indexOf('Public');
    assert.equal(cut(text, qualifiedNameAt(text, at, ['public', 'mixedcase'])), 'Public.MixedCase');
    assert.equal(qualifiedNameAt(text, at, ['Public', 'MixedCase']), undefined);
    assert.equal(qualifiedNameAt(text, at, ['mixedcase']), undefined);
  });

  test('comments or spaces around the dot are left to the scanner', () => {
    for (const written of ['s . t', 's .t', 's. t', 's/*c*/.t', 's./*c*/t', 's\n.t']) {
      const text = `select * from ${written} x`;
      assert.equal(qualifiedNameAt(text, text.indexOf('s '), ['s', 't']), undefined, written);
      assert.equal(qualifiedNameAt(text, text.indexOf(written), ['s', 't']), undefined, written);
    }
  });

  test('a name followed by ( ends there; one followed by . or an operator is left to the scanner', () => {
    const text = 'insert into t(a) select * from t.x, t*, t--c\n';
    assert.equal(cut(text, qualifiedNameAt(text, text.indexOf('t('), ['t'])), 't');
    assert.equal(qualifiedNameAt(text, text.indexOf('t.x'), ['t']), undefined);
    assert.equal(qualifiedNameAt(text, text.indexOf('t*'), ['t']), undefined);
    assert.equal(qualifiedNameAt(text, text.indexOf('t--'), ['t']), undefined);
  });

  test('non-ASCII unquoted names, U&"…" names and prefixed strings are left to the scanner', () => {
    const text = 'select * from täble, "täble", U&"x", u&"u", E\'e\'';
    assert.equal(qualifiedNameAt(text, text.indexOf('täble'), ['täble']), undefined);
    assert.equal(cut(text, qualifiedNameAt(text, text.indexOf('"täble"'), ['täble'])), '"täble"');
    assert.equal(qualifiedNameAt(text, text.indexOf('U&'), ['x']), undefined);
    assert.equal(qualifiedNameAt(text, text.indexOf('U&'), ['u']), undefined);
    assert.equal(qualifiedNameAt(text, text.indexOf('u&'), ['u']), undefined);
    assert.equal(plainWordEnd(text, text.indexOf("E'")), -1);
  });

  test('a name of 64+ bytes, which the parser cuts to 63, does not match its cut form', () => {
    const long = 'a'.repeat(70);
    const text = `create table ${long} (x int); create table "${long}" (x int)`;
    const cut63 = 'a'.repeat(63);
    assert.equal(identEndAt(text, text.indexOf(long), cut63), -1);
    assert.equal(identEndAt(text, text.indexOf(`"${long}`), cut63), -1);
    assert.equal(identEndAt(text, text.indexOf(long), long), text.indexOf(long) + long.length);
  });

  test('offsets are string offsets after multi-byte text', () => {
    const text = "-- é 😀 ü\nselect 'ß' from s.t";
    const r = qualifiedNameAt(text, text.indexOf('s.t'), ['s', 't']);
    assert.deepEqual(r, { start: text.indexOf('s.t'), end: text.indexOf('s.t') + 3 });
  });
});

describe('plain-text: leading words', () => {
  test('stops at a comment, at a non-blank stop and at anything not a plain word', () => {
    const words = (text: string, max = 5) => leadingPlainWords(text, 0, text.length, max).map((r) => cut(text, r));
    assert.deepEqual(words('create /* c */ index i on t (a)'), ['create']);
    assert.deepEqual(words('create unique index i on t (a)'), ['create', 'unique', 'index', 'i', 'on']);
    assert.deepEqual(words('vacuum(full) t'), ['vacuum']);
    assert.deepEqual(words('begin'), ['begin']);
    assert.deepEqual(words('drop index "I" cascade'), ['drop', 'index']);
    assert.deepEqual(words('drop\vindex i'), []);
    assert.deepEqual(words('set x = 1', 2), ['set', 'x']);
  });
});

describe('plain-text: string constants', () => {
  test("a '…' string equal to the value, but not with '' inside or continued on the next line", () => {
    const text = "as 'select 1' language sql";
    assert.equal(cut(text, stringAt(text, 3, 'select 1')), "'select 1'");
    const escaped = "as 'select ''x''' language sql";
    assert.equal(stringAt(escaped, 3, "select 'x'"), undefined);
    const continued = "as 'select 1'\n'from t'";
    assert.equal(stringAt(continued, 3, 'select 1'), undefined);
    const commented = "as 'select 1'\n-- c\n'from t'";
    assert.equal(stringAt(commented, 3, 'select 1'), undefined);
    const empty = "as 'select 1'\n''";
    assert.equal(stringAt(empty, 3, 'select 1'), undefined);
  });

  test('dollar quotes with an ASCII tag; a non-ASCII tag or E-string is left to the scanner', () => {
    const text = 'as $body$select $$x$$$body$ language sql';
    assert.equal(cut(text, stringAt(text, 3, 'select $$x$$')), '$body$select $$x$$$body$');
    assert.equal(stringAt(text, 3, 'select '), undefined);
    const nonAscii = 'as $é$select 1$é$';
    assert.equal(stringAt(nonAscii, 3, 'select 1'), undefined);
    assert.equal(stringAt("E'x'", 0, 'x'), undefined);
  });
});
