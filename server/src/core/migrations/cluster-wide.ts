// Statements whose effect lives outside the database they run in: roles, role settings and comments, role membership,
// tablespaces, ALTER SYSTEM, and database-level objects. A rehearsal on a scratch database of a real server must not
// run them silently: dropping the scratch database does not undo them, and they change every user's sessions.
import { as } from '../parse/ast';
import { parseSql, type Statement } from '../parse/parse';
import { plpgsqlStatements } from '../parse/plpgsql-queries';

export interface ClusterWideStatement {
  /** 0-based statement index in the script, and its string offsets. */
  index: number;
  start: number;
  end: number;
  /** What it changes, e.g. "creates a role", "sets a role's configuration". */
  what: string;
}

/** Object types whose catalogs are shared by the whole cluster (pg_authid, pg_tablespace, pg_database, pg_parameter_acl). */
const SHARED_OBJECTS: Record<string, string> = {
  OBJECT_ROLE: 'a role',
  OBJECT_TABLESPACE: 'a tablespace',
  OBJECT_DATABASE: 'a database',
  OBJECT_PARAMETER_ACL: 'a server parameter',
};

function sharedObject(value: Record<string, unknown> | undefined, key: string): string | undefined {
  const t = value?.[key];
  return typeof t === 'string' ? SHARED_OBJECTS[t] : undefined;
}

/** What a statement changes outside its database, or undefined when its effect stays inside. */
export function clusterWideEffect(stmt: Pick<Statement, 'kind' | 'node'>): string | undefined {
  const v = (stmt.node as unknown as Record<string, Record<string, unknown>>)[stmt.kind];
  switch (stmt.kind) {
    case 'CreateRoleStmt':
      return 'creates a role';
    case 'AlterRoleStmt':
      return "changes a role's attributes";
    case 'AlterRoleSetStmt':
      return "sets a role's configuration";
    case 'DropRoleStmt':
      return 'drops a role';
    case 'GrantRoleStmt':
      return v?.is_grant === true ? 'grants a role membership' : 'revokes a role membership'; // false booleans are omitted from the AST
    case 'ReassignOwnedStmt':
      return 'reassigns the ownership of shared objects';
    case 'DropOwnedStmt':
      return 'revokes privileges on shared objects';
    case 'CreateTableSpaceStmt':
      return 'creates a tablespace';
    case 'DropTableSpaceStmt':
      return 'drops a tablespace';
    case 'AlterTableSpaceOptionsStmt':
      return "changes a tablespace's options";
    case 'AlterSystemStmt':
      return 'changes the server configuration (postgresql.auto.conf)';
    case 'CreatedbStmt':
      return 'creates a database';
    case 'DropdbStmt':
      return 'drops a database';
    case 'AlterDatabaseStmt':
    case 'AlterDatabaseRefreshCollStmt':
      return 'changes a database';
    case 'AlterDatabaseSetStmt':
      return "sets a database's configuration";
  }
  const target =
    (as<Record<string, unknown>>(stmt.node, 'CommentStmt') ?? as<Record<string, unknown>>(stmt.node, 'SecLabelStmt'))
      ? sharedObject(v, 'objtype')
      : stmt.kind === 'RenameStmt'
        ? sharedObject(v, 'renameType')
        : stmt.kind === 'AlterOwnerStmt'
          ? sharedObject(v, 'objectType')
          : stmt.kind === 'GrantStmt'
            ? sharedObject(v, 'objtype')
            : undefined;
  if (!target) return undefined;
  if (stmt.kind === 'CommentStmt') return `comments on ${target}`;
  if (stmt.kind === 'SecLabelStmt') return `labels ${target}`;
  if (stmt.kind === 'RenameStmt') return `renames ${target}`;
  if (stmt.kind === 'AlterOwnerStmt') return `changes the owner of ${target}`;
  return `changes privileges on ${target}`;
}

/** The script's cluster-wide statements (none for a script that does not parse: its failure is reported elsewhere). */
export function clusterWideStatements(sql: string): ClusterWideStatement[] {
  const out: ClusterWideStatement[] = [];
  for (const s of parseSql(sql).statements) {
    const what = clusterWideEffect(s);
    if (what) out.push({ index: s.index, start: s.start, end: s.end, what });
    // `DO $$ BEGIN IF NOT EXISTS (…) THEN CREATE ROLE app; END IF; END $$`: the usual way migrations create roles.
    if (s.kind !== 'DoStmt') continue;
    const inner = [...new Set((plpgsqlStatements(s.text) ?? []).map(clusterWideEffect).filter((w): w is string => !!w))];
    if (inner.length) out.push({ index: s.index, start: s.start, end: s.end, what: `runs a DO block that ${inner.join(', ')}` });
  }
  return out;
}
