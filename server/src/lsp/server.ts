// Wires a language server connection to the pgdba handlers (main.ts creates the connection; tests pass an in-memory one).
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  DidChangeWatchedFilesNotification,
  FileChangeType,
  TextDocuments,
  TextDocumentSyncKind,
  type Connection,
  type InitializeResult,
} from 'vscode-languageserver/node';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { ruleMarkdown } from '../core/docs';
import { initParser } from '../core/parse/parse';
import { ruleById, rules } from '../core/rules';
import { codeActionsHandler, OPEN_RULE_DOCS } from './handlers/code-actions';
import { codeLensHandler } from './handlers/code-lens';
import { diagnosticsHandler } from './handlers/diagnostics';
import { explainHandler } from './handlers/explain';
import { hoverHandler } from './handlers/hover';
import { IntelHandlers } from './handlers/intel';
import { attachWorkspaceDiagnostics } from './workspace-diagnostics';
import { planHover, planHoverRequestHandler } from './handlers/plan-hover';
import { attachExplain, type ExplainOptions } from './explain';
import { attachTrace } from './trace';
import { attachRollback } from './rollback';
import { attachRehearse } from './rehearse';
import { attachPackages, isManifest, manifestDiagnostics } from './packages';
import { PlanDiagnostics } from './plan-diagnostics';
import { QueryStatsFeature } from './query-stats';
import { explainRequest, planHoverRequest, ruleDocsRequest, rulesRequest, type PgdbaInitializationOptions } from './protocol';
import { Session } from './session';
import { updateDocument } from './convert';

