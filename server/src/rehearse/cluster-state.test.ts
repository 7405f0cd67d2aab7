// The undo SQL for cluster-wide changes, from two snapshots: what a rehearsal created is dropped, what it changed is put back.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { clusterUndo, type ClusterState } from './cluster-state';

const ATTRS = "NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS CONNECTION LIMIT -1 VALID UNTIL 'infinity'";

function state(over: Partial<ClusterState> = {}): ClusterState {
  return {
    roles: new Map([['10', { oid: '10', name: 'postgres', attrs: ATTRS, password: 'SCRAM-SHA-256$x' }]]),
    settings: new Map(),
    comments: new Map(),
    members: new Map(),
    tablespaces: new Map([['1663', { oid: '1663', name: 'pg_default', owner: 'postgres', location: '', options: [] }]]),
    databases: new Map([['5', { oid: '5', name: 'postgres' }]]),
    system: new Map(),
    ...over,
  };
}

describe('clusterUndo', () => {
  test('no change, no SQL', () => {
    assert.deepEqual(clusterUndo(state(), state()), { statements: [], impossible: [] });
  });

  test('created objects are dropped, changed ones put back, in dependency order', () => {
    const before = state({ settings: new Map([['/postgres', { db: null, role: 'postgres', config: ['search_path="$user", public', 'work_mem=4MB'] }]]) });
    const after = state({
      roles: new Map([...before.roles, ['20', { oid: '20', name: 'app', attrs: ATTRS, password: null }]]),
      members: new Map([['app\u0000postgres', false]]),
      tablespaces: new Map([...before.tablespaces, ['30', { oid: '30', name: 'fast', owner: 'postgres', location: '/ssd', options: [] }]]),
      databases: new Map([...before.databases, ['40', { oid: '40', name: 'other' }]]),
      settings: new Map([['/postgres', { db: null, role: 'postgres', config: ['work_mem=64MB'] }]]),
      comments: new Map([['ROLE:postgres', 'changed']]),
      system: new Map([['work_mem', '32MB']]),
    });
    assert.deepEqual(clusterUndo(before, after).statements, [
      'DROP DATABASE IF EXISTS "other" WITH (FORCE)',
      'DROP TABLESPACE IF EXISTS "fast"',
      'REVOKE "app" FROM "postgres"',
      'DROP ROLE IF EXISTS "app"',
      'ALTER ROLE "postgres" RESET ALL',
      `ALTER ROLE "postgres" SET "search_path" TO '$user', 'public'`,
      `ALTER ROLE "postgres" SET "work_mem" TO '4MB'`,
      'COMMENT ON ROLE "postgres" IS NULL',
      'ALTER SYSTEM RESET "work_mem"',
      'SELECT pg_reload_conf()',
    ]);
  });

  test('a renamed or altered role is renamed back and its attributes and password restored; a dropped database cannot be', () => {
    const before = state();
    const after = state({
      roles: new Map([['10', { oid: '10', name: 'pg2', attrs: ATTRS.replace('NOCREATEDB', 'CREATEDB'), password: null }]]),
      databases: new Map(),
    });
    const undo = clusterUndo(before, after);
    assert.deepEqual(undo.statements, [
      'ALTER ROLE "pg2" RENAME TO "postgres"',
      `ALTER ROLE "postgres" WITH ${ATTRS}`,
      `ALTER ROLE "postgres" PASSWORD 'SCRAM-SHA-256$x'`,
    ]);
    assert.deepEqual(undo.impossible, ['database postgres was dropped; its data cannot be restored']);
  });
});
