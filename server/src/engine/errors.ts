// EngineError: every failure of an engine becomes one typed error with a human message (and a position when PostgreSQL gives one).

/** `side-effects`: EXPLAIN ANALYZE refused because the statement calls something ROLLBACK does not undo. */
export type EngineErrorCode = 'auth' | 'refused' | 'timeout' | 'host-not-allowed' | 'syntax' | 'side-effects' | 'other';

export class EngineError extends Error {
  readonly code: EngineErrorCode;
  /** 0-based string offset into the SQL the caller passed, when PostgreSQL reported a position inside it. */
  readonly position?: number;
  /** The SQLSTATE, when the error came from the server. */
  readonly sqlstate?: string;
  readonly detail?: string;
  readonly hint?: string;

  constructor(code: EngineErrorCode, message: string, extra: { position?: number; sqlstate?: string; detail?: string; hint?: string; cause?: unknown } = {}) {
    super(message, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'EngineError';
    this.code = code;
    this.position = extra.position;
    this.sqlstate = extra.sqlstate;
    this.detail = extra.detail;
    this.hint = extra.hint;
  }
}

/** The fields a pg DatabaseError, a PGlite error and a Node socket error may carry. */
interface RawError {
  message?: string;
  code?: string;
  position?: string | number;
  detail?: string;
  hint?: string;
}

export interface ErrorContext {
  /** Where we were talking to, for messages, e.g. `127.0.0.1:5432`. */
  target: string;
  /** Length of the text we put before the caller's SQL (e.g. `EXPLAIN (FORMAT JSON) `), to map positions back. */
  prefixLength?: number;
  /** Length of the caller's SQL; positions past it are dropped. */
  sqlLength?: number;
  timeoutMs?: number;
  /** The statement we sent is not the caller's text (e.g. EXPLAIN EXECUTE), so a position would point nowhere useful. */
  dropPosition?: boolean;
  /** Where the password came from, so an auth failure can say which one was wrong. */
  passwordSource?: string;
}

const SOCKET_REFUSED = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'ECONNRESET', 'EAI_AGAIN']);

/** Turns whatever a driver threw into one EngineError. */
export function toEngineError(err: unknown, ctx: ErrorContext): EngineError {
  if (err instanceof EngineError) return err;
  const e = (err && typeof err === 'object' ? err : { message: String(err) }) as RawError;
  const message = e.message ?? String(err);
  const code = typeof e.code === 'string' ? e.code : undefined;
  const sqlstate = code && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
  const extra = { sqlstate, detail: e.detail, hint: e.hint, cause: err, position: mapPosition(e.position, ctx) };

  if (sqlstate === '28P01' || sqlstate === '28000') {
    const from = ctx.passwordSource ? ` (password from ${ctx.passwordSource})` : '';
    return new EngineError('auth', `Authentication failed at ${ctx.target}${from}: ${message}`, extra);
  }
  if (/client password must be a string|no password supplied|password authentication/i.test(message)) {
    return new EngineError(
      'auth',
      `The server at ${ctx.target} asked for a password and none was found. Set one with "pgdba: Set database password", ` +
        'PGPASSWORD, ~/.pgpass or pg_service.conf.',
      extra,
    );
  }
  if (sqlstate === '57014') {
    const limit = ctx.timeoutMs !== undefined ? ` of ${ctx.timeoutMs} ms` : '';
    return new EngineError('timeout', `The statement was cancelled: it ran past the statement_timeout${limit}.`, extra);
  }
  if (code && SOCKET_REFUSED.has(code)) {
    return new EngineError('refused', `Could not connect to ${ctx.target}: ${describeSocketError(code)} (${code}).`, extra);
  }
  if (/timeout expired|connection timeout|timed out/i.test(message)) {
    return new EngineError('timeout', `Could not connect to ${ctx.target} in time: ${message}`, extra);
  }
  if (/Connection terminated|server closed the connection/i.test(message)) {
    return new EngineError('refused', `The connection to ${ctx.target} was closed: ${message}`, extra);
  }
  if (sqlstate === '42601') return new EngineError('syntax', message, extra);
  return new EngineError('other', message, extra);
}

function describeSocketError(code: string): string {
  switch (code) {
    case 'ECONNREFUSED':
      return 'nothing is listening there';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'the host name does not resolve';
    case 'ECONNRESET':
      return 'the connection was reset';
    default:
      return 'the host is unreachable';
  }
}

/** PostgreSQL reports a 1-based character position in the text it received; map it to the caller's 0-based offset. */
function mapPosition(raw: string | number | undefined, ctx: ErrorContext): number | undefined {
  if (raw === undefined || raw === null || raw === '' || ctx.dropPosition) return undefined;
  const pos = Number(raw) - 1 - (ctx.prefixLength ?? 0);
  if (!Number.isFinite(pos) || pos < 0) return undefined;
  if (ctx.sqlLength !== undefined && pos > ctx.sqlLength) return undefined;
  return pos;
}
