// Finding which migration, and which part of it, a file (or an offset in a dbmate file) belongs to.
import type { Migration, MigrationPart, SqlSection, WorkspaceLayout } from './types';

export interface MigrationHit {
  migration: Migration;
  part: MigrationPart;
  section: SqlSection;
}

function partsOf(m: Migration): [MigrationPart, SqlSection | undefined][] {
  return [
    ['up', m.up],
    ['down', m.down],
    ['verify', m.verify],
  ];
}

/**
 * The migration part a path belongs to. For single-file layouts (dbmate) pass `offset` to pick the section
 * holding it; an offset outside every section (e.g. on the marker line) finds nothing. Without an offset the
 * first part of the file (up before down) is returned.
 */
export function migrationForPath(layout: WorkspaceLayout, path: string, offset?: number): MigrationHit | undefined {
  // A linear scan: a thousand migrations take microseconds, and the layout stays plain data.
  for (const migration of layout.migrations) {
    for (const [part, section] of partsOf(migration)) {
      if (!section || section.path !== path) continue;
      if (offset === undefined || (offset >= section.start && offset <= section.end)) return { migration, part, section };
    }
  }
  return undefined;
}

/** All parts a path holds, in file order (a dbmate file holds both its up and down sections). */
export function migrationPartsForPath(layout: WorkspaceLayout, path: string): MigrationHit[] {
  const hits: MigrationHit[] = [];
  for (const migration of layout.migrations) {
    for (const [part, section] of partsOf(migration)) {
      if (section && section.path === path) hits.push({ migration, part, section });
    }
  }
  return hits.sort((a, b) => a.section.start - b.section.start);
}

/** Whether a path is part of some migration (up, down or verify). */
export function isMigrationPath(layout: WorkspaceLayout, path: string): boolean {
  return migrationForPath(layout, path) !== undefined;
}
