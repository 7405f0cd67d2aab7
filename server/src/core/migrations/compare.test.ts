// Tests for the ordering keys: natural, path, diesel (lexical) and Flyway version order.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { compareFlywayVersion, compareLexical, compareNatural, comparePaths } from './compare';

describe('compareNatural', () => {
  test('orders digit runs by value', () => {
    assert.deepEqual(['v10', 'v2', 'v1.10', 'v1.9'].sort(compareNatural), ['v1.9', 'v1.10', 'v2', 'v10']);
  });
  test('handles versions beyond 2^53', () => {
    assert.ok(compareNatural('20191100000001000001', '20191100000001000000') > 0);
    assert.ok(compareNatural('99999999999999999999', '100000000000000000000') < 0);
  });
  test('is total on leading zeros', () => {
    assert.notEqual(compareNatural('001', '1'), 0);
    assert.ok(compareNatural('001_a', '2_a') < 0);
  });
  test('never throws on empty or odd strings', () => {
    assert.equal(compareNatural('', ''), 0);
    assert.ok(compareNatural('', 'a') < 0);
    assert.ok(compareNatural('é1', 'é01') !== 0);
  });
});

describe('compareFlywayVersion', () => {
  test('compares parts numerically and pads missing parts with zero', () => {
    assert.ok(compareFlywayVersion('1.10', '1.9') > 0);
    assert.equal(compareFlywayVersion('1', '1.0'), 0);
    assert.equal(compareFlywayVersion('001.2', '1.2'), 0);
    assert.ok(compareFlywayVersion('2', '1.99') > 0);
  });
});

describe('compareLexical', () => {
  test('is plain code-unit order, as diesel sorts its versions', () => {
    assert.ok(compareLexical('20251001085546', '202511111404590000') < 0);
    assert.ok(compareLexical('202001010000000000', '20251001085546') < 0);
  });
});

describe('comparePaths', () => {
  test('compares segment by segment', () => {
    assert.deepEqual(['a10/x', 'a/y/z', 'a2/x', 'a/y'].sort(comparePaths), ['a/y', 'a/y/z', 'a2/x', 'a10/x']);
  });
});
