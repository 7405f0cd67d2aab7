// Rollback writes lose nothing when the target changes between pgdba's read and its write (dbmate) or appears (down files).
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { writeRollback } from './write-rollback';

const dir = mkdtempSync(join(tmpdir(), 'pgdba-write-rollback-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('writeRollback', () => {
  test('a down file that appears after planning is not overwritten: "exists", no EEXIST thrown', () => {
    const path = join(dir, '000001_init.down.sql');
    writeFileSync(path, 'DROP TABLE a; -- written by hand meanwhile\n');
    assert.deepEqual(writeRollback({ path, sql: 'DROP TABLE a;\n' }), { ok: false, exists: true });
    assert.equal(readFileSync(path, 'utf8'), 'DROP TABLE a; -- written by hand meanwhile\n');
  });

  test('dbmate: a down section written between the read and the write is kept, and the write refused', () => {
    const path = join(dir, '20200101000000_a.sql');
    const planned = '-- migrate:up\nCREATE TABLE a (id int);\n';
    const meanwhile = `${planned}-- migrate:down\nDROP TABLE a CASCADE;\n`;
    writeFileSync(path, meanwhile);
    const r = writeRollback({ path, sql: 'DROP TABLE a;\n', section: { start: planned.length }, prefix: '\n-- migrate:down\n', planned });
    assert.deepEqual(r, { ok: false, exists: true });
    assert.equal(readFileSync(path, 'utf8'), meanwhile);
  });

  test('dbmate: an unchanged file gets its section, replaced whole (no temp file left behind)', () => {
    const path = join(dir, '20200102000000_b.sql');
    const planned = '-- migrate:up\nCREATE TABLE b (id int);\n';
    writeFileSync(path, planned);
    assert.deepEqual(writeRollback({ path, sql: 'DROP TABLE b;\n', section: { start: planned.length }, prefix: '\n-- migrate:down\n', planned }), { ok: true });
    assert.equal(readFileSync(path, 'utf8'), `${planned}\n-- migrate:down\nDROP TABLE b;\n`);
    assert.deepEqual(
      readdirSync(dir).filter((f) => f.includes('pgdba-')),
      [],
    );
  });
});
