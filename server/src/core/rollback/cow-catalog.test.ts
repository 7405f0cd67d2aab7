// Statements applied to a copy-on-write catalog copy change the copy as they change a plain catalog, and never the base.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { applyStatement, newApplyState } from '../catalog/build';
import type { Catalog, Table } from '../catalog/types';
import { initParser, parseSql } from '../parse/parse';
import { catalogOf } from './test-helpers';
import { cowCatalog, rootCatalog } from './cow-catalog';
import type { CowMap } from './cow-map';

before(async () => {
  await initParser();
});

/** What of a catalog the statements below change, as text. */
function render(c: Catalog): string {
  return JSON.stringify({
    tables: [...c.tables].map(([k, t]) => [
      k,
      t.partitionOf,
      t.seededByValues,
      t.node,
      t.constraints.map((x) => [x.pgName, x.references]),
      t.triggers?.map((x) => [x.name, x.node]),
      [...t.columns.values()].map((col) => [col.name, col.default, col.serialSequence, col.identity]),
    ]),
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
  CREATE TRIGGER tr BEFORE INSERT ON child FOR EACH ROW EXECUTE FUNCTION f();
  CREATE SEQUENCE s;
  CREATE TYPE mood AS ENUM ('sad', 'ok');
  CREATE TABLE d (x int DEFAULT nextval('s'), m mood DEFAULT 'sad', i int GENERATED ALWAYS AS IDENTITY);`;

describe('catalog copies', () => {
  for (const sql of [
    'ALTER TABLE t RENAME TO t2;',
    'ALTER TABLE t RENAME COLUMN a TO b;',
    'ALTER TABLE t DROP COLUMN a CASCADE;',
    'DROP TABLE t CASCADE;',
    'DROP TABLE p;',
    'DROP FUNCTION f() CASCADE;',
    'ALTER SEQUENCE s RENAME TO s2;',
    'ALTER INDEX t_pkey RENAME TO t_key;',
    "ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';",
    'ALTER FUNCTION f() RENAME TO g;',
    'ALTER TABLE t DROP CONSTRAINT t_pkey CASCADE;',
    'ALTER TABLE d ALTER COLUMN i DROP IDENTITY;',
    "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_trigger WHERE tgname = 'tr') THEN ALTER TABLE d ADD COLUMN y int; END IF; END $$;",
    'CREATE TABLE p2 PARTITION OF p FOR VALUES FROM (10) TO (20);',
    'INSERT INTO t (a) VALUES (1); INSERT INTO t (a) VALUES (2);',
    'DROP VIEW v2;',
    // The foreign key left dangling is swept from child; child changed afterwards must not change the base's child.
    'DROP TABLE t CASCADE; ALTER TABLE child ADD COLUMN extra int;',
    'DROP TABLE t; ALTER TABLE child ADD COLUMN extra int;',
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

  test('a statement that reaches objects it does not name clones only the tables it changes', () => {
    // A copy that clones what it hands out while iterating (as for renames): looking through every table must not take them.
    const base = rootCatalog(catalogOf(SETUP));
    for (const [sql, changed] of [
      ['ALTER SEQUENCE s RENAME TO s2;', ['public.d']],
      ["ALTER TYPE mood RENAME VALUE 'sad' TO 'blue';", ['public.d']],
      ['ALTER FUNCTION f() RENAME TO g;', ['public.child']],
      ['ALTER TABLE t DROP CONSTRAINT t_pkey CASCADE;', ['public.t', 'public.child']],
      ['CREATE TABLE p2 PARTITION OF p FOR VALUES FROM (10) TO (20);', ['public.p2']],
      ['DROP VIEW v2;', ['public.v2']],
    ] as const) {
      const copy = cowCatalog(base);
      apply(copy, sql);
      assert.deepEqual([...(copy.tables as CowMap<Table>).touched(base.tables)].sort(), [...changed].sort(), sql);
    }
  });
});
