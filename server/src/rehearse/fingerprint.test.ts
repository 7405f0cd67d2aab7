import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { describeDiff, diffFingerprints, sameFingerprint, type Fingerprint } from './fingerprint';

const fp = (entries: Record<string, string>): Fingerprint => new Map(Object.entries(entries));

describe('fingerprint comparison', () => {
  test('equal sets compare equal whatever their order', () => {
    const a = fp({ 'column public.t.a': 'integer', 'column public.t.b': 'text' });
    const b = fp({ 'column public.t.b': 'text', 'column public.t.a': 'integer' });
    assert.ok(sameFingerprint(diffFingerprints(a, b)));
  });

  test('left behind, not restored and changed, in words, without the public schema', () => {
    const before = fp({ 'table public.t': '', 'column public.t.a': 'integer', 'index public.t_a': 'CREATE INDEX t_a ON public.t USING btree (a)', 'column app.x.y': 'text' });
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
      'index public.u_pkey': 'CREATE UNIQUE INDEX u_pkey ON public.u USING btree (id)',
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
});
