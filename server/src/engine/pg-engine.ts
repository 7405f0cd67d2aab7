// The `pg` engine: one connection to a configured dev database, behind the host allow-list, always with a statement_timeout.
import { readFileSync, statSync } from 'node:fs';
import { homedir, userInfo } from 'node:os';
import pg from 'pg';
import { checkHostAllowed, resolveConnection, type ConnectionSettings, type LibpqEnvironment, type ResolvedConnection } from './conninfo';
import { EngineError, toEngineError, type ErrorContext } from './errors';
import { explainOnSession, type Session } from './explain-runner';
import { Mutex } from './mutex';
import { DEFAULT_STATEMENT_TIMEOUT_MS, type Engine, type ExplainOptions, type ExplainOutcome, type QueryResult, type ReadOnlyQuery } from './types';

/** The real environment libpq would read: process.env, the home directory and file permissions. */
export function nodeLibpqEnvironment(): LibpqEnvironment {
  return {
    env: process.env,
    homeDir: homedir(),
    userName: safeUserName(),
    readFile(path) {
      try {
        return { text: readFileSync(path, 'utf8'), mode: statSync(path).mode & 0o777 };
      } catch {
        return undefined;
      }
    },
  };
}

function safeUserName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'postgres';
  }
}

type SslConfig = pg.ClientConfig['ssl'];

/** libpq's sslmode as the ssl options to try, in order (prefer/allow fall back; https://www.postgresql.org/docs/15/libpq-ssl.html). */
function sslAttempts(conn: ResolvedConnection): SslConfig[] {
  if (conn.host.startsWith('/')) return [false]; // no SSL over Unix sockets
  const ca = conn.sslrootcert ? readFileSync(conn.sslrootcert, 'utf8') : undefined;
  switch (conn.sslmode) {
    case 'disable':
      return [false];
    case 'allow':
      return [false, { rejectUnauthorized: false }];
    case 'prefer':
      return [{ rejectUnauthorized: false }, false];
    case 'require':
      // libpq: require with a root certificate behaves like verify-ca.
      return [ca ? { ca, rejectUnauthorized: true, checkServerIdentity: () => undefined } : { rejectUnauthorized: false }];
    case 'verify-ca':
      return [{ ca, rejectUnauthorized: true, checkServerIdentity: () => undefined }];
    case 'verify-full':
      return [{ ca, rejectUnauthorized: true }];
  }
}

class PgEngine implements Engine {
  readonly kind = 'pg' as const;
  readonly label: string;
  private client: pg.Client | undefined;
  private version: number | undefined;
  private readonly mutex = new Mutex();

  constructor(
    private readonly conn: ResolvedConnection,
    private readonly statementTimeoutMs: number,
    private readonly connectTimeoutMs: number,
  ) {
    this.label = `PostgreSQL ${conn.target}`;
  }

  private errorContext(): ErrorContext {
    return { target: this.conn.target, passwordSource: this.conn.passwordSource, timeoutMs: this.statementTimeoutMs };
  }

  /** Connects (or reconnects after the connection was lost). */
  async connect(): Promise<pg.Client> {
    if (this.client) return this.client;
    const { conn } = this;
    const noPassword = async (): Promise<string> => {
      throw new EngineError(
        'auth',
        `The server at ${conn.target} asked for a password and none was found. Set one with "pgdba: Set database password", ` +
          'PGPASSWORD, ~/.pgpass or pg_service.conf.',
      );
    };
    let lastError: unknown;
    for (const ssl of sslAttempts(conn)) {
      const client = new pg.Client({
        host: conn.host,
        port: conn.port,
        database: conn.database,
        user: conn.user,
        password: conn.password ?? noPassword,
        ssl,
        statement_timeout: this.statementTimeoutMs,
        connectionTimeoutMillis: this.connectTimeoutMs,
        application_name: 'pgdba',
      });
      // A connection that drops while idle emits 'error'; unhandled it would crash the language server.
      client.on('error', () => {
        if (this.client === client) this.client = undefined;
      });
      client.on('end', () => {
        if (this.client === client) this.client = undefined;
      });
      try {
        await client.connect();
        this.client = client;
        return client;
      } catch (err) {
        lastError = err;
        await client.end().catch(() => undefined);
        // Only an SSL failure moves on to the next attempt (sslmode prefer/allow); anything else is the answer.
        if (!/SSL/i.test(String((err as Error)?.message))) break;
      }
    }
    throw toEngineError(lastError, this.errorContext());
  }

