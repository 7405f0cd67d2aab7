// Tests for the manifest schema: strict keys, key-path errors, and stable serialisation.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { formatKeyPath, formatProblem, listedFiles, parseManifest, serializeManifest, validateManifest, type Manifest } from './manifest';

const base: Manifest = {
  briefId: 'CHG-1',
  date: '2025-01-31',
  spec: 'DBA_CHG-1_20250131_DB_SPEC.md',
  migrations: ['DBA_CHG-1_20250131_migrations/a.up.sql', 'DBA_CHG-1_20250131_migrations/rollback/a.down.sql'],
  perf: [],
  security: [],
  ha_dr: [],
  observability: [],
  evidence: [],
};

function problemsOf(value: unknown): string[] {
  const r = validateManifest(value);
  assert.equal(r.ok, false, 'expected the manifest to be rejected');
  return r.ok ? [] : r.problems.map(formatProblem);
}

describe('manifest schema', () => {
  test('a complete manifest is valid, with or without hashes', () => {
    assert.ok(validateManifest(base).ok);
    assert.ok(validateManifest({ ...base, hashes: { [base.spec]: 'a'.repeat(64) } }).ok);
  });

  test('every required key is required', () => {
    for (const key of Object.keys(base)) {
      const copy: Record<string, unknown> = { ...base };
      delete copy[key];
      assert.ok(
        problemsOf(copy).some((p) => p.startsWith(`${key}:`)),
        key,
      );
    }
  });

  test('unknown keys are errors at their own key path', () => {
    assert.deepEqual(problemsOf({ ...base, pref: [] }), ['pref: unknown key (check its spelling)']);
  });

  test('problems carry the key path of the offending value', () => {
    const p = problemsOf({ ...base, perf: ['ok.json', '../secret'], date: '2025-02-30', briefId: 'a b' });
    assert.ok(
      p.some((x) => x.startsWith('perf[1]: must be a path relative')),
      p.join('\n'),
    );
    assert.ok(
      p.some((x) => x.startsWith('date: must be a real date')),
      p.join('\n'),
    );
    assert.ok(
      p.some((x) => x.startsWith('briefId: invalid brief id')),
      p.join('\n'),
    );
    assert.ok(!p.some((x) => x.startsWith('perf[0]')));
  });

  test('hashes must be sha256 hex keyed by safe paths', () => {
    const p = problemsOf({ ...base, hashes: { [base.spec]: 'xyz', '/abs': 'a'.repeat(64) } });
    assert.ok(
      p.some((x) => x.startsWith('hashes["DBA_CHG-1_20250131_DB_SPEC.md"]: must be a sha256')),
      p.join('\n'),
    );
    assert.ok(
      p.some((x) => x.startsWith('hashes["/abs"]: invalid file path')),
      p.join('\n'),
    );
  });

  test('a file listed twice is reported where it repeats', () => {
    const p = problemsOf({ ...base, evidence: [base.migrations[0]] });
    assert.deepEqual(p, [`evidence[0]: "${base.migrations[0]}" is already listed at migrations[0]`]);
  });

  test('text that is not JSON is one problem at the root', () => {
    const r = parseManifest('{ "briefId": ');
    assert.ok(!r.ok && r.problems.length === 1 && formatProblem(r.problems[0]).startsWith('(manifest): not valid JSON'));
  });
});

test('key paths read like property access', () => {
  assert.equal(formatKeyPath(['perf', 1]), 'perf[1]');
  assert.equal(formatKeyPath(['hashes', 'a/b.sql']), 'hashes["a/b.sql"]');
  assert.equal(formatKeyPath([]), '(manifest)');
});

test('listed files: spec first, then sections in order, with their key paths', () => {
  assert.deepEqual(
    listedFiles(base).map((f) => [f.path, f.keyPath.join('.')]),
    [
      [base.spec, 'spec'],
      [base.migrations[0], 'migrations.0'],
      [base.migrations[1], 'migrations.1'],
    ],
  );
});

test('serialisation has a fixed key order and sorted hashes, and round-trips', () => {
  const m: Manifest = { ...base, hashes: { z: 'b'.repeat(64), a: 'a'.repeat(64) } };
  const text = serializeManifest(m);
  assert.deepEqual(Object.keys(JSON.parse(text)), [
    'briefId',
    'date',
    'spec',
    'migrations',
    'perf',
    'security',
    'ha_dr',
    'observability',
    'evidence',
    'hashes',
  ]);
  assert.deepEqual(Object.keys(JSON.parse(text).hashes), ['a', 'z']);
  const again = parseManifest(text);
  assert.ok(again.ok);
  assert.equal(serializeManifest(again.manifest), text);
});
