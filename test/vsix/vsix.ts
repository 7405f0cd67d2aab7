// The VSIX under test: the one `scripts/test.mjs` packed for this run (PGDBA_VSIX), else a fresh `npm run package`; unzipped on demand.
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const REPO_ROOT = join(__dirname, '..', '..');

/** Builds the production VSIX exactly as `npm run package` does. */
export function packageVsix(out: string): void {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'scripts', 'package.mjs'), '--out', out], { cwd: REPO_ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run package failed:\n${r.stdout.slice(-3000)}${r.stderr.slice(-3000)}`);
}

/** The VSIX to test: PGDBA_VSIX (PGDBA_E2E_VSIX is the older name) or one packed now into `dir`. */
export function vsixUnderTest(dir: string): string {
  const given = process.env.PGDBA_VSIX ?? process.env.PGDBA_E2E_VSIX;
  if (given) return given;
  const out = join(dir, 'pgdba-test.vsix');
  packageVsix(out);
  return out;
}

/** Unzips a VSIX into a new temp folder and returns the extension's root in it (`<tmp>/extension`). */
export function unzipVsix(vsix: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-vsix-'));
  execFileSync('unzip', ['-q', vsix, '-d', dir]);
  return join(dir, 'extension');
}
