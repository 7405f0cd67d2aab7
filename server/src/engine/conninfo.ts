// Resolves pgdba's connection settings the way libpq does (URL or keyword string, service file, PG* variables, .pgpass) and enforces the host allow-list.
import { parse as parsePgUrl } from 'pg-connection-string';
import { EngineError } from './errors';
import { matchPgpass, parseKeywordConninfo, parsePgpass, parseServiceFile } from './libpq-files';
import { DEFAULT_ALLOWED_HOSTS } from './types';

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
const SSL_MODES: readonly string[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** What settings, pgdba.json or the CLI give us. The password never comes from settings: the client passes SecretStorage's. */
export interface ConnectionSettings {
  /** A libpq URL (`postgresql://user@host:5432/db?sslmode=require&service=x`) or keyword string (`host=… dbname=…`). */
  url?: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  sslmode?: SslMode;
  service?: string;
  /** From VS Code SecretStorage (or another caller-held secret); beats every other source. */
  password?: string;
  /** Hosts we may connect to; default localhost, 127.0.0.1, ::1. Unix-socket directories are always local. */
  allowedHosts?: readonly string[];
  statementTimeoutMs?: number;
  connectTimeoutMs?: number;
}

/** The outside world libpq consults, injected so resolution is testable without touching the real home directory. */
export interface LibpqEnvironment {
  env: Record<string, string | undefined>;
  homeDir: string;
  /** The OS user name: libpq's default user. */
  userName: string;
  /** A file's text and permission bits, or undefined when it does not exist. */
  readFile(path: string): { text: string; mode: number } | undefined;
}

export interface ResolvedConnection {
  host: string;
  port: number;
  database: string;
  user: string;
  password?: string;
  /** e.g. `VS Code SecretStorage`, `PGPASSWORD`, `/home/me/.pgpass`: named in auth-failure messages. */
  passwordSource?: string;
  sslmode: SslMode;
  sslrootcert?: string;
  /** `user@host:port/database`, for messages. */
  target: string;
  /** Things libpq would also have warned about (e.g. a .pgpass readable by others, which is then ignored). */
  warnings: string[];
}

/**
 * The fields of a postgres:// URL under libpq's keyword names. pg-connection-string (node-postgres's own parser) reads the
 * authority and path, including what `new URL` rejects: an empty host (`postgresql://user@/db?host=/var/run/postgresql`)
 * and a percent-encoded socket directory (`postgresql://%2Fvar%2Frun%2Fpostgresql/db`). The query string is read here
 * with URLSearchParams, because that parser also reads sslrootcert/sslkey files from disk and warns about sslmode.
 * Query parameters beat the authority, as in libpq (https://www.postgresql.org/docs/15/libpq-connect.html#LIBPQ-CONNSTRING).
 */
export function parseConnectionUrl(url: string): Record<string, string> {
  const authority = /^postgres(?:ql)?:\/\/([^/?#]*)/i.exec(url)?.[1];
  if (authority === undefined) throw new EngineError('other', 'A connection URL must start with postgresql:// or postgres://.');
  if (authority.includes(',')) throw new EngineError('other', 'Connection URLs with several hosts are not supported; name one host.');
  const queryAt = url.indexOf('?');
  const base = queryAt < 0 ? url : url.slice(0, queryAt);
  let parsed: ReturnType<typeof parsePgUrl>;
  try {
    parsed = parsePgUrl(base);
  } catch {
    // The library's error would echo the URL, password included.
    throw new EngineError('other', 'The connection URL is not a valid URL.');
  }
  const out: Record<string, string> = {};
  const fields: [keyof typeof parsed, string][] = [
    ['host', 'host'],
    ['port', 'port'],
    ['user', 'user'],
    ['password', 'password'],
    ['database', 'dbname'],
  ];
  for (const [from, to] of fields) {
    const v = parsed[from];
    if (typeof v === 'string' && v !== '') out[to] = v;
  }
  if (queryAt >= 0) for (const [k, v] of new URLSearchParams(url.slice(queryAt + 1))) out[k] = v;
  return out;
}

function parseConnString(text: string): Record<string, string> {
  if (/^postgres(ql)?:\/\//i.test(text)) return parseConnectionUrl(text);
  try {
    return parseKeywordConninfo(text);
  } catch (e) {
    throw new EngineError('other', `The connection string is not valid: ${(e as Error).message}`);
  }
}

function findService(name: string, lenv: LibpqEnvironment): Record<string, string> {
  // libpq reads the per-user file first, then the system-wide one (https://www.postgresql.org/docs/15/libpq-pgservice.html).
  const files = [lenv.env.PGSERVICEFILE ?? `${lenv.homeDir}/.pg_service.conf`, `${lenv.env.PGSYSCONFDIR ?? '/etc/postgresql-common'}/pg_service.conf`];
  for (const file of files) {
    const f = lenv.readFile(file);
    const service = f && parseServiceFile(f.text).get(name);
    if (service) return service;
  }
  throw new EngineError('other', `Service "${name}" was not found in ${files.join(' or ')}.`);
}

/** Merges the sources in libpq's order: explicit settings, then the URL, then the service file, then PG* variables, then defaults. */
export function resolveConnection(settings: ConnectionSettings, lenv: LibpqEnvironment): ResolvedConnection {
  const fromUrl = settings.url ? parseConnString(settings.url) : {};
  const explicit: Record<string, string | undefined> = {
    host: settings.host,
    port: settings.port === undefined ? undefined : String(settings.port),
    dbname: settings.database,
    user: settings.user,
    sslmode: settings.sslmode,
  };
  const serviceName = settings.service ?? fromUrl.service ?? lenv.env.PGSERVICE;
  const fromService = serviceName ? findService(serviceName, lenv) : {};
  const envNames: Record<string, string> = {
    host: 'PGHOST',
    hostaddr: 'PGHOSTADDR',
    port: 'PGPORT',
    dbname: 'PGDATABASE',
    user: 'PGUSER',
    sslmode: 'PGSSLMODE',
    sslrootcert: 'PGSSLROOTCERT',
  };
  const pick = (key: string): string | undefined =>
    explicit[key] || fromUrl[key] || fromService[key] || (envNames[key] ? lenv.env[envNames[key]] : undefined) || undefined;

  const host = pick('hostaddr') || pick('host') || 'localhost';
  const portText = pick('port') ?? '5432';
  const port = Number(portText);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new EngineError('other', `Port "${portText}" is not a valid port number.`);
  const user = pick('user') ?? lenv.userName;
  const database = pick('dbname') ?? user;
  const sslmode = (pick('sslmode') ?? 'prefer') as SslMode;
  if (!SSL_MODES.includes(sslmode)) throw new EngineError('other', `sslmode "${sslmode}" is not one of ${SSL_MODES.join(', ')}.`);

  const warnings: string[] = [];
  let password: string | undefined;
  let passwordSource: string | undefined;
  const candidates: [string | undefined, string][] = [
    [settings.password, 'VS Code SecretStorage'],
    [fromUrl.password, 'the connection string'],
    [fromService.password, `service "${serviceName}"`],
    [lenv.env.PGPASSWORD, 'PGPASSWORD'],
  ];
  for (const [value, source] of candidates) {
    if (value) {
      password = value;
      passwordSource = source;
      break;
    }
  }
  if (password === undefined) {
    const file = lenv.env.PGPASSFILE ?? `${lenv.homeDir}/.pgpass`;
    const f = lenv.readFile(file);
    if (f && (f.mode & 0o077) !== 0) {
      // libpq ignores a password file that group or others can read.
      warnings.push(`${file} is ignored: its permissions should be u=rw (0600) or less.`);
    } else if (f) {
      password = matchPgpass(parsePgpass(f.text), { host, port, database, user });
      if (password !== undefined) passwordSource = file;
    }
  }
  return {
    host,
    port,
    database,
    user,
    password,
    passwordSource,
    sslmode,
    sslrootcert: pick('sslrootcert'),
    target: `${user}@${host.includes(':') ? `[${host}]` : host}:${port}/${database}`,
    warnings,
  };
}

/** Throws a `host-not-allowed` EngineError unless the host is on the allow-list (or is a local Unix-socket directory). */
export function checkHostAllowed(host: string, allowed: readonly string[] = DEFAULT_ALLOWED_HOSTS): void {
  if (host.startsWith('/')) return;
  const norm = (h: string) =>
    h
      .trim()
      .toLowerCase()
      .replace(/^\[(.*)\]$/, '$1');
  if (allowed.some((a) => norm(a) === norm(host))) return;
  throw new EngineError(
    'host-not-allowed',
    `pgdba will not connect to "${host}": it is not on the host allow-list (${allowed.join(', ')}). ` +
      'Add it to pgdba.database.allowedHosts if this really is a development database.',
  );
}
