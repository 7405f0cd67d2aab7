// pgdba.explainAnalyzeStatement: EXPLAIN ANALYZE of the statement at the cursor, only on this explicit request, rolled back; asks first when it changes data.
import type { LanguageClient } from 'vscode-languageclient/node';
import * as vscode from 'vscode';
import { requestPlan, statementRef } from '../explain-request';
import type { PlanPanel } from '../plan-panel';

export async function explainAnalyzeStatement(client: LanguageClient, panel: PlanPanel, arg?: unknown): Promise<void> {
  const ref = statementRef(arg);
  if (!ref) {
    void vscode.window.showWarningMessage('pgdba: put the cursor on a SQL statement first.');
    return;
  }
  // The server decides whether the statement writes and answers with a question first; requestPlan shows it as a modal.
  const plan = await requestPlan(client, ref, { analyze: true });
  if (plan) panel.show(plan);
}
