// Code intelligence over a small diesel project: the cursor is marked with `|` in the text, positions are found by searching.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { configSchema } from '../config';
import { memoryFiles, ready } from '../../testing/rule-test';
import { Workspace } from '../workspace/workspace';
import { complete } from './completion';
import { objectMarkdown } from './hover';
import { intelFile, intelProject } from './project';
import { definitionOf, objectAt, referencesTo } from './resolve';
import { signatureHelp } from './signature';
import { documentSymbols, workspaceSymbols } from './symbols';

before(ready);

const MIGRATIONS: Record<string, string> = {
  'migrations/2024-01-01-000000_create_orders/up.sql': `CREATE TYPE order_status AS ENUM ('open', 'paid', 'void');
CREATE TABLE orders (
  id bigint PRIMARY KEY,
  tenant_id uuid NOT NULL,
  status order_status NOT NULL DEFAULT 'open',
  total numeric(12,2)
);`,
  'migrations/2024-01-01-000000_create_orders/down.sql': 'DROP TABLE orders;\nDROP TYPE order_status;',
  'migrations/2024-02-01-000000_add_note/up.sql': 'ALTER TABLE orders ADD COLUMN note text;\nCREATE INDEX orders_tenant_idx ON orders (tenant_id);',
  'migrations/2024-02-01-000000_add_note/down.sql': 'DROP INDEX orders_tenant_idx;\nALTER TABLE orders DROP COLUMN note;',
  'migrations/2024-03-01-000000_fn/up.sql': `CREATE FUNCTION order_total(p_id bigint) RETURNS numeric LANGUAGE sql STABLE AS $$ SELECT total FROM orders WHERE id = p_id $$;`,
  'migrations/2024-03-01-000000_fn/down.sql': 'DROP FUNCTION order_total(bigint);',
};

/** A workspace whose query file holds `text` with the cursor `|` removed; returns the cursor offset. */
function setup(text: string, extra: Record<string, string> = {}) {
  const offset = text.indexOf('|');
  assert.ok(offset >= 0, 'mark the cursor with |');
  const query = text.slice(0, offset) + text.slice(offset + 1);
  const config = configSchema.parse({});
  const ws = new Workspace({ files: memoryFiles({ ...MIGRATIONS, ...extra, 'queries/q.sql': query }), configFor: () => config });
  const project = intelProject(ws);
  const file = intelFile(ws, 'queries/q.sql');
  assert.ok(file);
  return { ws, project, file, offset, query };
}

const labels = (items: { label: string }[]) => items.map((i) => i.label);

describe('completion', () => {
  test('columns of an alias after `o.`', () => {
    const { project, file, offset } = setup('SELECT o.| FROM orders o');
    const r = complete(project, file, offset);
    assert.deepEqual(labels(r.items).sort(), ['id', 'note', 'status', 'tenant_id', 'total']);
  });

  test('columns of an alias while typing, replacing the typed word', () => {
    const { project, file, offset, query } = setup('SELECT o.to| FROM orders o WHERE o.id = 1');
    const r = complete(project, file, offset);
    assert.ok(labels(r.items).includes('total'));
    assert.equal(query.slice(r.start, r.end), 'to');
  });

  test('relations after FROM and JOIN, CTEs included', () => {
    const { project, file, offset } = setup('WITH recent AS (SELECT 1) SELECT * FROM |');
    const r = complete(project, file, offset);
    assert.ok(labels(r.items).includes('orders'));
    assert.ok(labels(r.items).includes('recent'));
    assert.ok(!labels(r.items).includes('id'), 'no columns where a relation goes');
  });

  test('in-scope columns rank before functions and keywords', () => {
    const { project, file, offset } = setup('SELECT * FROM orders WHERE t|');
    const r = complete(project, file, offset);
    const tenant = r.items.find((i) => i.label === 'tenant_id');
    const fn = r.items.find((i) => i.kind === 'function');
    assert.ok(tenant && fn && tenant.rank < fn.rank);
  });

  test('enum labels beside a column of that enum', () => {
    const { project, file, offset } = setup('SELECT * FROM orders WHERE status = |');
    assert.deepEqual(labels(complete(project, file, offset).items), ["'open'", "'paid'", "'void'"]);
  });

  test("ALTER TABLE commands, then the table's columns", () => {
    const a = setup('ALTER TABLE orders |');
    assert.ok(labels(complete(a.project, a.file, a.offset).items).includes('ADD COLUMN'));
    const b = setup('ALTER TABLE orders DROP COLUMN |');
    assert.deepEqual(labels(complete(b.project, b.file, b.offset).items).sort(), ['id', 'note', 'status', 'tenant_id', 'total']);
  });

  test('an unparsable statement still completes its aliases from the tokens', () => {
    const { project, file, offset } = setup('SELECT o.| FROM orders o WHERE (');
    assert.ok(labels(complete(project, file, offset).items).includes('tenant_id'));
  });
});

