// Registers every pgdba command; each command lives in its own file.
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { PlanPanel } from '../plan-panel';
import { explainAnalyzeStatement } from './explain-analyze-statement';
import { explainStatement } from './explain-statement';
import { openPlan } from './open-plan';
import { openRuleDocs } from './open-rule-docs';
import { setDatabasePassword } from './set-database-password';
import { showActions } from './show-actions';
import { traceLocks } from './trace-locks';
import { newDbaPackage } from './new-dba-package';
import { sealDbaPackage } from './seal-dba-package';
import { generateRollback, GeneratedRollbacks } from './generate-rollback';
import { rehearseMigrations } from './rehearse-migrations';
import { QueryStats } from './query-stats';
import { typeSuppressionReason } from './type-suppression-reason';
import { TYPE_SUPPRESSION_REASON_COMMAND } from '../protocol';

/** Registers the commands; returns the query statistics feature, whose interval refresh starts once the client runs. */
export function registerCommands(context: vscode.ExtensionContext, client: LanguageClient, output: vscode.LogOutputChannel): QueryStats {
  const reg = (id: string, fn: (...args: unknown[]) => unknown) => context.subscriptions.push(vscode.commands.registerCommand(id, fn));
  reg('pgdba.openRuleDocs', (rule) => openRuleDocs(client, String(rule ?? ''), context.extensionUri));
  reg('pgdba.showActions', () => showActions());
  reg('pgdba.traceLocks', () => traceLocks(client));
  reg('pgdba.newDbaPackage', () => newDbaPackage(client));
  reg('pgdba.sealDbaPackage', () => sealDbaPackage(client));
  const previews = new GeneratedRollbacks();
  context.subscriptions.push(previews);
  reg('pgdba.generateRollback', (uri) => generateRollback(client, output, previews, uri));
  reg('pgdba.rehearseMigrations', () => rehearseMigrations(client, output));
  reg(TYPE_SUPPRESSION_REASON_COMMAND, (uri, position) => typeSuppressionReason(uri, position));
  reg('pgdba.showOutput', () => output.show());
  reg('pgdba.restartServer', async () => {
    await client.restart();
    void vscode.window.showInformationMessage('pgdba: language server restarted.');
  });
  const planPanel = new PlanPanel();
  context.subscriptions.push(planPanel);
  reg('pgdba.setDatabasePassword', () => setDatabasePassword(context, client));
  reg('pgdba.explainStatement', (arg) => explainStatement(client, planPanel, arg));
  reg('pgdba.explainAnalyzeStatement', (arg) => explainAnalyzeStatement(client, planPanel, arg));
  reg('pgdba.openPlan', (arg) => openPlan(client, planPanel, arg));
  const queryStats = new QueryStats(client);
  context.subscriptions.push(queryStats);
  reg('pgdba.refreshQueryStats', () => queryStats.refresh(true));
  reg('pgdba.showTopQueries', (queryid) => queryStats.show(queryid));
  return queryStats;
}
