// pgdba rehearse --db: a scratch database on the server, rehearsed on PostgreSQL 15 and dropped afterwards.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runRehearse } from '../../server/src/cli/commands/rehearse';
import { initParser } from '../../server/src/core/parse/parse';
import { connectPg } from '../../server/src/engine';
import { startThrowawayPostgres, type ThrowawayPostgres } from './harness';

describe('pgdba rehearse --db', () => {
  let server: ThrowawayPostgres;
  let dir: string;
  before(async () => {
    await initParser();
    server = await startThrowawayPostgres();
    dir = mkdtempSync(join(tmpdir(), 'pgdba-rehearse-pg-'));
    writeFileSync(join(dir, '1_init.up.sql'), 'CREATE TABLE a (id serial PRIMARY KEY);\nCREATE INDEX CONCURRENTLY a_id ON a (id);');
    writeFileSync(join(dir, '1_init.down.sql'), 'DROP TABLE a;');
    writeFileSync(join(dir, '2_more.up.sql'), "CREATE TYPE s AS ENUM ('x');\nALTER TABLE a ADD COLUMN st s;\nALTER TYPE s ADD VALUE 'y';");
    writeFileSync(join(dir, '2_more.down.sql'), 'ALTER TABLE a DROP COLUMN st;');
  });
  after(async () => {
    rmSync(dir, { recursive: true, force: true });
    await server?.stop();
  });

  for (const down of ['files', 'generated'] as const) {
    test(`--down ${down}`, async () => {
      let out = '';
      const code = await runRehearse([dir, '--db', server.url, '--down', down, '--format', 'json'], {
        stdout: (s) => (out += s),
        stderr: () => undefined,
        cwd: dir,
      });
      const json = JSON.parse(out);
      if (down === 'files') {
        assert.equal(code, 1);
        const { name, status, detail, file } = json.migrations[1];
        assert.deepEqual(
          { name, status, detail, file },
          { name: '2_more.up.sql', status: 'schema-mismatch', detail: 'enum s left behind', file: '2_more.down.sql' },
        );
      } else {
        assert.equal(code, 0, out);
        assert.equal(json.summary.ok, 2);
      }
      assert.match(json.summary.engine, /^PostgreSQL /);
      // The scratch database is gone.
      const admin = await connectPg({ url: server.url });
      try {
        const r = await admin.query<{ n: string }>("SELECT count(*) AS n FROM pg_database WHERE datname LIKE 'pgdba_rehearse_%'");
        assert.equal(Number(r.rows[0].n), 0);
      } finally {
        await admin.close();
      }
    });
  }
});
