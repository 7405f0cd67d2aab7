// A real pgdba language server over in-memory streams, with a client that answers settings and password requests and records what the server says.
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createConnection } from 'vscode-languageserver/node';
import {
  ConfigurationRequest,
  createProtocolConnection,
  DiagnosticRefreshRequest,
  DidChangeConfigurationNotification,
  DidOpenTextDocumentNotification,
  DocumentDiagnosticRequest,
  HoverRequest,
  InitializedNotification,
  InitializeRequest,
  LogMessageNotification,
  PublishDiagnosticsNotification,
  ShowMessageNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type Diagnostic,
  type LogMessageParams,
  type ProtocolConnection,
  type ShowMessageParams,
} from 'vscode-languageserver-protocol/node';
import { startServer } from '../../server/src/lsp/server';
import type { ExplainOptions } from '../../server/src/lsp/explain';
import type { ExplainParams, ExplainResult, StatusParams } from '../../server/src/lsp/protocol';

export interface Folder {
  path: string;
  /** The `pgdba` section VS Code would return for resources in this folder. */
  settings: Record<string, unknown>;
}

export interface TestServer {
  client: ProtocolConnection;
  messages: ShowMessageParams[];
  /** window/logMessage from the server (a failing handler is logged there). */
  logs: LogMessageParams[];
  statuses: StatusParams[];
  /** Resolves with the first status from now on that matches. */
  nextStatus(match: (s: StatusParams) => boolean): Promise<StatusParams>;
  /** Diagnostics the server pushed (textDocument/publishDiagnostics), by URI, latest only. */
  published: Map<string, Diagnostic[]>;
  /** Targets the server asked the client's SecretStorage about. */
  passwordAsks: string[];
  folders: Folder[];
  /** Resolves at the next workspace/diagnostic/refresh request from the server. */
  nextRefresh(): Promise<void>;
  open(path: string, text: string): Promise<string>;
  /** Hover markdown at the first occurrence of `needle` in the text (plus `delta` characters), or undefined. */
  hoverAt(uri: string, text: string, needle: string, delta?: number): Promise<string | undefined>;
  diagnostics(uri: string): Promise<Diagnostic[]>;
  explain(params: Omit<ExplainParams, 'textDocument' | 'position'> & { uri: string; text: string; needle: string }): Promise<ExplainResult>;
  settingsChanged(): Promise<void>;
  stop(): Promise<void>;
}

export function positionOf(text: string, needle: string, delta = 0): { line: number; character: number } {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" is not in the text`);
  const before = text.slice(0, at + delta).split('\n');
  return { line: before.length - 1, character: before[before.length - 1].length };
}

export async function startTestServer(
  folders: Folder[],
  options: ExplainOptions,
  password: (target: string) => string | null = () => null,
  initializationOptions?: unknown,
): Promise<TestServer> {
  const up = new PassThrough();
  const down = new PassThrough();
  startServer(createConnection(new StreamMessageReader(up), new StreamMessageWriter(down)), undefined, options);
  const client = createProtocolConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  const messages: ShowMessageParams[] = [];
  const logs: LogMessageParams[] = [];
  client.onNotification(LogMessageNotification.type, (m) => void logs.push(m));
  const statuses: StatusParams[] = [];
  const passwordAsks: string[] = [];
  const published = new Map<string, Diagnostic[]>();
  client.onNotification(PublishDiagnosticsNotification.type, (p) => void published.set(p.uri, p.diagnostics));
  let refreshed: (() => void)[] = [];
  client.onNotification(ShowMessageNotification.type, (m) => void messages.push(m));
  let statusWaiters: { match: (s: StatusParams) => boolean; resolve: (s: StatusParams) => void }[] = [];
  client.onNotification('pgdba/status', (p: StatusParams) => {
    statuses.push(p);
    const hit = statusWaiters.filter((w) => w.match(p));
    statusWaiters = statusWaiters.filter((w) => !w.match(p));
    for (const w of hit) w.resolve(p);
  });
  client.onRequest('pgdba/password', (p: { target: string }) => {
    passwordAsks.push(p.target);
    return password(p.target);
  });
  client.onRequest(DiagnosticRefreshRequest.type, () => {
    const waiting = refreshed;
    refreshed = [];
    for (const r of waiting) r();
  });
  client.onRequest(ConfigurationRequest.type, (params) =>
    params.items.map((item) => {
      const f = folders.find((x) => item.scopeUri?.startsWith(pathToFileURL(x.path).toString()));
      return f?.settings ?? {};
    }),
  );
  client.listen();
  await client.sendRequest(InitializeRequest.type, {
    processId: null,
    rootUri: null,
    capabilities: { workspace: { configuration: true } },
    initializationOptions,
    workspaceFolders: folders.map((f, i) => ({ uri: pathToFileURL(f.path).toString(), name: `f${i}` })),
  });
  await client.sendNotification(InitializedNotification.type, {});

  return {
    client,
    messages,
    logs,
    statuses,
    nextStatus: (match) => new Promise((resolve) => statusWaiters.push({ match, resolve })),
    published,
    passwordAsks,
    folders,
    nextRefresh: () => new Promise<void>((resolve) => refreshed.push(resolve)),
    async open(path, text) {
      const uri = pathToFileURL(path).toString();
      await client.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'sql', version: 1, text } });
      return uri;
    },
    async hoverAt(uri, text, needle, delta = 0) {
      const hover = await client.sendRequest(HoverRequest.type, { textDocument: { uri }, position: positionOf(text, needle, delta) });
      return hover ? (hover.contents as { value: string }).value : undefined;
    },
    async diagnostics(uri) {
      const report = await client.sendRequest(DocumentDiagnosticRequest.type, { textDocument: { uri } });
      return (report as { items: Diagnostic[] }).items;
    },
    explain({ uri, text, needle, ...rest }) {
      return client.sendRequest('pgdba/explain', { textDocument: { uri }, position: positionOf(text, needle), ...rest } satisfies ExplainParams);
    },
    async settingsChanged() {
      await client.sendNotification(DidChangeConfigurationNotification.type, { settings: null });
    },
    async stop() {
      // shutdown closes the engines; no exit notification: the in-process server would end the test process with it.
      await client.sendRequest(ShutdownRequest.type);
      client.dispose();
    },
  };
}
