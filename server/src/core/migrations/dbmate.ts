// dbmate single-file migrations: finds the `-- migrate:up` / `-- migrate:down` sections and their options.
import type { SqlSection, Transaction } from './types';

export interface DbmateSections {
  /** Text after the `-- migrate:up` line, up to the down marker or the end of the file. */
  up?: SqlSection;
  /** Text after the `-- migrate:down` line, up to the up marker or the end of the file. */
  down?: SqlSection;
  /** `-- migrate:up transaction:false` runs the up section outside a transaction. */
  upTransaction: Transaction;
  downTransaction: Transaction;
  /** What dbmate itself would refuse: no up marker, statements before the first marker. */
  problems: string[];
}

interface Marker {
  /** Offset of the `--` that starts the marker line. */
  start: number;
  /** Offset just past the marker line (after its newline). */
  bodyStart: number;
  options: Map<string, string>;
}

// dbmate finds its markers with a multi-line regex over the raw text (dbmate pkg/dbmate/migration.go), not
// with a SQL scanner, so a marker inside a dollar-quoted body counts for dbmate too; we match its behaviour.
// Only the first marker of each kind counts, as in dbmate.
function findMarker(text: string, kind: 'up' | 'down'): Marker | undefined {
  const re = kind === 'up' ? /^--[ \t]*migrate:up(?=[ \t\r]|$)([^\n]*)/m : /^--[ \t]*migrate:down(?=[ \t\r]|$)([^\n]*)/m;
  const m = re.exec(text);
  if (!m) return undefined;
  const lineEnd = m.index + m[0].length;
  const options = new Map<string, string>();
  for (const token of m[1].trim().split(/\s+/)) {
    const pair = token.split(':');
    if (pair.length === 2 && pair[0] !== '') options.set(pair[0], pair[1]);
  }
  return { start: m.index, bodyStart: lineEnd < text.length ? lineEnd + 1 : lineEnd, options };
}

/** True when the text has a dbmate `-- migrate:up` marker. */
export function hasDbmateMarker(text: string): boolean {
  return findMarker(text, 'up') !== undefined;
}

function transactionOf(marker: Marker | undefined): Transaction {
  // dbmate: migrationOptions.Transaction() is true unless the option is exactly "false".
  return marker?.options.get('transaction') === 'false' ? 'none' : 'wrapped';
}

/** Lines before the first marker may only be blank or comments (dbmate's statementsPrecedeMigrateBlocks). */
function statementsBefore(text: string, until: number): boolean {
  return text
    .slice(0, until)
    .split('\n')
    .some((line) => !/^\s*$/.test(line) && !/^\s*--/.test(line));
}

/**
 * Splits a dbmate migration into its up and down sections (string offsets into `text`). Never throws:
 * a file without markers comes back with no sections and a problem.
 */
export function sectionOf(path: string, text: string): DbmateSections {
  const up = findMarker(text, 'up');
  const down = findMarker(text, 'down');
  const problems: string[] = [];
  const result: DbmateSections = { upTransaction: transactionOf(up), downTransaction: transactionOf(down), problems };
  if (!up) {
    problems.push("dbmate requires an up section: add a '-- migrate:up' line");
  } else {
    const end = down && down.start > up.start ? down.start : text.length;
    result.up = { path, start: up.bodyStart, end: Math.max(up.bodyStart, end) };
  }
  if (down) {
    const end = up && up.start > down.start ? up.start : text.length;
    result.down = { path, start: down.bodyStart, end: Math.max(down.bodyStart, end) };
  }
  const first = Math.min(up?.start ?? text.length, down?.start ?? text.length);
  if ((up || down) && statementsBefore(text, first)) {
    problems.push("dbmate does not run statements before the first '-- migrate:' marker");
  }
  return result;
}
