// The plan view: one webview panel showing the plan page the server built (inline SVG, CSP locked to a nonce); Save writes the plan to a DBA package.
import * as vscode from 'vscode';
import type { PlanResult } from './explain-request';
import { savePlan } from './plan-save';

export class PlanPanel implements vscode.Disposable {
  private panel: vscode.WebviewPanel | undefined;
  private plan: PlanResult | undefined;

  show(plan: PlanResult): void {
    if (!plan.html) return;
    if (!this.panel) {
      // No local resources and no command links: the page is self-contained and can only post 'save' back.
      this.panel = vscode.window.createWebviewPanel(
        'pgdba.plan',
        'pgdba plan',
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { enableScripts: true, enableCommandUris: false, localResourceRoots: [], enableFindWidget: true },
      );
      this.panel.onDidDispose(() => {
        this.panel = undefined;
        this.plan = undefined;
      });
      this.panel.webview.onDidReceiveMessage((m: { type?: string }) => {
        if (m?.type === 'save' && this.plan) void savePlan(this.plan);
      });
    }
    this.plan = plan;
    this.panel.title = `${plan.analyzed ? 'EXPLAIN ANALYZE' : 'Plan'}: ${plan.suggestedName.replace(/-explain(-analyze)?$/, '')}`;
    this.panel.webview.html = plan.html;
    this.panel.reveal(undefined, true);
  }

  dispose(): void {
    this.panel?.dispose();
  }
}
