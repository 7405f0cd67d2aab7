// DBA packages through the language server: "New DBA package" scaffolds one, and verify's findings show on the manifest.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startTestServer, type TestServer } from './lsp-harness';
import { runPackage } from '../../server/src/cli/commands/package';

let dir: string;
let server: TestServer;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pgdba-lsp-pkg-'));
  cpSync(join(__dirname, '..', '..', 'examples', 'saas'), dir, { recursive: true });
  server = await startTestServer([{ path: dir, settings: {} }], { pgliteCacheDir: () => undefined });
});

after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('DBA packages in the editor', () => {
  test('New DBA package scaffolds the package once; a second time is refused; verify findings land on the manifest keys', async () => {
    const folderUri = pathToFileURL(dir).toString();
    const created = await server.client.sendRequest<{ ok: boolean; message: string; specUri?: string }>('pgdba/newPackage', {
      folderUri,
      briefId: 'EDIT-1',
      date: '20261123',
    });
    assert.ok(created.ok, created.message);
    assert.ok(created.specUri?.endsWith('DBA_EDIT-1_20261123_DB_SPEC.md'));
    const manifestPath = join(dir, 'DBA_EDIT-1_20261123_package.json');
    assert.match(readFileSync(join(dir, 'DBA_EDIT-1_20261123_security', 'rls-and-grants.md'), 'utf8'), /public\.accounts/);

    const again = await server.client.sendRequest<{ ok: boolean; message: string }>('pgdba/newPackage', { folderUri, briefId: 'EDIT-1', date: '20261123' });
    assert.equal(again.ok, false);
    assert.match(again.message, /exist/);

    await runPackage(['seal', manifestPath], { cwd: dir, stdout: () => undefined, stderr: () => undefined });
    const spec = join(dir, 'DBA_EDIT-1_20261123_DB_SPEC.md');
    writeFileSync(spec, readFileSync(spec, 'utf8') + '\nedited after sealing\n');
    const text = readFileSync(manifestPath, 'utf8');
    const uri = await server.open(manifestPath, text);
    const items = await server.diagnostics(uri);
    const changed = items.find((d) => d.code === 'package-changed');
    assert.ok(changed, JSON.stringify(items));
    assert.match(String(changed.message), /DB_SPEC\.md/);
    const line = text.split('\n')[changed.range.start.line];
    assert.match(line, /DB_SPEC\.md/, 'the finding sits on the manifest entry of the changed file');
    assert.ok(existsSync(spec));
  });

  test('New DBA package goes into the folder asked for; the editor seals it and verify is then clean', async () => {
    const folderUri = pathToFileURL(dir).toString();
    const created = await server.client.sendRequest<{ ok: boolean; message: string; specUri?: string }>('pgdba/newPackage', {
      folderUri,
      briefId: 'EDIT-2',
      date: '20261124',
      dir: 'dba',
    });
    assert.ok(created.ok, created.message);
    assert.equal(created.specUri, pathToFileURL(join(dir, 'dba', 'DBA_EDIT-2_20261124_DB_SPEC.md')).toString());
    const manifestPath = join(dir, 'dba', 'DBA_EDIT-2_20261124_package.json');
    const unsealed = await server.diagnostics(await server.open(manifestPath, readFileSync(manifestPath, 'utf8')));
    assert.ok(
      unsealed.some((d) => d.code === 'package-unsealed'),
      JSON.stringify(unsealed),
    );
    const sealed = await server.client.sendRequest<{ ok: boolean; message: string }>('pgdba/sealPackage', {
      manifestUri: pathToFileURL(manifestPath).toString(),
    });
    assert.ok(sealed.ok, sealed.message);
    assert.match(sealed.message, /^sealed \d+ files/);
    const uri = await server.open(manifestPath, readFileSync(manifestPath, 'utf8'));
    assert.deepEqual(await server.diagnostics(uri), []);
  });
});
