// Partial rollbacks across a workspace in one pass: each hand-written down compared with its up on the catalog as it
// stood before that migration (the earlier ups replayed once, not once per migration).
import { emptyCatalog } from '../catalog/types';
import { applyUp, type OrderedUp } from './catalog-before';
import { leftoversAndAfterUp, type LeftoverReport, type MigrationPart } from './leftovers';

/** A migration's up part, and its down part when it has one with statements. */
export interface MigrationPair {
  up: OrderedUp;
  down?: MigrationPart;
  /**
   * Migrations that share a group roll back together (ory's pop migrations split one change into numbered parts whose
   * downs undo the parts in mirrored order): their ups and downs are compared as one.
   */
  group?: string;
}

/** Migration id → what its down (or its group's downs) leaves different from before its up, for every migration with a down or in a group with one. */
export function leftoversPass(pairs: readonly MigrationPair[]): Map<string, LeftoverReport> {
  const out = new Map<string, LeftoverReport>();
  let catalog = emptyCatalog();
  for (let i = 0; i < pairs.length; ) {
    let j = i + 1;
    while (pairs[i].group !== undefined && j < pairs.length && pairs[j].group === pairs[i].group) j++;
    const run = pairs.slice(i, j);
    const downs = run.filter((p) => p.down).map((p) => p.down as MigrationPart);
    if (downs.length) {
      // The tool rolls a group back newest part first.
      const { report, afterUp } = leftoversAndAfterUp(
        run.map((p) => ({ path: p.up.path, parsed: p.up.parsed, section: p.up.section })),
        downs.reverse(),
        catalog,
      );
      for (const p of run) out.set(p.up.id, run.length > 1 ? { ...report, group: run.length } : report);
      catalog = afterUp;
    } else {
      for (const p of run) applyUp(catalog, p.up);
    }
    i = j;
  }
  return out;
}
