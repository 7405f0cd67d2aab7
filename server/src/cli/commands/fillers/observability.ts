// `package new --observability [PATH] --db URL`: a top-N pg_stat_statements snapshot (JSON and Markdown), the observability
// settings and the observability gate answered from them, into observability/.
import { resolve } from 'node:path';
import { checklistMarkdown, observabilityChecklist } from '../../../core/observe/checklist';
import { queryJson, topMarkdown } from '../../../core/observe/report';
import type { Observation } from '../../../core/observe/types';
import { PackageError } from '../../../core/package/naming';
import type { FillResult } from '../../../core/package/plan';
import { EngineError, fetchObservabilitySettings } from '../../../engine';
import type { PackageFiller } from '../package';
import { connectTop, readTop } from '../top';

/** How many statements the snapshot keeps (by total execution time). */
const TOP_N = 25;

export const observabilityFiller: PackageFiller = {
  name: 'observability',
  flags: ['observability', 'db'],
  async fill(ctx) {
    const result: FillResult = { files: [], inputs: [], notes: [] };
    const asked = ctx.flags.observability;
    // Not asked for: the section's gate checklist already says what is missing.
    if (!asked) return result;
    const db = ctx.flags.db?.[0];
    if (!db) throw new PackageError('--observability needs --db URL: the statistics and settings come from a real database');
    // A bare --observability maps statements against the current folder.
    const path = resolve(ctx.cwd, asked[0] === 'true' ? '.' : asked[0]);
    const folder = ctx.layout.folders.observability;
    let connected;
    try {
      connected = await connectTop(path, db);
    } catch (e) {
      if (!(e instanceof EngineError)) throw e;
      throw new PackageError(`--observability: ${e.message}`);
    }
    const { engine, files, rel } = connected;
    try {
      const settings = await fetchObservabilitySettings(engine);
      let observation: Observation | undefined;
      try {
        const top = await readTop(engine, files, 'total', TOP_N);
        observation = top.observation;
        const takenAt = new Date().toISOString();
        const json = {
          takenAt,
          source: observation.source,
          total_ms: observation.totalMs,
          notes: observation.notes,
          queries: top.queries.map((q) => queryJson(q, rel)),
        };
        result.files.push({ section: 'observability', name: 'top-queries.json', content: JSON.stringify(json, null, 2) + '\n' });
        result.files.push({ section: 'observability', name: 'top-queries.md', content: topMarkdown(observation, top.queries, rel, takenAt) });
        for (const n of observation.notes) result.notes.push({ about: 'observability', text: n });
      } catch (e) {
        if (!(e instanceof EngineError)) throw e;
        result.notes.push({ about: 'observability', text: `no pg_stat_statements snapshot: ${e.message.replace(/\n/g, ' ')}` });
      }
      const source = observation?.source ?? engine.label;
      result.files.push({ section: 'observability', name: 'settings.json', content: JSON.stringify({ source, settings }, null, 2) + '\n' });
      result.files.push({ section: 'observability', name: 'gate.md', content: checklistMarkdown(observabilityChecklist(settings, observation), source) });
      result.inputs.push(
        `pg_stat_statements and observability settings of ${source} → \`${folder}/\` (top-queries.json, top-queries.md, settings.json, gate.md)`,
      );
    } finally {
      await engine.close();
    }
    return result;
  },
};
