// Entry point of layout discovery: runs each layout's detector over the file list and orders the result.
import { comparePaths } from './compare';
import { detectDiesel, detectPrisma } from './dir-per-migration';
import { detectFilePerMigration } from './file-per-migration';
import { detectFlyway } from './flyway';
import { detectMaragudk } from './maragudk';
import { detectSqitch } from './sqitch';
import { Discovery, isSqlFile } from './tree';
import { detectVersionedDirs } from './versioned-dirs';
import type { WorkspaceFiles, WorkspaceLayout } from './types';

// Most specific evidence first: a plan file, then per-migration directories, then file-name conventions.
// Each detector claims its files, so a file never lands in two layouts.
const DETECTORS: { name: string; run: (d: Discovery) => void }[] = [
  { name: 'sqitch', run: detectSqitch },
  { name: 'diesel', run: detectDiesel },
  { name: 'prisma', run: detectPrisma },
  { name: 'flyway', run: detectFlyway },
  { name: 'versioned directories', run: detectVersionedDirs },
  // Before version-prefixed files: maragudk's `0021_name_down.sql` would otherwise be taken for a simple migration.
  { name: 'maragudk/migrate', run: detectMaragudk },
  { name: 'version-prefixed files', run: detectFilePerMigration },
];

/**
 * Finds the workspace's migration folders, their tool, and every migration in apply order (roots by path, then
 * each root in its tool's order). Never throws: odd names end up in `plain`, layout mistakes in `problems`.
 */
export function discoverLayout(files: WorkspaceFiles): WorkspaceLayout {
  const d = new Discovery(files);
  for (const detector of DETECTORS) {
    try {
      detector.run(d);
    } catch (err) {
      d.problem('', `${detector.name} detection failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  const results = [...d.results].sort((a, b) => comparePaths(a.root, b.root));
  return {
    migrations: results.flatMap((r) => r.migrations),
    plain: [...d.all].filter((p) => isSqlFile(p) && !d.claimed.has(p)).sort(comparePaths),
    roots: results.map((r) => ({ path: r.root, layout: r.layout })),
    ignored: [...d.ignored].sort((a, b) => comparePaths(a.path, b.path)),
    problems: d.problems,
  };
}
