// Tests for package naming: brief ids, dates, layout and safe paths.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { PackageError, assertBriefId, briefIdProblem, compactDate, isIsoDate, isSafeRelativePath, isoFromCompact, packageLayout } from './naming';

describe('brief ids', () => {
  test('letters, digits, - and _ are accepted', () => {
    for (const id of ['CHG-42', 'brief_7', 'A', 'x-Y_9']) assert.equal(briefIdProblem(id), undefined, id);
  });

  test('anything else gets an error naming the character and its position', () => {
    assert.match(briefIdProblem('bad id')!, /" " at position 4 is not allowed; use letters, digits, "-" and "_" only/);
    assert.match(briefIdProblem('a/b')!, /"\/" at position 2/);
    assert.match(briefIdProblem('../etc')!, /"\." at position 1/);
    assert.match(briefIdProblem('café')!, /"é" at position 4/);
    assert.match(briefIdProblem('')!, /empty/);
    assert.match(briefIdProblem('x'.repeat(65))!, /at most 64/);
    assert.throws(() => assertBriefId('a b'), PackageError);
  });
});

describe('dates', () => {
  test('YYYYMMDD becomes ISO, impossible dates are refused', () => {
    assert.equal(isoFromCompact('20240229'), '2024-02-29');
    for (const bad of ['20230229', '2025-01-31', '2025131', '20251301', 'today']) {
      assert.throws(
        () => isoFromCompact(bad),
        (e: Error) => e instanceof PackageError && /YYYYMMDD/.test(e.message),
        bad,
      );
    }
    assert.ok(isIsoDate('2025-01-31'));
    assert.ok(!isIsoDate('2025-02-30'));
    assert.ok(!isIsoDate('20250131'));
  });

  test('the default date is the local calendar day', () => {
    assert.equal(compactDate(new Date(2025, 0, 5, 23, 59)), '20250105');
  });
});

test('layout names every file and folder after DBA_<BriefID>_<YYYYMMDD>', () => {
  const l = packageLayout('CHG-42', '20250131');
  assert.equal(l.base, 'DBA_CHG-42_20250131');
  assert.equal(l.spec, 'DBA_CHG-42_20250131_DB_SPEC.md');
  assert.equal(l.manifest, 'DBA_CHG-42_20250131_package.json');
  assert.deepEqual(Object.values(l.folders), [
    'DBA_CHG-42_20250131_migrations',
    'DBA_CHG-42_20250131_perf',
    'DBA_CHG-42_20250131_security',
    'DBA_CHG-42_20250131_ha_dr',
    'DBA_CHG-42_20250131_observability',
    'DBA_CHG-42_20250131_evidence',
  ]);
  assert.equal(l.rollback, 'DBA_CHG-42_20250131_migrations/rollback');
});

test('safe relative paths stay inside the package', () => {
  assert.ok(isSafeRelativePath('DBA_x_migrations/rollback/a.sql'));
  for (const bad of ['', '/etc/passwd', '../x', 'a/../b', './a', 'a//b', 'a\\b', 'C:/x', 'a/']) assert.ok(!isSafeRelativePath(bad), bad);
});
