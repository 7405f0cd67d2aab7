// The cluster-wide state a rehearsal on a real server could change (roles, their settings, comments and memberships,
// tablespaces, databases, ALTER SYSTEM), snapshotted before and after, and the SQL that puts it back.
import type { Engine } from '../engine/types';

interface Role {
  oid: string;
  name: string;
  /** `ALTER ROLE … WITH` options that recreate its attributes. */
  attrs: string;
  /** The stored password hash; only a superuser can read it (null otherwise or when there is none). */
  password: string | null;
}

export interface ClusterState {
  roles: Map<string, Role>;
  /** "<db oid>/<role oid>" → settings ('k=v'), from pg_db_role_setting. */
  settings: Map<string, { db: string | null; role: string | null; config: string[] }>;
  /** "<classoid kind>:<name>" → comment on a role, tablespace or database. */
  comments: Map<string, string>;
  /** "<role>\u0000<member>" → admin option. */
  members: Map<string, boolean>;
  tablespaces: Map<string, { oid: string; name: string; owner: string; location: string; options: string[] }>;
  databases: Map<string, { oid: string; name: string }>;
  /** ALTER SYSTEM settings (postgresql.auto.conf), when readable (superuser). */
  system?: Map<string, string>;
}

const ident = (s: string) => `"${s.replace(/"/g, '""')}"`;
const literal = (s: string) => `'${s.replace(/'/g, "''")}'`;

async function rows<T>(engine: Engine, sql: string): Promise<T[]> {
  return (await engine.query<T>(sql)).rows;
}

/** Reads the shared catalogs; parts only a superuser may read are left out when they cannot be read. */
export async function snapshotCluster(engine: Engine, ignoreDatabases: (name: string) => boolean): Promise<ClusterState> {
  const roleRows = await rows<Role & { flags: string }>(
    engine,
    `SELECT oid::text AS oid, rolname AS name,
            concat_ws(' ', CASE WHEN rolsuper THEN 'SUPERUSER' ELSE 'NOSUPERUSER' END, CASE WHEN rolinherit THEN 'INHERIT' ELSE 'NOINHERIT' END,
              CASE WHEN rolcreaterole THEN 'CREATEROLE' ELSE 'NOCREATEROLE' END, CASE WHEN rolcreatedb THEN 'CREATEDB' ELSE 'NOCREATEDB' END,
              CASE WHEN rolcanlogin THEN 'LOGIN' ELSE 'NOLOGIN' END, CASE WHEN rolreplication THEN 'REPLICATION' ELSE 'NOREPLICATION' END,
              CASE WHEN rolbypassrls THEN 'BYPASSRLS' ELSE 'NOBYPASSRLS' END, 'CONNECTION LIMIT ' || rolconnlimit,
              'VALID UNTIL ' || quote_literal(coalesce(rolvaliduntil::text, 'infinity'))) AS attrs
       FROM pg_roles`,
  );
  let passwords = new Map<string, string | null>();
  try {
    passwords = new Map(
      (await rows<{ oid: string; p: string | null }>(engine, 'SELECT oid::text AS oid, rolpassword AS p FROM pg_authid')).map((r) => [r.oid, r.p]),
    );
  } catch {
    // Not a superuser: passwords cannot be read, so a changed password cannot be put back (and is reported so).
  }
  const roles = new Map(roleRows.map((r) => [r.oid, { oid: r.oid, name: r.name, attrs: r.attrs, password: passwords.get(r.oid) ?? null }]));
  const settings = new Map(
    (
      await rows<{ db: string | null; role: string | null; config: string[] }>(
        engine,
        `SELECT d.datname AS db, r.rolname AS role, s.setconfig AS config
       FROM pg_db_role_setting s LEFT JOIN pg_database d ON d.oid = s.setdatabase LEFT JOIN pg_roles r ON r.oid = s.setrole`,
      )
    ).map((s) => [`${s.db ?? ''}/${s.role ?? ''}`, s]),
  );
  const comments = new Map(
    (
      await rows<{ k: string; c: string }>(
        engine,
        `SELECT CASE d.classoid WHEN 'pg_authid'::regclass THEN 'ROLE:' || (SELECT rolname FROM pg_roles WHERE oid = d.objoid)
                              WHEN 'pg_tablespace'::regclass THEN 'TABLESPACE:' || (SELECT spcname FROM pg_tablespace WHERE oid = d.objoid)
                              ELSE 'DATABASE:' || (SELECT datname FROM pg_database WHERE oid = d.objoid) END AS k, d.description AS c
       FROM pg_shdescription d`,
      )
    )
      .filter((r) => r.k && !(r.k.startsWith('DATABASE:') && ignoreDatabases(r.k.slice(9))))
      .map((r) => [r.k, r.c]),
  );
  const members = new Map(
    (
      await rows<{ r: string; m: string; a: boolean }>(
        engine,
        'SELECT g.rolname AS r, u.rolname AS m, am.admin_option AS a FROM pg_auth_members am JOIN pg_roles g ON g.oid = am.roleid JOIN pg_roles u ON u.oid = am.member',
      )
    ).map((x) => [`${x.r}\u0000${x.m}`, x.a]),
  );
  const tablespaces = new Map(
    (
      await rows<{ oid: string; name: string; owner: string; location: string; options: string[] | null }>(
        engine,
        `SELECT oid::text AS oid, spcname AS name, pg_get_userbyid(spcowner) AS owner, pg_tablespace_location(oid) AS location, spcoptions AS options FROM pg_tablespace`,
      )
    ).map((t) => [t.oid, { ...t, options: t.options ?? [] }]),
  );
  const databases = new Map(
    (await rows<{ oid: string; name: string }>(engine, 'SELECT oid::text AS oid, datname AS name FROM pg_database'))
      .filter((d) => !ignoreDatabases(d.name))
      .map((d) => [d.oid, d]),
  );
  let system: Map<string, string> | undefined;
  try {
    system = new Map(
      (
        await rows<{ name: string; setting: string }>(
          engine,
          "SELECT name, setting FROM pg_file_settings WHERE sourcefile LIKE '%postgresql.auto.conf' ORDER BY seqno",
        )
      ).map((s) => [s.name, s.setting]),
    );
  } catch {
    system = undefined; // pg_file_settings is superuser-only; ALTER SYSTEM needs the same rights, so nothing is missed.
  }
  return { roles, settings, comments, members, tablespaces, databases, system };
}

