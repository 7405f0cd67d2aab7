import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser, parseSql, type ParsedSql } from './parse';
import { reparse } from './incremental';
import fc from 'fast-check';
import { applyOffsetEdit, offsetEdit, sqlText } from '../../testing/edits';

before(async () => {
  await initParser();
});

function snapshot(p: ParsedSql) {
  return {
    statements: p.statements.map((s) => ({ index: s.index, kind: s.kind, start: s.start, end: s.end, text: s.text, node: JSON.stringify(s.node) })),
    errors: p.errors,
    tokens: p.tokens.map((t) => [t.start, t.end, t.text]),
    comments: p.comments.map((t) => [t.start, t.end, t.text]),
    chunks: p.chunks,
  };
}

const base =
  [
    'select id from accounts where tenant_id = $1',
    "-- pgdba-ignore unbounded-write -- ok\nupdate orders set status = 'é' where id = 1",
    'create function f() returns int language sql as $$ select 1; $$',
    "/* block ; comment */ insert into t values (1, 'a;b')",
    'delete from t where x in (select 1; )',
    'select \'ünïcödé\', "Q;d" from x',
  ].join(';\n') + ';\n';

describe('reparse', () => {
  const edits: [string, (t: string) => string][] = [
    ['insert a character in a literal', (t) => t.replace("'é'", "'éx'")],
    ['delete a semicolon (merges statements)', (t) => t.replace('$1;', '$1')],
    ['add a semicolon (splits a statement)', (t) => t.replace('where id = 1', 'where id = 1; select 2')],
    ['open an unterminated dollar quote', (t) => t.replace('select 1; $$', 'select 1; $$ $$ $x$')],
    ['type a syntax error', (t) => t.replace('insert into', 'insrt into')],
    ['fix nothing (same text)', (t) => t],
    ['append at the end', (t) => t + 'select 9'],
    ['prepend at the start', (t) => 'select 0;\n' + t],
    ['edit a comment', (t) => t.replace('block ;', 'block ;;')],
    ['delete everything', () => ''],
  ];
  for (const [name, edit] of edits) {
    test(name, () => {
      const next = edit(base);
      const incremental = reparse(parseSql(base), next);
      assert.deepEqual(snapshot(incremental), snapshot(parseSql(next)));
    });
  }

  test('a chain of random single-character edits matches a full parse each time', () => {
    let text = base;
    let prev = parseSql(text);
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const alphabet = ['a', ' ', ';', "'", '(', ')', '$', '-', '\n', '1', 'é'];
    for (let i = 0; i < 300; i++) {
      const at = rand(text.length + 1);
      text = rand(3) === 0 && text.length ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + alphabet[rand(alphabet.length)] + text.slice(at);
      prev = reparse(prev, text);
      // Compare only now and then, so that shifts of untouched statements pile up unread between checks.
      if (i % 7 === 0 || i === 299) assert.deepEqual(snapshot(prev), snapshot(parseSql(text)), `after edit ${i} at ${at}`);
    }
  });

  test('random edits with lone surrogates, CR / CRLF line ends and ranges over lines match a fresh parse', () => {
    fc.assert(
      fc.property(sqlText(), fc.array(offsetEdit(), { minLength: 1, maxLength: 8 }), (base, edits) => {
        let text = base;
        let prev = parseSql(text);
        for (const e of edits) {
          text = applyOffsetEdit(text, e);
          prev = reparse(prev, text);
          assert.deepEqual(snapshot(prev), snapshot(parseSql(text)), JSON.stringify(text));
        }
      }),
      { seed: 14, numRuns: 300 },
    );
  });

  test('statements before the edit keep their objects', () => {
    const prev = parseSql(base);
    const firstNode = prev.statements[0].node;
    const next = reparse(prev, base.replace("'a;b'", "'a;bc'"));
    assert.equal(next.statements[0].node, firstNode);
  });
});

describe('parseSql', () => {
  test('an empty or comment-only file has no statements and no error', () => {
    for (const text of ['', '   \n', '-- nothing to do\n', '/* a */ -- b\n;;\n']) {
      const p = parseSql(text);
      assert.deepEqual([p.statements.length, p.errors], [0, []], JSON.stringify(text));
    }
  });

  test('offsets are string offsets even after multibyte text', () => {
    const text = 'select \'ünïcödé 🎉\' as x; select "Größe" from täble;';
    const p = parseSql(text);
    const second = p.statements[1];
    assert.equal(second.text, 'select "Größe" from täble');
    const rv = (second.node as { SelectStmt: { fromClause: { RangeVar: { location: number } }[] } }).SelectStmt.fromClause[0].RangeVar;
    assert.equal(text.slice(rv.location, rv.location + 5), 'täble');
  });

  test('a lone surrogate (an editor holds one mid-edit) is not a syntax error and moves no offset', () => {
    // Before a non-ASCII character it used to cut the text short inside libpg-query: "unterminated quoted string".
    const text = "select '\uD800é' as a;\nselect '\uDC00ü' as b, \"Größe\" from täble where x = 'ä\uD800'";
    const p = parseSql(text);
    assert.deepEqual(p.errors, []);
    assert.equal(p.statements[1].text, text.slice(text.indexOf('\n') + 1));
    const rv = (p.statements[1].node as { SelectStmt: { fromClause: { RangeVar: { location: number } }[] } }).SelectStmt.fromClause[0].RangeVar;
    assert.equal(text.slice(rv.location, rv.location + 5), 'täble');
    assert.deepEqual(
      p.tokens.filter((t) => t.name === 'SCONST').map((t) => text.slice(t.start, t.end)),
      ["'\uD800é'", "'\uDC00ü'", "'ä\uD800'"],
    );
  });

  test('a syntax error is reported at its token and the statements after it still parse', () => {
    const text = 'select 1;\nselec 2;\nselect 3;';
    const p = parseSql(text);
    assert.equal(p.statements.length, 2);
    assert.equal(p.errors.length, 1);
    assert.equal(text.slice(p.errors[0].start, p.errors[0].end), 'selec');
  });
});
