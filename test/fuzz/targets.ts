// What the fuzzer runs an input through: `pgdba check` in-process, and the language server's diagnostics after incremental edits.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Diagnostic } from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { main } from '../../server/src/cli/main';
import { placeEdit, type EditSpec } from '../../server/src/testing/edits';
import { updateDocument } from '../../server/src/lsp/convert';
import { diagnosticsHandler } from '../../server/src/lsp/handlers/diagnostics';
import { Session } from '../../server/src/lsp/session';

/** How one input went; `problems` empty means it passed. */
export interface Outcome {
  ms: number;
  problems: { kind: 'crash' | 'internal-error' | 'invalid-output' | 'mismatch'; detail: string }[];
}

/** The file's place in a workspace: its corpus path without the project folder, so its layout (and role) is kept. */
export function workspacePath(corpusPath: string): string {
  return corpusPath.split('/').slice(1).join('/') || 'file.sql';
}

const INTERNAL = /internal[ -]error/i;

function lineCount(text: string): number {
  return text.split(/\r\n|\r|\n/).length;
}

/** `pgdba check <workspace> --format json` on the file (and a pgdba.json when given), with the CLI's io captured. */
export async function checkCli(path: string, text: string, config?: string): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-fuzz-'));
  const problems: Outcome['problems'] = [];
  const started = performance.now();
  try {
    const file = join(dir, workspacePath(path));
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, text);
    if (config !== undefined) writeFileSync(join(dir, 'pgdba.json'), config);
    let stdout = '';
    let stderr = '';
    let code: number;
    try {
      code = await main(['check', dir, '--format', 'json'], { stdout: (s) => void (stdout += s), stderr: (s) => void (stderr += s) }, dir);
    } catch (error) {
      problems.push({ kind: 'crash', detail: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      return { ms: performance.now() - started, problems };
    }
    if (INTERNAL.test(stdout) || INTERNAL.test(stderr))
      problems.push({ kind: 'internal-error', detail: (stdout.match(/.{0,200}internal[ -]error.{0,300}/i) ?? stderr.match(/.{0,500}/))?.[0] ?? '' });
    if (![0, 1, 2].includes(code)) problems.push({ kind: 'invalid-output', detail: `exit code ${code}` });
    let report: { diagnostics: { line: number; column: number; endLine: number; endColumn: number; file: string }[] } | undefined;
    try {
      report = JSON.parse(stdout);
    } catch {
      problems.push({ kind: 'invalid-output', detail: `not JSON: ${stdout.slice(0, 200)}` });
    }
    const lines = Math.max(lineCount(text), config === undefined ? 0 : lineCount(config));
    for (const d of report?.diagnostics ?? []) {
      const ok = [d.line, d.column, d.endLine, d.endColumn].every((n) => Number.isInteger(n) && n >= 1) && d.endLine <= lines;
      if (!ok) problems.push({ kind: 'invalid-output', detail: `bad position ${JSON.stringify(d)}` });
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return { ms: performance.now() - started, problems };
}

/** A language server's diagnostics pipeline (the real handler and document updates, no transport) on one workspace folder. */
class Server {
  readonly session = new Session();
  readonly docs = new Map<string, TextDocument>();
  readonly diagnostics = diagnosticsHandler(
    this.session,
    (uri) => this.docs.get(uri),
    () => undefined,
  );

  constructor(root: string) {
    this.session.setFolders([pathToFileURL(root).toString()]);
  }

  pull(uri: string): Diagnostic[] {
    return (this.diagnostics({ textDocument: { uri } }) as { items: Diagnostic[] }).items;
  }
}

function invalidPositions(items: Diagnostic[], lines: number): string | undefined {
  let bad: string | undefined;
  const visit = (o: unknown): void => {
    if (bad || !o || typeof o !== 'object') return;
    const p = o as { line?: unknown; character?: unknown };
    if ('line' in p && 'character' in p) {
      const ok =
        Number.isInteger(p.line) && Number.isInteger(p.character) && (p.line as number) >= 0 && (p.character as number) >= 0 && (p.line as number) < lines;
      if (!ok) bad = JSON.stringify(p);
    }
    for (const v of Object.values(o)) visit(v);
  };
  visit(items);
  return bad;
}

const comparable = (items: Diagnostic[]) => JSON.stringify(items.map((d) => ({ ...d, data: { ...(d.data as object), version: 0 } })));

/** Opens the text, applies the edits one at a time (diagnostics after each), and compares with the same text opened afresh. */
export function checkIncremental(path: string, text: string, edits: EditSpec[]): Outcome {
  const root = mkdtempSync(join(tmpdir(), 'pgdba-fuzz-lsp-'));
  const problems: Outcome['problems'] = [];
  const started = performance.now();
  try {
    const uri = pathToFileURL(join(root, workspacePath(path))).toString();
    const server = new Server(root);
    let doc = TextDocument.create(uri, 'sql', 1, text);
    server.docs.set(uri, doc);
    const check = (items: Diagnostic[]) => {
      const text = (d: Diagnostic) => (typeof d.message === 'string' ? d.message : d.message.value);
      const internal = items.find((d) => d.code === 'internal-error' || INTERNAL.test(text(d)));
      if (internal) problems.push({ kind: 'internal-error', detail: text(internal) });
      const bad = invalidPositions(items, doc.lineCount);
      if (bad) problems.push({ kind: 'invalid-output', detail: `position ${bad}` });
      return items;
    };
    check(server.pull(uri));
    for (const g of edits) {
      doc = updateDocument(doc, [placeEdit(g, doc.lineCount)], doc.version + 1);
      server.docs.set(uri, doc);
      check(server.pull(uri));
    }
    const incremental = server.pull(uri);
    const fresh = new Server(root);
    fresh.docs.set(uri, TextDocument.create(uri, 'sql', doc.version, doc.getText()));
    if (comparable(incremental) !== comparable(fresh.pull(uri)))
      problems.push({ kind: 'mismatch', detail: `diagnostics after edits differ from a fresh open of ${JSON.stringify(doc.getText().slice(0, 300))}` });
  } catch (error) {
    problems.push({ kind: 'crash', detail: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  } finally {
    rmSync(root, { recursive: true, force: true });
  }
  return { ms: performance.now() - started, problems };
}
