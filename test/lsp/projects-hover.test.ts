// The plan hover on a table only db/schema.sql declares (migrations plus a schema file), on PGlite built per project.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { startTestServer, type TestServer } from './lsp-harness';

const FILES: Record<string, string> = {
  'services/api/db/migrations/20240101000000_users.sql': '-- migrate:up\nCREATE TABLE users (id bigint PRIMARY KEY);\n-- migrate:down\nDROP TABLE users;\n',
  'services/api/db/schema.sql': 'CREATE TABLE users (id bigint PRIMARY KEY);\nCREATE TABLE invoices (id bigint PRIMARY KEY, user_id bigint NOT NULL);\n',
  'services/web/migrations/1_pages.up.sql': 'CREATE TABLE pages (id bigint PRIMARY KEY);\n',
};
const QUERIES = 'select * from invoices where user_id = 7;\nselect * from pages;\n';

let dir: string;
let server: TestServer;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pgdba-lsp-projects-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  server = await startTestServer([{ path: dir, settings: { explain: { hover: true, hoverDelayMs: 0, planDiagnostics: false } } }], {
    pgliteCacheDir: () => undefined,
    hoverWaitMs: 120_000,
  });
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('plan hover with schema files', () => {
  test("a query on a table only schema.sql declares gets its plan; another project's table is unknown to it", async () => {
    const uri = await server.open(join(dir, 'services/api/queries.sql'), QUERIES);
    const value = await server.hoverAt(uri, QUERIES, 'user_id = 7');
    assert.match(value ?? '', /Scan on invoices/);
    const other = await server.hoverAt(uri, QUERIES, 'from pages');
    assert.match(other ?? '', /relation "pages" does not exist/);
  });
});
