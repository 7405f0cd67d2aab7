import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RangeVar } from '@pgsql/types';
import { initParser, parseSql, type ParsedSql, type Statement } from '../parse/parse';
import { COMMENT_TOKENS } from '../parse/tokens';
import { bodyText, placedTables, plainBodyText } from './body-map';
import { plainAssignmentSplit } from './plpgsql';
import { plainTypeEnd, typeRange } from './column-types';
import {
  afterSemicolon,
  alterCommandRanges,
  codeTokens,
  plainFirstWord,
  plainGapHoldsCode,
  dottedNameRange,
  keywordRange,
  leadingKeywords,
  nameRange,
  plainRangeVarRange,
  rangeVarRange,
} from './relations';

before(initParser);

/**
 * The same parse with an empty text: every range function then finds nothing plain to read and uses the scanner's
 * tokens, which is what it did before the fast paths. Each fast path must give exactly the scanner's answer.
 */
function scannerOnly(parsed: ParsedSql): ParsedSql {
  return { text: '', statements: parsed.statements, errors: parsed.errors, tokens: parsed.tokens, comments: parsed.comments, chunks: parsed.chunks };
}

/** Every object in a tree, with the key it sits under. */
function visit(node: unknown, f: (key: string, v: Record<string, unknown>) => void, key = ''): void {
  if (Array.isArray(node)) return node.forEach((n) => visit(n, f, key));
  if (!node || typeof node !== 'object') return;
  f(key, node as Record<string, unknown>);
  for (const [k, v] of Object.entries(node)) visit(v, f, k);
}

const TEXTS = [
  '-- ünïcödé before everything: é 😀\nCREATE TABLE "My""Table" (id int);\ncreate table Public.MixedCase (a int4, b varchar(10) not null, c timestamp(3) with time zone, d numeric(10, 2)[], e double precision, f text[][] default \'{}\');',
  'create table s . t (a int); create table s/*c*/.t2 (a int); create table s.  t3 (a int); create table t4(a int);',
  'create table "täble" (a int); create table täble2 (a int); create table U&"d\\0061t\\+000061" (a int); create table x.y.z (a int);',
  `create table ${'a'.repeat(70)} (a int); create table "${'b'.repeat(70)}" (a int);`,
  'create table t5 (a int -- comment\n, b character varying(20)-- c\n, c int[3], d int ARRAY, e "int4", f pg_catalog.int8, g bit varying(3), h interval day to second, i time(2) without time zone, j int4\v[]);',
  'alter table t5 add column z int;\nalter table only t5 add column y int default 1, add column w int;\nalter table t5 alter column c set default array[1,2];',
  "alter table t5 add column q text default 'a,b'; alter table t5 add column r int /* c */; alter table t5 add column r2 int -- c\n;",
  'alter table t5 add column "a,b" int, add column "c(" int; alter table t5 add column d text default \'x, (y\', add column e numeric(10,2);',
  "alter table t5 add column \"f\" text default 'g,h', add i int; alter table t5 alter column c type int using (c + 1), alter column d set default 'a''b,c';",
  "alter table t5 add column \"x\"\"y,\" int, add z text default 'u'\n'v,w', add q int[], alter column q set default '{1,2}';",
  'alter table "t5" add v int;\nalter table t5\n  add constraint fk foreign key (a) references t4(a);\nalter table t5 set (fillfactor = 70);\nalter table t5 add b\vint;',
  'create index on t5 (a); create unique index concurrently if not exists i1 on s.t (a); CREATE /* c */ INDEX i2 ON t5 (a);',
  'drop index i1; drop index if exists public.i1, "I2"; drop index s . i3; drop index concurrently s."i4"; drop index "index";',
  'select * from t5, s.t as x, "My""Table", onlyt*, only t4; insert into t5(a) select 1; vacuum(full) t5; begin; commit;',
  'create table t1 (a int);\vcreate index i on t1 (a);\ncreate table t6 (a int)',
];

