// Tests for the project model: detected, sqlc and configured projects, schema files, query ownership and the source list.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from '../config';
import { memoryWorkspaceFiles } from '../migrations';
import { initParser, parseSql } from '../parse/parse';
import { Workspace } from '../workspace/workspace';
import { buildProjects } from './detect';
import { schemaSources, sourceSql } from './sources';

before(() => initParser());

const model = (tree: Record<string, string>, projects: unknown[] = []) => buildProjects(memoryWorkspaceFiles(tree), configSchema.parse({ projects }).projects);
const summary = (m: ReturnType<typeof model>) => m.projects.map((p) => [p.name, p.layout, p.migrations.length, p.schema, p.queries]);

describe('detected projects', () => {
  const monorepo = {
    'services/api/migrations/1_accounts.up.sql': 'create table accounts (id int);',
    'services/api/migrations/1_accounts.down.sql': 'drop table accounts;',
    'services/api/queries/accounts.sql': 'select * from accounts;',
    'services/web/migrations/1_pages.up.sql': 'create table pages (id int);',
    'services/web/migrations/1_pages.down.sql': 'drop table pages;',
    'services/web/db/schema.sql': 'create table pages (id int); create table drafts (id int);',
    'services/web/pages.sql': 'select * from pages;',
    'tools/report.sql': 'delete from everything;',
  };

  test('each migrations folder roots a project; a query file joins the nearest one; a tie joins none', () => {
    assert.deepEqual(summary(model(monorepo)), [
      ['services/api/migrations', 'golang-migrate', 1, [], ['services/api/queries/accounts.sql']],
      ['services/web/migrations', 'golang-migrate', 1, [], ['services/web/db/schema.sql', 'services/web/pages.sql']],
      ['(unassigned)', 'plain', 0, [], ['tools/report.sql']],
    ]);
  });

  test('a query file is analysed against its own project only', () => {
    const config = configSchema.parse({});
    const ws = new Workspace({ files: memoryWorkspaceFiles(monorepo), configFor: () => config });
    const api = ws.catalog('services/api/queries/accounts.sql');
    assert.ok(api.tables.has('public.accounts'));
    assert.ok(!api.tables.has('public.pages'), 'the web project stays out of the api catalog');
    assert.ok(ws.catalog('services/web/pages.sql').tables.has('public.pages'));
    assert.deepEqual([...ws.catalog('tools/report.sql').tables.keys()], []);
  });

  test('db/schema.sql and structure.sql beside the migrations folder are schema files, built after the migrations', () => {
    const m = model({
      'db/migrations/20240101000000_a.sql': '-- migrate:up\ncreate table a (id int);\n-- migrate:down\ndrop table a;\n',
      'db/schema.sql': 'create table a (id int); create table b (id int);',
      'db/queries.sql': 'select * from b;',
    });
    const [p] = m.projects;
    assert.deepEqual([p.layout, p.schema, p.queries], ['dbmate', ['db/schema.sql'], ['db/queries.sql']]);
    assert.deepEqual(
      schemaSources(p).map((s) => [s.path, s.kind]),
      [
        ['db/migrations/20240101000000_a.sql', 'migration'],
        ['db/schema.sql', 'schema'],
      ],
    );
  });

  test('a folder of plain SQL builds its schema from CREATE statements only, never from DELETE', () => {
    const tree = {
      'schema.sql': 'create table t (id int);',
      'queries.sql': 'select 1;\ndelete from t;\ninsert into t values (1);\ncreate view v as select * from t;\n',
    };
    const [p] = model(tree).projects;
    assert.equal(p.name, '.');
    const sqls = schemaSources(p).map((s) => sourceSql(s, tree[s.path as keyof typeof tree], parseSql(tree[s.path as keyof typeof tree])));
    const all = sqls.join('\n');
    assert.doesNotMatch(all, /delete|insert|select 1/i);
    assert.match(all, /create view v as select \* from t/);
    // Positions survive: the view sits where it sits in the file.
    assert.equal(sqls[0].indexOf('create view'), tree['queries.sql'].indexOf('create view'));
    assert.deepEqual(
      parseSql(sqls[0]).statements.map((s) => s.kind),
      ['ViewStmt'],
    );
  });

  test('a migrations folder whose names no tool uses is listed as plain SQL, with a note', () => {
    const m = model({ 'db/migrations/create_users.sql': 'create table users (id int);', 'db/migrations/add_email.sql': 'alter table users add email text;' });
    assert.deepEqual(summary(m), [['db/migrations', 'plain', 2, [], []]]);
    assert.match(m.projects[0].notes[0], /no known migration layout/);
    assert.deepEqual(
      m.projects[0].migrations.map((x) => x.name),
      ['add_email', 'create_users'],
    );
  });
});

