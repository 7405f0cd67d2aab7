// security-definer-dynamic-sql: PL/pgSQL EXECUTE of SQL built from values that are not quoted with quote_ident/quote_literal/format %I/%L.
import type { Catalog } from '../catalog/types';
import type { EmbeddedSql, PlVariable, RoutineBody } from '../facts/plpgsql';
import { bodyOf, routineOf, type Routine } from '../facts/routines';
import { deparseSync } from 'pgsql-deparser';
import { constValue, strs, typeNameText, unwrap } from '../parse/ast';
import { defineRule } from './rule';

/** Types whose text form cannot carry a quote: numbers, booleans, dates, uuids, and reg* types (their output is a quoted name). */
const SAFE_TYPE =
  /^(small|big)?int[248]?$|^integer$|^(big|small)?serial[248]?$|^numeric|^decimal|^real$|^double precision$|^float[48]?$|^bool(ean)?$|^uuid$|^date$|^time(stamp)?(tz)?( with(out)? time zone)?$|^interval|^oid$|^reg(class|proc|procedure|type|namespace|role|oper|operator|config|dictionary|collation)$/;

function safeType(t: string): boolean {
  const base = t
    .toLowerCase()
    .replace(/^pg_catalog\./, '')
    .replace(/(\[\])+$/, '')
    .replace(/\s*\(.*\)$/, '')
    .trim();
  return SAFE_TYPE.test(base);
}

/** Trigger variables whose values are fixed keywords or numbers; TG_TABLE_NAME and friends are names and need quote_ident. */
const SAFE_IMPLICIT = new Set(['found', 'tg_op', 'tg_when', 'tg_level', 'tg_nargs', 'tg_relid', 'tg_event', 'tg_tag']);
const QUOTERS = new Set([
  'quote_ident',
  'quote_literal',
  'quote_nullable',
  'to_regclass',
  'to_regproc',
  'to_regprocedure',
  'to_regtype',
  'to_regnamespace',
  'to_regrole',
]);
/** Operators whose result is a number or a boolean. */
const SAFE_OPS = new Set(['+', '-', '*', '/', '%', '^', '=', '<>', '!=', '<', '>', '<=', '>=', '~', '~*', '!~', '!~*', '@>', '<@', '&&', '?', '?|', '?&']);

interface Unsafe {
  operand: string;
  how: 'concatenated from' | 'formatted with %s from' | 'taken from';
}

