// The derived part of the check cache: a catalog read back is the catalog that was built; foreign, outdated or corrupt
// files are ignored; entries a run did not use stay only while there is room.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { configSchema } from '../core/config';
import { Workspace } from '../core/workspace/workspace';
import { memoryFiles, ready } from '../testing/rule-test';
import { hash } from './check-cache';
import { DerivedCache, type DerivedStats } from './derived-cache';

before(ready);
const dir = mkdtempSync(join(tmpdir(), 'pgdba-derived-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const stats = (): DerivedStats => ({ signaturesReused: 0, catalogsReused: 0, rollbacksReused: 0 });

/** Writes what a cache would write, then opens the file as the next run would. */
function roundTrip(cache: DerivedCache, file: string, version = '1.0.0'): DerivedCache {
  const bytes = cache.output();
  if (bytes) writeFileSync(file, bytes);
  return new DerivedCache(file, version, hash, stats());
}

const SCHEMA = `
CREATE SCHEMA billing;
CREATE TYPE billing.status AS ENUM ('open', 'paid');
CREATE TABLE billing.invoices (
  id bigserial PRIMARY KEY,
  tenant_id bigint NOT NULL,
  status billing.status NOT NULL DEFAULT 'open',
  total numeric(12, 2) CHECK (total >= 0),
  UNIQUE (tenant_id, id)
);
CREATE TABLE billing.lines (id int GENERATED ALWAYS AS IDENTITY, invoice_id bigint REFERENCES billing.invoices (id) ON DELETE CASCADE);
CREATE INDEX lines_invoice ON billing.lines (invoice_id) WHERE invoice_id IS NOT NULL;
CREATE VIEW billing.open_invoices AS SELECT * FROM billing.invoices WHERE status = 'open';
ALTER TABLE billing.invoices ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant ON billing.invoices USING (tenant_id = current_setting('app.tenant')::bigint);
CREATE FUNCTION billing.total(i bigint) RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT total FROM billing.invoices WHERE id = i $$;
COMMENT ON TABLE billing.invoices IS 'one per order';
ALTER TABLE billing.invoices RENAME COLUMN total TO amount;
`;

describe('DerivedCache', () => {
  test('a catalog read back equals the one built (maps, sets, shared nodes, renamed columns)', () => {
    const config = configSchema.parse({});
    const ws = new Workspace({ files: memoryFiles({ 'migrations/001_billing.up.sql': SCHEMA }), configFor: () => config });
    const built = ws.catalog('migrations/001_billing.up.sql');
    assert.ok(built.tables.get('billing.invoices')?.columns.has('amount'), 'the fixture builds');
    const file = join(dir, 'catalog.bin');
    const first = new DerivedCache(file, '1.0.0', hash, stats());
    first.keepCatalog('inputs', built);
    const next = roundTrip(first, file);
    const read = next.catalog('inputs');
    assert.deepEqual(read, built);
    assert.equal(next.catalog('other inputs'), undefined);
  });

  test('signatures and reports come back for the same inputs only; another version or a corrupt file gives nothing', () => {
    const file = join(dir, 'parts.bin');
    const first = new DerivedCache(file, '1.0.0', hash, stats());
    first.keepSignature('CREATE TABLE t (id int);', 'migration', '0:CREATE TABLE t (id int)');
    first.keepLeftovers('key', { items: [], opaque: { up: 0, down: 0 }, firstUp: 'a.sql' });
    const s = stats();
    const next = new DerivedCache(file, '1.0.0', hash, s);
    writeFileSync(file, first.output()!);
    assert.equal(next.signature('CREATE TABLE t (id int);', 'migration'), '0:CREATE TABLE t (id int)');
    assert.equal(next.signature('CREATE TABLE t (id int);', 'schema'), undefined, 'another kind of source');
    assert.deepEqual(next.leftovers('key'), { items: [], opaque: { up: 0, down: 0 }, firstUp: 'a.sql' });
    assert.deepEqual(s, { signaturesReused: 1, catalogsReused: 0, rollbacksReused: 1 });
    assert.equal(next.output(), undefined, 'nothing new and nothing dropped: not written again');

    assert.equal(new DerivedCache(file, '2.0.0', hash, stats()).signature('CREATE TABLE t (id int);', 'migration'), undefined);
    writeFileSync(file, 'garbage');
    assert.equal(new DerivedCache(file, '1.0.0', hash, stats()).leftovers('key'), undefined);
  });

  test('entries a run did not use stay while the file holds at most twice what a run uses', () => {
    const file = join(dir, 'prune.bin');
    let cache = new DerivedCache(file, '1.0.0', hash, stats());
    for (let i = 0; i < 4; i++) cache.keepSignature(`text ${i}`, 'schema', `sig ${i}`);
    cache.keepLeftovers('report of an untouched migration', { items: [], opaque: { up: 0, down: 0 } });
    // A run that uses the same four texts but no report: the report stays (room for 8 entries).
    cache = roundTrip(cache, file);
    for (let i = 0; i < 4; i++) assert.equal(cache.signature(`text ${i}`, 'schema'), `sig ${i}`);
    cache = roundTrip(cache, file);
    assert.ok(cache.leftovers('report of an untouched migration'));
    // Edited texts pile up until they pass the room: then only what the run used is kept.
    for (let round = 0; round < 3; round++) {
      for (let i = 0; i < 4; i++) cache.keepSignature(`text ${i} v${round}`, 'schema', `sig ${i} v${round}`);
      cache = roundTrip(cache, file);
    }
    assert.equal(cache.signature('text 0', 'schema'), undefined, 'old texts dropped');
    assert.equal(cache.signature('text 0 v2', 'schema'), 'sig 0 v2');
  });
});