const BODIES = [
  'create function f(a int) returns int language plpgsql as $$ begin insert into t5 (a) values (a); return 1; end $$;',
  'create function f2() returns int language sql AS \'select count(*) from t5 join "My""Table" on true\';',
  "create function f3() returns int language sql as\n'select 1'\n'from t5';",
  "create function f4() returns int language sql as 'select ''x'' from t5';",
  'create function f5() returns int language sql as $body$select a from s.t$body$;',
  'create function f6() returns int language sql as /* c */ $$select 1$$;',
  'create function f7() returns int language sql as $é$select 1$é$;',
  'create function f8() returns int language sql begin atomic select a from t5; select a from public . t5; end;',
  'do $$ begin perform 1 from t5; update "t5" set a = 1; end $$; do language plpgsql $$ begin delete from s.t; end $$;',
  "DO E'begin perform 1; end';",
];

/** Runs `f` on every statement of every text, with the lazy parse and with its scanner-only twin. */
function eachStatement(texts: string[], f: (parsed: ParsedSql, slow: ParsedSql, stmt: Statement) => void): void {
  for (const text of texts) {
    const parsed = parseSql(text);
    assert.equal(parsed.errors.length, 0, `${text}: ${parsed.errors[0]?.message}`);
    const slow = scannerOnly(parseSql(text));
    for (const stmt of parsed.statements) f(parsed, slow, stmt);
  }
}

