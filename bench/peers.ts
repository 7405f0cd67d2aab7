// Installs the pinned peer tools (bench/peers/package.json) on first use and gives the path of their binaries.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const DIR = join(__dirname, 'peers');

/** Path of a peer's binary, installing the pinned peers with npm when they are missing. */
export function peerBin(name: 'squawk' | 'postgres-language-server'): string {
  const bin = join(DIR, 'node_modules', '.bin', name);
  if (!existsSync(bin)) {
    execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], { cwd: DIR, stdio: ['ignore', 'ignore', 'inherit'] });
  }
  return bin;
}
