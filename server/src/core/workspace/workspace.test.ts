import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from '../config';
import { memoryFiles, ready } from '../../testing/rule-test';
import { Workspace } from './workspace';
import { rules as allRules } from '../rules';
import type { Rule } from '../rules/rule';
import { HANDLE_NEW_USER } from '../../testing/supabase';

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

  test('follows edits a migration runs into the catalog without DDL of its own (DO blocks), not plain queries', () => {
    const up = 'migrations/001_audit.up.sql';
    const guarded = (name: string) =>
      `DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_tables WHERE tablename = '${name}') THEN CREATE TABLE ${name} (id int); END IF; END $$;\n`;
    const ws = workspace({ [up]: guarded('audit'), 'migrations/001_audit.down.sql': 'DROP TABLE audit;\n' });
    const first = ws.catalog(up);
    assert.ok(first.tables.has('public.audit'));
    ws.setOverlay(up, guarded('audit_log'));
    const second = ws.catalog(up);
    assert.ok(second.tables.has('public.audit_log') && !second.tables.has('public.audit'), 'the edited DO block is what the catalog holds');
    ws.setOverlay(up, `${guarded('audit_log')}SELECT 1;\n`);
    assert.equal(ws.catalog(up), second, 'a query calling no function changes nothing');
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

describe('Workspace.analyze and kept rule results (singlePass)', () => {
  const files = {
    'schema.sql': 'CREATE TABLE accounts (id bigint PRIMARY KEY, tenant_id bigint);',
    'queries.sql': 'SELECT * FROM accounts;\nDELETE FROM accounts;\nUPDATE accounts SET tenant_id = 1 WHERE id = 2;',
  };
  /** The workspace's rules plus one that counts the statements it is asked about. */
  const counting = () => {
    const seen = { statements: 0 };
    const counter: Rule = {
      ...allRules.find((r) => r.id === 'unbounded-write')!,
      id: 'counting',
      check: undefined,
      checkStatement: () => void seen.statements++,
    };
    return { seen, rules: [...allRules, counter] };
  };
  const make = (rules: readonly Rule[], singlePass?: boolean) => {
    const config = configSchema.parse({ rules: { counting: 'on' } });
    return new Workspace({ files: memoryFiles(files), configFor: () => config, rules, singlePass });
  };

  test('an editor workspace checks a statement again only when it changed; a one-shot one keeps nothing', () => {
    const kept = counting();
    const editor = make(kept.rules);
    editor.analyze('queries.sql');
    assert.equal(kept.seen.statements, 3);
    editor.analyze('queries.sql');
    assert.equal(kept.seen.statements, 3, 'kept results are reused');

    const once = counting();
    const cli = make(once.rules, true);
    cli.analyze('queries.sql');
    cli.analyze('queries.sql');
    assert.equal(once.seen.statements, 6, 'nothing kept: each analysis checks every statement');
  });

  test('the findings are the same either way', () => {
    const findings = (ws: Workspace) => ['schema.sql', 'queries.sql'].flatMap((f) => ws.analyze(f));
    const kept = findings(make(allRules));
    assert.ok(kept.length >= 2, 'the queries have findings');
    assert.deepEqual(findings(make(allRules, true)), kept);
  });
});

describe('a single pass builds the catalog with the partial-rollback check', () => {
  const dir = (n: number) => `migrations/2020-01-0${n}-000000_m${n}`;
  const files: Record<string, string> = {
    [`${dir(1)}/up.sql`]: "CREATE TABLE users (id bigserial PRIMARY KEY, email text UNIQUE);\nCREATE TYPE mood AS ENUM ('ok', 'sad');",
    [`${dir(1)}/down.sql`]: 'DROP TABLE users;\nDROP TYPE mood;',
    [`${dir(2)}/up.sql`]: 'ALTER TABLE users ADD COLUMN mood mood;\nCREATE TABLE orders (id bigint PRIMARY KEY, user_id bigint REFERENCES users);',
    [`${dir(2)}/down.sql`]: 'DROP TABLE orders;',
    [`${dir(3)}/up.sql`]: 'ALTER TABLE users RENAME COLUMN email TO mail;\nCREATE VIEW mails AS SELECT * FROM users;',
    [`${dir(4)}/up.sql`]: "DROP VIEW mails;\nALTER TYPE mood ADD VALUE 'glad';\nCREATE INDEX orders_user ON orders (user_id);",
    [`${dir(4)}/down.sql`]: 'DROP INDEX orders_user;\nCREATE VIEW mails AS SELECT * FROM users;',
    'schema/extra.sql': 'CREATE TABLE audit (id int, at timestamptz);',
    'queries/users.sql': 'SELECT * FROM users;\nDELETE FROM orders;\nSELECT id FROM audit;',
  };
  const make = (singlePass: boolean) => {
    const config = configSchema.parse({ projects: [{ name: 'app', migrations: 'migrations', schema: ['schema/extra.sql'], queries: ['queries/*.sql'] }] });
    return new Workspace({ files: memoryFiles(files), configFor: () => config, singlePass });
  };

  test('the same catalog and the same findings as an editor workspace, with each migration checked', () => {
    const editor = make(false);
    const single = make(true);
    const paths = editor.sqlFiles();
    assert.ok(paths.length >= 8);
    // Copies made by the pass may spell an absent field as `undefined`: compared as JSON (maps and sets as lists).
    const json = (c: unknown) => JSON.stringify(c, (_k, v: unknown) => (v instanceof Map || v instanceof Set ? [...v] : v));
    assert.equal(json(single.catalog('queries/users.sql')), json(editor.catalog('queries/users.sql')));
    assert.ok(single.catalog('queries/users.sql').tables.has('public.audit'), 'the schema file is applied after the migrations');
    const findings = (ws: Workspace) => paths.flatMap((p) => ws.analyze(p));
    const expected = findings(editor);
    assert.ok(
      expected.some((f) => f.rule === 'missing-rollback'),
      'the fixture has rollback findings',
    );
    assert.deepEqual(findings(single), expected);
  });
});

describe('a Supabase project starts from the platform schema', () => {
  const files: Record<string, string> = {
    'supabase/migrations/20240101000000_profiles.sql': `create table public.profiles (id uuid primary key references auth.users on delete cascade, username text);
alter table public.profiles enable row level security;
${HANDLE_NEW_USER}create function public.avatar_count() returns bigint language sql security definer set search_path = '' as $$ select count(*) from storage.objects $$;
`,
    'queries/q.sql': `select u.email, u.emial from auth.users u where u.id = $1;
select storage.search('avatars', 'a/'), extensions.sign('{}'::json, 'k');
select * from storage.s3_multipart_uploads limit 1;
select * from public.profile limit 1;
`,
  };
  const make = (singlePass: boolean, extra: Record<string, string> = {}) => {
    const config = configSchema.parse({});
    return new Workspace({ files: memoryFiles({ ...files, ...extra }), configFor: () => config, singlePass });
  };

  test("auth.users, storage.objects and auth.uid() are in the catalog, and the single pass builds the editor's catalog", () => {
    const editor = make(false);
    const c = editor.catalog('queries/q.sql');
    assert.ok(c.tables.get('auth.users')?.columns.has('raw_user_meta_data'));
    assert.ok(c.tables.get('storage.objects')?.rls.enabled);
    assert.ok(c.functions.has('auth.uid'));
    assert.deepEqual(
      c.tables.get('auth.users')?.triggers?.map((t) => t.name),
      ['on_auth_user_created'],
    );
    assert.ok(c.tables.has('public.profiles'), 'REFERENCES auth.users is not refused');
    const json = (x: unknown) => JSON.stringify(x, (_k, v: unknown) => (v instanceof Map || v instanceof Set ? [...v] : v));
    assert.equal(json(make(true).catalog('queries/q.sql')), json(c));
  });

  test("names the model lacks in the platform's schemas are not reported; the project's own still are", () => {
    const rules = (ws: Workspace, path: string) => ws.analyze(path).map((f) => `${f.rule} ${files[path].slice(f.start, f.end)}`);
    const q = rules(make(false), 'queries/q.sql').filter((r) => r.startsWith('unknown-'));
    assert.deepEqual(q, ['unknown-relation profile']);
  });

  test('security-definer-rls-bypass: quiet on a trigger function only auth.users fires, and on storage tables; not once a project table fires it', () => {
    const bypass = (ws: Workspace) => ws.analyze('supabase/migrations/20240101000000_profiles.sql').filter((f) => f.rule === 'security-definer-rls-bypass');
    assert.deepEqual(bypass(make(false)), []);
    // Any author of a comment now runs it: its insert into profiles bypasses the policies for them.
    const comments = {
      'supabase/migrations/20240102000000_comments.sql': `create table public.comments (id bigint primary key, author uuid references public.profiles);
create trigger comment_author after insert on public.comments for each row execute function public.handle_new_user();
`,
    };
    assert.deepEqual(
      bypass(make(false, comments)).map((f) => f.message.slice(0, 71)),
      ['SECURITY DEFINER function public.handle_new_user writes public.profiles'],
    );
  });
});