describe('ranges read without the scanner equal the scanner’s', () => {
  test('RangeVar names (and the fast path is taken for plain ones)', () => {
    let fast = 0;
    eachStatement(TEXTS, (parsed, slow, stmt) => {
      visit(stmt.node, (_, v) => {
        if (typeof v.relname !== 'string' || typeof v.location !== 'number') return;
        const rv = v as RangeVar;
        assert.deepEqual(rangeVarRange(parsed, rv, stmt), rangeVarRange(slow, rv, stmt), stmt.text);
        const plain = plainRangeVarRange(parsed.text, rv);
        if (plain) fast++;
        if (plain) assert.deepEqual(plain, dottedNameRange(slow, rv.location!), stmt.text);
      });
    });
    assert.ok(fast >= 20, `fast path taken ${fast} times`);
  });

  test('named examples: quoted, mixed case, spaced dots, truncated', () => {
    const text = TEXTS[0] + TEXTS[1] + TEXTS[3];
    const parsed = parseSql(text);
    const named = (i: number) => {
      const rv = (parsed.statements[i].node as { CreateStmt: { relation: RangeVar } }).CreateStmt.relation;
      const r = rangeVarRange(parsed, rv, parsed.statements[i]);
      return text.slice(r.start, r.end);
    };
    assert.equal(named(0), '"My""Table"');
    assert.equal(named(1), 'Public.MixedCase');
    assert.equal(named(2), 's'); // `s . t`: the scanner's answer, a dot after a space is not part of the name
    assert.equal(named(4), 's.  t3');
    assert.equal(named(6), 'a'.repeat(70));
    assert.equal(plainRangeVarRange(text, (parsed.statements[6].node as { CreateStmt: { relation: RangeVar } }).CreateStmt.relation), undefined);
  });

  test('type names', () => {
    let fast = 0;
    eachStatement(TEXTS, (parsed, slow, stmt) => {
      visit(stmt.node, (key, v) => {
        if (key !== 'typeName' || typeof v.location !== 'number') return;
        assert.deepEqual(typeRange(parsed, v.location), typeRange(slow, v.location), stmt.text.slice(v.location - stmt.start));
        if (plainTypeEnd(parsed.text, v.location) >= 0) fast++;
      });
    });
    assert.ok(fast >= 15, `fast path taken ${fast} times`);
    const text = 'create table t (c timestamp(3) with time zone not null, d numeric(10, 2)[] , e int4\v[])';
    assert.equal(text.slice(text.indexOf('timestamp'), plainTypeEnd(text, text.indexOf('timestamp'))), 'timestamp(3) with time zone');
    assert.equal(text.slice(text.indexOf('numeric'), plainTypeEnd(text, text.indexOf('numeric'))), 'numeric(10, 2)[]');
    assert.equal(plainTypeEnd(text, text.indexOf('int4')), -1);
  });

  test('keywords, leading keywords and names without a location', () => {
    eachStatement(TEXTS, (parsed, slow, stmt) => {
      assert.deepEqual(keywordRange(parsed, stmt), keywordRange(slow, stmt), stmt.text);
      for (const words of [['index'], ['table'], ['create', 'index'], ['drop'], ['cascade'], ['concurrently']])
        assert.deepEqual(keywordRange(parsed, stmt, words), keywordRange(slow, stmt, words), `${stmt.text} ${words}`);
      for (const n of [1, 2, 3]) assert.deepEqual(leadingKeywords(parsed, stmt, n), leadingKeywords(slow, stmt, n), `${stmt.text} ${n}`);
      const names: string[][] = [['index'], ['public', 'i1'], ['s', 'i3'], ['s', 'i4'], ['I2'], ['i2'], ['t5'], ['i1']];
      for (const parts of names)
        assert.deepEqual(nameRange(parsed, stmt.start, stmt.end, parts), nameRange(slow, stmt.start, stmt.end, parts), `${stmt.text} ${parts}`);
    });
    const text = 'CREATE /* c */ INDEX i2 ON t5 (a); drop index if exists public.i1, "I2"';
    const parsed = parseSql(text);
    const [create, drop] = parsed.statements;
    assert.equal(text.slice(keywordRange(parsed, create, ['index'])!.start).slice(0, 5), 'INDEX');
    const quoted = nameRange(parsed, drop.start, drop.end, ['I2'])!;
    assert.equal(text.slice(quoted.start, quoted.end), '"I2"');
  });

  test('the end of the terminating semicolon, and names after a relation name', () => {
    const texts = [
      ...TEXTS,
      'select 1 -- x;',
      'select 1; select 2 -- x;\n',
      'alter table t rename column "a b" to c; alter table s.t rename a to b;',
      'alter table t rename /* a */ a to b;',
    ];
    eachStatement(texts, (parsed, slow, stmt) => {
      assert.equal(afterSemicolon(parsed, stmt), afterSemicolon(slow, stmt), stmt.text);
      visit(stmt.node, (_, v) => {
        if (typeof v.relname !== 'string' || typeof v.location !== 'number') return;
        const from = rangeVarRange(slow, v as RangeVar, stmt).end;
        for (const parts of [['a'], ['a b'], ['t5'], ['a', 'b'], ['column']])
          assert.deepEqual(nameRange(parsed, from, stmt.end, parts, true), nameRange(slow, from, stmt.end, parts), `${stmt.text} ${parts}`);
      });
    });
    const text = 'select 1 -- x;';
    const parsed = parseSql(text);
    assert.equal(afterSemicolon(parsed, parsed.statements[0]), parsed.statements[0].end);
  });

  test('first words, and whether the gap between two statements holds code or comments', () => {
    const texts = [
      ...TEXTS,
      'alter table t add a int; -- c\nalter table t add b int;',
      'alter table t add a int;\n\nalter table t add b int; /* c */ alter table t add c int',
    ];
    eachStatement(texts, (parsed, slow, stmt) => {
      const first = plainFirstWord(parsed, stmt);
      if (first) assert.deepEqual(first, codeTokens(slow, stmt.start, stmt.end).map((t) => ({ start: t.start, end: t.end }))[0], stmt.text);
      const next = parsed.statements[stmt.index + 1];
      if (!next) return;
      const comment = slow.tokens.some((t) => (t.name === 'SQL_COMMENT' || t.name === 'C_COMMENT') && t.start >= stmt.end && t.end <= next.start);
      const plain = plainGapHoldsCode(parsed.text, stmt.end, next.start);
      if (plain !== undefined) assert.deepEqual([false, plain], [comment, codeTokens(slow, stmt.end, next.start).length > 0], stmt.text);
      else assert.ok(comment || /[^\x20-\x7e\t\n\r\f]/.test(parsed.text.slice(stmt.end, next.start)), stmt.text);
    });
    const text = 'alter table t add a int; -- c\nalter table t add b int';
    const parsed = parseSql(text);
    assert.equal(plainGapHoldsCode(text, parsed.statements[0].end, parsed.statements[1].start), undefined);
    assert.equal(plainGapHoldsCode(text, parsed.statements[0].end, parsed.statements[0].end + 1), true);
  });

  test('ALTER TABLE subcommand ranges', () => {
    let fast = 0;
    eachStatement(TEXTS, (parsed, slow, stmt) => {
      const alter = (stmt.node as { AlterTableStmt?: { relation?: RangeVar; cmds?: unknown[] } }).AlterTableStmt;
      if (!alter) return;
      const count = alter.cmds?.length ?? 0;
      const ranges = alterCommandRanges(parsed, stmt, alter.relation, count);
      assert.deepEqual(ranges, alterCommandRanges(slow, stmt, alter.relation, count), stmt.text);
      if (ranges) fast++;
    });
    assert.ok(fast >= 11, `ranges found ${fast} times`);
    const text = "alter table t add column q text default 'a' ;\nalter table t add r int -- c\n;\nalter table t add \"a,b\" int, add c text default 'd,(e'";
    const parsed = parseSql(text);
    const range = (i: number) =>
      alterCommandRanges(
        parsed,
        parsed.statements[i],
        (parsed.statements[i].node as { AlterTableStmt: { relation: RangeVar } }).AlterTableStmt.relation,
        1,
      )![0];
    assert.equal(text.slice(range(0).start, range(0).end), "add column q text default 'a'");
    assert.equal(text.slice(range(1).start, range(1).end), 'add r int');
    const two = alterCommandRanges(
      parsed,
      parsed.statements[2],
      (parsed.statements[2].node as { AlterTableStmt: { relation: RangeVar } }).AlterTableStmt.relation,
      2,
    )!;
    assert.deepEqual(
      two.map((r) => text.slice(r.start, r.end)),
      ['add "a,b" int', "add c text default 'd,(e'"],
    );
  });

  test('routine bodies and the tables their SQL names', () => {
    let fast = 0;
    eachStatement(BODIES, (parsed, slow, stmt) => {
      const code = parsed.tokens.filter((t) => !COMMENT_TOKENS.has(t.name));
      assert.deepEqual(
        placedTables(
          [stmt.node],
          parsed.text,
          () => parsed.tokens,
          (p) => p,
        ),
        placedTables(
          [stmt.node],
          '',
          () => slow.tokens,
          (p) => p,
        ),
      );
      visit(stmt.node, (_, v) => {
        if (v.defname !== 'as' || typeof v.location !== 'number') return;
        const arg = v.arg as { String?: { sval?: string }; List?: { items?: { String?: { sval?: string } }[] } };
        const items = arg.List?.items?.map((i) => i.String?.sval ?? '') ?? [arg.String?.sval ?? ''];
        if (items.length !== 1) return;
        const plain = plainBodyText(items[0], parsed.text, v.location);
        if (!plain) return;
        fast++;
        const scanned = bodyText(items[0], code, v.location);
        const probe = (b: typeof plain) => [b.start, [0, 1, 5, b.text.length - 1, b.text.length, b.text.length + 3].map((i) => b.toFile(i))];
        assert.deepEqual(probe(plain), probe(scanned), stmt.text);
      });
    });
    // f, f2, f5 and both DO blocks; the others are continued, escaped, commented or non-ASCII-tagged.
    assert.equal(fast, 5);
  });

  test('PL/pgSQL assignments split at := or = without the scanner only when the target is plain', () => {
    const split = (text: string) => {
      const r = plainAssignmentSplit(text);
      return r && [r.target, text.slice(r.exprAt)];
    };
    assert.deepEqual(split('v_count := v_count + 1'), ['v_count', ' v_count + 1']);
    assert.deepEqual(split('  rec.total:=0'), ['rec.total', '0']);
    assert.deepEqual(split('x = (select 1)'), ['x', ' (select 1)']);
    assert.deepEqual(split('x =y'), ['x', 'y']);
    for (const text of ['x[1] := 2', 'x =- 1', 'x => 1', 'x == 1', '"X" := 1', 'é := 1', '-- c\nx := 1', 'x /* c */ := 1', 'x . y := 1', 'x.', 'x'])
      assert.equal(plainAssignmentSplit(text), undefined, text);
  });
});
