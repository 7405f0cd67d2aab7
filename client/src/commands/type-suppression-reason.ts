// pgdba.typeSuppressionReason (internal, run by the suppression quick fixes): the cursor goes after "reason: ".
import * as vscode from 'vscode';

export function typeSuppressionReason(uri: unknown, position: unknown): void {
  const editor = vscode.window.activeTextEditor;
  const p = position as { line?: unknown; character?: unknown } | undefined;
  if (!editor || editor.document.uri.toString() !== uri || typeof p?.line !== 'number' || typeof p.character !== 'number') return;
  const at = new vscode.Position(p.line, p.character);
  editor.selection = new vscode.Selection(at, at);
  editor.revealRange(new vscode.Range(at, at));
}
