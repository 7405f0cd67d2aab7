import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from '../config';
import { memoryFiles, ready } from '../../testing/rule-test';
import { Workspace } from './workspace';

before(ready);

function workspace(files: Record<string, string>): Workspace {
  const config = configSchema.parse({});
  return new Workspace({ files: memoryFiles(files), configFor: () => config });
}

describe('Workspace.catalog', () => {
  const files = { 'schema.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY);', 'queries.sql': 'SELECT 1;' };

  test('is reused while no text changes, and follows DDL edits', () => {
    const ws = workspace(files);
    const first = ws.catalog();
    assert.equal(ws.catalog(), first);
    ws.setOverlay('schema.sql', 'CREATE TABLE accounts (id bigint PRIMARY KEY, name text);');
    const second = ws.catalog();
    assert.notEqual(second, first);
    assert.ok(second.tables.get('public.accounts')?.columns.has('name'));
    assert.equal(ws.catalog(), second);
  });

  test('is kept across edits that change no DDL', () => {
    const ws = workspace(files);
    const first = ws.catalog();
    ws.setOverlay('queries.sql', 'SELECT 2;');
    assert.equal(ws.catalog(), first);
    ws.setOverlay('schema.sql', '-- a comment\nCREATE TABLE accounts (id bigint PRIMARY KEY);');
    // The statement moved: catalog locations change, so the catalog is built again.
    assert.notEqual(ws.catalog(), first);
  });

  test('follows files changing on disk once told', () => {
    const disk: Record<string, string> = { ...files };
    const ws = workspace(disk);
    const first = ws.catalog();
    disk['schema.sql'] = 'CREATE TABLE users (id bigint PRIMARY KEY);';
    ws.fileChanged('schema.sql');
    const second = ws.catalog();
    assert.notEqual(second, first);
    assert.ok(second.tables.has('public.users'));
  });
});
