// pgdba.showActions: the quick pick behind the status bar item, listing what pgdba can do here.
import * as vscode from 'vscode';

export async function showActions(): Promise<void> {
  const all = await vscode.commands.getCommands(true);
  const actions = [
    { label: '$(book) Rule documentation', command: 'pgdba.openRuleDocs' },
    { label: '$(output) Show pgdba output', command: 'pgdba.showOutput' },
    { label: '$(debug-restart) Restart the language server', command: 'pgdba.restartServer' },
  ];
  const extra = [
    { label: '$(history) Generate rollback', command: 'pgdba.generateRollback' },
    { label: '$(beaker) Rehearse migrations', command: 'pgdba.rehearseMigrations' },
    { label: '$(lock) Trace locks', command: 'pgdba.traceLocks' },
    { label: '$(graph) Explain statement', command: 'pgdba.explainStatement' },
    { label: '$(key) Set database password', command: 'pgdba.setDatabasePassword' },
    { label: '$(package) New DBA package', command: 'pgdba.newDbaPackage' },
    { label: '$(pulse) Top queries (pg_stat_statements)', command: 'pgdba.showTopQueries' },
  ].filter((a) => all.includes(a.command));
  const pick = await vscode.window.showQuickPick([...extra, ...actions], { title: 'pgdba' });
  if (pick) await vscode.commands.executeCommand(pick.command);
}
