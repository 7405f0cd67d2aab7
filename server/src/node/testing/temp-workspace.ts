// Test helper: throwaway workspaces on disk (files by relative path), removed together after the tests.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const made: string[] = [];

/** A temp folder holding `files`; `git: true` adds a `.git` folder so it is a repository root. */
export function tempWorkspace(files: Record<string, string>, options: { git?: boolean; prefix?: string } = {}): string {
  const root = mkdtempSync(join(tmpdir(), options.prefix ?? 'pgdba-ws-'));
  made.push(root);
  if (options.git) mkdirSync(join(root, '.git'));
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

/** Removes every workspace tempWorkspace made (call from `after`). */
export function removeTempWorkspaces(): void {
  for (const d of made.splice(0)) rmSync(d, { recursive: true, force: true });
}

/** An io pair that records what a command prints. */
export function captureIo(): { out: { stdout: string; stderr: string }; io: { stdout(s: string): void; stderr(s: string): void } } {
  const out = { stdout: '', stderr: '' };
  return { out, io: { stdout: (s) => void (out.stdout += s), stderr: (s) => void (out.stderr += s) } };
}