describe('definition, references, hover', () => {
  test('F12 on a table goes to the CREATE TABLE in its migration', () => {
    const { project, file, offset } = setup('SELECT * FROM ord|ers');
    const hit = objectAt(project, file, offset);
    assert.deepEqual(hit?.object, { kind: 'table', key: 'public.orders' });
    const def = definitionOf(project.catalog, hit!.object!);
    assert.equal(def?.file, 'migrations/2024-01-01-000000_create_orders/up.sql');
    assert.match(MIGRATIONS[def!.file].slice(def!.start, def!.end), /^CREATE TABLE orders/);
  });

  test('a column through an alias goes to its ADD COLUMN', () => {
    const { project, file, offset } = setup('SELECT o.no|te FROM orders o');
    const def = definitionOf(project.catalog, objectAt(project, file, offset)!.object!);
    assert.equal(def?.file, 'migrations/2024-02-01-000000_add_note/up.sql');
  });

  test('a function call goes to its CREATE FUNCTION', () => {
    const { project, file, offset } = setup('SELECT order_to|tal(1)');
    assert.equal(definitionOf(project.catalog, objectAt(project, file, offset)!.object!)?.file, 'migrations/2024-03-01-000000_fn/up.sql');
  });

  test('a CTE of the same name as a table is not the table', () => {
    const { project, file, offset } = setup('WITH orders AS (SELECT 1 AS id) SELECT * FROM ord|ers');
    assert.equal(objectAt(project, file, offset)?.object, undefined);
  });

  test('references span queries, migrations, downs and function bodies', () => {
    const { project, file, offset } = setup('SELECT total FROM ord|ers');
    const refs = referencesTo(project, objectAt(project, file, offset)!.object!);
    const files = new Set(refs.map((r) => r.file));
    for (const f of [
      'queries/q.sql',
      'migrations/2024-01-01-000000_create_orders/up.sql',
      'migrations/2024-02-01-000000_add_note/up.sql',
      'migrations/2024-02-01-000000_add_note/down.sql',
      'migrations/2024-03-01-000000_fn/up.sql',
    ]) {
      assert.ok(files.has(f), `references include ${f}: ${[...files].join(', ')}`);
    }
    const inBody = refs.find((r) => r.file === 'migrations/2024-03-01-000000_fn/up.sql')!;
    assert.equal(MIGRATIONS[inBody.file].slice(inBody.start, inBody.end), 'orders');
  });

  test('column references find the column in the function body', () => {
    const { project, file, offset } = setup('SELECT tot|al FROM orders');
    const refs = referencesTo(project, objectAt(project, file, offset)!.object!);
    assert.ok(refs.some((r) => r.file === 'migrations/2024-03-01-000000_fn/up.sql'));
  });

  test('table hover: columns, indexes, tenant column, RLS and history with links', () => {
    const { project, file, offset } = setup('SELECT * FROM ord|ers');
    const md = objectMarkdown(project, objectAt(project, file, offset)!.object!, { tenantColumns: ['tenant_id'], link: (f, o) => `${f}#${o}` })!;
    assert.match(md, /\*\*table\*\* `public.orders`/);
    assert.match(md, /created in \[2024-01-01-000000_create_orders\]/);
    assert.match(md, /then \[2024-02-01-000000_add_note\]/);
    assert.match(md, /\| tenant_id \| uuid \| not null \|/);
    assert.match(md, /orders_tenant_idx/);
    assert.match(md, /Tenant column:\*\* `tenant_id`/);
    assert.match(md, /Row-level security:\*\* disabled/);
  });

  test('column hover gives its type and where it was added', () => {
    const { project, file, offset } = setup('SELECT no|te FROM orders');
    const md = objectMarkdown(project, objectAt(project, file, offset)!.object!, { tenantColumns: ['tenant_id'], link: (f) => f })!;
    assert.match(md, /`public.orders.note` `text null`/);
    assert.match(md, /created in \[2024-02-01-000000_add_note\]|altered in|in \[2024-02-01-000000_add_note\]/);
  });

  test('the project files behind a hover follow an edited migration and a new one', () => {
    const { ws, offset } = setup('SELECT * FROM ord|ers');
    const opts = { tenantColumns: [], link: (f: string) => f };
    const hover = () => {
      const project = intelProject(ws, 'queries/q.sql');
      return objectMarkdown(project, objectAt(project, intelFile(ws, 'queries/q.sql')!, offset)!.object!, opts)!;
    };
    assert.doesNotMatch(hover(), /2024-04-01-000000_more/);
    assert.match(hover(), /add_note/);
    ws.setOverlay('migrations/2024-02-01-000000_add_note/up.sql', 'SELECT 1;');
    assert.doesNotMatch(hover(), /add_note/, 'the edited migration no longer touches orders');
    ws.setOverlay('migrations/2024-04-01-000000_more/up.sql', 'ALTER TABLE orders ADD COLUMN shipped boolean;');
    ws.filesChanged();
    assert.match(hover(), /2024-04-01-000000_more/);
  });

  test('function hover gives signature, volatility and security', () => {
    const { project, file, offset } = setup('SELECT order_to|tal(1)');
    const md = objectMarkdown(project, objectAt(project, file, offset)!.object!, { tenantColumns: [], link: (f) => f })!;
    assert.match(md, /public\.order_total\(bigint\) → numeric/);
    assert.match(md, /sql · stable · security invoker/);
  });
});

