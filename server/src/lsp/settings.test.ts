// Tests for editor settings: validation key by key (never coerced), and the per-resource cache that announces problems once.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SettingsStore, validateEditorSettings } from './settings';

test('a bad value falls back to its default alone and is reported by its setting name', () => {
  const { settings, problems } = validateEditorSettings({
    explain: { hover: false, hoverDelayMs: 'slow' },
    database: { url: 'postgresql://localhost/app' },
    bogus: 1,
  });
  assert.equal(settings.explain.hover, false);
  assert.equal(settings.explain.hoverDelayMs, 300);
  assert.equal(settings.database.url, 'postgresql://localhost/app');
  assert.ok(
    problems.some((p) => p.startsWith('pgdba.explain.hoverDelayMs:')),
    problems.join('\n'),
  );
  assert.ok(problems.includes('unknown setting pgdba.bogus'), problems.join('\n'));
});

test('settings are fetched once per resource, problems announced once, and a clear fetches again', async () => {
  let fetches = 0;
  const warnings: string[] = [];
  const store = new SettingsStore(
    async () => {
      fetches++;
      return { explain: { planDiagnostics: 'yes' } };
    },
    (m) => warnings.push(m),
  );
  assert.equal(store.peek('file:///a'), undefined);
  assert.equal((await store.get('file:///a')).explain.planDiagnostics, false);
  await store.get('file:///a');
  await store.get('file:///b');
  assert.equal(fetches, 2);
  assert.equal(warnings.length, 1, warnings.join('\n'));
  assert.match(warnings[0], /pgdba\.explain\.planDiagnostics/);
  assert.ok(store.peek('file:///a'));
  store.clear();
  assert.equal(store.peek('file:///a'), undefined);
  await store.get('file:///a');
  assert.equal(fetches, 3);
});

test('one bad element in a list setting resets that setting alone; the others keep their values', () => {
  const { settings, problems } = validateEditorSettings({ explain: { hover: false }, database: { allowedHosts: ['localhost', 5], statementTimeoutMs: 900 } });
  assert.equal(settings.explain.hover, false, 'the plan hover stays off');
  assert.equal(settings.database.statementTimeoutMs, 900);
  assert.deepEqual(settings.database.allowedHosts, ['localhost', '127.0.0.1', '::1']);
  assert.equal(problems.length, 1, problems.join('\n'));
  assert.match(problems[0], /^pgdba\.database\.allowedHosts\.1: /);
});
