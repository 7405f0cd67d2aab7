// Hover-to-plan latency through the real language server (textDocument/hover round trips, in-memory streams): from the plan cache and not cached.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer } from '../test/lsp/lsp-harness';
import { CORPUS } from './cli-corpus';
import { median } from './stats';

export interface LspHoverBench {
  workspace: string;
  /** Hover → first plan in a freshly opened workspace whose PGlite cache is warm (engine start + EXPLAIN + markdown). */
  firstHoverWarmCacheMs: number;
  /** Hover on a statement not planned yet, engine up (median; hoverDelayMs 0 so the server's own wait is not counted). */
  hoverColdMs: number;
  /** Hover on a statement already planned (median; target ≤ 50 ms). */
  hoverCachedMs: number;
}

const LEMMY_QUERIES = [
  'SELECT * FROM post WHERE community_id = $1 ORDER BY published_at DESC LIMIT 20',
  'SELECT p.id, c.name FROM post p JOIN community c ON c.id = p.community_id WHERE c.name = $1',
  'SELECT count(*) FROM comment WHERE post_id = $1',
  'SELECT * FROM person WHERE name ILIKE $1 LIMIT 10',
  'UPDATE post SET featured_local = true WHERE id = $1',
];

const SMALL_MIGRATION = `CREATE TABLE orders (id int PRIMARY KEY, customer_id int NOT NULL, status text NOT NULL);
INSERT INTO orders SELECT g, g % 500, CASE WHEN g % 200 = 0 THEN 'open' ELSE 'done' END FROM generate_series(1, 30000) g;
CREATE INDEX orders_customer_idx ON orders (customer_id);
ANALYZE orders;
`;
const SMALL_QUERIES = [
  "SELECT * FROM orders WHERE status = 'open'",
  'SELECT count(*) FROM orders WHERE customer_id = $1',
  'SELECT o.id FROM orders o JOIN orders p ON p.id = o.customer_id WHERE o.status = $1',
  'DELETE FROM orders WHERE id = $1',
  'SELECT status, count(*) FROM orders GROUP BY status',
];

/** On ../shared/corpus/LemmyNet+lemmy when present, else on a generated one-migration workspace. */
export async function benchLspHover(hovers = 10): Promise<LspHoverBench> {
  const lemmy = join(CORPUS, 'LemmyNet+lemmy');
  const scratch = mkdtempSync(join(tmpdir(), 'pgdba-bench-hover-'));
  const cacheDir = join(scratch, 'cache');
  let root = lemmy;
  let queries = LEMMY_QUERIES;
  if (!existsSync(lemmy)) {
    root = join(scratch, 'ws');
    mkdirSync(join(root, 'migrations'), { recursive: true });
    writeFileSync(join(root, 'migrations', '001_orders.sql'), SMALL_MIGRATION);
    queries = SMALL_QUERIES;
  }
  // Each text is made unique with a comment so that "not cached" really plans it.
  const texts = Array.from({ length: hovers }, (_, i) => `${queries[i % queries.length]} /* ${i} */`);
  const doc = texts.join(';\n') + ';\n';
  const settings = { explain: { hover: true, hoverDelayMs: 0 } };
  try {
    // Warm the PGlite cache with a first server, then measure a second one: a reopened workspace.
    const warmup = await startTestServer([{ path: root, settings }], { pgliteCacheDir: () => cacheDir, hoverWaitMs: 600_000 });
    const u0 = await warmup.open(join(root, 'pgdba-bench-hover.sql'), doc);
    await warmup.hoverAt(u0, doc, texts[0]);
    await warmup.stop();

    const server = await startTestServer([{ path: root, settings }], { pgliteCacheDir: () => cacheDir, hoverWaitMs: 600_000 });
    try {
      const uri = await server.open(join(root, 'pgdba-bench-hover.sql'), doc);
      let t = performance.now();
      const first = await server.hoverAt(uri, doc, texts[0]);
      const firstHoverWarmCacheMs = performance.now() - t;
      if (!first || !/EXPLAIN/.test(first)) throw new Error(`no plan in the first hover: ${first}`);
      const cold: number[] = [];
      for (const text of texts.slice(1)) {
        t = performance.now();
        await server.hoverAt(uri, doc, text);
        cold.push(performance.now() - t);
      }
      const cached: number[] = [];
      let hits = 0;
      for (let i = 0; i < hovers * 5; i++) {
        t = performance.now();
        const v = await server.hoverAt(uri, doc, texts[i % texts.length]);
        cached.push(performance.now() - t);
        if (/· cached/.test(v ?? '')) hits++;
      }
      // A statement the engine cannot plan is cached as its error, which the preview does not mark; plans must be hits.
      if (hits === 0) throw new Error('plan cache misses in the cached-hover bench');
      return {
        workspace: root === lemmy ? 'LemmyNet+lemmy' : 'generated (1 migration)',
        firstHoverWarmCacheMs,
        hoverColdMs: median(cold),
        hoverCachedMs: median(cached),
      };
    } finally {
      await server.stop();
    }
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

if (require.main === module) {
  void benchLspHover().then((r) => console.log(r));
}
