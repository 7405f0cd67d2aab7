// `package seal`/`verify` never follow links: a symlinked file or folder, a device, a FIFO or an oversized file is refused, by name.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync, ftruncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runPackage } from '../../server/src/cli/commands/package';
import { nodePackageReader } from '../../server/src/node/package-reader';

const temps: string[] = [];
after(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

const B = 'DBA_LNK-1_20250131';
const MANIFEST = `${B}_package.json`;

async function run(cwd: string, argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runPackage(
    argv,
    { cwd, stdout: (s) => void (out += s), stderr: (s) => void (err += s) },
    { fillers: [], now: () => new Date(2025, 0, 31) },
  );
  return { code, out, err };
}

/** A new, sealed package with one evidence file listed; returns its folder and a secret file outside it. */
async function sealedPackage(): Promise<{ ws: string; outside: string; evidence: string }> {
  const ws = mkdtempSync(join(tmpdir(), 'pgdba-links-'));
  temps.push(ws);
  const outside = join(mkdtempSync(join(tmpdir(), 'pgdba-outside-')), 'secret.txt');
  temps.push(join(outside, '..'));
  writeFileSync(outside, 'root:x:0:0\n');
  assert.equal((await run(ws, ['new', 'LNK-1'])).code, 0);
  const evidence = `${B}_evidence/log.txt`;
  writeFileSync(join(ws, evidence), 'ok\n');
  const m = JSON.parse(readFileSync(join(ws, MANIFEST), 'utf8'));
  m.evidence = [evidence];
  writeFileSync(join(ws, MANIFEST), JSON.stringify(m));
  const sealed = await run(ws, ['seal', MANIFEST]);
  assert.equal(sealed.code, 0, sealed.err);
  return { ws, outside, evidence };
}

describe('package seal and verify do not follow links', () => {
  test('a listed file replaced by a symlink to a file outside the package fails verify and seal, naming it', async () => {
    const { ws, outside, evidence } = await sealedPackage();
    rmSync(join(ws, evidence));
    symlinkSync(outside, join(ws, evidence));
    const before = readFileSync(join(ws, MANIFEST), 'utf8');
    const verify = await run(ws, ['verify', MANIFEST]);
    assert.equal(verify.code, 1);
    assert.match(verify.err, new RegExp(`refused +${evidence}: ${evidence} is a symbolic link to ${outside.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    const seal = await run(ws, ['seal', MANIFEST]);
    assert.equal(seal.code, 1);
    assert.match(seal.err, /not sealed/);
    assert.match(seal.err, new RegExp(`refused +${evidence} is a symbolic link`));
    assert.equal(readFileSync(join(ws, MANIFEST), 'utf8'), before, 'the manifest is left alone');
  });

  test('a section folder replaced by a symlink to a folder is never walked: only the link is named', async () => {
    const { ws, outside } = await sealedPackage();
    const folder = join(ws, `${B}_evidence`);
    renameSync(folder, `${folder}.moved`);
    symlinkSync(join(outside, '..'), folder);
    const verify = await run(ws, ['verify', MANIFEST]);
    assert.equal(verify.code, 1);
    assert.match(verify.err, new RegExp(`${B}_evidence is a symbolic link`));
    assert.doesNotMatch(verify.err, /secret\.txt/, 'the linked folder is not listed');
    assert.equal((await run(ws, ['seal', MANIFEST])).code, 1);
  });

  test('a linked folder inside a section is listed as one refused entry, not walked', async () => {
    const { ws, outside } = await sealedPackage();
    symlinkSync(join(outside, '..'), join(ws, `${B}_perf`, 'plans'));
    const verify = await run(ws, ['verify', MANIFEST]);
    assert.equal(verify.code, 1);
    assert.match(verify.err, new RegExp(`refused +${B}_perf/plans: ${B}_perf/plans is a symbolic link`));
    assert.doesNotMatch(verify.err, /secret\.txt/);
  });

  test('a symlink to /dev/zero is refused at once (seal does not read forever)', async () => {
    const { ws, evidence } = await sealedPackage();
    rmSync(join(ws, evidence));
    symlinkSync('/dev/zero', join(ws, evidence));
    const seal = await run(ws, ['seal', MANIFEST]);
    assert.equal(seal.code, 1);
    assert.match(seal.err, /is a symbolic link to \/dev\/zero/);
  });

  test('a FIFO in a section is refused by seal and fails verify, without blocking', async () => {
    const { ws, evidence } = await sealedPackage();
    rmSync(join(ws, evidence));
    execFileSync('mkfifo', [join(ws, evidence)]);
    const verify = await run(ws, ['verify', MANIFEST]);
    assert.equal(verify.code, 1);
    assert.match(verify.err, new RegExp(`${evidence} is a FIFO`));
    assert.equal((await run(ws, ['seal', MANIFEST])).code, 1);
  });

  test('a character device (a copy of /dev/zero) in a section is refused, not read', { skip: process.getuid?.() !== 0 && 'mknod needs root' }, async () => {
    const { ws, evidence } = await sealedPackage();
    rmSync(join(ws, evidence));
    execFileSync('mknod', [join(ws, evidence), 'c', '1', '5']);
    const seal = await run(ws, ['seal', MANIFEST]);
    assert.equal(seal.code, 1);
    assert.match(seal.err, new RegExp(`${evidence} is a device: a package holds regular files only`));
    const verify = await run(ws, ['verify', MANIFEST]);
    assert.equal(verify.code, 1);
    assert.match(verify.err, new RegExp(`refused +${evidence}`));
  });

  test('a file over the size cap is refused with its size and the limit', async () => {
    const { ws, evidence } = await sealedPackage();
    // Sparse: 300 MiB on paper, nothing on disk; the cap is checked before any byte is read.
    const fd = openSync(join(ws, evidence), 'w');
    ftruncateSync(fd, 300 * 1024 * 1024);
    closeSync(fd);
    const seal = await run(ws, ['seal', MANIFEST]);
    assert.equal(seal.code, 1);
    assert.match(seal.err, new RegExp(`${evidence} is 300\\.0 MiB, over the 256\\.0 MiB limit for a package file`));
    const reader = nodePackageReader(ws, { maxFileBytes: 2 });
    writeFileSync(join(ws, evidence), 'abc');
    assert.deepEqual(await reader.hash(evidence), { refused: `${evidence} is 3 bytes, over the 2 bytes limit for a package file` });
  });

  test('a listed file under a linked parent folder is refused at the link', async () => {
    const { ws, outside } = await sealedPackage();
    const sub = join(ws, `${B}_security`);
    mkdirSync(join(sub, 'real'));
    symlinkSync(join(outside, '..'), join(sub, 'linked'));
    const reader = nodePackageReader(ws);
    const h = await reader.hash(`${B}_security/linked/secret.txt`);
    assert.ok(typeof h === 'object' && /_security\/linked is a symbolic link/.test(h.refused), JSON.stringify(h));
  });
});
