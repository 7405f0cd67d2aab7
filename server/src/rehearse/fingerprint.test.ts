// The rehearsal's schema fingerprint: entries from the schema document, compared as sets and described in words.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeDiff, diffFingerprints, sameFingerprint, schemaEntries, type Fingerprint } from './fingerprint';
import type { SchemaJson } from '../core/schema/types';
import { schemaFromRows, type SchemaRows } from '../core/schema/from-rows';

const fp = (entries: Record<string, string>): Fingerprint => new Map(Object.entries(entries));

describe('fingerprint comparison', () => {
  test('equal sets compare equal whatever their order', () => {
    const a = fp({ 'column public.t.a': 'integer', 'column public.t.b': 'text' });
    const b = fp({ 'column public.t.b': 'text', 'column public.t.a': 'integer' });
    assert.ok(sameFingerprint(diffFingerprints(a, b)));
  });

  test('left behind, not restored and changed, in words, without the public schema', () => {
    const before = fp({
      'table public.t': '',
      'column public.t.a': 'integer',
      'index public.t_a': 'CREATE INDEX t_a ON public.t USING btree (a)',
      'column app.x.y': 'text',
    });
    const after = fp({ 'table public.t': '', 'column public.t.a': 'bigint', 'column public.t.age': 'integer', 'column app.x.y': 'text' });
    assert.deepEqual(describeDiff(diffFingerprints(before, after)), [
      'column t.age left behind',
      'index t_a not restored',
      'column t.a differs: was integer, now bigint',
    ]);
  });

  test('what belongs to a table left behind is not listed again', () => {
    const after = fp({
      'table public.u': '',
      'column public.u.id': 'integer not null',
      'constraint public.u.u_pkey': 'PRIMARY KEY (id)',
      'index public.u_email': JSON.stringify({ keys: ['email'], method: 'btree', table: 'public.u' }),
      'privileges table public.u': 'postgres=arwdDxt/postgres',
      'comment table public.u': 'hi',
      'sequence public.s': 'bigint',
    });
    assert.deepEqual(describeDiff(diffFingerprints(new Map(), after)), ['sequence s left behind', 'table u left behind']);
  });

  test('long lists are cut', () => {
    const after = fp(Object.fromEntries(Array.from({ length: 12 }, (_, i) => [`enum public.e${String(i).padStart(2, '0')}`, ''])));
    const lines = describeDiff(diffFingerprints(new Map(), after), 3);
    assert.deepEqual(lines, ['enum e00 left behind', 'enum e01 left behind', 'enum e02 left behind', '… and 9 more']);
  });

  test('a function whose body differs only in whitespace is the same; a changed field is shown in full, not cut', () => {
    // Bodies as pg_proc.prosrc holds them, read through the same path as the engine's rows.
    const schema = (body: string, volatility = 'v'): SchemaJson => {
      const rows: SchemaRows = {
        schemas: [],
        extensions: [],
        relations: [],
        columns: [],
        constraints: [],
        indexes: [],
        triggers: [],
        policies: [],
        types: [],
        sequences: [],
        functions: [],
      };
      rows.functions.push({ key: 'public.f', kind: 'f', language: 'plpgsql', args: ['integer'], returns: 'integer', volatility, body, grants: [] });
      return schemaFromRows(rows);
    };
    const long = 'BEGIN ' + 'PERFORM 1; '.repeat(20);
    const a = schemaEntries(schema(`${long} RETURN 1; END`));
    assert.ok(sameFingerprint(diffFingerprints(a, schemaEntries(schema(`\n  ${long.replace(/ /g, '\n\t')}\n  RETURN 1;\nEND\n`)))));
    const lines = describeDiff(diffFingerprints(a, schemaEntries(schema(`${long} RETURN 2; END`, 's'))));
    assert.equal(lines.length, 1);
    assert.match(
      lines[0],
      /^function f\(integer\) differs: body was … PERFORM 1; PERFORM 1; RETURN 1; END", now … PERFORM 1; PERFORM 1; RETURN 2; END"; volatility was \(none\), now "stable"$/,
    );
  });
});
