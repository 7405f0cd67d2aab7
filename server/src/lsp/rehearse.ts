// "pgdba: Rehearse migrations" in the language server: up → down → up of a folder's migrations on PGlite, as text.
import type { Connection } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { runRehearse } from '../cli/commands/rehearse';
import { rehearseRequest, type RehearseResult } from './protocol';

export function attachRehearse(connection: Connection): void {
  connection.onRequest(rehearseRequest, async ({ folderUri, down }): Promise<RehearseResult> => {
    const cwd = URI.parse(folderUri).fsPath;
    let out = '';
    let err = '';
    const progress = await connection.window.createWorkDoneProgress();
    progress.begin('pgdba: rehearsing migrations (up → down → up on PGlite)');
    try {
      const code = await runRehearse(['.', '--down', down], { cwd, stdout: (s) => void (out += s), stderr: (s) => void (err += s) });
      return { ok: code === 0, report: out + err };
    } finally {
      progress.done();
    }
  });
}
