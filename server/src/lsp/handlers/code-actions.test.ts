// The suppression quick fixes carry a command that puts the cursor on the reason of the comment they insert.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver';
import { fileSuppressEdit, statementSuppressEdit } from '../../core/suppress';
import { TYPE_SUPPRESSION_REASON_COMMAND } from '../protocol';
import { codeActionsHandler } from './code-actions';

const text = 'SELECT 1;\n  DELETE FROM orders;\n';
const doc = TextDocument.create('file:///w/q.sql', 'sql', 3, text);
const toTextEdit = (e: { start: number; end: number; newText: string }) => ({
  range: { start: doc.positionAt(e.start), end: doc.positionAt(e.end) },
  newText: e.newText,
});

test('after either suppression the cursor lands right after "reason: " in the inserted comment', () => {
  const stmt = text.indexOf('DELETE');
  const diagnostic: Diagnostic = {
    range: { start: doc.positionAt(stmt), end: doc.positionAt(stmt + 6) },
    message: 'unbounded',
    source: 'pgdba',
    data: {
      rule: 'unbounded-write',
      version: 3,
      suppress: { statement: toTextEdit(statementSuppressEdit(text, stmt, 'unbounded-write')), file: toTextEdit(fileSuppressEdit('unbounded-write')) },
    },
  };
  const actions = codeActionsHandler()({ textDocument: { uri: doc.uri }, range: diagnostic.range, context: { diagnostics: [diagnostic] } });
  for (const title of ['Suppress unbounded-write for this statement', 'Suppress unbounded-write for this file']) {
    const action = actions.find((a) => a.title === title);
    assert.ok(action?.edit?.documentChanges && action.command, title);
    assert.equal(action.command.command, TYPE_SUPPRESSION_REASON_COMMAND);
    const [uri, position] = action.command.arguments as [string, { line: number; character: number }];
    assert.equal(uri, doc.uri);
    // Apply the edit, then read what is left of the cursor on its line.
    const change = action.edit.documentChanges[0] as { edits: { range: { start: { line: number; character: number } }; newText: string }[] };
    const after = TextDocument.applyEdits(
      doc,
      change.edits.map((e) => ({ range: { start: e.range.start, end: e.range.start }, newText: e.newText })),
    );
    const line = after.split('\n')[position.line];
    assert.match(line.slice(0, position.character), /-- reason: $/, `${title}: ${JSON.stringify(line)} at ${position.character}`);
    assert.equal(line.slice(position.character), '');
  }
});
