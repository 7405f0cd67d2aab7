// Code intelligence through the real language server: the cursor is marked with `|` in the text of a query file.
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CompletionRequest,
  DefinitionRequest,
  DocumentSymbolRequest,
  HoverRequest,
  ReferencesRequest,
  SignatureHelpRequest,
  WorkspaceSymbolRequest,
  type CompletionItem,
  type DocumentSymbol,
  type Location,
} from 'vscode-languageserver-protocol/node';
import { startTestServer, type TestServer } from './lsp-harness';

const FILES: Record<string, string> = {
  'migrations/2019-03-03-163336_create_post/up.sql': 'CREATE TABLE post (\n  id bigint PRIMARY KEY,\n  tenant_id bigint NOT NULL,\n  title text NOT NULL\n);\n',
  'migrations/2019-03-03-163336_create_post/down.sql': 'DROP TABLE post;\n',
  'migrations/2020-01-01-000000_add_body/up.sql':
    'ALTER TABLE post ADD COLUMN body text;\nCREATE FUNCTION post_count(p_tenant bigint) RETURNS bigint LANGUAGE sql STABLE AS $$ SELECT count(*) FROM post WHERE tenant_id = p_tenant $$;\n',
  'migrations/2020-01-01-000000_add_body/down.sql': 'DROP FUNCTION post_count(bigint);\nALTER TABLE post DROP COLUMN body;\n',
};

let dir = '';
let server: TestServer;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'pgdba-intel-'));
  for (const [path, text] of Object.entries(FILES)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  server = await startTestServer([{ path: dir, settings: { explain: { hover: false } } }], { pgliteCacheDir: () => undefined });
});

after(async () => {
  await server.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** Opens `queries/<name>` with the cursor marker removed; returns its URI and the cursor position. */
async function cursor(name: string, marked: string) {
  const at = marked.indexOf('|');
  const text = marked.slice(0, at) + marked.slice(at + 1);
  const lines = marked.slice(0, at).split('\n');
  const path = join(dir, 'queries', name);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
  const uri = await server.open(path, text);
  return { uri, text, position: { line: lines.length - 1, character: lines[lines.length - 1].length } };
}

const uriOf = (rel: string) => pathToFileURL(join(dir, rel)).toString();

describe('code intelligence over LSP', () => {
  test("completion after `p.` lists the alias's columns", async () => {
    const { uri, position } = await cursor('a.sql', 'SELECT p.| FROM post p');
    const items = (await server.client.sendRequest(CompletionRequest.type, { textDocument: { uri }, position })) as CompletionItem[];
    assert.deepEqual(items.map((i) => i.label).sort(), ['body', 'id', 'tenant_id', 'title']);
    assert.match(items.find((i) => i.label === 'title')!.detail!, /text not null/);
  });

  test('F12 on a table opens the migration that created it', async () => {
    const { uri, position } = await cursor('b.sql', 'SELECT * FROM po|st WHERE tenant_id = $1');
    const locs = (await server.client.sendRequest(DefinitionRequest.type, { textDocument: { uri }, position })) as Location[];
    assert.equal(locs.length, 1);
    assert.equal(locs[0].uri, uriOf('migrations/2019-03-03-163336_create_post/up.sql'));
    assert.deepEqual(locs[0].range.start, { line: 0, character: 0 });
  });

  test('references include the function body and the downs', async () => {
    const { uri, position } = await cursor('c.sql', 'SELECT title FROM po|st WHERE tenant_id = $1');
    const locs = (await server.client.sendRequest(ReferencesRequest.type, {
      textDocument: { uri },
      position,
      context: { includeDeclaration: true },
    })) as Location[];
    const uris = new Set(locs.map((l) => l.uri));
    assert.ok(uris.has(uriOf('migrations/2020-01-01-000000_add_body/up.sql')));
    assert.ok(uris.has(uriOf('migrations/2019-03-03-163336_create_post/down.sql')));
    assert.ok(uris.has(uri), [...uris].join(' '));
  });

  test('hover on a table shows its columns and history with links', async () => {
    const { uri, position } = await cursor('d.sql', 'SELECT * FROM po|st WHERE tenant_id = $1');
    const hover = await server.client.sendRequest(HoverRequest.type, { textDocument: { uri }, position });
    const md = (hover?.contents as { value: string }).value;
    assert.match(md, /created in \[2019-03-03-163336_create_post\]\(file:\/\/[^)]*up\.sql#L1\)/);
    assert.match(md, /then \[2020-01-01-000000_add_body\]/, md);
    assert.match(md, /\| body \| text \|/);
    assert.match(md, /Tenant column:\*\* `tenant_id`/);
  });

  test('document symbols outline the file; workspace symbols find catalog objects', async () => {
    const { uri } = await cursor('e.sql', '|-- name: CountPosts :one\nSELECT count(*) FROM post WHERE tenant_id = $1;');
    const symbols = (await server.client.sendRequest(DocumentSymbolRequest.type, { textDocument: { uri } })) as DocumentSymbol[];
    assert.deepEqual(
      symbols.map((s) => s.name),
      ['CountPosts'],
    );
    const found = (await server.client.sendRequest(WorkspaceSymbolRequest.type, { query: 'postcount' })) as { name: string; location: Location }[];
    assert.deepEqual(
      found.map((s) => s.name),
      ['post_count'],
    );
    assert.equal(found[0].location.uri, uriOf('migrations/2020-01-01-000000_add_body/up.sql'));
  });

  test('signature help names the active argument', async () => {
    const { uri, position } = await cursor('f.sql', 'SELECT post_count(|');
    const help = await server.client.sendRequest(SignatureHelpRequest.type, { textDocument: { uri }, position });
    assert.equal(help?.signatures[0].label, 'public.post_count(bigint) → bigint');
    assert.equal(help?.activeParameter, 0);
  });
});
