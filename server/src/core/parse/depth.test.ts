// Statements nested past what pgdba analyses, or past what the parser itself handles, get a clear finding and the rest of the file is still analysed.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig } from '../config';
import { rules } from '../rules';
import type { Rule } from '../rules/rule';
import { Workspace } from '../workspace/workspace';
import { reparse } from './incremental';
import { initParser, parseSql } from './parse';

before(async () => {
  await initParser();
});

const nested = (n: number) => 'select * from ' + '(select * from '.repeat(n) + 't' + ') x'.repeat(n);

function analyse(sql: string, only?: Rule[]) {
  const files = new Map([['a.sql', sql]]);
  const ws = new Workspace({
    files: { list: () => [...files.keys()], read: (p) => files.get(p) },
    configFor: () => defaultConfig(),
    ...(only ? { rules: only } : {}),
  });
  return ws.analyze('a.sql').map((f) => ({ rule: f.rule, line: sql.slice(0, f.start).split('\n').length, message: f.message }));
}

describe('deeply nested statements', () => {
  test('1,000 nested subqueries: "too deeply nested for analysis" on that statement, the next one still checked', () => {
    const sql = `select 1;\n${nested(1000)};\ndelete from t;\n`;
    const findings = analyse(sql);
    assert.deepEqual(
      findings.map((f) => [f.rule, f.line]),
      [
        ['too-deeply-nested', 2],
        ['unbounded-write', 3],
      ],
    );
    assert.match(findings[0].message, /too deeply nested for analysis/);
    assert.ok(!findings.some((f) => /internal|syntax error|call stack/i.test(f.message)), JSON.stringify(findings));
  });

  test('3,000 nested subqueries: the parser stops (bison), and the finding says so, not "syntax error"', () => {
    const findings = analyse(`${nested(3000)};\ndelete from t;\n`);
    assert.deepEqual(
      findings.map((f) => [f.rule, f.line]),
      [
        ['too-deeply-nested', 1],
        ['unbounded-write', 2],
      ],
    );
    assert.match(findings[0].message, /parser stopped \(memory exhausted/);
  });

  test('a valid 100,000-term expression: the parser runs out of stack, and the finding says so, not "syntax error"', () => {
    const findings = analyse(`select ${Array(100_000).fill('1').join(' + ')};\ndelete from t;\n`);
    assert.deepEqual(
      findings.map((f) => [f.rule, f.line]),
      [
        ['too-deeply-nested', 1],
        ['unbounded-write', 2],
      ],
    );
    assert.match(findings[0].message, /ran out of stack.*not a syntax error/);
  });

  test('nesting below the limit is analysed as usual', () => {
    assert.deepEqual(
      analyse(`update t set a = (${nested(150)});\n`).map((f) => f.rule),
      ['unbounded-write'],
    );
  });

  test('a rule that still runs out of stack gives a too-deeply-nested finding naming it, not an internal error', () => {
    const base = rules.find((r) => r.id === 'unbounded-write')!;
    const deep = (n: number): number => (n <= 0 ? 0 : 1 + deep(n - 1));
    const recursing: Rule = { ...base, check: () => void deep(1e7), checkStatement: undefined };
    const findings = analyse('delete from t;\n', [recursing]);
    assert.deepEqual(
      findings.map((f) => f.rule),
      ['too-deeply-nested'],
    );
    assert.match(findings[0].message, /too deeply nested for rule unbounded-write/);
  });

  test('an edit elsewhere keeps the finding where a fresh parse puts it', () => {
    const text = `select 1;\n${nested(1000)};\ndelete from t;\n`;
    const next = text.replace('select 1;', 'select 12;');
    const incremental = reparse(parseSql(text), next);
    const fresh = parseSql(next);
    assert.deepEqual([incremental.errors, incremental.statements.map((s) => s.text)], [fresh.errors, fresh.statements.map((s) => s.text)]);
    assert.equal(fresh.errors[0].kind, 'too-deep');
  });
});
