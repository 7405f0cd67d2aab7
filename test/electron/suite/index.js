// Runs inside the VS Code extension host (plain CommonJS: no TypeScript loader there). Each scenario throws on failure.
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

/** Resolves with the document's diagnostics once `predicate` holds (diagnostics are pulled, so wait for the event). */
function diagnosticsWhere(uri, predicate, timeoutMs = 60000) {
  return new Promise((resolve, reject) => {
    const done = (value, error) => {
      clearTimeout(timer);
      sub.dispose();
      error ? reject(error) : resolve(value);
    };
    const check = () => {
      const items = vscode.languages.getDiagnostics(uri);
      if (predicate(items)) done(items);
    };
    const sub = vscode.languages.onDidChangeDiagnostics(check);
    const timer = setTimeout(() => done(undefined, new Error(`timed out waiting for diagnostics on ${uri.fsPath}`)), timeoutMs);
    check();
  });
}

async function run() {
  const folder = vscode.workspace.workspaceFolders[0].uri;
  const extension = vscode.extensions.getExtension('pgdba.pgdba');
  assert.ok(extension, 'the pgdba extension is installed');
  await extension.activate();

  // Tenant and unbounded diagnostics on the example queries.
  const reports = vscode.Uri.file(path.join(folder.fsPath, 'queries', 'reports.sql'));
  await vscode.window.showTextDocument(reports);
  const items = await diagnosticsWhere(reports, (ds) => ds.some((d) => d.code === 'missing-tenant-filter') && ds.some((d) => d.code === 'unbounded-select'));
  assert.ok(items.every((d) => d.source === 'pgdba'));

  // A quick fix: suppress the first finding for its statement.
  const first = items.find((d) => d.code === 'missing-tenant-filter');
  const actions = await vscode.commands.executeCommand('vscode.executeCodeActionProvider', reports, first.range, vscode.CodeActionKind.QuickFix.value);
  const suppress = actions.find((a) => a.title === 'Suppress missing-tenant-filter for this statement');
  assert.ok(suppress && suppress.edit, 'a suppression quick fix is offered');
  assert.ok(await vscode.workspace.applyEdit(suppress.edit));
  await diagnosticsWhere(
    reports,
    (ds) => ds.filter((d) => d.code === 'missing-tenant-filter').length === items.filter((d) => d.code === 'missing-tenant-filter').length - 1,
  );

  // Every pgdba command is registered.
  const commands = await vscode.commands.getCommands(true);
  for (const c of extension.packageJSON.contributes.commands) assert.ok(commands.includes(c.command), `${c.command} is registered`);

  // Generate rollback writes the missing down file of a migration.
  const up = vscode.Uri.file(path.join(folder.fsPath, 'migrations', '000004_invoice_due_date.up.sql'));
  await vscode.window.showTextDocument(up);
  await vscode.commands.executeCommand('pgdba.generateRollback', up.toString());
  const down = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(folder.fsPath, 'migrations', '000004_invoice_due_date.down.sql')));
  assert.match(down.getText(), /DROP COLUMN due_at/);
}

module.exports = { run };
