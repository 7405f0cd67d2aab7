// The one protocol module, shared with the server: the client's only import from server/ (test/architecture.test.ts).
export * from '../../server/src/lsp/protocol';
