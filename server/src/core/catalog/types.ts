// The schema catalog's data model: what the workspace's SQL defines, with where each thing was defined.

/** A place in a workspace file (string offsets). */
export interface Loc {
  file: string;
  start: number;
  end: number;
}

export interface Column {
  name: string;
  type: string;
  notNull: boolean;
  default?: string;
  identity?: 'always' | 'by default';
  generated?: 'stored' | 'virtual';
  loc: Loc;
  /** The type as exact SQL (deparsed, with typmods and array bounds), for re-creating the column. */
  typeSql?: string;
  collation?: string;
  /** The expression of GENERATED ALWAYS AS (…) STORED. */
  generatedExpr?: string;
  /** For serial columns: the sequence PostgreSQL made (schema.name); it keeps its name when the table is renamed. */
  serialSequence?: string;
  comment?: string;
  /** ALTER COLUMN … SET STORAGE / SET COMPRESSION / SET STATISTICS / SET (…): physical settings a down must restore. */
  storage?: 'plain' | 'external' | 'extended' | 'main';
  compression?: string;
  statistics?: number;
  options?: Map<string, string>;
}

export interface Policy {
  name: string;
  command: string; // all | select | insert | update | delete
  permissive: boolean;
  roles: string[];
  /** Column names referenced by USING / WITH CHECK. */
  columns: string[];
  loc: Loc;
  /** The CreatePolicyStmt (as later changed by ALTER POLICY), for re-creating the policy. */
  node?: unknown;
}

export interface Constraint {
  name?: string;
  type: 'primary' | 'unique' | 'check' | 'foreign' | 'exclusion' | 'not-null';
  columns: string[];
  references?: { table: string; columns: string[] };
  notValid: boolean;
  loc: Loc;
  /** The name PostgreSQL stores: `name`, or the one it generated (e.g. `users_email_key`, `orders_user_id_fkey`). */
  pgName?: string;
  /** The Constraint AST as written (a column constraint has its columns in `columns`), for re-creating it. */
  node?: unknown;
  /** Column-constraint attributes written after it (REFERENCES … DEFERRABLE INITIALLY DEFERRED). */
  deferrable?: boolean;
  initiallyDeferred?: boolean;
}

export interface Index {
  name: string;
  table: string; // key of the table
  columns: string[];
  unique: boolean;
  loc: Loc;
  /** The IndexStmt as written (name, CONCURRENTLY and IF NOT EXISTS aside), for re-creating the index. */
  node?: unknown;
  /** Created with CREATE INDEX CONCURRENTLY. */
  concurrently?: boolean;
  comment?: string;
}

export interface Trigger {
  name: string;
  /** The CreateTrigStmt, for re-creating the trigger. */
  node: unknown;
  loc: Loc;
  comment?: string;
}

export interface Sequence {
  key: string;
  schema: string;
  name: string;
  /** The CreateSeqStmt with later ALTER SEQUENCE options merged in (undefined for a serial column's implicit sequence). */
  node?: unknown;
  /** OWNED BY: the table key and column. */
  ownedBy?: { table: string; column: string };
  /** A sequence PostgreSQL made for a serial or identity column. */
  implicit?: 'serial' | 'identity';
  /** AS type of an implicit serial sequence (integer for serial, bigint for bigserial, smallint for smallserial). */
  dataType?: string;
  /** ALTER SEQUENCE options of an implicit sequence (DefElems, later ones replacing earlier ones of the same name). */
  options?: unknown[];
  loc: Loc;
  comment?: string;
}

/** A composite, domain or range type (enums are in Catalog.enums). */
export interface TypeDef {
  key: string;
  kind: 'composite' | 'domain' | 'range';
  /** CompositeTypeStmt, CreateDomainStmt or CreateRangeStmt. */
  node: unknown;
  loc: Loc;
  comment?: string;
}

export interface Grant {
  privileges: string[]; // upper-case, 'ALL' for all
  grantee: string; // lower-case role, 'public' for PUBLIC
}

