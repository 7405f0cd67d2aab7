// pgdba.explainStatement: plans the statement at the cursor afresh (plain EXPLAIN, nothing runs) and opens the plan view.
import type { LanguageClient } from 'vscode-languageclient/node';
import * as vscode from 'vscode';
import { requestPlan, statementRef } from '../explain-request';
import type { PlanPanel } from '../plan-panel';

export async function explainStatement(client: LanguageClient, panel: PlanPanel, arg?: unknown): Promise<void> {
  const ref = statementRef(arg);
  if (!ref) {
    void vscode.window.showWarningMessage('pgdba: put the cursor on a SQL statement first.');
    return;
  }
  const plan = await requestPlan(client, ref, { fresh: true });
  if (plan) panel.show(plan);
}
