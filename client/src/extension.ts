// The VS Code extension entry point: starts the pgdba language server and registers commands (activate/deactivate only).
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { registerCommands } from './commands';
import { servePasswords } from './secrets';
import { StatusItem } from './status';
import { watchWalkthrough } from './walkthrough';
import { registerPlanHover } from './plan-hover';
import { EXPLAIN_ANALYZE_COMMAND, OPEN_PLAN_COMMAND, type PgdbaInitializationOptions } from './protocol';

let client: LanguageClient | undefined;
let output: vscode.LogOutputChannel | undefined;
let started: Promise<void> | undefined;

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  output = vscode.window.createOutputChannel('pgdba', { log: true });
  const serverModule = context.asAbsolutePath('dist/server.js');
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { execArgv: ['--nolazy', '--inspect=6009'] } },
  };
  const sql = [
    { scheme: 'file', language: 'sql' },
    { scheme: 'untitled', language: 'sql' },
    { scheme: 'file', language: 'pgsql' },
    { scheme: 'untitled', language: 'pgsql' },
  ];
  const initializationOptions: PgdbaInitializationOptions = { planHover: 'separate' };
  const clientOptions: LanguageClientOptions = {
    initializationOptions,
    documentSelector: [...sql, { scheme: 'file', pattern: '**/pgdba.json' }, { scheme: 'file', pattern: '**/DBA_*_package.json' }],
    outputChannel: output,
    traceOutputChannel: output,
    diagnosticPullOptions: { onChange: true, onSave: true },
    // Rehearsal results are pushed (they reach files that are not open); their collection needs a name of its own, or
    // it collides with the pulled diagnostics' collection, which takes the client's name.
    diagnosticCollectionName: 'pgdba rehearsal',
    // The hover's plan preview links to these two commands (command URIs); no other command runs from hover markdown.
    markdown: { isTrusted: { enabledCommands: [OPEN_PLAN_COMMAND, EXPLAIN_ANALYZE_COMMAND] } },
  };
  client = new LanguageClient('pgdba', 'pgdba', serverOptions, clientOptions);
  const status = new StatusItem(client);
  // The output channel is disposed in deactivate, after the client: requests failing while the client stops still log.
  context.subscriptions.push(status);
  const queryStats = registerCommands(context, client, output);
  // Before the client starts: the plan is the hover's last part (plan-hover.ts says why it is a provider of its own).
  context.subscriptions.push(registerPlanHover(client, sql));
  servePasswords(context, client);
  started = client.start();
  await started;
  status.listen();
  queryStats.start();
  watchWalkthrough(context);
}

export async function deactivate(): Promise<void> {
  // Stopping a client that is still starting fails every request waiting on it (and logs each one): let it start first.
  await started?.catch(() => undefined);
  await client?.stop().catch(() => undefined);
  client = undefined;
  output?.dispose();
  output = undefined;
}
