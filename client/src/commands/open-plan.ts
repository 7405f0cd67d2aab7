// pgdba.openPlan: the plan picture for a statement (the hover's "Open full plan" link, or the cursor's), from the plan cache when it has it.
import type { LanguageClient } from 'vscode-languageclient/node';
import * as vscode from 'vscode';
import { requestPlan, statementRef } from '../explain-request';
import type { PlanPanel } from '../plan-panel';

export async function openPlan(client: LanguageClient, panel: PlanPanel, arg?: unknown): Promise<void> {
  const ref = statementRef(arg);
  if (!ref) {
    void vscode.window.showWarningMessage('pgdba: put the cursor on a SQL statement first.');
    return;
  }
  const plan = await requestPlan(client, ref, {});
  if (plan) panel.show(plan);
}
