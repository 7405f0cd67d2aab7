// The Get Started walkthrough: opened once per profile, and the context keys its steps complete on.
import * as vscode from 'vscode';
import { openWalkthroughOnce } from './first-run';

/** `<publisher>.<name>#<walkthrough id>` (package.json contributes.walkthroughs). */
const WALKTHROUGH = 'pgdba.pgdba#gettingStarted';

/** A `.sql` or `.pgsql` file: the "Open a SQL file" step completes on pgdba.sqlFileOpened (set once, globally). */
function isSql(document: vscode.TextDocument): boolean {
  return (document.languageId === 'sql' || document.languageId === 'pgsql') && document.uri.scheme !== 'output';
}

/**
 * Walkthrough completion events see global context keys only, so each step's real event sets one of its own, as a
 * pulse (true, then back to false). Why not leave it true: VS Code 1.100 registers the walkthrough when its page is first
 * used, and a key already true then is marked as seen without completing the step; every later change is then ignored
 * for that window. A key that is false at registration completes its step at the next pulse, so each event pulses, and
 * every event seen so far pulses again when a Welcome or walkthrough tab opens.
 */
const happened = new Set<string>();

async function pulse(key: string): Promise<void> {
  await vscode.commands.executeCommand('setContext', key, true);
  await vscode.commands.executeCommand('setContext', key, false);
}

/** The step event for `key`: pulses the first time it happens in this window (a Welcome tab opening pulses it again). */
function stepEvent(key: string): () => void {
  return () => {
    if (happened.has(key)) return;
    happened.add(key);
    void pulse(key);
  };
}

/** A Welcome page or a walkthrough opened (its tab): VS Code now tracks completion, so the events seen so far go again. */
function watchWelcomeTabs(context: vscode.ExtensionContext): void {
  const isWelcome = (t: vscode.Tab) => /^(Walkthrough: |Welcome)/.test(t.label);
  context.subscriptions.push(
    vscode.window.tabGroups.onDidChangeTabs((e) => {
      if (!e.opened.some(isWelcome)) return;
      // The page registers the extension walkthroughs as it opens (asynchronously): pulse now and once it has.
      for (const delay of [0, 2000]) setTimeout(() => happened.forEach((k) => void pulse(k)), delay);
    }),
  );
}

/** "See query plans on PGlite": a hover or the plan view showed a plan (plan-hover.ts, explain-request.ts call it). */
export const markPlanShown = stepEvent('pgdba.planShown');
const markSqlFileOpened = stepEvent('pgdba.sqlFileOpened');
const markConfigFound = stepEvent('pgdba.configFound');
const markDatabaseAnswered = stepEvent('pgdba.databaseConnected');

export function watchWalkthrough(context: vscode.ExtensionContext): void {
  watchWelcomeTabs(context);
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
