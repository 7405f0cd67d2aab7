// Statements applied to a copy-on-write catalog copy change the copy as they change a plain catalog, and never the base.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { applyStatement, newApplyState } from '../catalog/build';
import type { Catalog } from '../catalog/types';
import { initParser, parseSql } from '../parse/parse';
import { catalogOf } from './test-helpers';
import { cowCatalog, rootCatalog } from './cow-catalog';

before(async () => {
  await initParser();
});

/** What of a catalog the statements below change, as text. */
function render(c: Catalog): string {
  return JSON.stringify({
    tables: [...c.tables].map(([k, t]) => [k, t.partitionOf, t.node, t.constraints.map((x) => [x.pgName, x.references]), t.triggers?.map((x) => x.name)]),
    indexes: [...c.indexes].map(([k, ix]) => [k, ix.table, ix.node]),
    sequences: [...(c.sequences ?? [])].map(([k, s]) => [k, s.ownedBy]),
  });
}

function apply(c: Catalog, sql: string): void {
  const state = newApplyState('up.sql', { refuse: true });
  for (const s of parseSql(sql).statements) applyStatement(c, s, state);
}

const SETUP = `
  CREATE TABLE t (id serial PRIMARY KEY, a int);
  CREATE TABLE child (t_id int REFERENCES t (id));
  CREATE TABLE p (k int) PARTITION BY RANGE (k);
  CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
  CREATE INDEX t_a ON t (a);
  CREATE VIEW v1 AS SELECT a FROM t;
  CREATE VIEW v2 AS SELECT a FROM v1;
  CREATE FUNCTION f() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
  CREATE TRIGGER tr BEFORE INSERT ON child FOR EACH ROW EXECUTE FUNCTION f();`;

describe('catalog copies', () => {
  for (const sql of [
    'ALTER TABLE t RENAME TO t2;',
    'ALTER TABLE t RENAME COLUMN a TO b;',
    'ALTER TABLE t DROP COLUMN a CASCADE;',
    'DROP TABLE t CASCADE;',
    'DROP TABLE p;',
    'DROP FUNCTION f() CASCADE;',
  ]) {
    test(`${sql} changes a copy as it changes a plain catalog, and leaves the base alone`, () => {
      const plain = catalogOf(SETUP);
      apply(plain, sql);
      const base = rootCatalog(catalogOf(SETUP));
      const frozen = render(base);
      for (const clones of [undefined, { tables: () => false, other: () => false }]) {
        const copy = cowCatalog(base, clones);
        apply(copy, sql);
        assert.equal(render(copy), render(plain));
        assert.equal(render(base), frozen);
      }
    });
  }
});