export interface ClusterUndo {
  /** SQL that puts the cluster back, in order. */
  statements: string[];
  /** Changes that cannot be put back (e.g. a dropped database), each a sentence. */
  impossible: string[];
}

/** Settings whose value is a list PostgreSQL stores with identifier quoting; pg_dumpall restores them element by element. */
const LIST_SETTINGS = new Set(['search_path', 'temp_tablespaces', 'session_preload_libraries', 'shared_preload_libraries', 'local_preload_libraries']);

function listElements(value: string): string[] {
  const out: string[] = [];
  let cur = '';
  let quoted = false;
  for (let i = 0; i < value.length; i++) {
    const c = value[i];
    if (c === '"') {
      if (quoted && value[i + 1] === '"') cur += value[++i];
      else quoted = !quoted;
    } else if (c === ',' && !quoted) {
      out.push(cur.trim());
      cur = '';
    } else cur += c;
  }
  out.push(cur.trim());
  return out;
}

/** `name=value` from pg_db_role_setting as a SET clause, lists element by element as pg_dumpall writes them. */
function setting(kv: string): string {
  const i = kv.indexOf('=');
  const name = kv.slice(0, i);
  const value = kv.slice(i + 1);
  return `${ident(name)} TO ${LIST_SETTINGS.has(name.toLowerCase()) ? listElements(value).map(literal).join(', ') : literal(value)}`;
}

