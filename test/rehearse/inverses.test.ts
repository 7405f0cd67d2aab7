// Every inverse of the rollback generator, applied on embedded PGlite: up, generated down, and the schema fingerprint is back.
import { after, before, describe, test } from 'node:test';
import { initParser } from '../../server/src/core/parse/parse';
import { createPgliteEngine, type PgliteEngine } from '../../server/src/engine';
import { CASES } from './cases';
import { checkCase } from './check-case';

describe('generated rollbacks restore the schema on PGlite', () => {
  let engine: PgliteEngine;
  before(async () => {
    await initParser();
    engine = await createPgliteEngine({ extensions: ['citext'], statementTimeoutMs: 30_000 });
  });
  after(async () => {
    await engine?.close();
  });
  for (const c of CASES) test(c.name, () => checkCase(engine, c));
});
