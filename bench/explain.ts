// EXPLAIN latencies on PGlite built from LemmyNet+lemmy's migrations: build cold and warm, first plan, hover from cache and cold (medians).
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeWorkspaceFiles } from '../server/src/node/workspace-files';
import { PlanCache, planPreviewMarkdown } from '../server/src/core/explain';
import { buildPgliteFromMigrations, explainStatement, workspaceMigrations, type ExplainedStatement } from '../server/src/engine';
import { CORPUS } from './cli-corpus';
import { median } from './stats';

export interface ExplainBench {
  migrations: number;
  applied: number;
  skipped: number;
  /** Fresh cluster + every migration, no cache (one run: it takes seconds). */
  buildColdMs: number;
  /** Engine ready from the warm cache (median). */
  buildWarmMs: number;
  /** Warm cache → first plan of a statement (median; target ≤ 2 s for ~300 migrations). */
  firstPlanWarmMs: number;
  /** Hover on a statement not planned yet: EXPLAIN + catalog stats + findings + markdown (median). */
  hoverColdMs: number;
  /** Hover on a statement already planned: plan cache hit + markdown (median; target ≤ 50 ms). */
  hoverCachedMs: number;
}

const STATEMENTS = [
  'SELECT * FROM post WHERE community_id = $1 ORDER BY published_at DESC LIMIT 20',
  'SELECT p.id, c.name FROM post p JOIN community c ON c.id = p.community_id WHERE c.name = $1',
  'SELECT count(*) FROM comment WHERE post_id = $1',
  'SELECT * FROM person WHERE name ILIKE $1 LIMIT 10',
  'UPDATE post SET featured_local = true WHERE id = $1',
];

/** Undefined when ../shared/corpus/LemmyNet+lemmy is absent. `warmRuns` restarts from the cache; `hovers` plans per kind. */
export async function benchExplain(warmRuns = 3, hovers = 10): Promise<ExplainBench | undefined> {
  const lemmy = join(CORPUS, 'LemmyNet+lemmy');
  if (!existsSync(lemmy)) return undefined;
  const migrations = workspaceMigrations(nodeWorkspaceFiles(lemmy));
  const cacheDir = mkdtempSync(join(tmpdir(), 'pgdba-bench-explain-'));
  try {
    const cold = await buildPgliteFromMigrations(migrations, { cacheDir });
    await cold.engine.close();

    const warm: number[] = [];
    const firstPlan: number[] = [];
    for (let i = 0; i < warmRuns; i++) {
      const start = performance.now();
      const b = await buildPgliteFromMigrations(migrations, { cacheDir });
      warm.push(performance.now() - start);
      await b.engine.explain(STATEMENTS[0]);
      firstPlan.push(performance.now() - start);
      await b.engine.close();
    }

    const b = await buildPgliteFromMigrations(migrations, { cacheDir });
    const cache = new PlanCache<ExplainedStatement>();
    const hoverCold: number[] = [];
    const hoverCached: number[] = [];
    try {
      for (let i = 0; i < hovers; i++) {
        // A comment makes each text new, so every one of these is planned for real.
        const text = `${STATEMENTS[i % STATEMENTS.length]}${i >= STATEMENTS.length ? ` /* ${i} */` : ''}`;
        const start = performance.now();
        const r = await explainStatement(b.engine, text);
        cache.set({ text, schemaVersion: b.schemaVersion }, r);
        planPreviewMarkdown(r.plan, r.findings, { source: 'PGlite' });
        hoverCold.push(performance.now() - start);
      }
      for (let i = 0; i < hovers * 10; i++) {
        const text = STATEMENTS[i % STATEMENTS.length];
        const start = performance.now();
        const r = cache.get({ text, schemaVersion: b.schemaVersion });
        if (!r) throw new Error('plan cache miss in the cached-hover bench');
        planPreviewMarkdown(r.plan, r.findings, { source: 'PGlite', cached: true });
        hoverCached.push(performance.now() - start);
      }
    } finally {
      await b.engine.close();
    }
    return {
      migrations: migrations.length,
      applied: cold.applied,
      skipped: cold.skipped.length,
      buildColdMs: cold.ms,
      buildWarmMs: median(warm),
      firstPlanWarmMs: median(firstPlan),
      hoverColdMs: median(hoverCold),
      hoverCachedMs: median(hoverCached),
    };
  } finally {
    rmSync(cacheDir, { recursive: true, force: true });
  }
}
