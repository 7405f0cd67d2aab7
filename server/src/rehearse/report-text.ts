// A rehearsal as text: one block per migration and a summary line (the CLI's report and the editor's output channel).
import type { ClusterStatementAt, FolderRehearsal } from './folder';
import { STATUSES, type RehearsalReport, type RehearsalResult } from './rehearse';

/** One result as a report line. */
export function line(r: RehearsalResult): string {
  // file:line:column, as compilers print it, so terminals and CI logs link to the place to fix.
  const at = r.file && r.status !== 'ok' ? `\n                at ${r.file}:${r.line ?? 1}${r.column !== undefined ? `:${r.column}` : ''}` : '';
  return `${r.status.padEnd(15)} ${r.name}${r.detail ? `\n                ${r.detail}` : ''}${at}\n`;
}

export function summaryText(s: RehearsalReport['summary']): string {
  const parts = STATUSES.filter((k) => s[k] > 0).map((k) => `${s[k]} ${k}`);
  return `\n${s.total} migrations rehearsed on ${s.engine} with ${s.down === 'files' ? 'their own down files' : 'generated rollbacks'} in ${(s.ms / 1000).toFixed(1)} s: ${parts.join(', ') || 'none'}\n`;
}

/** Cluster-wide statements as `file:line:column  what  statement`, one per line. */
export function clusterStatementsText(statements: readonly ClusterStatementAt[], shown: (file: string) => string = (f) => f): string {
  return statements.map((s) => `  ${shown(s.file)}:${s.line}:${s.column}  ${s.what}: ${s.text}\n`).join('');
}

/** What a --db run did outside its scratch database: stale scratch databases dropped, cluster changes undone or not. */
export function serverNotes(r: Pick<FolderRehearsal, 'staleDropped' | 'clusterUndo'>): string {
  const out: string[] = [];
  if (r.staleDropped.length)
    out.push(
      `dropped ${r.staleDropped.length} stale scratch database${r.staleDropped.length === 1 ? '' : 's'} left by an interrupted rehearsal: ${r.staleDropped.join(', ')}`,
    );
  if (r.clusterUndo?.statements.length) out.push(`undid the rehearsal's cluster-wide changes:\n${r.clusterUndo.statements.map((s) => `  ${s}`).join('\n')}`);
  if (r.clusterUndo?.impossible.length) out.push(`could not undo:\n${r.clusterUndo.impossible.map((s) => `  ${s}`).join('\n')}`);
  return out.map((s) => `${s}\n`).join('');
}