/** An operand as SQL text for the message, shortened when long (a whole subquery, say). */
function describe(node: unknown): string {
  let text: string;
  try {
    text = deparseSync(node as never);
  } catch {
    text = unwrap(node)?.kind ?? 'an expression';
  }
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

class Taint {
  private readonly vars = new Map<string, PlVariable>();
  private readonly assigned = new Map<string, EmbeddedSql[]>();
  private readonly visiting = new Set<string>();

  constructor(
    private readonly r: Routine,
    body: RoutineBody,
    private readonly catalog: Catalog,
  ) {
    for (const v of body.variables) this.vars.set(v.name.toLowerCase(), v);
    for (const q of body.sql) {
      if (q.target && q.expr) this.assigned.set(q.target.toLowerCase(), [...(this.assigned.get(q.target.toLowerCase()) ?? []), q]);
    }
  }

  /**
   * NEW.col / OLD.col in a trigger function: the catalog does not say which table fires it, so the field counts as safe
   * when every table with a column of that name gives it a safe type (e.g. NEW.id where ids are integers or uuids).
   */
  private triggerColumnSafe(parts: string[]): boolean {
    if (parts.length !== 2 || !/^(new|old)$/.test(parts[0]) || this.r.returns !== 'trigger') return false;
    const types = [...this.catalog.tables.values()].map((t) => t.columns.get(parts[1])?.type).filter((t): t is string => t !== undefined);
    return types.length > 0 && types.every(safeType);
  }

  /** Why a variable can hold text an attacker controls, or undefined when it cannot. */
  private variable(name: string, how: Unsafe['how']): Unsafe | undefined {
    const v = this.vars.get(name.toLowerCase());
    if (v && safeType(v.type)) return undefined;
    if (!v || v.param || v.fromData) return { operand: name, how };
    // Implicit (trigger) variables: TG_OP and friends are fixed words, TG_TABLE_NAME and TG_ARGV are not.
    if (!v.declared) return SAFE_IMPLICIT.has(v.name.toLowerCase()) ? undefined : { operand: name, how };
    if (this.visiting.has(v.name)) return undefined;
    this.visiting.add(v.name);
    try {
      for (const q of this.assigned.get(v.name.toLowerCase()) ?? []) {
        const bad = this.check(q.expr, how);
        if (bad) return { operand: `${bad.operand} (through ${name})`, how: bad.how };
      }
      return undefined;
    } finally {
      this.visiting.delete(v.name);
    }
  }

  /** The first unsafe operand of an expression building SQL text, or undefined when every part is a literal or quoted. */
  check(node: unknown, how: Unsafe['how'] = 'taken from'): Unsafe | undefined {
    const u = unwrap(node);
    if (!u) return undefined;
    const v = u.value;
    switch (u.kind) {
      case 'A_Const':
      case 'BoolExpr':
      case 'NullTest':
      case 'BooleanTest':
      case 'SQLValueFunction':
        return undefined;
      case 'ColumnRef': {
        const parts = strs(v.fields);
        if (parts.length === 1) return this.variable(parts[0], how);
        // A record field (r.name, NEW.col) holds data read from a table or given by the caller, unless its type is safe.
        return this.triggerColumnSafe(parts) ? undefined : { operand: parts.join('.'), how };
      }
      case 'ParamRef': {
        // $n is the n-th IN parameter.
        const n = Number(v.number ?? 0);
        const type = this.r.argTypes[n - 1];
        return type !== undefined && safeType(type) ? undefined : { operand: `$${n}`, how };
      }
      case 'TypeCast':
        return safeType(typeNameText(v.typeName as never)) ? undefined : this.check(v.arg, how);
      case 'A_Expr': {
        const op = strs(v.name).pop() ?? '';
        if (op === '||') return this.check(v.lexpr, 'concatenated from') ?? this.check(v.rexpr, 'concatenated from');
        if (SAFE_OPS.has(op) || v.kind !== 'AEXPR_OP') return undefined;
        return this.check(v.lexpr, how) ?? this.check(v.rexpr, how);
      }
      case 'FuncCall':
        return this.call(strs(v.funcname).pop()?.toLowerCase() ?? '', (v.args as unknown[]) ?? [], how);
      case 'SubLink':
        return v.subLinkType === 'EXISTS_SUBLINK' ? undefined : { operand: describe(node), how };
      case 'CaseExpr':
        return this.list([...((v.args as { CaseWhen?: { result?: unknown } }[]) ?? []).map((w) => w.CaseWhen?.result), v.defresult], how);
      case 'CoalesceExpr':
      case 'MinMaxExpr':
        return this.list(v.args as unknown[], how);
      case 'A_ArrayExpr':
        return this.list(v.elements as unknown[], how);
      case 'A_Indirection':
        return this.check(v.arg, how);
      default:
        return { operand: describe(node), how };
    }
  }

  private list(nodes: unknown[] | undefined, how: Unsafe['how']): Unsafe | undefined {
    for (const n of nodes ?? []) {
      const bad = this.check(n, how);
      if (bad) return bad;
    }
    return undefined;
  }

  private call(name: string, args: unknown[], how: Unsafe['how']): Unsafe | undefined {
    if (QUOTERS.has(name)) return undefined;
    if (name === 'concat' || name === 'concat_ws') return this.list(args, 'concatenated from');
    if (name !== 'format') return this.list(args, how);
    const fmt = constValue(args[0]);
    if (typeof fmt !== 'string') return this.list(args, how);
    // format(): %s inserts its argument as is; %I and %L quote it. A width `*` consumes an argument too.
    let next = 1;
    for (const m of fmt.matchAll(/%(?:(\d+)\$)?(-)?(\*(?:\d+\$)?|\d+)?([sIL%])/g)) {
      if (m[4] === '%') continue;
      if (m[3]?.startsWith('*')) next = m[3].length > 1 ? Number(m[3].slice(1, -1)) + 1 : next + 1;
      const index = m[1] ? Number(m[1]) : next;
      next = index + 1;
      if (m[4] === 's') {
        const bad = this.check(args[index], 'formatted with %s from');
        if (bad) return bad;
      }
    }
    return undefined;
  }
}

export default defineRule({
  id: 'security-definer-dynamic-sql',
  category: 'security-definer',
  severity: 'warning',
  recommended: true,
  fix: 'none',
  scope: 'all',
  messages: {
    definer:
      "EXECUTE in SECURITY DEFINER {kind} {name} runs SQL {how} {operand} without quote_ident/quote_literal/format %I/%L: a value containing a quote can inject SQL that runs with the owner's privileges.",
    invoker: 'EXECUTE in {kind} {name} runs SQL {how} {operand} without quote_ident/quote_literal/format %I/%L: a value containing a quote can inject SQL.',
  },
  docs: {
    summary: 'PL/pgSQL EXECUTE of SQL built from unquoted values (SQL injection).',
    why: "EXECUTE runs a string as SQL. When the string is built with ||, concat() or format() %s from a parameter, a record field or a query result, a value containing a quote ends the literal or identifier and appends attacker-chosen SQL. In a SECURITY DEFINER routine that SQL runs with the owner's privileges; in any other routine it still runs with the caller's, which an API often exposes to untrusted input, so every PL/pgSQL function and procedure is checked. DO blocks are not: they take no caller input. Literals, quote_ident/quote_literal/quote_nullable, format() %I/%L, casts to and variables of non-text types (integers, uuid, regclass, …) and USING parameters are safe; local variables are followed to the values assigned to them.",
    help: "Pass values with EXECUTE … USING, and build identifiers with format('%I', …) or quote_ident().",
    bad: [
      "CREATE FUNCTION app.purge(tbl text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$\nBEGIN\n  EXECUTE 'DELETE FROM ' || tbl;\nEND $$;",
      "CREATE FUNCTION app.find(name text) RETURNS SETOF record LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN QUERY EXECUTE format('SELECT * FROM users WHERE name = ''%s''', name);\nEND $$;",
    ],
    good: [
      "CREATE FUNCTION app.purge(tbl text) RETURNS void LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$\nBEGIN\n  EXECUTE format('DELETE FROM %I', tbl);\nEND $$;",
      "CREATE FUNCTION app.find(name text) RETURNS SETOF record LANGUAGE plpgsql AS $$\nBEGIN\n  RETURN QUERY EXECUTE 'SELECT * FROM users WHERE name = $1' USING name;\nEND $$;",
    ],
  },
  checkStatement(ctx, stmt) {
    // Cheap first: a body without the word EXECUTE has no dynamic SQL, and its PL/pgSQL parse can be skipped.
    if (!/\bexecute\b/i.test(stmt.text)) return;
    const r = routineOf(ctx.facts, stmt);
    // DO blocks take no caller input; other languages have no EXECUTE.
    if (!r || r.kind === 'do' || r.language !== 'plpgsql') return;
    const body = bodyOf(ctx.facts, r);
    if (body.executes.length === 0) return;
    const taint = new Taint(r, body, ctx.catalog);
    const definer = r.definition?.securityDefiner ?? r.securityDefiner;
    const name = r.definition ? `${r.definition.schema}.${r.definition.name}` : (r.name?.name ?? '');
    for (const e of body.executes) {
      const bad = e.sql.expr ? taint.check(e.sql.expr) : undefined;
      if (!bad) continue;
      const range = e.keyword ?? (e.sql.start !== undefined ? { start: e.sql.start, end: e.sql.start + e.sql.text.length } : r.nameRange);
      ctx.report({ ...range, messageId: definer ? 'definer' : 'invoker', data: { kind: r.kind, name, how: bad.how, operand: bad.operand } });
    }
  },
});