describe('sqlc projects', () => {
  test('sqlc.yaml names the schema and query files of a project', () => {
    const m = model({
      'app/sqlc.yaml':
        'version: "2"\nsql:\n  - engine: "postgresql"\n    schema: "db/schema"\n    queries: ["db/query"]\n    gen: { go: { package: db, out: db } }\n  - engine: "sqlite"\n    schema: "lite.sql"\n    queries: "lite_q.sql"\n',
      'app/db/schema/001_authors.sql': 'create table authors (id bigserial primary key, name text);',
      'app/db/schema/002_books.sql': 'create table books (id bigserial primary key, author_id bigint);',
      'app/db/query/authors.sql': '-- name: GetAuthor :one\nselect * from authors where id = $1;',
      'app/lite.sql': 'create table x (id integer);',
      'app/lite_q.sql': 'select * from x;',
    });
    const p = m.projects.find((x) => x.layout === 'sqlc' || x.queries.includes('app/db/query/authors.sql'));
    assert.ok(p, JSON.stringify(summary(m)));
    // A schema folder of numbered files is also a migrations folder: sqlc's queries join that project.
    assert.deepEqual(p.queries, ['app/db/query/authors.sql']);
    assert.deepEqual(
      schemaSources(p).map((s) => s.path),
      ['app/db/schema/001_authors.sql', 'app/db/schema/002_books.sql'],
    );
    assert.deepEqual(m.problems, []);
  });

  test('a sqlc.json with schema files only makes a sqlc project; the sqlite entry is not ours', () => {
    const m = model({
      'sqlc.json': JSON.stringify({
        version: '1',
        packages: [{ name: 'db', path: 'db', schema: './schema.sql', queries: './query.sql', engine: 'postgresql' }],
      }),
      'schema.sql': 'create table authors (id int);',
      'query.sql': 'select * from authors;',
    });
    assert.deepEqual(summary(m), [['db', 'sqlc', 0, ['schema.sql'], ['query.sql']]]);
  });

  test('a broken sqlc file is a problem, not a crash', () => {
    const m = model({ 'sqlc.yaml': 'version: "2"\nsql: [ {engine: postgresql, schema: 1 }\n', 'q.sql': 'select 1;' });
    assert.equal(m.problems.length, 1);
    assert.match(m.problems[0].message, /sqlc\.yaml/);
  });
});

describe('configured projects', () => {
  test('pgdba.json projects claim their migrations, schema files and query globs', () => {
    const m = model(
      {
        'svc/api/migrations/0001_init.up.sql': 'create table a (id int);',
        'svc/api/sql/a.sql': 'select * from a;',
        'svc/api/schema/extra.sql': 'create table extra (id int);',
        'legacy/changes/first.sql': 'create table l (id int);',
        'legacy/changes/second.sql': 'alter table l add c int;',
      },
      [
        { name: 'api', migrations: 'svc/api/migrations', schema: ['svc/api/schema/extra.sql'], queries: ['svc/api/**/*.sql'] },
        { name: 'legacy', migrations: 'legacy/changes' },
      ],
    );
    assert.deepEqual(summary(m), [
      ['api', 'golang-migrate', 1, ['svc/api/schema/extra.sql'], ['svc/api/sql/a.sql']],
      ['legacy', 'plain', 2, [], []],
    ]);
    assert.match(m.projects[1].notes[0], /listed as plain SQL/);
  });
});
