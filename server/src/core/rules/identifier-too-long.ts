// identifier-too-long: PostgreSQL silently truncates identifiers to 63 bytes, so two long names can collide.
import { utf8Length } from '../parse/offsets';
import { codeTokens, identValue } from '../facts/relations';
import { defineRule } from './rule';

/** Statements that name new objects (only definitions matter: references are truncated the same way). */
const DEFINING = /^(Create|Alter|Rename|Index|View|Define|Comment|CompositeType)/;

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
      if (!DEFINING.test(stmt.kind)) continue;
      const seen = new Set<string>();
      for (const t of codeTokens(ctx.parsed, stmt.start, stmt.end)) {
        if (t.name !== 'IDENT') continue;
        const name = identValue(t);
        const bytes = utf8Length(name);
        if (bytes <= 63 || seen.has(name)) continue;
        seen.add(name);
        let cut = name;
        while (utf8Length(cut) > 63) cut = cut.slice(0, -1);
        ctx.report({ start: t.start, end: t.end, messageId: 'long', data: { name, bytes, cut }, statement: stmt });
      }
    }
  },
});
