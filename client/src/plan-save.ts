// Saves a plan as <name>.json (the raw EXPLAIN JSON other plan viewers read) and <name>.txt into a DBA package's _perf folder or a chosen folder.
import * as vscode from 'vscode';
import type { PlanResult } from './explain-request';

/** `DBA_<BriefID>_<YYYYMMDD>_perf` folders in the workspace: beside each package manifest, or already holding files. */
async function perfFolders(): Promise<vscode.Uri[]> {
  const found = new Map<string, vscode.Uri>();
  for (const m of await vscode.workspace.findFiles('**/DBA_*_package.json', '**/node_modules/**', 50)) {
    const dir = vscode.Uri.joinPath(
      m,
      '..',
      m.path
        .split('/')
        .pop()!
        .replace(/_package\.json$/, '_perf'),
    );
    found.set(dir.toString(), dir);
  }
  for (const f of await vscode.workspace.findFiles('**/DBA_*_perf/**', '**/node_modules/**', 200)) {
    const parts = f.path.split('/');
    const i = parts.findIndex((p) => /^DBA_.*_perf$/.test(p));
    if (i < 0) continue;
    const dir = f.with({ path: parts.slice(0, i + 1).join('/') });
    found.set(dir.toString(), dir);
  }
  return [...found.values()].sort((a, b) => a.path.localeCompare(b.path));
}

async function chooseFolder(): Promise<vscode.Uri | undefined> {
  const choose = { label: '$(folder-opened) Choose a folder…', uri: undefined as vscode.Uri | undefined };
  const items = (await perfFolders()).map((uri) => ({
    label: `$(package) ${uri.path.split('/').pop()}`,
    description: vscode.workspace.asRelativePath(uri),
    uri,
  }));
  const pick = await vscode.window.showQuickPick([...items, choose], {
    title: 'pgdba: save the plan into',
    placeHolder: items.length ? 'A DBA package perf folder' : 'No DBA package found in the workspace',
  });
  if (!pick) return undefined;
  if (pick.uri) return pick.uri;
  const picked = await vscode.window.showOpenDialog({ canSelectFolders: true, canSelectFiles: false, canSelectMany: false, openLabel: 'Save plan here' });
  return picked?.[0];
}

async function exists(uri: vscode.Uri): Promise<boolean> {
  try {
    await vscode.workspace.fs.stat(uri);
    return true;
  } catch {
    return false;
  }
}

function stamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}`;
}

export async function savePlan(plan: PlanResult): Promise<void> {
  const folder = await chooseFolder();
  if (!folder) return;
  const name = await vscode.window.showInputBox({
    title: 'pgdba: plan file name (without extension)',
    value: `${plan.suggestedName}-${stamp()}`,
    validateInput: (v) => (/^[A-Za-z0-9._-]+$/.test(v) ? undefined : 'Use letters, digits, ".", "-" and "_".'),
  });
  if (!name) return;
  const json = vscode.Uri.joinPath(folder, `${name}.json`);
  const text = vscode.Uri.joinPath(folder, `${name}.txt`);
  const taken = [];
  for (const u of [json, text]) if (await exists(u)) taken.push(u.path.split('/').pop());
  if (taken.length) {
    const replace = 'Replace';
    const answer = await vscode.window.showWarningMessage(
      `${taken.join(' and ')} already exist in ${vscode.workspace.asRelativePath(folder)}.`,
      { modal: true },
      replace,
    );
    if (answer !== replace) return;
  }
  await vscode.workspace.fs.createDirectory(folder);
  await vscode.workspace.fs.writeFile(json, Buffer.from(JSON.stringify(plan.json, null, 2) + '\n', 'utf8'));
  await vscode.workspace.fs.writeFile(text, Buffer.from(plan.text, 'utf8'));
  const open = 'Open';
  const answer = await vscode.window.showInformationMessage(`pgdba: saved ${name}.json and ${name}.txt in ${vscode.workspace.asRelativePath(folder)}.`, open);
  if (answer === open) await vscode.window.showTextDocument(text);
}
