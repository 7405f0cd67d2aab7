// One E2E session: packs the VSIX, installs it into a fresh code-server profile, opens a copy of the example workspace.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CACHE_DIR, ensureCodeServer, installVsix, REPO_ROOT, startCodeServer, type CodeServer } from './code-server';
import { Workbench } from './workbench';
import { vsixUnderTest } from '../vsix/vsix';

/** Screenshots and logs a human can look at; git-ignored. */
export const ARTIFACTS = join(REPO_ROOT, 'test-results', 'e2e');

/** User settings for a quiet, repeatable workbench: no welcome page, no git prompts, no update checks. */
const USER_SETTINGS = {
  'workbench.startupEditor': 'none',
  'workbench.colorTheme': 'Default Dark Modern',
  'workbench.tips.enabled': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'workbench.enableExperiments': false,
  'git.enabled': false,
  'git.openRepositoryInParentFolders': 'never',
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.commandCenter.enabled': false,
  'security.workspace.trust.enabled': false,
  'editor.minimap.enabled': false,
  // The scenarios count findings per open file; workspace-wide diagnostics are covered by test/lsp/workspace-diagnostics.test.ts.
  'pgdba.diagnostics.scope': 'openFiles',
};

export interface Manifest {
  name: string;
  publisher: string;
  version: string;
  contributes: { commands?: { command: string; title: string; category?: string }[]; walkthroughs?: { id: string; title: string }[] };
}

export interface Session {
  wb: Workbench;
  cs: CodeServer;
  /** The workspace copy (the tests edit and create files in it). */
  folder: string;
  /** A second folder for the multi-root scenario. */
  second: string;
  /** A workspace whose migrations create every contrib extension PGlite ships, and its workbench URL. */
  contrib: string;
  contribUrl: string;
  workspaceFile: string;
  /** Workbench URLs: the example folder alone, and the two-folder workspace the session opens first. */
  folderUrl: string;
  workspaceUrl: string;
  manifest: Manifest;
  userDataDir: string;
  /** Milliseconds each setup phase took, for the report. */
  timings: Record<string, number>;
  close(): Promise<void>;
}

export async function startSession(): Promise<Session> {
  const timings: Record<string, number> = {};
  const time = <T>(name: string, fn: () => T): T => {
    const t0 = Date.now();
    const v = fn();
    timings[name] = Date.now() - t0;
    return v;
  };
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  time('installCodeServer', () => ensureCodeServer());
  // PGDBA_VSIX=<file> (set by scripts/test.mjs, or by hand while iterating on a test) runs the scenarios against an
  // existing VSIX instead of packing one.
  const vsix = time('packageVsix', () => vsixUnderTest(CACHE_DIR));

  const tmp = mkdtempSync(join(tmpdir(), 'e2e-workbench-'));
  const extensionsDir = join(tmp, 'extensions');
  const userDataDir = join(tmp, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify(USER_SETTINGS, null, 2));
  // Machine-scoped settings (walkthroughs.openOnInstall is one) are read from the server's Machine settings in a remote
  // window such as code-server's; the user's settings.json does not reach the extension host for them.
  mkdirSync(join(userDataDir, 'Machine'), { recursive: true });
  writeFileSync(join(userDataDir, 'Machine', 'settings.json'), JSON.stringify({ 'workbench.welcomePage.walkthroughs.openOnInstall': false }, null, 2));
  time('installVsix', () => installVsix(vsix, extensionsDir, userDataDir));
  const manifest = JSON.parse(readFileSync(join(extensionsDir, installedFolder(extensionsDir), 'package.json'), 'utf8')) as Manifest;

  // The tests apply fixes and create files: work on copies, outside any git repository.
  const folder = join(tmp, 'saas');
  cpSync(join(REPO_ROOT, 'examples', 'saas'), folder, { recursive: true });
  // A query file for the code intelligence scenario to type into (present before the workbench indexes the folder).
  writeFileSync(join(folder, 'queries', 'scratch.sql'), '-- code intelligence\n');
  const second = join(tmp, 'docs-service');
  cpSync(join(__dirname, 'fixtures', 'docs-service'), second, { recursive: true });
  const contrib = join(tmp, 'contrib');
  cpSync(join(__dirname, 'fixtures', 'contrib'), contrib, { recursive: true });
  const workspaceFile = join(tmp, 'two-folders.code-workspace');
  writeFileSync(workspaceFile, JSON.stringify({ folders: [{ path: folder }, { path: second }], settings: {} }, null, 2));

  const t0 = Date.now();
  const cs = await startCodeServer({ extensionsDir, userDataDir, workspace: folder });
  timings.startCodeServer = Date.now() - t0;
  const folderUrl = `${cs.url}?folder=${encodeURIComponent(folder)}`;
  const workspaceUrl = `${cs.url}?workspace=${encodeURIComponent(workspaceFile)}`;
  let wb: Workbench;
  const t1 = Date.now();
  try {
    // The multi-root workspace comes first: opening a .code-workspace in a window that replaces a busy one (language
    // server and PGlite still stopping) now and then showed no folders at all; a folder URL has no file to read.
    wb = await Workbench.open(workspaceUrl, ARTIFACTS);
  } catch (err) {
    await cs.stop();
    throw err;
  }
  timings.openWorkbench = Date.now() - t1;

  return {
    wb,
    cs,
    folder,
    second,
    contrib,
    contribUrl: `${cs.url}?folder=${encodeURIComponent(contrib)}`,
    workspaceFile,
    folderUrl,
    workspaceUrl,
    manifest,
    userDataDir,
    timings,
    async close() {
      await wb.close();
      await cs.stop();
      writeFileSync(join(ARTIFACTS, 'code-server.log'), cs.output());
      copyLogs(userDataDir);
      rmSync(tmp, { recursive: true, force: true });
    },
  };
}

function installedFolder(extensionsDir: string): string {
  const list = JSON.parse(readFileSync(join(extensionsDir, 'extensions.json'), 'utf8')) as { relativeLocation: string }[];
  const hit = list.find((e) => e.relativeLocation.startsWith('pgdba.'));
  if (!hit) throw new Error(`pgdba is not in ${extensionsDir}/extensions.json`);
  return hit.relativeLocation;
}

/** Keeps the extension host and pgdba output logs next to the screenshots. */
function copyLogs(userDataDir: string): void {
  try {
    cpSync(join(userDataDir, 'logs'), join(ARTIFACTS, 'logs'), { recursive: true });
  } catch {
    /* no logs written */
  }
}

/** The extension host log lines (exthost*.log) written so far, to read activation events from. */
export function extensionHostLog(userDataDir: string): string {
  const out: string[] = [];
  const walk = (dir: string) => {
    let names: string[];
    try {
      names = readdirSync(dir);
    } catch {
      return;
    }
    for (const n of names) {
      const p = join(dir, n);
      if (n === 'remoteexthost.log') {
        // Only the host's life until the window closed it: a host terminated seconds after it started (the harness
        // switches windows) fails the requests still waiting for the language server, which is shutdown, not noise.
        const text = readFileSync(p, 'utf8');
        const end = text.indexOf('Extension host terminating');
        out.push(end >= 0 ? text.slice(0, end) : text);
      } else if (!n.includes('.')) walk(p);
    }
  };
  walk(join(userDataDir, 'logs'));
  return out.join('\n');
}
