// Which statements reach outside their database: flagged and clean examples, so a rehearsal refuses exactly these.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { initParser } from '../parse/parse';
import { clusterWideStatements } from './cluster-wide';

before(async () => {
  await initParser();
});

const whatOf = (sql: string) => clusterWideStatements(sql).map((s) => s.what);

describe('cluster-wide statements', () => {
  test('roles, role settings, comments, membership, tablespaces, ALTER SYSTEM and database-level statements are flagged', () => {
    const flagged: [string, string][] = [
      ['CREATE ROLE app_ro', 'creates a role'],
      ['CREATE USER app', 'creates a role'],
      ['CREATE GROUP staff', 'creates a role'],
      ["ALTER ROLE app WITH PASSWORD 'x'", "changes a role's attributes"],
      ["ALTER ROLE app SET work_mem = '64MB'", "sets a role's configuration"],
      ['ALTER USER app IN DATABASE app SET search_path = app', "sets a role's configuration"],
      ['DROP ROLE IF EXISTS app', 'drops a role'],
      ['DROP USER app', 'drops a role'],
      ["COMMENT ON ROLE app IS 'the app'", 'comments on a role'],
      ['GRANT app_ro TO app', 'grants a role membership'],
      ['REVOKE app_ro FROM app', 'revokes a role membership'],
      ['ALTER ROLE app RENAME TO app2', 'renames a role'],
      ["CREATE TABLESPACE fast LOCATION '/ssd'", 'creates a tablespace'],
      ['ALTER TABLESPACE fast SET (random_page_cost = 1.1)', "changes a tablespace's options"],
      ['DROP TABLESPACE fast', 'drops a tablespace'],
      ["ALTER SYSTEM SET work_mem = '64MB'", 'changes the server configuration (postgresql.auto.conf)'],
      ['CREATE DATABASE other', 'creates a database'],
      ['ALTER DATABASE app SET timezone = UTC', "sets a database's configuration"],
      ['ALTER DATABASE app CONNECTION LIMIT 5', 'changes a database'],
      ['ALTER DATABASE app OWNER TO app', 'changes the owner of a database'],
      ['GRANT CONNECT ON DATABASE app TO app_ro', 'changes privileges on a database'],
      ["COMMENT ON DATABASE app IS 'x'", 'comments on a database'],
      ['GRANT SET ON PARAMETER work_mem TO app', 'changes privileges on a server parameter'],
      ['REASSIGN OWNED BY app TO postgres', 'reassigns the ownership of shared objects'],
      ['DROP OWNED BY app', 'revokes privileges on shared objects'],
    ];
    for (const [sql, what] of flagged) assert.deepEqual(whatOf(sql), [what], sql);
  });

  test('statements whose effect stays in the database are not flagged', () => {
    const clean = [
      'CREATE TABLE t (id int)',
      'GRANT SELECT ON t TO app_ro',
      'REVOKE ALL ON SCHEMA public FROM PUBLIC',
      "COMMENT ON TABLE t IS 'x'",
      'ALTER TABLE t OWNER TO app',
      'ALTER DEFAULT PRIVILEGES FOR ROLE app GRANT SELECT ON TABLES TO app_ro',
      "SET work_mem = '64MB'",
      'SET ROLE app',
      'CREATE SCHEMA s AUTHORIZATION app',
      'ALTER TABLE t RENAME TO u',
    ];
    for (const sql of clean) assert.deepEqual(whatOf(sql), [], sql);
  });

  test('a DO block creating a role, statically or through EXECUTE of a literal, is flagged; one that does not is not', () => {
    const guarded = "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'app') THEN CREATE ROLE app; END IF; END $$";
    assert.deepEqual(whatOf(guarded), ['runs a DO block that creates a role']);
    assert.deepEqual(whatOf("DO $$ BEGIN EXECUTE 'ALTER ROLE app SET work_mem = ''1MB'''; END $$"), ["runs a DO block that sets a role's configuration"]);
    assert.deepEqual(whatOf("DO $$ BEGIN PERFORM 1; UPDATE t SET a = 1; RAISE NOTICE 'x'; END $$"), []);
  });

  test('positions point at each statement', () => {
    const sql = 'CREATE TABLE t (id int);\nCREATE ROLE r;\n';
    const [s] = clusterWideStatements(sql);
    assert.equal(sql.slice(s.start, s.end), 'CREATE ROLE r');
  });
});
