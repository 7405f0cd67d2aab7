// EXPLAIN hovers through the language server on a throwaway PostgreSQL 15 dev database: the password comes from the client, a wrong one is said once.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectPg } from '../../server/src/engine';
import { startTestServer, type TestServer } from '../lsp/lsp-harness';
import { PASSWORD, startThrowawayPostgres, type ThrowawayPostgres } from './harness';

let pg: ThrowawayPostgres;
let server: TestServer;
let dir: string;
let good: string;
let bad: string;
/** What the client's SecretStorage holds per target. */
const secrets = new Map<string, string>();

before(async () => {
  pg = await startThrowawayPostgres();
  const admin = await connectPg({ url: pg.url });
  await admin.exec(`CREATE TABLE items (id int PRIMARY KEY, qty int NOT NULL);
    INSERT INTO items SELECT g, g % 7 FROM generate_series(1, 5000) g;
    ANALYZE items;`);
  await admin.exec('CREATE DATABASE other'); // alone: it cannot run inside the implicit transaction of a multi-statement script
  await admin.close();
  dir = mkdtempSync(join(tmpdir(), 'pgdba-lsp-pg-'));
  good = join(dir, 'app');
  bad = join(dir, 'other');
  for (const d of [good, bad]) {
    mkdirSync(join(d, 'db'), { recursive: true });
    writeFileSync(join(d, 'db', 'schema.sql'), 'create table items (id int primary key, qty int not null);\n');
  }
  const explain = { hover: true, hoverDelayMs: 0 };
  server = await startTestServer(
    [
      { path: good, settings: { explain, database: { url: pg.urlWithoutPassword } } },
      { path: bad, settings: { explain, database: { url: pg.urlWithoutPassword.replace(/\/postgres$/, '/other') } } },
    ],
    // retryMs 0: every hover connects again, so "once" is the manager's doing, not a cached failure's.
    { pgliteCacheDir: () => undefined, retryMs: 0 },
    (target) => secrets.get(target) ?? null,
  );
  secrets.set(`postgres@127.0.0.1:${pg.port}/postgres`, PASSWORD);
  secrets.set(`postgres@127.0.0.1:${pg.port}/other`, 'not-the-password');
});

after(async () => {
  await server?.stop();
  await pg?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('hover plans on a PostgreSQL 15 dev database', () => {
  test('the hover plans on the dev database with the password from SecretStorage', async () => {
    const text = 'select * from items where id = 42;\n';
    const uri = await server.open(join(good, 'q.sql'), text);
    const value = (await server.hoverAt(uri, text, 'items')) ?? '';
    assert.match(value, /PostgreSQL 15 at postgres@127\.0\.0\.1:\d+\/postgres/);
    assert.match(value, /Index Scan using items_pkey on (public\.)?items/);
    assert.deepEqual(server.passwordAsks, [`postgres@127.0.0.1:${pg.port}/postgres`]);
    assert.match((await server.hoverAt(uri, text, 'where')) ?? '', /· cached/);
  });

  test('a wrong password gives one clear message; linting goes on; a corrected password is used at once', async () => {
    const text = 'delete from items;\nselect qty from items where id = 7;\n';
    const uri = await server.open(join(bad, 'q.sql'), text);
    const first = (await server.hoverAt(uri, text, 'select')) ?? '';
    const second = (await server.hoverAt(uri, text, 'qty')) ?? '';
    for (const v of [first, second])
      assert.match(v, /No plan: Authentication failed at postgres@127\.0\.0\.1:\d+\/other \(password from VS Code SecretStorage\)/);
    const about = server.messages.filter((m) => /Authentication failed/.test(m.message));
    assert.equal(about.length, 1, JSON.stringify(server.messages));
    assert.ok((await server.diagnostics(uri)).some((d) => d.code === 'unbounded-write'));

    // "pgdba: Set database password" stores the new secret and tells the server, which connects again.
    const target = `postgres@127.0.0.1:${pg.port}/other`;
    secrets.set(target, PASSWORD);
    await server.client.sendNotification('pgdba/passwordChanged', { target });
    const third = (await server.hoverAt(uri, text, 'select')) ?? '';
    assert.match(third, /PostgreSQL 15 at postgres@127\.0\.0\.1:\d+\/other/);
  });
});
