// Normal forms of expressions and types: PostgreSQL's spelling (pg_get_expr, format_type) and the source's read the same.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initParser } from '../parse/parse';
import { canonicalInterval, normalizeExpr, normalizeTypeText } from './normalize';

before(async () => {
  await initParser();
});

describe('normalizeExpr', () => {
  const same = (source: string, engine: string) => assert.equal(normalizeExpr(source), normalizeExpr(engine), `${source} ≠ ${engine}`);

  test('casts PostgreSQL adds, and constants it folds', () => {
    same("'active'", "'active'::text");
    same('-1', "'-1'::integer");
    same('0', '(0)::numeric');
    same("'false'", 'false');
    same("'1970-01-01'", "'1970-01-01 00:00:00+00'::timestamp with time zone");
    same("''", "'\\x'::bytea");
  });

  test('IN, BETWEEN and LIKE as PostgreSQL prints them', () => {
    same("status IN ('a', 'b')", "((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))");
    same('n BETWEEN 1 AND 10', '((n >= 1) AND (n <= 10))');
    same("code LIKE 'x%'", "(code ~~ 'x%'::text)");
    same('a AND (b AND c)', '((a AND b) AND c)');
  });

  test('qualified columns and functions, sequences by name', () => {
    same('tenant_id = 1', '(t.tenant_id = 1)');
    same('pg_catalog.now()', 'now()');
    same("nextval('public.t_id_seq'::regclass)", "nextval('t_id_seq'::regclass)");
  });

  test('different expressions stay different', () => {
    assert.notEqual(normalizeExpr('a > 1'), normalizeExpr('a >= 1'));
    assert.notEqual(normalizeExpr("'a'"), normalizeExpr("'b'"));
  });

  test('text that does not parse is kept, whitespace collapsed', () => {
    assert.equal(normalizeExpr('a +\n  '), 'a +');
  });
});

describe('normalizeTypeText', () => {
  test("format_type's names", () => {
    const cases: [string, string][] = [
      ['int', 'integer'],
      ['int8', 'bigint'],
      ['serial', 'integer'],
      ['varchar(20)', 'character varying(20)'],
      ['char', 'character(1)'],
      ['timestamptz', 'timestamp with time zone'],
      ['timestamp(3)', 'timestamp(3) without time zone'],
      ['numeric(10,2)', 'numeric(10,2)'],
      ['double precision', 'double precision'],
      ['text[][]', 'text[]'],
      ['public.mood', 'mood'],
      ['other.kind', 'other.kind'],
    ];
    for (const [written, printed] of cases) assert.equal(normalizeTypeText(written), printed, written);
  });
});

describe('interval literals as PostgreSQL prints them back', () => {
  test('named units fold to years, mons, days and a time', () => {
    assert.equal(canonicalInterval('12 months'), '1 year');
    assert.equal(canonicalInterval('14 months'), '1 year 2 mons');
    assert.equal(canonicalInterval('2 weeks'), '14 days');
    assert.equal(canonicalInterval('1 day'), '1 day');
    assert.equal(canonicalInterval('90 minutes'), '01:30:00');
    assert.equal(canonicalInterval('1 year 36 hours'), '1 year 36:00:00');
    assert.equal(canonicalInterval('0 days'), '00:00:00');
  });

  test('what it does not read exactly is left as written', () => {
    for (const text of ['1.5 days', '-1 day', '@ 1 day ago', 'P1Y', '1 day 02:00', 'tomorrow']) assert.equal(canonicalInterval(text), text);
  });
});
