// EXPLAIN in the language server: settings, engines, plans and status wired to the connection (server.ts calls attachExplain once).
import { join } from 'node:path';
import type { CancellationToken, Connection, InitializeParams } from 'vscode-languageserver/node';
import { DidChangeConfigurationNotification, MessageType, ShowMessageNotification } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { URI } from 'vscode-uri';
import { isExplainable, statementAt } from '../core/explain';
import type { Statement } from '../core/parse/parse';
import { defaultPgliteCacheDir, nodeLibpqEnvironment, resolveConnection, workspaceMigrations } from '../engine';
import { configuredProjects, projectFiles } from '../node/projects';
import { chooseEngine, EngineManager, type EngineChoice } from './engines';
import { PlanService } from './plans';
import { databaseTargetsRequest, passwordChangedNotification, passwordRequest, statusNotification, type DatabaseTarget } from './protocol';
import type { Session } from './session';
import { SettingsStore } from './settings';
import { StatusReporter } from './status';

export interface ExplainOptions {
  /** Where PGlite builds are cached for a folder (default: ~/.cache/pgdba/pglite/<hash>); undefined keeps them in memory. */
  pgliteCacheDir?: (root: string) => string | undefined;
  /** After a connection failure, plans fail fast with the same error for this long before trying again (default 30 s). */
  retryMs?: number;
  /** How long a hover waits for an engine that is still starting before it says so (default 8 s). */
  hoverWaitMs?: number;
  /** How long pgdba/planHover waits for an engine that is still starting (default 3 min: a first build of hundreds of migrations). */
  planHoverWaitMs?: number;
}

export interface FoundStatement {
  root: string;
  stmt: Statement;
}

/** A virtual folder (untitled documents) has no files and no pgdba.json. */
const isVirtual = (root: string) => /^[a-z][a-z0-9+.-]*:$/i.test(root);

export class ExplainFeature {
  readonly settings: SettingsStore;
  readonly engines: EngineManager;
  readonly plans: PlanService;
  readonly status: StatusReporter;
  readonly hoverWaitMs: number;
  readonly planHoverWaitMs: number;
  private configurable = false;
  private dynamicConfig = false;

  constructor(
    private readonly connection: Connection,
    private readonly session: Session,
    readonly document: (uri: string) => TextDocument | undefined,
    options: ExplainOptions = {},
  ) {
    this.hoverWaitMs = options.hoverWaitMs ?? 8000;
    this.planHoverWaitMs = options.planHoverWaitMs ?? 180_000;
    // window/showMessage notifications, not requests: nothing waits for the user to dismiss them.
    const show = (type: MessageType, message: string) => void connection.sendNotification(ShowMessageNotification.type, { type, message });
    this.settings = new SettingsStore(
      (scopeUri) => (this.configurable ? connection.workspace.getConfiguration({ scopeUri, section: 'pgdba' }) : Promise.resolve({})),
      (message) => show(MessageType.Warning, message),
    );
    this.status = new StatusReporter(
      (p) => void connection.sendNotification(statusNotification, p),
      (uri) => session.locate(uri)?.root,
    );
    const cacheDir = options.pgliteCacheDir ?? ((root: string) => defaultPgliteCacheDir(root));
    this.engines = new EngineManager(
      {
        log: (m) => connection.console.info(m),
        notify: (m) => show(MessageType.Error, m),
        status: (root, s) => this.status.engine(root, s),
        progress: async (title) => {
          try {
            const reporter = await connection.window.createWorkDoneProgress();
            reporter.begin(title, 0, undefined, false);
            return { report: (message, percentage) => reporter.report(percentage, message), done: () => reporter.done() };
          } catch {
            return { report: () => undefined, done: () => undefined }; // no progress UI is no reason to stop the build
          }
        },
        password: async (target, root) => (await connection.sendRequest(passwordRequest, { target, folderUri: this.scopeUri(root) })) ?? undefined,
      },
      {
        cacheDir: (root) => (isVirtual(root) ? undefined : cacheDir(root)),
        migrations: (root, project) =>
          isVirtual(root) ? [] : workspaceMigrations(projectFiles(root, session.configs), { project, projects: configuredProjects(root, session.configs) }),
        retryMs: options.retryMs,
      },
    );
    this.plans = new PlanService(this.engines);
    connection.onRequest(databaseTargetsRequest, () => this.targets());
    connection.onNotification(passwordChangedNotification, ({ target }) => this.engines.passwordChanged(target));
    connection.onShutdown(() => this.engines.closeAll());
  }

