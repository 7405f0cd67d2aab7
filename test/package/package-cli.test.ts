// End-to-end tests of `pgdba package new|seal|verify` on real temp folders: create, fill from migrations, seal, verify, tamper.
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { runPackage, type PackageFiller } from '../../server/src/cli/commands/package';
import { corpusSkip, requireCorpus } from '../../server/src/testing/corpus';

const temps: string[] = [];
after(() => {
  for (const t of temps) rmSync(t, { recursive: true, force: true });
});

function workspace(files: Record<string, string>, opts: { git?: boolean } = {}): string {
  const root = mkdtempSync(join(tmpdir(), 'pgdba-package-'));
  temps.push(root);
  if (opts.git) mkdirSync(join(root, '.git'));
  for (const [p, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, p)), { recursive: true });
    writeFileSync(join(root, p), text);
  }
  return root;
}

interface Run {
  code: number;
  out: string;
  err: string;
}

async function run(cwd: string, argv: string[], fillers?: readonly PackageFiller[]): Promise<Run> {
  let out = '';
  let err = '';
  const code = await runPackage(argv, { cwd, stdout: (s) => void (out += s), stderr: (s) => void (err += s) }, { fillers, now: () => new Date(2025, 0, 31) });
  return { code, out, err };
}

const B = 'DBA_CHG-7_20250131';
const MANIFEST = `${B}_package.json`;

function manifestOf(dir: string): Record<string, unknown> & { hashes?: Record<string, string>; migrations: string[] } {
  return JSON.parse(readFileSync(join(dir, MANIFEST), 'utf8'));
}

const DIESEL_UP = 'CREATE TABLE login_token (token text PRIMARY KEY);\n';
const DIESEL_DOWN = 'DROP TABLE login_token;\n';
const GO_UP = 'ALTER TABLE users ADD COLUMN email text;\n';
const GO_DOWN = 'ALTER TABLE users DROP COLUMN email;\n';
const DBMATE = '-- migrate:up\nCREATE INDEX users_email_idx ON users (email);\n\n-- migrate:down\nDROP INDEX users_email_idx;\n';

describe('package new → seal → verify', () => {
  test('a package filled from migrations seals and verifies clean; one changed byte in any file fails naming it', async () => {
    const ws = workspace(
      {
        'db/migrations/2024-01-01-000000_login/up.sql': DIESEL_UP,
        'db/migrations/2024-01-01-000000_login/down.sql': DIESEL_DOWN,
      },
      { git: true },
    );
    const created = await run(ws, ['new', 'CHG-7', '--from', 'db/migrations/2024-01-01-000000_login/up.sql']);
    assert.equal(created.code, 0, created.err);
    assert.match(created.out, new RegExp(`created ${B}`));
    const m = manifestOf(ws);
    assert.deepEqual(m.migrations, [`${B}_migrations/2024-01-01-000000_login.up.sql`, `${B}_migrations/rollback/2024-01-01-000000_login.down.sql`]);
    assert.equal(readFileSync(join(ws, `${B}_migrations/rollback/2024-01-01-000000_login.down.sql`), 'utf8'), DIESEL_DOWN);
    assert.equal(m.hashes, undefined, 'new does not seal');

    const unsealed = await run(ws, ['verify', MANIFEST]);
    assert.equal(unsealed.code, 1);
    assert.match(unsealed.err, /unsealed/);

    const sealed = await run(ws, ['seal', MANIFEST]);
    assert.equal(sealed.code, 0, sealed.err);
    assert.match(sealed.out, /sealed 3 files/);
    const clean = await run(ws, ['verify', MANIFEST]);
    assert.equal(clean.code, 0, clean.err);
    assert.match(clean.out, /verified, 3 files match/);

    for (const path of Object.keys(manifestOf(ws).hashes ?? {})) {
      const full = join(ws, path);
      const original = readFileSync(full);
      const tampered = Buffer.from(original);
      tampered[0] ^= 1;
      writeFileSync(full, tampered);
      const r = await run(ws, ['verify', MANIFEST]);
      writeFileSync(full, original);
      assert.equal(r.code, 1, path);
      assert.match(r.err, new RegExp(`changed +${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: changed since the package was sealed`), r.err);
      assert.equal(r.err.match(/^ {2}\w+ /gm)?.length, 1, `only ${path} is reported`);
    }
    assert.equal((await run(ws, ['verify', MANIFEST])).code, 0, 'restored package verifies again');
  });

  test('missing and extra files are each named', async () => {
    const ws = workspace({ 'm/001_users.up.sql': GO_UP, 'm/001_users.down.sql': GO_DOWN });
    assert.equal((await run(ws, ['new', 'CHG-7', '--from', 'm/001_users.up.sql'])).code, 0);
    assert.equal((await run(ws, ['seal', MANIFEST])).code, 0);
    rmSync(join(ws, `${B}_migrations/rollback/001_users.down.sql`));
    writeFileSync(join(ws, `${B}_evidence/notes.txt`), 'not listed');
    const r = await run(ws, ['verify', MANIFEST]);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`missing +${B}_migrations/rollback/001_users.down.sql: listed in migrations`));
    assert.match(r.err, new RegExp(`extra +${B}_evidence/notes.txt: is in the package but not listed`));
    assert.match(r.err, /2 problems/);
  });

  test('seal refuses while a listed file is missing, and leaves the manifest alone', async () => {
    const ws = workspace({ 'm/001_users.up.sql': GO_UP, 'm/001_users.down.sql': GO_DOWN });
    assert.equal((await run(ws, ['new', 'CHG-7', '--from', 'm/001_users.up.sql'])).code, 0);
    const before = readFileSync(join(ws, MANIFEST), 'utf8');
    rmSync(join(ws, `${B}_migrations/001_users.up.sql`));
    const r = await run(ws, ['seal', MANIFEST]);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`missing +${B}_migrations/001_users.up.sql`));
    assert.equal(readFileSync(join(ws, MANIFEST), 'utf8'), before);
  });

  test('an invalid manifest is reported key by key', async () => {
    const ws = workspace({});
    assert.equal((await run(ws, ['new', 'CHG-7'])).code, 0);
    const m = manifestOf(ws);
    writeFileSync(join(ws, MANIFEST), JSON.stringify({ ...m, perf: ['../outside.json'], extraKey: 1 }));
    const r = await run(ws, ['verify', MANIFEST]);
    assert.equal(r.code, 1);
    assert.match(r.err, /perf\[0\]: must be a path relative/);
    assert.match(r.err, /extraKey: unknown key/);
  });
});

