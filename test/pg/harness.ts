// A throwaway PostgreSQL 15 server for database tests: initdb + pg_ctl on a free port in a temp dir, run as `postgres`, stopped by pid.
import { execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where initdb/pg_ctl/postgres live: $PGDBA_PG_BIN, else /usr/local/bin, else Debian's apt location for PostgreSQL 15. */
export const BIN_DIR =
  process.env.PGDBA_PG_BIN ??
  (existsSync('/usr/local/bin/initdb') || !existsSync('/usr/lib/postgresql/15/bin/initdb') ? '/usr/local/bin' : '/usr/lib/postgresql/15/bin');
/** The superuser's password; scram-sha-256 auth is on for every connection, so a wrong password really fails. */
export const PASSWORD = 'pgdba-test-secret';

export interface ThrowawayPostgres {
  /** postgres://postgres:<password>@127.0.0.1:<port>/postgres */
  url: string;
  port: number;
  /** The same URL without the password, for tests of password lookup. */
  urlWithoutPassword: string;
  /** The directory of the server's Unix socket (for socket connections: ?host=<dir>&port=<port>). */
  socketDir: string;
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function asPostgres(args: string[], cwd: string): string {
  // The server refuses to run as root, so every server binary runs as the `postgres` OS user.
  return execFileSync('runuser', ['-u', 'postgres', '--', ...args], { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function userIds(name: string): { uid: number; gid: number } {
  const uid = Number(execFileSync('id', ['-u', name], { encoding: 'utf8' }).trim());
  const gid = Number(execFileSync('id', ['-g', name], { encoding: 'utf8' }).trim());
  return { uid, gid };
}

/**
 * Starts a fresh PostgreSQL 15 cluster; throws a clear error when the server binaries are not installed. `settings` are
 * extra server settings (e.g. `{ shared_preload_libraries: 'pg_stat_statements', compute_query_id: 'on' }`).
 */
export async function startThrowawayPostgres(binDir = BIN_DIR, settings: Record<string, string> = {}): Promise<ThrowawayPostgres> {
  const initdb = join(binDir, 'initdb');
  if (!existsSync(initdb)) {
    throw new Error(
      `PostgreSQL server binaries not found: ${initdb} is missing. Install PostgreSQL 15 (apt-get install postgresql-15 and link ` +
        `/usr/lib/postgresql/15/bin/{initdb,pg_ctl,postgres} into ${binDir}); .ci/run does this in CI.`,
    );
  }
  const dir = mkdtempSync(join(tmpdir(), 'pgdba-pg-'));
  const { uid, gid } = userIds('postgres');
  chownSync(dir, uid, gid);
  const data = join(dir, 'data');
  const pwfile = join(dir, 'pwfile');
  writeFileSync(pwfile, PASSWORD + '\n', { mode: 0o600 });
  chownSync(pwfile, uid, gid);
  asPostgres(
    [initdb, '-D', data, '-U', 'postgres', `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync', '--no-instructions'],
    dir,
  );
  const port = await freePort();
  const opts = [
    `-p ${port}`,
    `-k ${dir}`,
    '-c listen_addresses=127.0.0.1',
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    '-c max_connections=20',
    '-c shared_buffers=16MB',
    ...Object.entries(settings).map(([k, v]) => {
      // pg_ctl passes -o through a shell: only plain values are accepted here.
      if (!/^[\w.]+$/.test(k) || !/^[\w.,-]+$/.test(v)) throw new Error(`server setting ${k}=${v}: use plain names and values`);
      return `-c ${k}=${v}`;
    }),
  ].join(' ');
  // -w makes pg_ctl return only once the server accepts connections, so no test needs to poll.
  asPostgres([join(binDir, 'pg_ctl'), '-D', data, '-l', join(dir, 'server.log'), '-o', opts, '-w', '-t', '60', 'start'], dir);
  const pid = Number(readFileSync(join(data, 'postmaster.pid'), 'utf8').split('\n')[0]);

  // A crashed test run must not leave a server behind: kill this pid (only) when the process exits.
  const onExit = () => {
    try {
      process.kill(pid, 'SIGQUIT');
    } catch {
      /* already gone */
    }
  };
  process.once('exit', onExit);

  let stopped = false;
  const urlWithoutPassword = `postgres://postgres@127.0.0.1:${port}/postgres`;
  return {
    port,
    url: `postgres://postgres:${encodeURIComponent(PASSWORD)}@127.0.0.1:${port}/postgres`,
    urlWithoutPassword,
    socketDir: dir,
    async stop() {
      if (stopped) return;
      stopped = true;
      process.removeListener('exit', onExit);
      try {
        // pg_ctl signals the postmaster pid from postmaster.pid and waits for it to exit.
        asPostgres([join(binDir, 'pg_ctl'), '-D', data, '-m', 'immediate', '-w', '-t', '30', 'stop'], dir);
      } catch {
        try {
          process.kill(pid, 'SIGKILL');
        } catch {
          /* already gone */
        }
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