  private session(client: pg.Client): Session {
    return {
      run: async (sql, params = [], timeoutMs = this.statementTimeoutMs) => {
        // query_timeout is a client-side backstop for a server that stops answering; statement_timeout fires first.
        const r = await client.query({ text: sql, values: params, queryMode: 'extended', query_timeout: timeoutMs + 2000 } as pg.QueryConfig);
        return r.rows as Record<string, unknown>[];
      },
      simple: async (sql, timeoutMs = this.statementTimeoutMs) => {
        const r = await client.query({ text: sql, query_timeout: timeoutMs + 2000 } as pg.QueryConfig);
        return (Array.isArray(r) ? (r.at(-1)?.rows ?? []) : r.rows) as Record<string, unknown>[];
      },
      rollback: async () => {
        await client.query('ROLLBACK');
      },
    };
  }

  query<T = Record<string, unknown>>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
    return this.mutex.run(async () => {
      const client = await this.connect();
      try {
        return { rows: (await this.session(client).run(sql, params)) as T[] };
      } catch (err) {
        throw toEngineError(err, { ...this.errorContext(), sqlLength: sql.length });
      }
    });
  }

  readOnly<T>(body: (query: ReadOnlyQuery) => Promise<T>): Promise<T> {
    return this.mutex.run(async () => {
      const session = this.session(await this.connect());
      const run = async (sql: string, params: unknown[] = []) => {
        try {
          return await session.run(sql, params);
        } catch (err) {
          throw toEngineError(err, { ...this.errorContext(), sqlLength: sql.length });
        }
      };
      await run('BEGIN READ ONLY');
      try {
        await run(`SET LOCAL statement_timeout = ${Math.round(this.statementTimeoutMs)}`);
        return await body(async <R>(sql: string, params?: unknown[]) => ({ rows: (await run(sql, params)) as R[] }));
      } finally {
        await session.rollback().catch(() => undefined);
      }
    });
  }

  exec(sql: string): Promise<void> {
    return this.mutex.run(async () => {
      const client = await this.connect();
      try {
        await client.query(sql);
      } catch (err) {
        throw toEngineError(err, { ...this.errorContext(), sqlLength: sql.length });
      }
    });
  }

  async serverVersion(): Promise<number> {
    if (this.version === undefined) {
      const r = await this.query<{ server_version_num: string }>('SHOW server_version_num');
      this.version = Number(r.rows[0].server_version_num);
    }
    return this.version;
  }

  async explain(sql: string, opts: ExplainOptions = {}): Promise<ExplainOutcome> {
    const serverVersion = await this.serverVersion();
    return this.mutex.run(async () => {
      const client = await this.connect();
      return explainOnSession(this.session(client), sql, opts, {
        kind: 'pg',
        serverVersion,
        statementTimeoutMs: this.statementTimeoutMs,
        errors: this.errorContext(),
      });
    });
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }
}

/**
 * Connects to a dev database. Throws EngineError: `host-not-allowed` before any network traffic when the host is not on the
 * allow-list, and `auth` / `refused` / `timeout` when the first connection fails.
 */
export async function connectPg(settings: ConnectionSettings, environment: LibpqEnvironment = nodeLibpqEnvironment()): Promise<Engine> {
  const conn = resolveConnection(settings, environment);
  checkHostAllowed(conn.host, settings.allowedHosts);
  const engine = new PgEngine(conn, settings.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS, settings.connectTimeoutMs ?? 5000);
  await engine.connect();
  return engine;
}