describe('package new refuses', () => {
  test('a bad brief id, with a clear error and nothing written', async () => {
    const ws = workspace({});
    const r = await run(ws, ['new', 'CHG 7']);
    assert.equal(r.code, 1);
    assert.match(r.err, /invalid brief id "CHG 7": " " at position 4 is not allowed; use letters, digits, "-" and "_" only/);
    assert.deepEqual(readdirSync(ws), []);
  });

  test('to write over an existing package or any part of one', async () => {
    const ws = workspace({});
    assert.equal((await run(ws, ['new', 'CHG-7'])).code, 0);
    writeFileSync(join(ws, `${B}_DB_SPEC.md`), 'my edits');
    const again = await run(ws, ['new', 'CHG-7', '--date', '20250131']);
    assert.equal(again.code, 1);
    assert.match(again.err, new RegExp(`package ${B} already exists .*nothing was written`));
    assert.equal(readFileSync(join(ws, `${B}_DB_SPEC.md`), 'utf8'), 'my edits');

    const partial = workspace({ [`${B}_perf/plan.json`]: '{}' });
    const r = await run(partial, ['new', 'CHG-7']);
    assert.equal(r.code, 1);
    assert.match(r.err, new RegExp(`\\(${B}_perf\\)`));
    assert.deepEqual(readdirSync(partial), [`${B}_perf`]);
  });

  test('a --from file that does not exist or is a down file, writing nothing', async () => {
    const ws = workspace({ 'm/001_users.down.sql': GO_DOWN });
    const missing = await run(ws, ['new', 'CHG-7', '--from', 'm/nope.up.sql']);
    assert.equal(missing.code, 1);
    assert.match(missing.err, /--from m\/nope.up.sql: no such file/);
    const down = await run(ws, ['new', 'CHG-7', '--from', 'm/001_users.down.sql']);
    assert.equal(down.code, 1);
    assert.match(down.err, /looks like a down migration: pass its up file/);
    assert.deepEqual(readdirSync(ws), ['m']);
  });

  test('unknown options and a bad --date, as usage and date errors', async () => {
    const ws = workspace({});
    const r = await run(ws, ['new', 'CHG-7', '--form', 'x.sql']);
    assert.equal(r.code, 2);
    assert.match(r.err, /unknown option --form/);
    const d = await run(ws, ['new', 'CHG-7', '--date', '2025-01-31']);
    assert.equal(d.code, 1);
    assert.match(d.err, /YYYYMMDD/);
    assert.deepEqual(readdirSync(ws), []);
  });
});

