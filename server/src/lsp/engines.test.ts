// Tests for chooseEngine: settings beat pgdba.json, which beats PGlite; the editor's host allow-list always applies.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { defaultConfig, defaultEditorSettings } from '../core/config';
import { chooseEngine } from './engines';

test('pgdba.database.url wins over pgdba.json', () => {
  const s = defaultEditorSettings();
  s.database.url = 'postgresql://me@localhost/app';
  const c = defaultConfig();
  c.database = { url: 'postgresql://other@localhost/x', allowedHosts: ['localhost'], statementTimeoutMs: 100 };
  const choice = chooseEngine(s, c, '/ws/pgdba.json');
  assert.equal(choice.kind, 'pg');
  assert.equal(choice.kind === 'pg' && choice.settings.url, 'postgresql://me@localhost/app');
  assert.equal(choice.kind === 'pg' && choice.source, 'settings');
});

test('pgdba.json database is used when the setting is empty, with the editor allow-list, not its own', () => {
  const s = defaultEditorSettings();
  const c = defaultConfig();
  c.database = { host: 'db.internal', database: 'app', allowedHosts: ['db.internal'], statementTimeoutMs: 2000 };
  const choice = chooseEngine(s, c, '/ws/pgdba.json');
  assert.equal(choice.kind, 'pg');
  if (choice.kind !== 'pg') return;
  assert.equal(choice.source, '/ws/pgdba.json');
  assert.equal(choice.settings.host, 'db.internal');
  assert.equal(choice.settings.statementTimeoutMs, 2000);
  assert.deepEqual(choice.settings.allowedHosts, ['localhost', '127.0.0.1', '::1']);
});

test('without a database anywhere the engine is PGlite', () => {
  const c = defaultConfig();
  c.database = { allowedHosts: ['x'], statementTimeoutMs: 5000 };
  assert.deepEqual(chooseEngine(defaultEditorSettings(), c), { kind: 'pglite', statementTimeoutMs: 5000 });
});
