// Installs code-server (VS Code 1.100 served to a browser) into a git-ignored cache folder and runs it for the E2E suite.
// Why code-server: @vscode/test-electron downloads a desktop VS Code, and these machines reach only npm and Debian.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

/** The newest code-server that runs on Node 20 (later releases need Node 22+). */
export const CODE_SERVER_VERSION = '4.100.3';
export const REPO_ROOT = join(__dirname, '..', '..');
/** Where @vscode/test-electron would cache VS Code; git-ignored. */
export const CACHE_DIR = join(REPO_ROOT, '.vscode-test');
const INSTALL_DIR = join(CACHE_DIR, 'code-server');
const ENTRY = join(INSTALL_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const MARKER = join(INSTALL_DIR, `installed-${CODE_SERVER_VERSION}`);

/** The Debian packages the install and the browser need; named in the skip/failure message when one is missing. */
export function missingPrerequisites(): string[] {
  const missing: string[] = [];
  if (!existsSync(process.env.CHROMIUM ?? '/usr/bin/chromium')) missing.push('chromium');
  if (spawnSync('rg', ['--version']).status !== 0) missing.push('ripgrep');
  // kerberos (a native module of VS Code) builds against libkrb5's headers.
  if (!existsSync('/usr/include/krb5.h') && !existsSync('/usr/include/krb5/krb5.h')) missing.push('libkrb5-dev');
  return missing;
}

/**
 * Installs code-server once (about a minute with a warm npm cache); later calls return at once.
 * Returns the path of its Node entry point.
 */
export function ensureCodeServer(log: (line: string) => void = () => {}): string {
  if (existsSync(MARKER) && existsSync(ENTRY)) return ENTRY;
  rmSync(INSTALL_DIR, { recursive: true, force: true });
  mkdirSync(INSTALL_DIR, { recursive: true });
  // @vscode/ripgrep's postinstall downloads rg from GitHub unless its cache already holds the tarball: give it Debian's rg.
  const tmp = join(CACHE_DIR, 'tmp');
  const rgCache = join(tmp, 'vscode-ripgrep-cache-1.15.11');
  mkdirSync(rgCache, { recursive: true });
  const rg = spawnSync('sh', ['-c', 'command -v rg'], { encoding: 'utf8' }).stdout.trim();
  if (!rg) throw new Error('ripgrep is not installed (apt-get install -y ripgrep)');
  const tar = spawnSync('tar', ['czf', join(rgCache, 'ripgrep-v13.0.0-10-x86_64-unknown-linux-musl.tar.gz'), '-C', join(rg, '..'), 'rg']);
  if (tar.status !== 0) throw new Error(`could not pack ${rg} for the @vscode/ripgrep cache: ${tar.stderr}`);
  writeFileSync(join(INSTALL_DIR, 'package.json'), JSON.stringify({ private: true, dependencies: { 'code-server': CODE_SERVER_VERSION } }, null, 2));
  log(`installing code-server ${CODE_SERVER_VERSION} into ${INSTALL_DIR}`);
  const r = spawnSync('npm', ['install', '--unsafe-perm', '--no-audit', '--no-fund', '--no-package-lock', '--loglevel=error'], {
    cwd: INSTALL_DIR,
    encoding: 'utf8',
    env: {
      ...process.env,
      TMPDIR: tmp,
      // code-server's postinstall runs `npx node-gyp`, which would otherwise ask before installing it.
      npm_config_yes: 'true',
      // Running as root, npm drops privileges for lifecycle scripts unless told not to (npm < 9 reads this; later ignore it).
      npm_config_unsafe_perm: 'true',
      // npm ≥ 11.16 skips dependency install scripts that no allowScripts entry approves, and code-server's postinstall
      // runs nested `npm install`s (VS Code's native modules) in package folders we do not control. This install is a
      // throwaway tool cache, so allow them here and nowhere else.
      npm_config_dangerously_allow_all_scripts: 'true',
    },
  });
  if (r.status !== 0 || !existsSync(ENTRY)) {
    throw new Error(`code-server install failed (exit ${r.status}):\n${(r.stdout + r.stderr).slice(-4000)}`);
  }
  // kerberos is the native module that fails when libkrb5-dev is missing: check it was really built.
  const krb = join(INSTALL_DIR, 'node_modules/code-server/lib/vscode/node_modules/kerberos/build/Release/kerberos.node');
  if (!existsSync(krb)) throw new Error(`code-server installed without its native modules (no ${krb}); is libkrb5-dev installed?`);
  writeFileSync(MARKER, `${new Date().toISOString()}\n`);
  return ENTRY;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** Installs a VSIX into an extensions folder with code-server's own CLI (what a user's `--install-extension` does). */
export function installVsix(vsix: string, extensionsDir: string, userDataDir: string): void {
  const r = spawnSync(
    process.execPath,
    [ensureCodeServer(), '--extensions-dir', extensionsDir, '--user-data-dir', userDataDir, '--install-extension', vsix, '--force'],
    {
      encoding: 'utf8',
    },
  );
  if (r.status !== 0 || !/successfully installed/.test(r.stdout)) throw new Error(`installing ${vsix} failed:\n${r.stdout}${r.stderr}`);
}

export interface CodeServer {
  url: string;
  pid: number;
  /** Everything code-server wrote to stdout and stderr. */
  output(): string;
  /** Stops code-server and every process it started (extension host, language server), by process group id. */
  stop(): Promise<void>;
}

export interface StartOptions {
  extensionsDir: string;
  userDataDir: string;
  /** A folder or a .code-workspace file to open. */
  workspace: string;
}

/** Starts code-server on a free port and resolves once it listens. */
export async function startCodeServer(opts: StartOptions): Promise<CodeServer> {
  const port = await freePort();
  const args = [
    ensureCodeServer(),
    '--auth',
    'none',
    '--bind-addr',
    `127.0.0.1:${port}`,
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--extensions-dir',
    opts.extensionsDir,
    '--user-data-dir',
    opts.userDataDir,
    opts.workspace,
  ];
  // detached: code-server leads its own process group, so stop() reaches the extension host and the language server too.
  const child: ChildProcess = spawn(process.execPath, args, {
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, NODE_OPTIONS: '', VSCODE_CLI: undefined },
  });
  let out = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes('HTTP server listening')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`code-server exited (${code}) before listening:\n${out}`)));
    child.once('error', reject);
  });
  const pid = child.pid!;
  return {
    url: `http://127.0.0.1:${port}/`,
    pid,
    output: () => out,
    async stop() {
      signalGroup(pid, 'SIGTERM');
      // The extension host and the language server may outlive code-server itself by a moment: wait for the whole group.
      const deadline = Date.now() + 5000;
      await exited;
      while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      if (groupAlive(pid)) signalGroup(pid, 'SIGKILL');
    },
  };
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch {
    /* the group is gone */
  }
}

function groupAlive(pgid: number): boolean {
  try {
    process.kill(-pgid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The version code-server reports once installed, for the run log. */
export function installedVersion(): string | undefined {
  try {
    return JSON.parse(readFileSync(join(INSTALL_DIR, 'node_modules', 'code-server', 'package.json'), 'utf8')).version;
  } catch {
    return undefined;
  }
}
