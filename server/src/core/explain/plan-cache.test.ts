// Tests for the plan cache: keys, LRU eviction and schema invalidation.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PlanCache } from './plan-cache';

test('a plan is found by text and schema version, not across versions or variants', () => {
  const c = new PlanCache<string>();
  c.set({ text: 'select 1', schemaVersion: 'a' }, 'plan-a');
  assert.equal(c.get({ text: ' select 1 ', schemaVersion: 'a' }), 'plan-a');
  assert.equal(c.get({ text: 'select 1', schemaVersion: 'b' }), undefined);
  assert.equal(c.get({ text: 'select 1', schemaVersion: 'a', variant: 'analyze' }), undefined);
});

test('the least recently used entry is evicted first', () => {
  const c = new PlanCache<number>(2);
  c.set({ text: 'a', schemaVersion: 's' }, 1);
  c.set({ text: 'b', schemaVersion: 's' }, 2);
  c.get({ text: 'a', schemaVersion: 's' });
  c.set({ text: 'c', schemaVersion: 's' }, 3);
  assert.equal(c.size, 2);
  assert.equal(c.get({ text: 'b', schemaVersion: 's' }), undefined);
  assert.equal(c.get({ text: 'a', schemaVersion: 's' }), 1);
});

test('retainSchema drops plans of other schema versions', () => {
  const c = new PlanCache<number>();
  c.set({ text: 'a', schemaVersion: 'old' }, 1);
  c.set({ text: 'a', schemaVersion: 'new' }, 2);
  c.retainSchema('new');
  assert.equal(c.size, 1);
  assert.equal(c.get({ text: 'a', schemaVersion: 'new' }), 2);
});
