// Every inverse of the rollback generator on a throwaway PostgreSQL 15: up, generated down, and the schema fingerprint is back.
import { after, before, describe, test } from 'node:test';
import { initParser } from '../../server/src/core/parse/parse';
import { connectPg, type Engine } from '../../server/src/engine';
import { CASES } from '../rehearse/cases';
import { checkCase } from '../rehearse/check-case';
import { startThrowawayPostgres, type ThrowawayPostgres } from './harness';

describe('generated rollbacks restore the schema on PostgreSQL 15', () => {
  let server: ThrowawayPostgres;
  let engine: Engine;
  before(async () => {
    await initParser();
    server = await startThrowawayPostgres();
    engine = await connectPg({ url: server.url, statementTimeoutMs: 30_000 });
  });
  after(async () => {
    await engine?.close();
    await server?.stop();
  });
  for (const c of CASES) test(c.name, () => checkCase(engine, c));
});
