// Checks that the static contrib map lists exactly the extensions this PGlite ships (a PGlite upgrade that adds one shows up here).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { PGLITE_CONTRIB } from './pglite-extensions';

test('PGLITE_CONTRIB matches @electric-sql/pglite/dist/contrib', () => {
  const dir = join(dirname(require.resolve('@electric-sql/pglite')), 'contrib');
  const shipped = readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .map((f) => f.slice(0, -3).replace(/_/g, '-'))
    .sort();
  const mapped = Object.keys(PGLITE_CONTRIB)
    .map((k) => k.replace(/_/g, '-'))
    .sort();
  assert.deepEqual(mapped, shipped);
  const ext = PGLITE_CONTRIB['uuid-ossp']();
  assert.equal(ext.name, 'uuid-ossp');
});
