// The wording of "pgdba: Trace locks": counts in the singular and plural, where the trace ran, no doubled "pgdba:" prefix.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { TracedStatement } from '../engine/trace';
import { pgliteTraceTarget, traceSummary } from './trace';

const stmt = (over: Partial<TracedStatement>): TracedStatement => ({ index: 0, start: 0, end: 1, status: 'ok', locks: [], rewritten: [], ms: 1, ...over });
const exclusive = { relation: 'users', mode: 'AccessExclusiveLock', blocks: 'everything' };

test('one statement, one rewrite: singular words', () => {
  const msg = traceSummary([stmt({ locks: [exclusive], rewritten: ['users'] })], pgliteTraceTarget(1));
  assert.equal(msg, 'Traced 1 statement on PGlite after the 1 earlier migration (in apply order), rolled back: 1 takes ACCESS EXCLUSIVE, 1 rewrite.');
});

test('several statements, a failure, no earlier migrations', () => {
  const msg = traceSummary([stmt({}), stmt({ locks: [exclusive] }), stmt({ locks: [exclusive], status: 'error' })], pgliteTraceTarget(0));
  assert.equal(msg, 'Traced 3 statements on an empty PGlite, rolled back: 2 take ACCESS EXCLUSIVE, 0 rewrites, 1 failed.');
  assert.doesNotMatch(msg, /pgdba:/);
});

test('earlier migrations are counted in apply order', () => {
  assert.equal(pgliteTraceTarget(342), 'PGlite after the 342 earlier migrations (in apply order)');
});
