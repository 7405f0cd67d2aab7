// Checks that every snippet in snippets/pgsql.json, expanded with its placeholder defaults, parses and still does what its name says.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parsePlPgSQLSync } from 'libpg-query';
import { initParser, parseSql, type ParsedSql } from '../../server/src/core/parse/parse';
import { walk } from '../../server/src/core/parse/ast';

interface Snippet {
  prefix: string;
  description: string;
  body: string[];
}

const root = join(__dirname, '..', '..');
const snippets = JSON.parse(readFileSync(join(root, 'snippets', 'pgsql.json'), 'utf8')) as Record<string, Snippet>;

type Part = string | { index: number; value?: Part[]; choices?: string[] };

/** Parses VS Code snippet syntax (tabstops, placeholders, choices, \ escapes); variables are rejected so none slip in unnoticed. */
function parseSnippet(text: string): Part[] {
  let i = 0;
  function parts(stopAtBrace: boolean): Part[] {
    const out: Part[] = [];
    let lit = '';
    const flush = () => {
      if (lit) out.push(lit);
      lit = '';
    };
    while (i < text.length) {
      const c = text[i];
      if (c === '\\' && i + 1 < text.length && '$}\\'.includes(text[i + 1])) {
        lit += text[i + 1];
        i += 2;
      } else if (stopAtBrace && c === '}') {
        break;
      } else if (c === '$' && /\d/.test(text[i + 1] ?? '')) {
        const m = /^\$(\d+)/.exec(text.slice(i))!;
        flush();
        out.push({ index: Number(m[1]) });
        i += m[0].length;
      } else if (c === '$' && text[i + 1] === '{') {
        flush();
        const m = /^\$\{(\d+)(:|\||\})/.exec(text.slice(i));
        if (!m) throw new Error(`unsupported snippet syntax at ${JSON.stringify(text.slice(i, i + 20))}`);
        i += m[0].length;
        const index = Number(m[1]);
        if (m[2] === '}') out.push({ index });
        else if (m[2] === ':') {
          const value = parts(true);
          if (text[i] !== '}') throw new Error(`unclosed placeholder $${index}`);
          i++;
          out.push({ index, value });
        } else {
          const end = text.indexOf('|}', i);
          if (end < 0) throw new Error(`unclosed choice $${index}`);
          out.push({ index, choices: text.slice(i, end).split(',') });
          i = end + 2;
        }
      } else if (c === '$' && /[A-Za-z_]/.test(text[i + 1] ?? '')) {
        throw new Error(`snippet variable at ${JSON.stringify(text.slice(i, i + 20))}: not expected in these snippets`);
      } else {
        lit += c;
        i++;
      }
    }
    flush();
    return out;
  }
  const result = parts(false);
  if (i !== text.length) throw new Error(`stray } at ${i}`);
  return result;
}

/** Expands a snippet body the way VS Code inserts it when every placeholder keeps its default: the first default of an index fills all its mirrors. */
export function expandSnippet(body: string[]): string {
  const tree = parseSnippet(body.join('\n'));
  const defaults = new Map<number, Part[] | string>();
  const collect = (ps: Part[]) => {
    for (const p of ps) {
      if (typeof p === 'string') continue;
      if (!defaults.has(p.index) && p.value) defaults.set(p.index, p.value);
      if (!defaults.has(p.index) && p.choices) defaults.set(p.index, p.choices[0]);
      if (p.value) collect(p.value);
    }
  };
  collect(tree);
  const render = (ps: Part[], depth: number): string =>
    ps
      .map((p) => {
        if (typeof p === 'string') return p;
        if (depth > 10) throw new Error('placeholder nesting too deep');
        const d = defaults.get(p.index);
        return d === undefined ? '' : typeof d === 'string' ? d : render(d, depth + 1);
      })
      .join('');
  return render(tree, 0);
}

/** Every syntax problem in the expanded snippet, PL/pgSQL bodies included (parseSql alone treats a body as a string). */
function problems(parsed: ParsedSql): string[] {
  const out = parsed.errors.map((e) => e.message);
  if (parsed.statements.length === 0) out.push('no statements');
  for (const s of parsed.statements) {
    if (s.kind !== 'CreateFunctionStmt' && s.kind !== 'DoStmt') continue;
    try {
      parsePlPgSQLSync(s.text);
    } catch (e) {
      out.push(`PL/pgSQL: ${(e as Error).message}`);
    }
  }
  return out;
}

function kindsOf(parsed: ParsedSql): string[] {
  const kinds: string[] = [];
  for (const s of parsed.statements) walk(s.node, (kind) => void kinds.push(kind));
  return kinds;
}

function subtypes(parsed: ParsedSql): string[] {
  return parsed.statements.flatMap((s) => JSON.stringify(s.node).match(/AT_\w+/g) ?? []);
}

