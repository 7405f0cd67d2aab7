import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from '../config';
import { Workspace } from '../workspace/workspace';
import { checkDocsExamples, expectClean, expectFlags, memoryFiles, ready, recordingRule, type RuleTestOptions } from '../../testing/rule-test';
import rule from './missing-dependency';

before(ready);
const m: RuleTestOptions = { file: 'migration' };

describe('missing-dependency', () => {
  test('docs examples', () => checkDocsExamples(rule));

  test('points at the missing relation, in CREATE TABLE, ALTER TABLE and CREATE INDEX', () => {
    const sql = 'CREATE TABLE t (id int, nid uuid REFERENCES public.networks (id));';
    const [f] = expectFlags(rule, sql, m);
    assert.equal(sql.slice(f.start, f.end), 'public.networks');
    assert.match(f.message, /relation "public\.networks" does not exist/);
    const alter = 'ALTER TABLE orders ADD CONSTRAINT orders_owner_fk FOREIGN KEY (owner) REFERENCES owners (id);';
    const [g] = expectFlags(rule, alter, { ...m, schema: 'CREATE TABLE orders (id int, owner int);' });
    assert.equal(alter.slice(g.start, g.end), 'owners');
    expectFlags(rule, 'CREATE INDEX ON ghosts (id);', m);
    expectFlags(rule, "CREATE TABLE p_2026 PARTITION OF p FOR VALUES FROM ('2026-01-01') TO ('2027-01-01');", m);
  });

  test('an operator class whose extension no migration creates; quiet once it is created, or for built-in classes', () => {
    const sql = 'CREATE INDEX d_name ON d USING gist (name gist_trgm_ops);';
    const [f] = expectFlags(rule, sql, { ...m, schema: 'CREATE TABLE d (name text);' });
    assert.equal(sql.slice(f.start, f.end), 'gist_trgm_ops');
    assert.match(f.message, /extension pg_trgm/);
    expectClean(rule, sql, { ...m, schema: 'CREATE EXTENSION pg_trgm;\nCREATE TABLE d (name text);' });
    expectClean(rule, 'CREATE INDEX d_name ON d (name text_pattern_ops);', { ...m, schema: 'CREATE TABLE d (name text);' });
    expectClean(rule, 'CREATE INDEX d_tags ON d USING gin (tags jsonb_path_ops);', { ...m, schema: 'CREATE TABLE d (tags jsonb);' });
  });

  test("Supabase: the platform's schemas (auth, storage…) are there before the first migration; elsewhere they are not", () => {
    const sql =
      'create table public.profiles (id uuid primary key references auth.users on delete cascade);\n' +
      'create table public.avatars (id uuid primary key, bucket text references storage.buckets (id));\n' +
      'create table public.orders (id int primary key, customer int references public.customers (id));\n';
    const findings = (path: string) => {
      const config = configSchema.parse({});
      const workspace = new Workspace({ files: memoryFiles({ [path]: sql }), configFor: () => config, rules: [recordingRule(rule)] });
      return workspace
        .analyze(path)
        .filter((f) => f.rule === rule.id)
        .map((f) => sql.slice(f.start, f.end));
    };
    // The project's own missing table is still reported in a Supabase migration; the platform's are not.
    assert.deepEqual(findings('supabase/migrations/20240101000000_init.sql'), ['public.customers']);
    assert.deepEqual(findings('db/migrations/20240101000000_init.up.sql'), ['auth.users', 'storage.buckets', 'public.customers']);
  });

  test('quiet on what exists, on self-references, IF EXISTS, and what something pgdba cannot see may create', () => {
    expectClean(rule, 'CREATE TABLE tree (id int PRIMARY KEY, parent int REFERENCES tree);', m);
    expectClean(rule, 'ALTER TABLE IF EXISTS gone ADD COLUMN x int;', m);
    expectClean(rule, 'CREATE TABLE t (id int, nid uuid REFERENCES networks (id));', {
      ...m,
      schema: "DO $$ BEGIN EXECUTE 'CREATE TABLE networks (id uuid PRIMARY KEY)'; END $$;",
    });
    expectClean(rule, 'CREATE TABLE t (id int, place int REFERENCES spatial_things (id));', { ...m, schema: 'CREATE EXTENSION postgis;' });
    expectClean(rule, 'CREATE TABLE t (id int, nid uuid REFERENCES networks (id));', { ...m, schema: 'CREATE TABLE networks (id uuid PRIMARY KEY);' });
  });

  test('statements refused only because a refused statement did not make their table are not reported again', () => {
    const findings = expectFlags(
      rule,
      'CREATE TABLE t (id int, nid uuid REFERENCES networks (id));\nCREATE INDEX t_nid ON t (nid);\nALTER TABLE t ADD COLUMN x int;\nALTER TABLE t RENAME TO t2;\nALTER TABLE t2 ADD COLUMN y int;',
      m,
    );
    assert.equal(findings.length, 1);
  });

  test("a migration tool's own bookkeeping table exists before the first migration", () => {
    expectClean(rule, 'ALTER TABLE schema_migrations ADD COLUMN data_version int;', m);
  });

  test('quiet after dynamic SQL the catalog cannot see: a DO block or a called function that EXECUTEs a built string', () => {
    const makes =
      "CREATE FUNCTION make_partition(d date) RETURNS void LANGUAGE plpgsql AS $$ BEGIN EXECUTE format('CREATE TABLE events_%s PARTITION OF events FOR VALUES FROM (%L) TO (%L)', to_char(d, 'YYYY_MM'), d, d + interval '1 month'); END $$;";
    const schema = `CREATE TABLE events (at date) PARTITION BY RANGE (at);\n${makes}`;
    expectClean(rule, "SELECT make_partition('2026-01-01');\nCREATE INDEX ON events_2026_01 (at);", { ...m, schema });
    expectClean(rule, "DO $$ BEGIN EXECUTE 'CREATE TABLE ' || 'dyn' || ' (id int)'; END $$;\nCREATE INDEX ON dyn (id);", m);
    // Without the call, the table is not there.
    expectFlags(rule, 'CREATE INDEX ON events_2026_01 (at);', { ...m, schema });
  });

  test('tables made by CREATE SCHEMA … CREATE TABLE exist for later statements', () => {
    expectClean(rule, 'CREATE SCHEMA app CREATE TABLE users (id int PRIMARY KEY);\nCREATE TABLE orders (id int, user_id int REFERENCES app.users (id));', m);
  });

  test('schema files and query files are not checked: their order is a guess', () => {
    expectClean(rule, 'CREATE TABLE a (id int, b_id int REFERENCES b (id));\nCREATE TABLE b (id int PRIMARY KEY);');
  });
});
