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
}

export interface Policy {
  name: string;
  command: string; // all | select | insert | update | delete
  permissive: boolean;
  roles: string[];
  /** Column names referenced by USING / WITH CHECK. */
  columns: string[];
  loc: Loc;
}

export interface Constraint {
  name?: string;
  type: 'primary' | 'unique' | 'check' | 'foreign' | 'exclusion' | 'not-null';
  columns: string[];
  references?: { table: string; columns: string[] };
  notValid: boolean;
  loc: Loc;
}

export interface Index {
  name: string;
  table: string; // key of the table
  columns: string[];
  unique: boolean;
  loc: Loc;
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
}

export interface FunctionDef {
  key: string; // schema.name
  schema: string;
  name: string;
  /** Argument types as written, for telling overloads apart. */
  argTypes: string[];
  kind: 'function' | 'procedure';
  language: string;
  securityDefiner: boolean;
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
}

export interface EnumType {
  key: string;
  values: string[];
  loc: Loc;
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
  /** Bumped whenever something changes; used to key caches. */
  version: number;
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
    version: 0,
  };
}
