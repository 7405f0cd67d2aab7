// Shared helpers for the database tests: typed-error assertions, a port nobody listens on, and tables that provoke each plan finding.
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { EngineError, type Engine, type EngineErrorCode } from '../../server/src/engine';

/** Awaits a promise that must reject with one EngineError of the given code; returns it for further checks. */
export async function expectEngineError(p: Promise<unknown>, code: EngineErrorCode, message: RegExp): Promise<EngineError> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof EngineError, `expected an EngineError(${code}), got ${err === undefined ? 'success' : String(err)}`);
  assert.equal(err.code, code, `code of: ${err.message}`);
  assert.match(err.message, message);
  return err;
}

/** A loopback port that was free a moment ago (bound, then released). */
export function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const a = srv.address();
      srv.close(() => resolve(typeof a === 'object' && a ? a.port : 0));
    });
  });
}

/**
 * orders: 30,000 rows; 0.5 % have status 'open' (no index on status); customer_id is indexed; a and b are perfectly
 * correlated, so `a = 1 AND b = 1` is estimated at ~3 rows and returns 300. notes: 20,000 rows joined on a column
 * without an index.
 */
export const FINDING_FIXTURES = `
CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, a int, b int, note text);
INSERT INTO orders SELECT g, g % 500, CASE WHEN g % 200 = 0 THEN 'open' ELSE 'done' END, g % 100, g % 100, md5(g::text)
  FROM generate_series(1, 30000) g;
CREATE INDEX orders_customer_id_idx ON orders (customer_id);
CREATE TABLE notes (id int, order_ref int, body text);
INSERT INTO notes SELECT g, g, 'x' FROM generate_series(1, 20000) g;
ANALYZE orders;
ANALYZE notes;`;

export async function loadFindingFixtures(engine: Engine): Promise<void> {
  await engine.exec(FINDING_FIXTURES);
}