/** Starts serving on `connection`; `docsDir` is where the rule docs (docs/rules) are, for links; `explainOptions` tune the EXPLAIN engines. */
export function startServer(connection: Connection, docsDir = join(__dirname, '..', 'docs', 'rules'), explainOptions: ExplainOptions = {}): void {
  const documents = new TextDocuments({ create: TextDocument.create, update: updateDocument });
  const session = new Session();
  const explain = attachExplain(connection, session, (uri) => documents.get(uri), explainOptions);
  attachTrace(connection, session, explain, (uri) => documents.get(uri), explainOptions?.pgliteCacheDir);
  const queryStats = new QueryStatsFeature(connection, session, explain);
  const planDiagnostics = new PlanDiagnostics(explain, () => void connection.languages.diagnostics.refresh());
  const docsUrl = (rule: string) => (ruleById(rule) ? pathToFileURL(join(docsDir, `${rule}.md`)).toString() : undefined);

  let canWatch = false;
  let foldersChange = false;
  // The VS Code client asks for the plan apart (pgdba/planHover): its hover shows the rest at once and the plan when ready.
  let separatePlanHover = false;
  connection.onInitialize(async (params): Promise<InitializeResult> => {
    await initParser();
    canWatch = params.capabilities.workspace?.didChangeWatchedFiles?.dynamicRegistration === true;
    // Without workspaceFolders support the library throws on onDidChangeWorkspaceFolders: the folders are then fixed.
    foldersChange = params.capabilities.workspace?.workspaceFolders === true;
    explain.initialize(params);
    separatePlanHover = (params.initializationOptions as PgdbaInitializationOptions | undefined)?.planHover === 'separate';
    queryStats.initialize(params);
    session.setFolders((params.workspaceFolders ?? []).map((f) => f.uri).concat(params.workspaceFolders ? [] : params.rootUri ? [params.rootUri] : []));
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        diagnosticProvider: { identifier: 'pgdba', interFileDependencies: true, workspaceDiagnostics: true },
        codeActionProvider: { codeActionKinds: ['quickfix'] },
        hoverProvider: true,
        completionProvider: { triggerCharacters: ['.'] },
        definitionProvider: true,
        referencesProvider: true,
        documentSymbolProvider: true,
        workspaceSymbolProvider: true,
        signatureHelpProvider: { triggerCharacters: ['(', ','] },
        inlayHintProvider: true,
        codeLensProvider: { resolveProvider: false },
        executeCommandProvider: { commands: [] },
        workspace: { workspaceFolders: { supported: true, changeNotifications: true } },
      },
      serverInfo: { name: 'pgdba', version: typeof PGDBA_VERSION === 'undefined' ? 'dev' : PGDBA_VERSION },
    };
  });

  connection.onInitialized(() => {
    explain.initialized();
    if (canWatch)
      void connection.client.register(DidChangeWatchedFilesNotification.type, {
        watchers: [
          { globPattern: '**/*.{sql,toml,conf,plan}' },
          { globPattern: '**/pgdba.json' },
          { globPattern: '**/{.gitignore,sqlc.yaml,sqlc.yml,sqlc.json}' },
        ],
      });
    if (!foldersChange) return;
    connection.workspace.onDidChangeWorkspaceFolders(async () => {
      const folders = (await connection.workspace.getWorkspaceFolders()) ?? [];
      session.setFolders(folders.map((f) => f.uri));
      void connection.languages.diagnostics.refresh();
    });
  });

  const getDoc = (uri: string) => documents.get(uri);
  const analyse = diagnosticsHandler(session, getDoc, docsUrl, (d) => planDiagnostics.items(d));
  attachPackages(connection);
  attachRollback(connection, session);
  const rehearsals = attachRehearse(connection);
  const workspaceDiagnostics = attachWorkspaceDiagnostics(connection, {
    session,
    openUris: () => new Set(documents.keys()),
    settings: (folderUri) => explain.settings.get(folderUri),
    docsUrl,
  });
  connection.languages.diagnostics.on((params) => {
    const manifest = isManifest(params.textDocument.uri) ? getDoc(params.textDocument.uri) : undefined;
    if (manifest) return manifestDiagnostics(manifest);
    const report = analyse(params);
    if (report.kind === 'full') {
      const errors = report.items.filter((d) => d.severity === 1).length;
      explain.status.findings(params.textDocument.uri, report.items.length, errors);
    }
    return report;
  });
  connection.onCodeAction(codeActionsHandler());
  connection.onCodeLens(codeLensHandler(session, getDoc, explain, queryStats));
  const intel = new IntelHandlers(session, getDoc);
  const planSection = planHover(explain);
  connection.onHover(hoverHandler(session, getDoc, docsUrl, (d, o, t) => (separatePlanHover ? Promise.resolve(undefined) : planSection(d, o, t)), intel.hover));
  connection.onRequest(planHoverRequest, planHoverRequestHandler(explain, explain.planHoverWaitMs));
  connection.onCompletion(intel.completion);
  connection.onDefinition(intel.definition);
  connection.onReferences(intel.references);
  connection.onDocumentSymbol(intel.documentSymbol);
  connection.onWorkspaceSymbol(intel.workspaceSymbol);
  connection.onSignatureHelp(intel.signatureHelp);
  connection.onRequest(explainRequest, explainHandler(explain));
  connection.onRequest(rulesRequest, () =>
    rules.map((r) => ({ id: r.id, category: r.category, severity: r.severity, summary: r.docs.summary, help: r.docs.help, docsUrl: docsUrl(r.id) })),
  );
  connection.onRequest(ruleDocsRequest, ({ rule }) => {
    const r = ruleById(rule);
    return r ? ruleMarkdown(r) : null;
  });

  documents.onDidChangeContent((e) => {
    if (e.document.version > 1) rehearsals.changed(e.document.uri);
    const at = session.locate(e.document.uri);
    at?.workspace.setOverlay(at.path, e.document.getText());
    workspaceDiagnostics.changed();
  });

  documents.onDidClose((e) => {
    const at = session.locate(e.document.uri);
    at?.workspace.clearOverlay(at.path);
  });

  connection.onDidChangeWatchedFiles((params) => {
    let configChanged = false;
    for (const change of params.changes) {
      rehearsals.changed(change.uri);
      const fsPath = URI.parse(change.uri).fsPath;
      if (fsPath.endsWith('pgdba.json')) configChanged = true;
      for (const { root, workspace } of session.allWorkspaces()) {
        if (!fsPath.startsWith(root)) continue;
        const rel = fsPath
          .slice(root.length + 1)
          .split('\\')
          .join('/');
        // Files that decide the projects (pgdba.json, ignore rules, sqlc) make the workspace discover them again.
        if (change.type === FileChangeType.Changed && !/(^|\/)(pgdba\.json|\.gitignore|sqlc\.(ya?ml|json))$/.test(rel)) workspace.fileChanged(rel);
        else workspace.filesChanged();
      }
    }
    if (configChanged) session.configs.clear();
    workspaceDiagnostics.reset();
    explain.filesChanged(params.changes.map((c) => URI.parse(c.uri).fsPath));
    void connection.languages.diagnostics.refresh();
  });

  connection.onDidChangeConfiguration(() => {
    session.configs.clear();
    workspaceDiagnostics.reset();
    explain.configurationChanged();
    void connection.languages.diagnostics.refresh();
  });

  connection.onExecuteCommand((params) => {
    if (params.command === OPEN_RULE_DOCS) return docsUrl(String(params.arguments?.[0] ?? ''));
    return undefined;
  });

  documents.listen(connection);
  connection.listen();
}

declare const PGDBA_VERSION: string;
