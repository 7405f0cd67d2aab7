// Tests for connection resolution (libpq's order of sources) and the host allow-list.
import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { checkHostAllowed, parseConnectionUrl, resolveConnection, type LibpqEnvironment } from './conninfo';
import { EngineError } from './errors';

function env(vars: Record<string, string> = {}, files: Record<string, { text: string; mode?: number }> = {}): LibpqEnvironment {
  return {
    env: vars,
    homeDir: '/home/me',
    userName: 'me',
    readFile: (p) => (files[p] ? { text: files[p].text, mode: files[p].mode ?? 0o600 } : undefined),
  };
}

describe('parseConnectionUrl', () => {
  test('reads user, password, host, port, database and query parameters', () => {
    assert.deepEqual(parseConnectionUrl('postgresql://al%40ice:p%2Fw@db.local:6543/my%20db?sslmode=require&service=x'), {
      user: 'al@ice',
      password: 'p/w',
      host: 'db.local',
      port: '6543',
      dbname: 'my db',
      sslmode: 'require',
      service: 'x',
    });
  });
  test('IPv6 hosts lose their brackets', () => {
    assert.equal(parseConnectionUrl('postgres://[::1]:5432/x').host, '::1');
  });
  test('several hosts are refused with a clear message', () => {
    assert.throws(() => parseConnectionUrl('postgresql://a:1,b:2/x'), /several hosts/);
  });
  test('a Unix-socket directory in the query string, with an empty host part, as libpq accepts it', () => {
    assert.deepEqual(parseConnectionUrl('postgresql://user@/db?host=/var/run/postgresql'), { user: 'user', dbname: 'db', host: '/var/run/postgresql' });
    assert.deepEqual(parseConnectionUrl('postgresql:///db?host=%2Ftmp&port=5433'), { dbname: 'db', host: '/tmp', port: '5433' });
  });
  test('a percent-encoded socket directory in the host part', () => {
    assert.deepEqual(parseConnectionUrl('postgresql://%2Fvar%2Frun%2Fpostgresql/db'), { host: '/var/run/postgresql', dbname: 'db' });
    assert.deepEqual(parseConnectionUrl('postgres://me@%2Ftmp%2Fpg%20sock:6000/app'), { user: 'me', host: '/tmp/pg sock', port: '6000', dbname: 'app' });
  });
  test('query parameters beat the authority, as in libpq; ssl files named there are not read while parsing', () => {
    assert.deepEqual(parseConnectionUrl('postgresql://a@h1:1/d1?host=/s&port=2&dbname=d2&sslrootcert=/no/such/file'), {
      user: 'a',
      host: '/s',
      port: '2',
      dbname: 'd2',
      sslrootcert: '/no/such/file',
    });
  });
  test('an invalid URL is refused without echoing it (the password would be in the message)', () => {
    assert.throws(
      () => parseConnectionUrl('postgresql://me:s3cret@bad host:x/db'),
      (e: unknown) => e instanceof EngineError && /not a valid URL/.test(e.message) && !e.message.includes('s3cret'),
    );
  });
});

describe('resolveConnection', () => {
  test('defaults like libpq: localhost:5432, OS user, database = user, sslmode prefer', () => {
    const c = resolveConnection({}, env());
    assert.deepEqual([c.host, c.port, c.user, c.database, c.sslmode, c.password], ['localhost', 5432, 'me', 'me', 'prefer', undefined]);
  });
  test('explicit settings beat the URL, which beats the service file, which beats PG* variables', () => {
    const files = { '/home/me/.pg_service.conf': { text: '[svc]\nhost=svc-host\nport=7000\ndbname=svcdb\nuser=svcuser\n' } };
    const vars = { PGHOST: 'env-host', PGPORT: '8000', PGDATABASE: 'envdb', PGUSER: 'envuser' };
    const c = resolveConnection({ url: 'postgresql://urluser@url-host/urldb?service=svc', database: 'explicitdb' }, env(vars, files));
    assert.deepEqual([c.host, c.port, c.database, c.user], ['url-host', 7000, 'explicitdb', 'urluser']);
  });
  test('PGSERVICE names the service when nothing else does; an unknown service is an error', () => {
    const files = { '/etc/postgresql-common/pg_service.conf': { text: '[sys]\nport=7001\n' } };
    assert.equal(resolveConnection({}, env({ PGSERVICE: 'sys' }, files)).port, 7001);
    assert.throws(
      () => resolveConnection({ service: 'nope' }, env()),
      (e: unknown) => e instanceof EngineError && /Service "nope"/.test(e.message),
    );
  });
  test('password sources in order: SecretStorage, URL, service, PGPASSWORD, .pgpass', () => {
    const files = { '/home/me/.pgpass': { text: 'localhost:5432:me:me:from-pgpass\n' } };
    const pick = (s: object, vars: Record<string, string> = {}) => resolveConnection(s, env(vars, files));
    assert.equal(pick({ password: 'secret', url: 'postgresql://me:url@localhost/me' }).passwordSource, 'VS Code SecretStorage');
    assert.equal(pick({ url: 'postgresql://me:url@localhost/me' }, { PGPASSWORD: 'envpw' }).password, 'url');
    assert.equal(pick({}, { PGPASSWORD: 'envpw' }).password, 'envpw');
    const c = pick({});
    assert.deepEqual([c.password, c.passwordSource], ['from-pgpass', '/home/me/.pgpass']);
  });
  test('PGPASSFILE moves .pgpass; one readable by others is ignored with a warning, as libpq does', () => {
    const files = { '/tmp/pw': { text: '*:*:*:*:x', mode: 0o644 } };
    const c = resolveConnection({}, env({ PGPASSFILE: '/tmp/pw' }, files));
    assert.equal(c.password, undefined);
    assert.match(c.warnings[0], /permissions/);
  });
  test('a socket URL resolves to the socket directory, which the allow-list treats as local like host=/dir', () => {
    const url = resolveConnection({ url: 'postgresql://me@/app?host=/var/run/postgresql&port=5433' }, env());
    const keyword = resolveConnection({ url: 'host=/var/run/postgresql port=5433 user=me dbname=app' }, env());
    assert.deepEqual([url.host, url.port, url.database, url.user], ['/var/run/postgresql', 5433, 'app', 'me']);
    assert.deepEqual([keyword.host, keyword.port, keyword.database, keyword.user], [url.host, url.port, url.database, url.user]);
    checkHostAllowed(url.host, ['nothing-else']);
    const remote = resolveConnection({ url: 'postgresql://me@/app?host=db.example.com' }, env());
    assert.throws(
      () => checkHostAllowed(remote.host),
      (e: unknown) => e instanceof EngineError && e.code === 'host-not-allowed',
    );
  });
  test('a bad port or sslmode is an error, not a default', () => {
    assert.throws(() => resolveConnection({ url: 'host=x port=abc' }, env()), /not a valid port/);
    assert.throws(() => resolveConnection({ url: 'host=x sslmode=maybe' }, env()), /sslmode "maybe"/);
  });
});

describe('checkHostAllowed', () => {
  test('the default list allows loopback names only', () => {
    for (const h of ['localhost', '127.0.0.1', '::1', '[::1]', 'LOCALHOST']) checkHostAllowed(h);
    assert.throws(
      () => checkHostAllowed('db.prod.example'),
      (e: unknown) => e instanceof EngineError && e.code === 'host-not-allowed' && /db\.prod\.example/.test(e.message),
    );
  });
  test('Unix-socket directories are local; added hosts are allowed', () => {
    checkHostAllowed('/var/run/postgresql');
    checkHostAllowed('dev-db', ['dev-db']);
  });
});