/** The SQL that turns `after` back into `before`: drops first (new databases, tablespaces, memberships, roles), then re-creates and resets. */
export function clusterUndo(before: ClusterState, after: ClusterState): ClusterUndo {
  const sql: string[] = [];
  const impossible: string[] = [];
  for (const [oid, d] of after.databases) {
    const was = before.databases.get(oid);
    if (!was) sql.push(`DROP DATABASE IF EXISTS ${ident(d.name)} WITH (FORCE)`);
    else if (was.name !== d.name) sql.push(`ALTER DATABASE ${ident(d.name)} RENAME TO ${ident(was.name)}`);
  }
  for (const [oid, d] of before.databases) if (!after.databases.has(oid)) impossible.push(`database ${d.name} was dropped; its data cannot be restored`);
  for (const [oid, t] of after.tablespaces) {
    const was = before.tablespaces.get(oid);
    if (!was) sql.push(`DROP TABLESPACE IF EXISTS ${ident(t.name)}`);
    else {
      if (was.name !== t.name) sql.push(`ALTER TABLESPACE ${ident(t.name)} RENAME TO ${ident(was.name)}`);
      if (was.owner !== t.owner) sql.push(`ALTER TABLESPACE ${ident(was.name)} OWNER TO ${ident(was.owner)}`);
      if (was.options.join() !== t.options.join()) {
        if (t.options.length) sql.push(`ALTER TABLESPACE ${ident(was.name)} RESET (${t.options.map((o) => ident(o.split('=')[0])).join(', ')})`);
        if (was.options.length)
          sql.push(
            `ALTER TABLESPACE ${ident(was.name)} SET (${was.options.map((o) => `${ident(o.split('=')[0])} = ${literal(o.slice(o.indexOf('=') + 1))}`).join(', ')})`,
          );
      }
    }
  }
  for (const [key] of after.members) {
    if (before.members.has(key)) continue;
    const [role, member] = key.split('\u0000');
    sql.push(`REVOKE ${ident(role)} FROM ${ident(member)}`);
  }
  const roleNameBefore = new Set([...before.roles.values()].map((r) => r.name));
  for (const [oid, r] of after.roles) if (!before.roles.has(oid)) sql.push(`DROP ROLE IF EXISTS ${ident(r.name)}`);
  for (const [oid, r] of before.roles) {
    const now = after.roles.get(oid);
    if (!now) {
      sql.push(`CREATE ROLE ${ident(r.name)} WITH ${r.attrs}${r.password ? ` PASSWORD ${literal(r.password)}` : ''}`);
      if (!r.password) impossible.push(`role ${r.name} was dropped and is re-created without its password (only a superuser can read it)`);
      impossible.push(`role ${r.name} was dropped: it is re-created, but its privileges on objects outside the scratch database are not`);
      continue;
    }
    if (now.name !== r.name) sql.push(`ALTER ROLE ${ident(now.name)} RENAME TO ${ident(r.name)}`);
    if (now.attrs !== r.attrs) sql.push(`ALTER ROLE ${ident(r.name)} WITH ${r.attrs}`);
    if (now.password !== r.password) {
      if (r.password) sql.push(`ALTER ROLE ${ident(r.name)} PASSWORD ${literal(r.password)}`);
      else sql.push(`ALTER ROLE ${ident(r.name)} PASSWORD NULL`);
    }
  }
  for (const t of before.tablespaces.values()) {
    if (![...after.tablespaces.keys()].includes(t.oid)) {
      if (t.location) sql.push(`CREATE TABLESPACE ${ident(t.name)} OWNER ${ident(t.owner)} LOCATION ${literal(t.location)}`);
      else impossible.push(`tablespace ${t.name} was dropped`);
    }
  }
  for (const [key] of before.members) {
    if (after.members.has(key) && after.members.get(key) === before.members.get(key)) continue;
    const [role, member] = key.split('\u0000');
    if (!roleNameBefore.has(role) || !roleNameBefore.has(member)) continue;
    if (after.members.has(key)) sql.push(`REVOKE ${ident(role)} FROM ${ident(member)}`);
    sql.push(`GRANT ${ident(role)} TO ${ident(member)}${before.members.get(key) ? ' WITH ADMIN OPTION' : ''}`);
  }
  for (const key of new Set([...before.settings.keys(), ...after.settings.keys()])) {
    const was = before.settings.get(key);
    const now = after.settings.get(key);
    if ((was?.config ?? []).join('\n') === (now?.config ?? []).join('\n')) continue;
    const s = was ?? now!;
    // Settings of a role or database that no longer exists (dropped by the undo above) went with it.
    if (!was && ((s.role && !roleNameBefore.has(s.role)) || (s.db && ![...before.databases.values()].some((d) => d.name === s.db)))) continue;
    const target = s.role ? `ROLE ${ident(s.role)}${s.db ? ` IN DATABASE ${ident(s.db)}` : ''}` : s.db ? `DATABASE ${ident(s.db)}` : 'ROLE ALL';
    sql.push(`ALTER ${target} RESET ALL`);
    for (const kv of was?.config ?? []) sql.push(`ALTER ${target} SET ${setting(kv)}`);
  }
  for (const key of new Set([...before.comments.keys(), ...after.comments.keys()])) {
    const was = before.comments.get(key);
    if (was === after.comments.get(key)) continue;
    const [kind, name] = [key.slice(0, key.indexOf(':')), key.slice(key.indexOf(':') + 1)];
    if (kind === 'ROLE' && !roleNameBefore.has(name)) continue;
    sql.push(`COMMENT ON ${kind} ${ident(name)} IS ${was === undefined ? 'NULL' : literal(was)}`);
  }
  if (before.system && after.system) {
    let changed = false;
    for (const name of new Set([...before.system.keys(), ...after.system.keys()])) {
      const was = before.system.get(name);
      if (was === after.system.get(name)) continue;
      changed = true;
      sql.push(was === undefined ? `ALTER SYSTEM RESET ${ident(name)}` : `ALTER SYSTEM SET ${ident(name)} = ${literal(was)}`);
    }
    if (changed) sql.push('SELECT pg_reload_conf()');
  }
  return { statements: sql, impossible };
}
