// psql meta-commands in SQL files: left out of the statements, listed apart, and reported only where psql does not run the file.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from '../config';
import { memoryFiles } from '../../testing/rule-test';
import { Workspace } from '../workspace/workspace';
import { reparse } from './incremental';
import { initParser, parseSql } from './parse';

before(initParser);

const SCRIPT = `\\set ON_ERROR_STOP on
\\connect app
CREATE TABLE notes (body text DEFAULT E'a\\\\b');
  \\i seed.sql
SELECT count(*) FROM notes \\gset
-- \\not a command
SELECT '\\x';
\\echo done`;

describe('psql meta-commands', () => {
  test('are listed apart and the SQL around them parses, a `\\gset` ending its statement', () => {
    const p = parseSql(SCRIPT);
    assert.deepEqual(p.errors, []);
    assert.deepEqual(
      p.statements.map((s) => s.text),
      ["CREATE TABLE notes (body text DEFAULT E'a\\\\b')", 'SELECT count(*) FROM notes', "SELECT '\\x'"],
    );
    assert.deepEqual(
      p.psqlCommands?.map((c) => SCRIPT.slice(c.start, c.end)),
      ['\\set ON_ERROR_STOP on', '\\connect app', '\\i seed.sql', '\\gset', '\\echo done'],
    );
    assert.deepEqual(
      p.psqlCommands?.map((c) => c.name),
      ['set', 'connect', 'i', 'gset', 'echo'],
    );
    assert.equal(parseSql('SELECT 1;').psqlCommands, undefined);
  });

  test('an edit to a file that holds some parses as the whole file does', () => {
    const edited = SCRIPT.replace('SELECT count(*)', 'SELECT max(body)');
    const fresh = parseSql(edited);
    const again = reparse(parseSql(SCRIPT), edited);
    assert.deepEqual(
      again.statements.map((s) => [s.start, s.text]),
      fresh.statements.map((s) => [s.start, s.text]),
    );
    assert.deepEqual(again.psqlCommands, fresh.psqlCommands);
    // A command typed into a file that had none.
    const typed = reparse(parseSql('SELECT 1;\nSELECT 2;\n'), 'SELECT 1;\n\\timing on\nSELECT 2;\n');
    assert.deepEqual(
      typed.psqlCommands?.map((c) => c.name),
      ['timing'],
    );
    assert.deepEqual(typed.errors, []);
  });

  test('a syntax error where the runner is not psql; nothing for sqitch and plain SQL files, which psql runs', () => {
    const files = {
      'db/migrations/1_notes.up.sql': '\\set ON_ERROR_STOP on\nCREATE TABLE notes (id int);\n',
      'db/migrations/1_notes.down.sql': 'DROP TABLE notes;\n',
      'sqitch/sqitch.plan': '%syntax-version=1.0.0\n%project=app\n\nnotes 2024-01-01T00:00:00Z A <a@b.c> # notes\n',
      'sqitch/deploy/notes.sql': '\\set ON_ERROR_STOP on\nBEGIN;\nCREATE TABLE sq_notes (id int);\nCOMMIT;\n',
      'sqitch/revert/notes.sql': 'DROP TABLE sq_notes;\n',
      'docker/init.sql': '\\connect app\nCREATE TABLE init_notes (id int);\n',
    };
    const config = configSchema.parse({});
    const ws = new Workspace({ files: memoryFiles(files), configFor: () => config });
    const errors = (path: string) => ws.analyze(path).filter((f) => f.rule === 'syntax-error');
    const [f] = errors('db/migrations/1_notes.up.sql');
    assert.match(f.message, /\\set is a psql meta-command, and golang-migrate sends migrations to PostgreSQL without psql/);
    assert.equal(files['db/migrations/1_notes.up.sql'].slice(f.start, f.end), '\\set ON_ERROR_STOP on');
    assert.deepEqual(errors('sqitch/deploy/notes.sql'), []);
    assert.deepEqual(errors('docker/init.sql'), []);
    // The statements after the commands build the catalog.
    assert.ok(ws.catalog('docker/init.sql').tables.has('public.init_notes'));
  });
});

describe('placeholders a runner fills in', () => {
  const findings = (files: Record<string, string>, path: string) => {
    const config = configSchema.parse({});
    const ws = new Workspace({ files: memoryFiles(files), configFor: () => config });
    return ws.analyze(path).filter((f) => f.rule === 'syntax-error');
  };

  test("psql variables in a file psql may run, and Flyway's ${…} in a Flyway migration: not analysed, said at info level", () => {
    const script =
      'CREATE SCHEMA IF NOT EXISTS :"schema";\nGRANT USAGE ON SCHEMA app TO :role;\nCOMMENT ON SCHEMA app IS :\'note\';\nCREATE TABLE t (id int);\n';
    const psql = findings({ 'db/init.sql': script }, 'db/init.sql');
    assert.deepEqual(
      psql.map((f) => [f.severity, script.slice(f.start, f.end)]),
      [
        ['info', ':"schema"'],
        ['info', ':role'],
        ['info', ":'note'"],
      ],
    );
    assert.match(psql[0].message, /^Not analysed: :"schema" is filled in by psql \(or the code that runs this file\) before PostgreSQL sees/);
    const v1 = 'CREATE TABLE ${schema}.users (id int);\nCREATE TABLE b (id int);\n';
    const [f] = findings({ 'src/main/resources/db/migration/V1__init.sql': v1 }, 'src/main/resources/db/migration/V1__init.sql');
    assert.deepEqual([f.severity, v1.slice(f.start, f.end)], ['info', '${schema}']);
    assert.match(f.message, /is filled in by Flyway/);
  });

  test('still syntax errors where the runner sends the text as it is', () => {
    const [f] = findings({ 'migrations/1_a.up.sql': 'GRANT SELECT ON t TO :role;\n', 'migrations/1_a.down.sql': 'SELECT 1;' }, 'migrations/1_a.up.sql');
    assert.equal(f.severity, 'error');
    // `${…}` outside Flyway is no placeholder either.
    const [g] = findings({ 'db/init.sql': 'CREATE TABLE ${schema}.users (id int);\n' }, 'db/init.sql');
    assert.equal(g.severity, 'error');
  });
});
