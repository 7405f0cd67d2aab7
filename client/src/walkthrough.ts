// The Get Started walkthrough: opened once per profile, and the context keys its steps complete on.
import * as vscode from 'vscode';
import { openWalkthroughOnce } from './first-run';

/** `<publisher>.<name>#<walkthrough id>` (package.json contributes.walkthroughs). */
const WALKTHROUGH = 'pgdba.pgdba#gettingStarted';

/** A `.sql` or `.pgsql` file: the "Open a SQL file" step completes on pgdba.sqlFileOpened (set once, globally). */
function isSql(document: vscode.TextDocument): boolean {
  return (document.languageId === 'sql' || document.languageId === 'pgsql') && document.uri.scheme !== 'output';
}

/** Walkthrough completion events see global context keys only, so each step's real event sets one of its own. */
function setOnce(key: string): () => void {
  let set = false;
  return () => {
    if (set) return;
    set = true;
    void vscode.commands.executeCommand('setContext', key, true);
  };
}

/** "See query plans on PGlite": a hover showed a plan (plan-hover.ts calls it). */
export const markPlanShown = setOnce('pgdba.planShown');
const markSqlFileOpened = setOnce('pgdba.sqlFileOpened');
const markConfigFound = setOnce('pgdba.configFound');
const markDatabaseAnswered = setOnce('pgdba.databaseConnected');

export function watchWalkthrough(context: vscode.ExtensionContext): void {
  // editorLangId is an editor-scoped context key, which walkthrough completion events never see. The documents, not
  // the active editor: the one that activated pgdba may be open already, and behind another editor (the walkthrough).
  const sql = (document: vscode.TextDocument) => {
    if (isSql(document)) markSqlFileOpened();
  };
  vscode.workspace.textDocuments.forEach(sql);
  context.subscriptions.push(vscode.workspace.onDidOpenTextDocument(sql));

  // "Name your tenant columns" completes once a workspace folder has its pgdba.json.
  const configs = vscode.workspace.createFileSystemWatcher('**/pgdba.json', false, true, true);
  context.subscriptions.push(configs, configs.onDidCreate(markConfigFound));
  void vscode.workspace.findFiles('**/pgdba.json', '**/node_modules/**', 1).then((found) => {
    if (found.length) markConfigFound();
  });

  const openOnInstall = vscode.workspace.getConfiguration('workbench.welcomePage').get<boolean>('walkthroughs.openOnInstall', true);
  // Beside the editor that activated pgdba (a SQL file), not over it.
  const toSide = vscode.window.activeTextEditor !== undefined;
  void openWalkthroughOnce(context.globalState, openOnInstall, () => vscode.commands.executeCommand('workbench.action.openWalkthrough', WALKTHROUGH, toSide));
}

/** The "Connect your dev database" step completes once a configured database (not PGlite) answered. */
export function markDatabaseConnected(engineLabel: string | undefined, state: string): void {
  if (state === 'ready' && engineLabel && !/^PGlite/.test(engineLabel)) markDatabaseAnswered();
}
