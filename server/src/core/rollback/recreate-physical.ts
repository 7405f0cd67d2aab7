// Re-creating a table's physical settings as they are now: storage parameters, replica identity, CLUSTER ON, and each
// column's storage, compression, statistics target and options (CREATE TABLE takes none of them as they were changed).
import { QuoteUtils } from 'pgsql-deparser';
import type { Table } from '../catalog/types';

const q = (s: string) => QuoteUtils.quoteIdentifier(s);

/** A storage parameter's value as SQL: bare when it is a number or a word, quoted otherwise. */
function optionValue(v: string): string {
  return /^(-?[0-9.]+|[a-z_][a-z0-9_]*)$/.test(v) ? v : `'${v.replace(/'/g, "''")}'`;
}

/** Physical settings as they are now (storage parameters, replica identity, CLUSTER ON, per-column storage and stats). */
export function physicalSql(table: Table, rel: string): string[] {
  if (table.kind === 'view') return [];
  const what = table.kind === 'materialized-view' ? 'MATERIALIZED VIEW' : 'TABLE';
  const out: string[] = [];
  const options = (m: Map<string, string>) => [...m].map(([k, v]) => `${q(k)} = ${optionValue(v)}`).join(', ');
  if (table.reloptions?.size) out.push(`ALTER ${what} ${rel} SET (${options(table.reloptions)})`);
  for (const c of table.columns.values()) {
    const col = `ALTER ${what} ${rel} ALTER COLUMN ${q(c.name)}`;
    if (c.storage) out.push(`${col} SET STORAGE ${c.storage.toUpperCase()}`);
    if (c.compression) out.push(`${col} SET COMPRESSION ${q(c.compression)}`);
    if (c.statistics !== undefined) out.push(`${col} SET STATISTICS ${c.statistics}`);
    if (c.options?.size) out.push(`${col} SET (${options(c.options)})`);
  }
  const ident = table.replicaIdentity;
  if (ident) out.push(`ALTER TABLE ${rel} REPLICA IDENTITY ${ident.startsWith('index ') ? `USING INDEX ${q(ident.slice(6))}` : ident.toUpperCase()}`);
  if (table.clusterOn) out.push(`ALTER ${what} ${rel} CLUSTER ON ${q(table.clusterOn)}`);
  return out;
}