export interface Table {
  key: string; // schema.name, lower-case as PostgreSQL folds unquoted names
  schema: string;
  name: string;
  kind: 'table' | 'view' | 'materialized-view' | 'foreign-table';
  columns: Map<string, Column>;
  partition?: { strategy: 'range' | 'list' | 'hash'; columns: string[] };
  partitionOf?: string;
  rls: { enabled: boolean; forced: boolean; enabledAt?: Loc };
  policies: Policy[];
  constraints: Constraint[];
  grants: Grant[];
  loc: Loc;
  /** Views and materialized views: the ViewStmt / CreateTableAsStmt; tables: the CreateStmt (for its partitioning, inheritance, storage options). */
  node?: unknown;
  triggers?: Trigger[];
  comment?: string;
  /** Storage parameters (WITH (…) / ALTER TABLE SET (…)), name → value as PostgreSQL stores them. */
  reloptions?: Map<string, string>;
  /** REPLICA IDENTITY other than DEFAULT: 'full', 'nothing' or 'index <name>'. */
  replicaIdentity?: string;
  /** The index named by CLUSTER ON / CLUSTER … USING. */
  clusterOn?: string;
  unlogged?: boolean;
  /** CREATE TEMP TABLE: gone at the end of the session, so not part of the schema a migration leaves. */
  temporary?: boolean;
  /** Rows were inserted with `INSERT … VALUES (constants)` in the workspace's SQL (reference data such as a list of plans). */
  seededByValues?: boolean;
}

export interface FunctionDef {
  key: string; // schema.name
  schema: string;
  name: string;
  /** Argument types as written, for telling overloads apart. */
  argTypes: string[];
  /** How many trailing IN arguments have a DEFAULT (a call may omit them). */
  defaults?: number;
  /** The last IN argument is VARIADIC (a call may pass any number). */
  variadic?: boolean;
  kind: 'function' | 'procedure';
  language: string;
  securityDefiner: boolean;
  /** As declared; CREATE FUNCTION makes a function VOLATILE unless told otherwise. */
  volatility?: 'immutable' | 'stable' | 'volatile';
  /** The `SET search_path` value attached to the function, or undefined when none is pinned. */
  searchPath?: string[];
  body?: { text: string; start: number; file: string };
  loc: Loc;
  /** Where the function became SECURITY DEFINER through ALTER FUNCTION, when it did. */
  definerSetAt?: Loc;
  /** EXECUTE granted to roles (PostgreSQL grants EXECUTE to PUBLIC at creation unless default privileges say otherwise). */
  publicExecute: boolean;
  grants: Grant[];
  returns?: string;
  /** The CreateFunctionStmt, for re-creating the function (rollback of DROP or CREATE OR REPLACE). */
  node?: unknown;
  comment?: string;
}

export interface EnumType {
  key: string;
  values: string[];
  loc: Loc;
  comment?: string;
}

export interface Catalog {
  tables: Map<string, Table>;
  functions: Map<string, FunctionDef[]>;
  indexes: Map<string, Index>;
  enums: Map<string, EnumType>;
  schemas: Set<string>;
  extensions: Set<string>;
  /** Schemas where default privileges revoke EXECUTE on functions from PUBLIC. */
  defaultRevokeExecute: Set<string>;
  sequences?: Map<string, Sequence>;
  /** Composite, domain and range types by schema.name. */
  types?: Map<string, TypeDef>;
  /** Comments on schemas and extensions, keyed `schema <name>` / `extension <name>`. */
  comments?: Map<string, string>;
  /** Statements PostgreSQL would refuse for a missing dependency (see catalog/rejects.ts): they changed nothing. */
  rejected?: Rejected[];
  /** Lower-cased texts of statements the catalog does not execute (DO blocks), which may create what it cannot see. */
  opaque?: string[];
  /** Bumped whenever something changes; used to key caches. */
  version: number;
}

/** A statement the catalog left out, as PostgreSQL would refuse it. */
export interface Rejected extends Loc {
  /** PostgreSQL's error, e.g. `relation "networks" does not exist`. */
  reason: string;
  /** The name PostgreSQL cannot find, as written (schema and name, or an operator class). */
  name: string[];
  /** The missing relation is one an earlier refused statement would have created. */
  consequence?: boolean;
  /** The relation it would have created (schema.name), for messages about later uses of that name. */
  creates?: string;
}

export function emptyCatalog(): Catalog {
  return {
    tables: new Map(),
    functions: new Map(),
    indexes: new Map(),
    enums: new Map(),
    schemas: new Set(['public']),
    extensions: new Set(),
    defaultRevokeExecute: new Set(),
    sequences: new Map(),
    types: new Map(),
    comments: new Map(),
    version: 0,
  };
}
