// The rehearsal notification's line: the summary of a failed rehearsal, not the last line of a trailing error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { rehearsalSummary } from './rehearsal-summary';

test('a failed rehearsal shows its summary line even when an error follows it', () => {
  const report =
    'ok              000001_a.up.sql\nschema-mismatch 000002_b.up.sql\n\n2 migrations rehearsed on PGlite (embedded) with their own down files in 3.1 s: 1 ok, 1 schema-mismatch\nError: boom\n    at x (y.js:1:1)\n';
  assert.equal(rehearsalSummary(report), '2 migrations rehearsed on PGlite (embedded) with their own down files in 3.1 s: 1 ok, 1 schema-mismatch');
});

test('a rehearsal that did not run shows the first line of its error, once prefixed', () => {
  assert.equal(rehearsalSummary('pgdba rehearse: no migrations found in .\n  (looked for diesel, golang-migrate)\n'), 'no migrations found in .');
  assert.equal(rehearsalSummary(''), 'the rehearsal did not run');
});
