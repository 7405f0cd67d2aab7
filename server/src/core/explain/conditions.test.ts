// Tests for reading columns out of plan conditions as PostgreSQL prints them.
import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser } from '../parse/parse';
import { equalityPairs, indexableColumns, sortColumns } from './conditions';

before(() => initParser());

test('equality and range columns of an AND-only filter, looking through casts', () => {
  const c = indexableColumns("(((status)::text = 'open'::text) AND (tenant_id = $1) AND (created_at > now()) AND (amount >= 10))");
  assert.deepEqual(
    c?.equality.map((x) => x.column),
    ['status', 'tenant_id'],
  );
  assert.deepEqual(
    c?.range.map((x) => x.column),
    ['amount'],
  );
});

test('IN lists and = ANY count as equality', () => {
  assert.deepEqual(
    indexableColumns("(kind = ANY ('{a,b}'::text[]))")?.equality.map((x) => x.column),
    ['kind'],
  );
});

test('an OR makes no index obvious', () => {
  assert.equal(indexableColumns('((a = 1) OR (b = 2))'), undefined);
});

test('column-to-column equalities keep their qualifiers', () => {
  assert.deepEqual(equalityPairs('((o.customer_id = c.id) AND (o.x > 1))'), [
    [
      { qualifier: 'o', column: 'customer_id' },
      { qualifier: 'c', column: 'id' },
    ],
  ]);
});

test('sort keys: plain columns only', () => {
  assert.deepEqual(
    sortColumns(['t.created_at DESC', 'id'])?.map((x) => x.column),
    ['created_at', 'id'],
  );
  assert.equal(sortColumns(['lower(name)']), undefined);
});