describe('symbols and signatures', () => {
  test('the outline lists DDL objects with columns and sqlc query names', () => {
    const { ws } = setup('|-- name: GetOrder :one\nSELECT * FROM orders WHERE id = $1;\nDELETE FROM orders WHERE id = $1;');
    const outline = documentSymbols(ws.parsed('queries/q.sql')!);
    assert.deepEqual(
      outline.map((s) => [s.kind, s.name]),
      [
        ['query', 'GetOrder'],
        ['query', 'DELETE orders'],
      ],
    );
    const ddl = documentSymbols(ws.parsed('migrations/2024-01-01-000000_create_orders/up.sql')!);
    assert.deepEqual(
      ddl.map((s) => [s.kind, s.name]),
      [
        ['type', 'order_status'],
        ['table', 'orders'],
      ],
    );
    assert.deepEqual(
      ddl[1].children?.map((c) => c.name),
      ['id', 'tenant_id', 'status', 'total'],
    );
  });

  test('after an edit moves the statements, names and symbols follow (each selection inside its symbol)', () => {
    const { ws } = setup('|');
    const path = 'migrations/2024-01-01-000000_create_orders/up.sql';
    documentSymbols(ws.parsed(path)!);
    ws.setOverlay(path, `-- a comment added above\n-- and another line\n${MIGRATIONS[path]}`);
    const parsed = ws.parsed(path)!;
    for (const sym of documentSymbols(parsed)) {
      assert.ok(sym.start <= sym.selectionStart && sym.selectionEnd <= sym.end, JSON.stringify(sym));
      for (const c of sym.children ?? []) assert.ok(sym.start <= c.start && c.end <= sym.end, JSON.stringify(c));
    }
    const table = documentSymbols(parsed).find((x) => x.kind === 'table')!;
    assert.equal(parsed.text.slice(table.selectionStart, table.selectionEnd), 'orders');
  });

  test('workspace symbols match by subsequence', () => {
    const { project } = setup('SELECT 1|');
    const names = workspaceSymbols(project.catalog, 'ordtot').map((s) => s.name);
    assert.deepEqual(names, ['order_total']);
  });

  test('signature help for a project function and a built-in, with the active argument', () => {
    const a = setup('SELECT order_total(|');
    const r = signatureHelp(a.project.catalog, a.file, a.offset);
    assert.equal(r?.signatures[0].label, 'public.order_total(bigint) → numeric');
    const b = setup("SELECT left('abc', |");
    const s = signatureHelp(b.project.catalog, b.file, b.offset);
    assert.equal(s?.activeParameter, 1);
    assert.ok(s?.signatures.some((x) => x.label.startsWith('left(text, integer)')));
  });
});

describe("a Supabase project's platform objects", () => {
  const SUPABASE = { 'supabase/migrations/20240101000000_profiles.sql': 'create table public.profiles (id uuid primary key references auth.users);' };
  const at = (text: string) => {
    const offset = text.indexOf('|');
    const query = text.slice(0, offset) + text.slice(offset + 1);
    const config = configSchema.parse({});
    const ws = new Workspace({ files: memoryFiles({ ...SUPABASE, 'queries/q.sql': query }), configFor: () => config });
    return { project: intelProject(ws, 'queries/q.sql'), file: intelFile(ws, 'queries/q.sql')!, offset };
  };

  test('complete, and hover naming the platform, with no definition to go to and no workspace symbol', () => {
    const c = at('SELECT u.| FROM auth.users u');
    assert.ok(labels(complete(c.project, c.file, c.offset).items).includes('raw_user_meta_data'));
    const h = at('SELECT * FROM auth.us|ers');
    const o = objectAt(h.project, h.file, h.offset)!.object!;
    const md = objectMarkdown(h.project, o, { tenantColumns: [], link: (f) => f })!;
    assert.match(md, /Made by the Supabase platform before the first migration/);
    assert.ok(!md.includes('\u0000'), 'no platform file in the text');
    assert.equal(definitionOf(h.project.catalog, o), undefined);
    const fn = at('SELECT auth.u|id()');
    assert.match(objectMarkdown(fn.project, objectAt(fn.project, fn.file, fn.offset)!.object!, { tenantColumns: [], link: (f) => f })!, /Made by the Supabase/);
    assert.deepEqual(
      workspaceSymbols(h.project.catalog, 'users').map((s) => s.loc.file),
      [],
    );
    assert.ok(workspaceSymbols(h.project.catalog, 'profiles').length > 0);
  });
});
