// Parsers for libpq's own files and strings: ~/.pgpass, pg_service.conf and keyword=value conninfo (pure, no I/O).

export interface PgpassEntry {
  host: string;
  port: string;
  database: string;
  user: string;
  password: string;
}

/** Splits one .pgpass line into fields; `\:` and `\\` are escapes (https://www.postgresql.org/docs/15/libpq-pgpass.html). */
function splitPgpassLine(line: string): string[] {
  const fields: string[] = [];
  let cur = '';
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '\\' && i + 1 < line.length) {
      cur += line[++i];
    } else if (c === ':' && fields.length < 4) {
      fields.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  fields.push(cur);
  return fields;
}

export function parsePgpass(text: string): PgpassEntry[] {
  const out: PgpassEntry[] = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (!line || line.startsWith('#')) continue;
    const f = splitPgpassLine(line);
    if (f.length < 5) continue;
    out.push({ host: f[0], port: f[1], database: f[2], user: f[3], password: f[4] });
  }
  return out;
}

/**
 * The password of the first matching line. `*` matches anything; a Unix-socket connection matches `localhost`,
 * as libpq does.
 */
export function matchPgpass(entries: PgpassEntry[], want: { host: string; port: number; database: string; user: string }): string | undefined {
  const host = want.host === '' || want.host.startsWith('/') ? 'localhost' : want.host;
  const ok = (field: string, value: string) => field === '*' || field === value;
  const hit = entries.find((e) => ok(e.host, host) && ok(e.port, String(want.port)) && ok(e.database, want.database) && ok(e.user, want.user));
  return hit?.password;
}

/** pg_service.conf: INI sections of keyword=value lines (https://www.postgresql.org/docs/15/libpq-pgservice.html). */
export function parseServiceFile(text: string): Map<string, Record<string, string>> {
  const services = new Map<string, Record<string, string>>();
  let current: Record<string, string> | undefined;
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const section = /^\[(.+)\]$/.exec(line);
    if (section) {
      const name = section[1].trim();
      current = services.get(name) ?? {};
      services.set(name, current);
      continue;
    }
    const eq = line.indexOf('=');
    if (!current || eq <= 0) continue;
    current[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return services;
}

/**
 * A keyword/value conninfo string such as `host=localhost dbname='my db'`: values may be single-quoted,
 * with `\'` and `\\` escapes (https://www.postgresql.org/docs/15/libpq-connect.html#LIBPQ-CONNSTRING).
 */
export function parseKeywordConninfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  let i = 0;
  const skipSpace = () => {
    while (i < text.length && /\s/.test(text[i])) i++;
  };
  while (true) {
    skipSpace();
    if (i >= text.length) return out;
    const keyStart = i;
    while (i < text.length && text[i] !== '=' && !/\s/.test(text[i])) i++;
    const key = text.slice(keyStart, i);
    skipSpace();
    if (text[i] !== '=') throw new Error(`missing "=" after "${key}" in connection info string`);
    i++;
    skipSpace();
    let value = '';
    if (text[i] === "'") {
      i++;
      while (i < text.length && text[i] !== "'") {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i++];
      }
      if (text[i] !== "'") throw new Error('unterminated quoted string in connection info string');
      i++;
    } else {
      while (i < text.length && !/\s/.test(text[i])) {
        if (text[i] === '\\' && i + 1 < text.length) i++;
        value += text[i++];
      }
    }
    out[key] = value;
  }
}
