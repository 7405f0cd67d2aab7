import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser, parseRange, parseSql, tokensCovering, type ParsedSql, type Token } from './parse';
import { scanTokens } from './tokens';

before(async () => {
  await initParser();
});

/** Texts whose statement boundaries and tokens are easy to get wrong. */
const texts = [
  '-- header\nselect 1;\n/* c1 */ -- c2\nselect 2; select 3',
  'create table t (a text default \'x;y\', "Q;" int);\nalter table t add b int;\n\n-- trailing comment',
  'create function f() returns int language sql begin atomic select 1; select 2; end;\nselect f();',
  'do $$ begin perform 1; end $$;\n  \n\tselect \'ünï\', "çö" from "tåble";',
  'select 1;\v-- after a vertical tab\n;\vselect 2;;;select 3 /* no semicolon */',
  "insert into t values ('a''b', E'c\\'d', $x$ ; $x$); update t set a = 1 where b = 2;",
  '(select 1) union (select 2);\nwith x as (select 1) select * from x',
];

const strip = (ts: Token[]) => ts.map((t) => [t.start, t.end, t.text, t.name, t.keyword]);

/** The tokens of the whole-file scan inside [start, end). */
function within(parsed: ParsedSql, start: number, end: number) {
  return strip(scanTokens(parsed.text)!.filter((t) => t.start >= start && t.start < end));
}

describe('lazy token scan', () => {
  test('parseSql places statements exactly where a parse from the tokens does', () => {
    for (const text of texts) {
      const lazy = parseSql(text);
      const eager = parseRange(text, 0, text.length);
      assert.deepEqual(
        lazy.statements.map((s) => [s.start, s.end, s.text, s.kind]),
        eager.statements.map((s) => [s.start, s.end, s.text, s.kind]),
        text,
      );
      assert.deepEqual(strip(lazy.tokens), strip(eager.tokens), text);
      assert.deepEqual(strip(lazy.comments), strip(eager.comments), text);
      assert.deepEqual(lazy.chunks, eager.chunks, text);
    }
  });

  test('tokensCovering holds every whole-file token of the statements a range touches', () => {
    for (const text of texts) {
      const parsed = parseSql(text);
      const n = parsed.statements.length;
      assert.ok(n > 1, text);
      for (let i = 0; i < n; i++) {
        const s = parsed.statements[i];
        const regionEnd = parsed.statements[i + 1]?.start ?? text.length;
        const got = tokensCovering(parsed, s.start, s.end);
        assert.deepEqual(strip(got.filter((t) => t.start >= s.start && t.start < regionEnd)), within(parsed, s.start, regionEnd), `${text} #${i}`);
        // The semicolon after the statement is in its region.
        if (text.slice(s.end).trimStart().startsWith(';'))
          assert.ok(
            got.some((t) => t.start >= s.end && t.text === ';'),
            `${text} #${i} ;`,
          );
      }
      // A range over two statements covers both, with the comments between them.
      const [a, b] = parsed.statements;
      assert.deepEqual(
        strip(tokensCovering(parsed, a.start, b.end).filter((t) => t.start >= a.start && t.start < b.end)),
        within(parsed, a.start, b.end),
        text,
      );
    }
  });

  test('the full token list is still there, and wins once scanned', () => {
    const parsed = parseSql(texts[0]);
    const first = parsed.statements[0];
    const region = tokensCovering(parsed, first.start, first.end);
    assert.ok(region.length < parsed.tokens.length);
    assert.equal(tokensCovering(parsed, first.start, first.end), parsed.tokens);
  });

  test('files with syntax errors keep their eager scan', () => {
    const parsed = parseSql('select 1;\nselec 2;\nselect 3;');
    assert.equal(parsed.errors.length, 1);
    assert.equal(tokensCovering(parsed, parsed.statements[1].start), parsed.tokens);
    assert.deepEqual(
      parsed.statements.map((s) => s.text),
      ['select 1', 'select 3'],
    );
  });
});
