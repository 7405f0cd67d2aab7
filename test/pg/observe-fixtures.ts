// A small workspace of migrations, queries and a PL/pgSQL function, and the workload that runs its statements with other literal values.
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectPg } from '../../server/src/engine';

export const MIGRATION = `CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL, total numeric NOT NULL);
CREATE INDEX orders_status_idx ON orders (status);
CREATE INDEX orders_customer_idx ON orders (customer_id);

CREATE FUNCTION order_count(p_customer int) RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE
  n bigint;
BEGIN
  SELECT count(*) INTO n FROM orders WHERE customer_id = p_customer AND total > 0;
  RETURN n;
END
$$;
`;

export const QUERIES = `-- Reports
SELECT id, total FROM orders WHERE customer_id = 42;

SELECT count(*)
  FROM orders
 WHERE total > 100 AND id < 500;

UPDATE orders SET total = total + 1 WHERE id IN (1, 2, 3);
`;

/** The workspace on disk: migrations/0001_init.up.sql and queries/reports.sql. */
export function writeObserveWorkspace(): string {
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-top-'));
  mkdirSync(join(dir, 'migrations'));
  mkdirSync(join(dir, 'queries'));
  writeFileSync(join(dir, 'migrations', '0001_init.up.sql'), MIGRATION);
  writeFileSync(join(dir, 'migrations', '0001_init.down.sql'), 'DROP FUNCTION order_count(int);\nDROP TABLE orders;\n');
  writeFileSync(join(dir, 'queries', 'reports.sql'), QUERIES);
  return dir;
}

/** Applies the migration, resets the statistics and runs the workspace's statements with different constants (and one foreign statement). */
export async function runObserveWorkload(url: string): Promise<void> {
  const e = await connectPg({ url });
  try {
    await e.exec('CREATE EXTENSION IF NOT EXISTS pg_stat_statements');
    await e.exec(MIGRATION);
    await e.exec(`INSERT INTO orders SELECT g, g % 100, 'open', g FROM generate_series(1, 20000) g; ANALYZE orders;`);
    await e.query('SELECT pg_stat_statements_reset()');
    for (let i = 0; i < 5; i++) await e.query(`SELECT id, total FROM orders WHERE customer_id = ${i + 7}`);
    for (let i = 0; i < 3; i++) await e.query(`SELECT count(*) FROM orders WHERE total > ${i * 10} AND id < ${900 + i}`);
    await e.query('UPDATE orders SET total = total + 1 WHERE id IN (4, 5)');
    await e.query('SELECT order_count(3)');
    await e.query('SELECT 40 + 2 AS answer');
  } finally {
    await e.close();
  }
}
