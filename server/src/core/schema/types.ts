// The normalised schema document `pgdba schema` prints from the static catalog, from PGlite or from a live database.
// Defaults are left out (a column is nullable unless notNull, replica identity is default unless given) so that both
// sides only say what differs from PostgreSQL's defaults.

export interface ColumnJson {
  type: string;
  notNull?: true;
  default?: string;
  identity?: 'always' | 'by default';
  generated?: string;
  collation?: string;
  /** Only when it differs from the type's default storage. */
  storage?: 'plain' | 'external' | 'extended' | 'main';
  compression?: 'pglz' | 'lz4';
  statistics?: number;
  options?: string[];
}

export interface ConstraintJson {
  type: 'primary' | 'unique' | 'check' | 'foreign' | 'exclusion';
  columns?: string[];
  include?: string[];
  check?: string;
  references?: { table: string; columns: string[]; onDelete?: string; onUpdate?: string; match?: string };
  deferrable?: true;
  initiallyDeferred?: true;
  notValid?: true;
  noInherit?: true;
  nullsNotDistinct?: true;
}

export interface TriggerJson {
  timing: 'before' | 'after' | 'instead of';
  events: string[];
  level: 'row' | 'statement';
  function: string;
  args?: string[];
  columns?: string[];
  when?: string;
  constraint?: true;
}

export interface PolicyJson {
  command: string;
  permissive: boolean;
  roles: string[];
  using?: string;
  check?: string;
}

export interface TableJson {
  kind: 'table' | 'partitioned table' | 'foreign table';
  columns: Record<string, ColumnJson>;
  constraints?: Record<string, ConstraintJson>;
  partitionKey?: string;
  partitionOf?: string;
  partitionBound?: string;
  inherits?: string[];
  unlogged?: true;
  reloptions?: string[];
  replicaIdentity?: string;
  clusterOn?: string;
  rowSecurity?: true;
  forceRowSecurity?: true;
  triggers?: Record<string, TriggerJson>;
  policies?: Record<string, PolicyJson>;
  grants?: Record<string, string[]>;
}

export interface ViewJson {
  kind: 'view' | 'materialized view';
  /** The relations the view reads (what PostgreSQL records as its dependencies). */
  reads: string[];
  triggers?: Record<string, TriggerJson>;
  grants?: Record<string, string[]>;
}

export interface IndexJson {
  table: string;
  method: string;
  unique?: true;
  keys: string[];
  include?: string[];
  where?: string;
  nullsNotDistinct?: true;
}

export interface FunctionJson {
  kind: 'function' | 'procedure';
  language: string;
  returns?: string;
  volatility?: 'immutable' | 'stable';
  strict?: true;
  securityDefiner?: true;
  searchPath?: string[];
  body?: string;
  grants?: Record<string, string[]>;
}

export type TypeJson =
  | { kind: 'enum'; values: string[] }
  | { kind: 'domain'; type: string; notNull?: true; default?: string; checks?: string[] }
  | { kind: 'composite'; attributes: Record<string, string> }
  | { kind: 'range'; subtype: string };

export interface SequenceJson {
  type: string;
  start: string;
  increment: string;
  min: string;
  max: string;
  cache: string;
  cycle?: true;
  ownedBy?: string;
}

export interface SchemaJson {
  schemas: string[];
  extensions: string[];
  tables: Record<string, TableJson>;
  views: Record<string, ViewJson>;
  indexes: Record<string, IndexJson>;
  functions: Record<string, FunctionJson>;
  types: Record<string, TypeJson>;
  sequences: Record<string, SequenceJson>;
}

export function emptySchemaJson(): SchemaJson {
  return { schemas: [], extensions: [], tables: {}, views: {}, indexes: {}, functions: {}, types: {}, sequences: {} };
}
