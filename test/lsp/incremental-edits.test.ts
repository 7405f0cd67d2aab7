// Through the real language server: after random incremental edits, diagnostics equal those of the same text opened afresh, with valid positions.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { DidChangeTextDocumentNotification, DidCloseTextDocumentNotification, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { placeEdit, positionEdit, sqlText, type PositionEdit } from '../../server/src/testing/edits';
import { startTestServer, type TestServer } from './lsp-harness';

let server: TestServer;
let dir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pgdba-lsp-edits-'));
  server = await startTestServer([{ path: dir, settings: {} }], { pgliteCacheDir: () => undefined });
});

after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Fails on a position that is not a non-negative integer anywhere in the diagnostics (ranges, fix and suppress edits). */
function assertValidPositions(items: Diagnostic[], text: string): void {
  const lines = TextDocument.create('file:///x', 'sql', 1, text).lineCount;
  const visit = (o: unknown): void => {
    if (!o || typeof o !== 'object') return;
    const p = o as { line?: unknown; character?: unknown };
    if ('line' in p && 'character' in p) {
      assert.ok(
        Number.isInteger(p.line) && Number.isInteger(p.character) && (p.line as number) >= 0 && (p.character as number) >= 0,
        `invalid position ${JSON.stringify(p)}`,
      );
      assert.ok((p.line as number) < lines, `line ${String(p.line)} past the end`);
    }
    for (const v of Object.values(o)) visit(v);
  };
  visit(items);
}

/** What must not depend on how the text was reached: everything but the document version in `data`. */
const comparable = (items: Diagnostic[]) => items.map((d) => ({ ...d, data: { ...(d.data as object), version: 0 } }));

let count = 0;

/** Opens `base`, applies the edits one notification at a time, and compares the diagnostics with a fresh open of the result. */
async function editAndCompare(base: string, edits: PositionEdit[] | ((doc: TextDocument) => PositionEdit)[]): Promise<void> {
  const path = join(dir, `e${count++}.sql`);
  const uri = await server.open(path, base);
  let doc = TextDocument.create(uri, 'sql', 1, base);
  for (const make of edits) {
    const e = typeof make === 'function' ? make(doc) : make;
    // The client's copy: the edit applied to the text, line starts computed afresh.
    doc = TextDocument.create(uri, 'sql', doc.version + 1, TextDocument.applyEdits(doc, [{ range: e.range, newText: e.text }]));
    await server.client.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version: doc.version }, contentChanges: [e] });
    assertValidPositions(await server.diagnostics(uri), doc.getText());
  }
  const incremental = await server.diagnostics(uri);
  await server.client.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
  await server.open(path, doc.getText());
  assert.deepEqual(comparable(incremental), comparable(await server.diagnostics(uri)), JSON.stringify(doc.getText()));
}

describe('incremental edits through the language server', () => {
  test('a range on a line past the end after a CR line end (was character: null)', async () => {
    const at = (line: number, character: number) => ({ line, character });
    await editAndCompare('', [
      { range: { start: at(0, 0), end: at(0, 0) }, text: '\r' },
      { range: { start: at(2, 0), end: at(3, 0) }, text: 'select 1\n' },
      { range: { start: at(0, 0), end: at(0, 0) }, text: 'selec 1' },
    ]);
  });

  test('a lone surrogate typed before non-ASCII text, then its pair completed', async () => {
    const text = "select 'é' from t;\r\ndelete from t;\r\n";
    const before =
      (needle: string) =>
      (doc: TextDocument): PositionEdit => {
        const p = doc.positionAt(doc.getText().indexOf(needle));
        return { range: { start: p, end: p }, text: '' };
      };
    await editAndCompare(text, [
      (doc) => ({ ...before("é'")(doc), text: '\uD83D' }),
      (doc) => ({ ...before("é'")(doc), text: '\uDE00' }),
      (doc) => ({ range: { start: doc.positionAt(2), end: doc.positionAt(doc.getText().indexOf('delete') + 3) }, text: 'x;\r\nupdate t set a = 1;\rdel' }),
    ]);
  });

  test('random edits (lone surrogates, CR / CRLF, ranges over lines and past the end) equal a fresh open', async () => {
    await fc.assert(
      fc.asyncProperty(sqlText(), fc.array(positionEdit(), { minLength: 1, maxLength: 6 }), async (base, gens) => {
        await editAndCompare(
          base,
          gens.map((g) => (doc: TextDocument) => placeEdit(g, doc.lineCount)),
        );
      }),
      { seed: 14, numRuns: 60 },
    );
  });
});
