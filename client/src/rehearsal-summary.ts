// The line a rehearsal notification shows: the report's summary, not whatever its last line happens to be.

/**
 * The summary of a rehearsal report: its "N migrations rehearsed …" line when there is one (an error printed after it
 * does not replace it), else the first line of the error that stopped the rehearsal, without a repeated "pgdba:" prefix.
 */
export function rehearsalSummary(report: string): string {
  const lines = report
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
  const summary = lines.find((l) => / migrations? rehearsed /.test(l)) ?? lines[0] ?? 'the rehearsal did not run';
  return summary.replace(/^pgdba( rehearse)?:\s*/, '');
}
