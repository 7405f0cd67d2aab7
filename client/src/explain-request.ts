// Asks the server for the plan of a statement (pgdba/explain), confirming first when EXPLAIN ANALYZE would run a statement that changes data.
import { randomBytes } from 'node:crypto';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { explainRequest, type ExplainResult } from './protocol';
import { markPlanShown } from './walkthrough';

/** A statement by document and position: what the hover's command links carry. */
export interface StatementRef {
  uri: string;
  position: { line: number; character: number };
}

/** The `kind: 'plan'` result of pgdba/explain. */
export type PlanResult = Extract<ExplainResult, { kind: 'plan' }>;

/** The statement a command is about: the one a hover link names, else the one at the active editor's cursor. */
export function statementRef(arg: unknown): StatementRef | undefined {
  const a = arg as Partial<StatementRef> | undefined;
  if (a && typeof a.uri === 'string' && a.position && typeof a.position.line === 'number') return { uri: a.uri, position: a.position };
  const editor = vscode.window.activeTextEditor;
  if (!editor) return undefined;
  const { line, character } = editor.selection.active;
  return { uri: editor.document.uri.toString(), position: { line, character } };
}

export interface PlanOptions {
  analyze?: boolean;
  /** Plan again even if the server has the statement cached. */
  fresh?: boolean;
}

/** Returns the plan (with the webview page built for `nonce`), or undefined after telling the user why there is none. */
export async function requestPlan(client: LanguageClient, ref: StatementRef, opts: PlanOptions, nonce = newNonce()): Promise<PlanResult | undefined> {
  const send = (confirmed: boolean) =>
    vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: opts.analyze ? 'pgdba: EXPLAIN ANALYZE…' : 'pgdba: EXPLAIN…' }, () =>
      client.sendRequest(explainRequest, {
        textDocument: { uri: ref.uri },
        position: ref.position,
        analyze: opts.analyze,
        fresh: opts.fresh,
        confirmed,
        webview: { nonce },
      }),
    );
  let result = await send(false);
  if (result.kind === 'confirm') {
    const run = 'Run EXPLAIN ANALYZE';
    const answer = await vscode.window.showWarningMessage(result.message, { modal: true }, run);
    if (answer !== run) return undefined;
    result = await send(true);
  }
  if (result.kind === 'error') {
    void vscode.window.showErrorMessage(`pgdba: ${result.message}`);
    return undefined;
  }
  if (result.kind !== 'plan') return undefined;
  markPlanShown();
  return result;
}

/** 24 random bytes, base64: the plan page's CSP admits only the script and style carrying it. */
export function newNonce(): string {
  return randomBytes(24).toString('base64');
}
