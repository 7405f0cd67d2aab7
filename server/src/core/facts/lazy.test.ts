import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { lazyField, once } from './lazy';

describe('lazyField', () => {
  test('computes on the first read only, then behaves as a plain field', () => {
    let calls = 0;
    const o = lazyField({ a: 1, range: { start: 0, end: 0 } }, 'range', () => {
      calls++;
      return { start: 3, end: 7 };
    });
    assert.equal(calls, 0);
    assert.deepEqual(o.range, { start: 3, end: 7 });
    assert.equal(o.range, o.range);
    assert.equal(calls, 1);
    assert.deepEqual({ ...o }, { a: 1, range: { start: 3, end: 7 } });
    assert.deepEqual(Object.keys(o), ['a', 'range']);
    o.range = { start: 1, end: 2 };
    assert.deepEqual(o.range, { start: 1, end: 2 });
  });

  test('an assignment before any read wins without computing', () => {
    let calls = 0;
    const o = lazyField({ n: 0 }, 'n', () => ++calls);
    o.n = 5;
    assert.equal(o.n, 5);
    assert.equal(calls, 0);
  });
});

describe('once', () => {
  test('calls its function a single time, even when it returns undefined', () => {
    let calls = 0;
    const f = once(() => {
      calls++;
      return undefined;
    });
    assert.equal(f(), undefined);
    assert.equal(f(), undefined);
    assert.equal(calls, 1);
  });
});
