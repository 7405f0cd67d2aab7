import { join } from 'node:path';
import { initParser } from './server/src/core/parse/parse';
import { catalogFromMigrations, schemaFromCatalog, diffSchemaJson, differenceText } from './server/src/core/schema';
import { buildPgliteFromMigrations, workspaceMigrations } from './server/src/engine';
import { introspectSchema } from './server/src/engine/introspect';
import { nodeWorkspaceFiles } from './server/src/node/workspace-files';

async function main() {
  await initParser();
  const name = process.argv[2];
  const pointsArg = process.argv[3] ?? 'last';
  const dir = join('/work/shared/corpus', name);
  const migrations = workspaceMigrations(nodeWorkspaceFiles(dir));
  const n = migrations.length;
  const points = pointsArg === 'last' ? [n] : [Math.ceil(n / 4), Math.ceil(n / 2), Math.ceil((3 * n) / 4), n];
  for (const k of points) {
    const slice = migrations.slice(0, k);
    const t0 = Date.now();
    const build = await buildPgliteFromMigrations(slice, { cacheDir: `/tmp/schema-scratch/${name}` });
    const engine = await introspectSchema(build.engine);
    await build.engine.close();
    const stat = schemaFromCatalog(catalogFromMigrations(slice, build.skipped));
    const diffs = diffSchemaJson(stat, engine);
    const objects = new Set(diffs.map((d) => d.object));
    console.log(`${name} @${k}/${n}: ${objects.size} differing objects, ${diffs.length} differences; skipped ${build.skipped.length}; ${Date.now() - t0} ms`);
    if (process.env.SKIPS) for (const s of build.skipped) console.log(`  skipped ${s.migration}: ${s.excerpt} — ${s.reason}`);
    for (const d of diffs.slice(0, Number(process.env.SHOW ?? 40))) console.log('  ' + differenceText(d, ['static', 'engine']).slice(0, 300));
  }
}
main();