  initialize(params: InitializeParams): void {
    this.configurable = params.capabilities.workspace?.configuration === true;
    this.dynamicConfig = params.capabilities.workspace?.didChangeConfiguration?.dynamicRegistration === true;
  }

  /** VS Code sends didChangeConfiguration only to servers that register for it (the client sets no configurationSection). */
  initialized(): void {
    if (this.dynamicConfig) void this.connection.client.register(DidChangeConfigurationNotification.type, { section: 'pgdba' });
  }

  configurationChanged(): void {
    this.settings.clear();
    this.engines.reset();
  }

  filesChanged(fsPaths: readonly string[]): void {
    this.engines.filesChanged(fsPaths);
  }

  /** The settings scope for a folder: its URI (the database settings are resource-scoped). */
  scopeUri(root: string, docUri?: string): string {
    return isVirtual(root) ? (docUri ?? root) : URI.file(root).toString();
  }

  /** Which engine a folder uses, from its settings and pgdba.json. */
  async choice(root: string, docUri?: string): Promise<EngineChoice> {
    const settings = await this.settings.get(this.scopeUri(root, docUri));
    return this.choiceWith(root, settings, docUri);
  }

  /** The same without waiting: undefined until the folder's settings have been fetched once. */
  peekChoice(root: string, docUri?: string): EngineChoice | undefined {
    const settings = this.settings.peek(this.scopeUri(root, docUri));
    return settings && this.choiceWith(root, settings, docUri);
  }

  private choiceWith(root: string, settings: Parameters<typeof chooseEngine>[0], docUri?: string): EngineChoice {
    if (isVirtual(root)) return chooseEngine(settings, this.session.configs.defaults());
    const resolved = this.session.configs.forPath(join(root, 'pgdba.json'));
    const choice = chooseEngine(settings, resolved.config, resolved.path);
    // PGlite holds the schema of the document's own project only.
    const at = docUri ? this.session.locate(docUri) : undefined;
    const project = at?.workspace.projectOf(at.path)?.name;
    return choice.kind === 'pglite' && project !== undefined ? { ...choice, project } : choice;
  }

  /** The statement under an offset of an open document, with its folder. */
  statementAt(document: TextDocument, offset: number): FoundStatement | undefined {
    const at = this.session.locate(document.uri);
    const parsed = at?.workspace.parsed(at.path);
    const stmt = parsed && statementAt(parsed.statements, offset);
    return at && stmt ? { root: at.root, stmt } : undefined;
  }

  /** The statements of a document EXPLAIN can plan. */
  explainable(document: TextDocument): FoundStatement[] {
    const at = this.session.locate(document.uri);
    const parsed = at?.workspace.parsed(at.path);
    if (!at || !parsed) return [];
    return parsed.statements.filter((s) => isExplainable(s.kind)).map((stmt) => ({ root: at.root, stmt }));
  }

  private async targets(): Promise<DatabaseTarget[]> {
    const out: DatabaseTarget[] = [];
    for (const root of this.session.folders) {
      const choice = await this.choice(root);
      if (choice.kind !== 'pg') continue;
      try {
        out.push({ folderUri: this.scopeUri(root), target: resolveConnection(choice.settings, nodeLibpqEnvironment()).target, source: choice.source });
      } catch {
        // An unparsable URL has no target to store a password for; the engine reports it when used.
      }
    }
    return out;
  }
}

/** Waits `ms` unless the request is cancelled first (the pointer moved away). */
export function delay(ms: number, token: CancellationToken): Promise<void> {
  if (ms <= 0 || token.isCancellationRequested) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    const sub = token.onCancellationRequested(done);
    function done() {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    }
  });
}

export function attachExplain(
  connection: Connection,
  session: Session,
  document: (uri: string) => TextDocument | undefined,
  options?: ExplainOptions,
): ExplainFeature {
  return new ExplainFeature(connection, session, document, options);
}