function bySnippetPrefix(prefix: string): ParsedSql {
  const entry = Object.values(snippets).find((s) => s.prefix === prefix);
  assert.ok(entry, `snippet ${prefix} exists`);
  return parseSql(expandSnippet(entry.body));
}

describe('snippets/pgsql.json', () => {
  before(async () => {
    await initParser();
  });

  test('each snippet has a unique pgdba- prefix, a description and a body', () => {
    const prefixes = Object.values(snippets).map((s) => s.prefix);
    assert.ok(prefixes.length >= 7);
    assert.equal(new Set(prefixes).size, prefixes.length);
    for (const [name, s] of Object.entries(snippets)) {
      assert.match(s.prefix, /^pgdba-[a-z-]+$/, name);
      assert.ok(s.description.length > 20, `${name} has a description`);
      assert.ok(Array.isArray(s.body) && s.body.length > 0, `${name} has a body`);
    }
  });

  for (const [name, s] of Object.entries(snippets)) {
    test(`"${name}" parses with its defaults filled in`, () => {
      const sql = expandSnippet(s.body);
      assert.doesNotMatch(sql, /\$\{|\$\d/, 'every placeholder was expanded');
      assert.deepEqual(problems(parseSql(sql)), [], sql);
    });
  }

  test('the checker rejects a broken body, so the tests above cannot pass vacuously', () => {
    assert.notDeepEqual(problems(parseSql(expandSnippet(['ALTER TABLE ${1:t} ADD COLUMN;']))), []);
    assert.notDeepEqual(problems(parseSql(expandSnippet(['DO \\$\\$ BEGIN IF THEN END; \\$\\$;']))), []);
    assert.equal(expandSnippet(['${1:a}.${2|x,y|} $1 $2 ${3:${1}b} $0']), 'a.x a x ab ');
  });

  test('tenant RLS set enables and forces RLS and adds a policy on app.tenant_id', () => {
    const p = bySnippetPrefix('pgdba-rls-tenant');
    assert.deepEqual(subtypes(p), ['AT_EnableRowSecurity', 'AT_ForceRowSecurity']);
    assert.ok(kindsOf(p).includes('CreatePolicyStmt'));
    assert.match(p.text, /current_setting\('app\.tenant_id'\)/);
  });

  test('SECURITY DEFINER function pins search_path and revokes EXECUTE from PUBLIC', () => {
    const p = bySnippetPrefix('pgdba-security-definer');
    const fn = JSON.stringify(p.statements.find((s) => s.kind === 'CreateFunctionStmt')?.node);
    assert.match(fn, /"defname":"security","arg":\{"Boolean":\{"boolval":true\}\}/);
    assert.match(fn, /"name":"search_path"/);
    const revoke = p.statements.find((s) => s.kind === 'GrantStmt' && !(s.node as { GrantStmt: { is_grant?: boolean } }).GrantStmt.is_grant);
    assert.match(JSON.stringify(revoke?.node), /ROLESPEC_PUBLIC/);
  });

  test('index snippet builds CONCURRENTLY', () => {
    const p = bySnippetPrefix('pgdba-index-concurrently');
    assert.match(JSON.stringify(p.statements[0].node), /"concurrent":true/);
  });

  test('constraint snippets add NOT VALID and then VALIDATE', () => {
    for (const prefix of ['pgdba-fk-not-valid', 'pgdba-check-not-valid']) {
      const p = bySnippetPrefix(prefix);
      assert.match(JSON.stringify(p.statements[0].node), /"skip_validation":true/, prefix);
      assert.deepEqual(subtypes(p), ['AT_AddConstraint', 'AT_ValidateConstraint'], prefix);
    }
  });

  test('rename snippet expands, syncs with a trigger, backfills and contracts', () => {
    const kinds = bySnippetPrefix('pgdba-rename-column').statements.map((s) => s.kind);
    assert.deepEqual(kinds, ['AlterTableStmt', 'CreateFunctionStmt', 'CreateTrigStmt', 'UpdateStmt', 'DropStmt', 'DropStmt', 'AlterTableStmt']);
  });

  test('timeout preamble sets lock_timeout and statement_timeout', () => {
    const names = bySnippetPrefix('pgdba-timeouts').statements.map((s) => (s.node as { VariableSetStmt: { name: string } }).VariableSetStmt.name);
    assert.deepEqual(names, ['lock_timeout', 'statement_timeout']);
  });

  test('dbmate skeleton has an up and a down section', () => {
    const p = bySnippetPrefix('pgdba-dbmate');
    assert.deepEqual(
      p.comments.map((c) => c.text.trim()),
      ['-- migrate:up', '-- migrate:down'],
    );
    assert.deepEqual(
      p.statements.map((s) => s.kind),
      ['CreateStmt', 'DropStmt'],
    );
  });
});
