// `--changed-since <ref>`: the files git says differ from a ref (committed, staged or not) plus untracked ones.
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

export type ChangedFiles = { ok: true; files: Set<string> } | { ok: false; message: string };

function git(cwd: string, args: string[]): string {
  return execFileSync('git', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 256 * 1024 * 1024 });
}

function stderrOf(error: unknown): string {
  const e = error as { stderr?: string; code?: string; message?: string };
  if (e.code === 'ENOENT') return 'git is not installed (or not on PATH)';
  return (e.stderr || e.message || String(error)).trim().split('\n')[0];
}

/** Absolute paths of the files changed against `ref` in the repository holding `cwd`, and untracked files. */
export function changedFiles(cwd: string, ref: string): ChangedFiles {
  let top: string;
  try {
    top = git(cwd, ['rev-parse', '--show-toplevel']).trim();
  } catch (error) {
    return { ok: false, message: `--changed-since needs a git repository: ${stderrOf(error)}` };
  }
  try {
    git(top, ['rev-parse', '--verify', '--quiet', `${ref}^{commit}`]);
  } catch {
    const shallow = (() => {
      try {
        return git(top, ['rev-parse', '--is-shallow-repository']).trim() === 'true';
      } catch {
        return false;
      }
    })();
    const hint = shallow
      ? ' This is a shallow clone: fetch the ref first (e.g. `git fetch --depth=1 origin <branch>`, or actions/checkout with fetch-depth: 0).'
      : ' Check the name, or fetch it first (`git fetch origin <branch>`).';
    return { ok: false, message: `--changed-since ${ref}: no such commit in this repository.${hint}` };
  }
  try {
    // The merge base would hide changes made on the ref's side; compare the working tree with the ref itself.
    const diff = git(top, ['diff', '--name-only', '-z', '--no-renames', ref, '--']);
    const untracked = git(top, ['ls-files', '--others', '--exclude-standard', '-z']);
    const files = new Set([...diff.split('\0'), ...untracked.split('\0')].filter(Boolean).map((p) => resolve(top, p)));
    return { ok: true, files };
  } catch (error) {
    return { ok: false, message: `--changed-since ${ref}: git failed: ${stderrOf(error)}` };
  }
}
