// identifier-too-long: PostgreSQL silently truncates identifiers to 63 bytes, so two long names can collide.
import { utf8Length } from '../parse/offsets';
import { codeTokens, identValue, truncateIdent } from '../facts/relations';
import { defineRule } from './rule';

/** Statements that name new objects (only definitions matter: references are truncated the same way). */
const DEFINING = /^(Create|Alter|Rename|Index|View|Define|Comment|CompositeType)/;

/**
 * Can the text hold an identifier token whose value is over 63 bytes? Only then is the statement scanned. This
 * over-approximates scan.l: a bare identifier lies within a run of identifier characters (ASCII letters, digits,
 * `_`, `$` and every non-ASCII character), so it needs an ASCII run of 64, or a run whose lower-cased form is over
 * 63 bytes (22+ UTF-16 units: lower-casing makes at most 3 bytes of one); a quoted identifier starts at some `"`
 * and ends at the next `"` that is not doubled. U&"…" identifiers are always scanned.
 */
function mayHoldLongIdentifier(text: string): boolean {
  if (/u&"/i.test(text) || /(?<![A-Za-z0-9_$])[A-Za-z0-9_$]{64}/.test(text)) return true;
  if (/[\u0080-\uffff]/.test(text)) {
    for (const m of text.matchAll(/(?<![A-Za-z0-9_$\u0080-\uffff])[A-Za-z0-9_$\u0080-\uffff]{22,}/g)) if (utf8Length(m[0].toLowerCase()) > 63) return true;
  }
  // Without a string, dollar sign or comment, each `"` opens or closes a quoted identifier in turn: check those alone.
  if (!/['$]|--|\/\*/.test(text)) return quotedIdentifiers(text).some((name) => utf8Length(name) > 63);
  // closeFrom[i]: where a quoted identifier whose text starts at i ends (scan.l: the first `"` not doubled), filled
  // right to left so that trying every `"` as an opening one stays linear in the text.
  const closeFrom = new Int32Array(text.length + 2).fill(text.length);
  for (let i = text.length - 1; i >= 0; i--) {
    if (text[i] !== '"') closeFrom[i] = closeFrom[i + 1];
    else closeFrom[i] = text[i + 1] === '"' ? closeFrom[i + 2] : i;
  }
  for (let open = text.indexOf('"'); open >= 0; open = text.indexOf('"', open + 1)) {
    const raw = closeFrom[open + 1] - open - 1;
    // Over 63 UTF-16 units is over 63 bytes (before undoubling quotes: the token scan then decides).
    if (raw > 63 || (raw > 21 && utf8Length(text.slice(open + 1, open + 1 + raw).replace(/""/g, '"')) > 63)) return true;
  }
  return false;
}

/** The values of the quoted identifiers of a text in which every `"` opens or closes one ("" inside stands for "). */
function quotedIdentifiers(text: string): string[] {
  const out: string[] = [];
  for (let open = text.indexOf('"'); open >= 0;) {
    let value = '';
    let i = open + 1;
    for (;;) {
      const close = text.indexOf('"', i);
      // Unterminated: not valid SQL, so let the token scan decide.
      if (close < 0) return [...out, 'x'.repeat(64)];
      value += text.slice(i, close);
      i = close + 1;
      if (text[i] !== '"') break;
      value += '"';
      i++;
    }
    out.push(value);
    open = text.indexOf('"', i);
  }
  return out;
}

export default defineRule({
  id: 'identifier-too-long',
  category: 'schema-design',
  severity: 'warning',
  recommended: true,
  fix: 'none',
  scope: 'all',
  messages: {
    long: 'Identifier "{name}" is {bytes} bytes long: PostgreSQL truncates it to 63 bytes ("{cut}"), so another name sharing those 63 bytes collides with it.',
  },
  docs: {
    summary: 'Identifier longer than 63 bytes in a definition.',
    why: 'NAMEDATALEN is 64, so identifiers are cut to 63 bytes with only a NOTICE. Generated names (index and constraint names built from table and column names) hit this first; after truncation two different names can clash, and tools that compare names see a mismatch.',
    help: 'Give the object a shorter name (at most 63 bytes).',
    bad: ['CREATE INDEX organization_membership_invitations_by_inviter_and_invitee_created_at_idx ON invitations (inviter_id, invitee_id, created_at);'],
    good: ['CREATE INDEX invitations_inviter_invitee_created_idx ON invitations (inviter_id, invitee_id, created_at);'],
  },
  sources: [{ tool: 'squawk', rule: 'identifier-too-long', relation: 'same' }],
  check(ctx) {
    for (const stmt of ctx.statements) {
      if (!DEFINING.test(stmt.kind) || !mayHoldLongIdentifier(stmt.text)) continue;
      const seen = new Set<string>();
      for (const t of codeTokens(ctx.parsed, stmt.start, stmt.end)) {
        if (t.name !== 'IDENT') continue;
        const name = identValue(t);
        const bytes = utf8Length(name);
        if (bytes <= 63 || seen.has(name)) continue;
        seen.add(name);
        const cut = truncateIdent(name);
        ctx.report({ start: t.start, end: t.end, messageId: 'long', data: { name, bytes, cut }, statement: stmt });
      }
    }
  },
});