describe('filling from the workspace', () => {
  test('suffix pairs, dbmate sections and --dir; a migration without a down part is a note, not a made-up file', async () => {
    const ws = workspace({
      'm/001_users.up.sql': GO_UP,
      'm/001_users.down.sql': GO_DOWN,
      'dbmate/20240101000000_email_idx.sql': DBMATE,
      'm/002_seed.up.sql': "INSERT INTO users (email) VALUES ('a@b.c');\n",
    });
    const r = await run(ws, [
      'package',
      'new',
      'CHG-7',
      '--dir',
      'out/pkgs',
      '--from',
      'm/001_users.up.sql',
      'dbmate/20240101000000_email_idx.sql',
      'm/002_seed.up.sql',
    ]);
    assert.equal(r.code, 0, r.err);
    const dir = join(ws, 'out/pkgs');
    const m = manifestOf(dir);
    assert.deepEqual(m.migrations, [
      `${B}_migrations/001_users.up.sql`,
      `${B}_migrations/rollback/001_users.down.sql`,
      `${B}_migrations/20240101000000_email_idx.sql`,
      `${B}_migrations/rollback/20240101000000_email_idx.down.sql`,
      `${B}_migrations/002_seed.up.sql`,
    ]);
    assert.equal(readFileSync(join(dir, `${B}_migrations/20240101000000_email_idx.sql`), 'utf8'), DBMATE, 'the dbmate file is copied whole');
    assert.equal(readFileSync(join(dir, `${B}_migrations/rollback/20240101000000_email_idx.down.sql`), 'utf8'), 'DROP INDEX users_email_idx;\n');
    assert.match(r.out, /no down migration found for m\/002_seed.up.sql/);
    const spec = readFileSync(join(dir, `${B}_DB_SPEC.md`), 'utf8');
    assert.match(spec, /- no down migration found for m\/002_seed.up.sql/);
    assert.match(spec, /- `m\/001_users.up.sql` → `DBA_CHG-7_20250131_migrations\/001_users.up.sql`/);
    assert.match(spec, /## Perf budgets\n\n_Missing: the package holds nothing for this section yet\._/);
    assert.equal((await run(dir, ['seal', MANIFEST])).code, 0);
    assert.equal((await run(ws, ['verify', `out/pkgs/${MANIFEST}`])).code, 0);
  });

  test('an empty rollback is flagged in the spec', async () => {
    const ws = workspace({ 'm/001_users.up.sql': GO_UP, 'm/001_users.down.sql': '-- nothing to undo\n' });
    const r = await run(ws, ['new', 'CHG-7', '--from', 'm/001_users.up.sql']);
    assert.equal(r.code, 0, r.err);
    assert.match(readFileSync(join(ws, `${B}_DB_SPEC.md`), 'utf8'), /the rollback of m\/001_users.up.sql is empty: it changes nothing/);
  });

  test('injected fillers get their own flags and their files are sealed with the rest', async () => {
    const ws = workspace({ 'q.sql': 'SELECT 1;' });
    const seen: Record<string, string[]>[] = [];
    const perf: PackageFiller = {
      name: 'perf',
      flags: ['explain'],
      async fill(ctx) {
        seen.push({ ...ctx.flags });
        return {
          files: [{ section: 'perf', name: 'q.plan.txt', content: `plan of ${ctx.flags.explain?.join(',')}` }],
          inputs: ['`q.sql`'],
          notes: [],
        };
      },
    };
    const r = await run(ws, ['new', 'CHG-7', '--explain', 'q.sql'], [perf]);
    assert.equal(r.code, 0, r.err);
    assert.deepEqual(seen, [{ explain: ['q.sql'] }]);
    assert.deepEqual(manifestOf(ws).perf, [`${B}_perf/q.plan.txt`]);
    assert.equal((await run(ws, ['seal', MANIFEST])).code, 0);
    assert.equal((await run(ws, ['verify', MANIFEST])).code, 0);
    assert.equal((await run(ws, ['new', 'CHG-8', '--from', 'q.sql'], [perf])).code, 2, 'without the default fillers --from is unknown');
  });
});

const CORPUS = join(__dirname, '..', '..', '..', 'shared', 'corpus');
const LEMMY = join(CORPUS, 'LemmyNet+lemmy', 'migrations', '2023-09-18-141700_login-token');

test('a corpus migration is copied in with its down file, sealed and verified', { skip: corpusSkip(LEMMY) }, async () => {
  requireCorpus(LEMMY);
  const ws = workspace({});
  const r = await run(ws, ['new', 'CHG-7', '--from', join(LEMMY, 'up.sql')]);
  assert.equal(r.code, 0, r.err);
  assert.deepEqual(readFileSync(join(ws, `${B}_migrations/2023-09-18-141700_login-token.up.sql`)), readFileSync(join(LEMMY, 'up.sql')));
  assert.deepEqual(readFileSync(join(ws, `${B}_migrations/rollback/2023-09-18-141700_login-token.down.sql`)), readFileSync(join(LEMMY, 'down.sql')));
  assert.equal((await run(ws, ['seal', MANIFEST])).code, 0);
  assert.equal((await run(ws, ['verify', MANIFEST])).code, 0);
});
