// DO blocks: a guarded "create unless it is there" block is followed; any other block is left opaque (and noted).
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initParser } from '../parse/parse';
import { catalogOf } from '../rollback/test-helpers';
import { constraintName } from './extras-table';

before(async () => {
  await initParser();
});

const constraints = (sql: string) => catalogOf(sql).tables.get('public.a')?.constraints.map(constraintName);

describe('DO blocks in the catalog', () => {
  test('the branch whose condition holds runs; the other does not', () => {
    const guarded = (name: string) =>
      `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_constraint WHERE conname = '${name}') THEN ALTER TABLE a ADD CONSTRAINT ${name} UNIQUE (y); END IF; END $$;`;
    assert.deepEqual(constraints(`CREATE TABLE a (x int, y int);\n${guarded('a_y_key')}`), ['a_y_key']);
    assert.deepEqual(constraints(`CREATE TABLE a (x int, y int CONSTRAINT a_y_key CHECK (y > 0));\n${guarded('a_y_key')}`), ['a_y_key']);
    assert.equal(
      catalogOf(`CREATE TABLE a (x int, y int CONSTRAINT a_y_key CHECK (y > 0));\n${guarded('a_y_key')}`).tables.get('public.a')?.constraints[0].type,
      'check',
    );
  });

  test('blocks the model cannot follow stay opaque: loops, variables, other conditions, a lookup narrowed by schema that finds the name', () => {
    const opaque = [
      'DO $$ DECLARE r record; BEGIN FOR r IN SELECT 1 LOOP ALTER TABLE a ADD COLUMN z int; END LOOP; END $$;',
      "DO $$ BEGIN IF current_setting('x') = 'y' THEN ALTER TABLE a ADD COLUMN z int; END IF; END $$;",
      "DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_class WHERE relname = 'a' AND relnamespace = 'other'::regnamespace) THEN CREATE TABLE other.a (z int); END IF; END $$;",
      "DO $$ BEGIN EXECUTE format('ALTER TABLE %I ADD COLUMN z int', 'a'); END $$;",
    ];
    for (const block of opaque) {
      const c = catalogOf(`CREATE TABLE a (x int);\n${block}`);
      assert.deepEqual([...c.tables.get('public.a')!.columns.keys()], ['x'], block);
      assert.equal(c.opaque?.length, 1, block);
    }
  });
});
