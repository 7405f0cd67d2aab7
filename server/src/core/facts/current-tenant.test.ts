// The current-tenant matcher compares parse trees: what changes the value matters, spelling does not.
import { before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { initParser, parseSql } from '../parse/parse';
import { as } from '../parse/ast';
import { currentTenantMatcher, mentionsCurrentTenant, NO_CURRENT_TENANT } from './current-tenant';

before(initParser);

/** The parse tree of one written expression. */
function expr(text: string): unknown {
  const sel = as<{ targetList?: unknown[] }>(parseSql(`SELECT ${text}`).statements[0].node, 'SelectStmt');
  return as<{ val?: unknown }>(sel?.targetList?.[0], 'ResTarget')?.val;
}

describe('currentTenantMatcher', () => {
  test('matches current_setting whatever the spelling, cast or missing_ok', () => {
    const m = currentTenantMatcher(["current_setting('app.tenant_id')::uuid"]);
    for (const text of [
      "current_setting('app.tenant_id')::uuid",
      "current_setting( 'app.tenant_id' , true )::uuid",
      "CAST(current_setting('app.tenant_id') AS uuid)",
      "pg_catalog.current_setting('app.tenant_id'::text)::uuid",
      "CURRENT_SETTING('APP.Tenant_Id')",
      "(SELECT current_setting('app.tenant_id')::uuid)",
      "( SELECT (current_setting('app.tenant_id'::text))::uuid AS current_setting)",
    ]) {
      assert.equal(m(expr(text)), true, text);
    }
    for (const text of [
      "current_setting('app.user_id')::uuid",
      "current_setting('app.tenant_id') || 'x'",
      "(SELECT current_setting('app.tenant_id') FROM t)",
      "my_setting('app.tenant_id')",
      '$1',
      'tenant_id',
    ]) {
      assert.equal(m(expr(text)), false, text);
    }
  });

  test("matches Supabase's auth.uid() by schema when both name one", () => {
    const m = currentTenantMatcher(['auth.uid()']);
    for (const text of ['auth.uid()', '"auth"."uid"()', '(select auth.uid())', 'uid()', '(auth.uid())::text']) assert.equal(m(expr(text)), true, text);
    for (const text of ['other.uid()', 'auth.uid2()', 'auth.jwt()', "auth.uid('x')"]) assert.equal(m(expr(text)), false, text);
  });

  test('mentions finds a current-tenant expression inside subqueries', () => {
    const m = currentTenantMatcher(['auth.uid()']);
    assert.equal(mentionsCurrentTenant(expr('(SELECT tenant_id FROM members WHERE user_id = (select auth.uid()))'), m), true);
    assert.equal(mentionsCurrentTenant(expr('(SELECT tenant_id FROM members WHERE user_id = $1)'), m), false);
  });

  test('nothing configured, or nothing that parses, matches nothing', () => {
    assert.equal(currentTenantMatcher([]), NO_CURRENT_TENANT);
    assert.equal(currentTenantMatcher(['auth.uid(']), NO_CURRENT_TENANT);
    assert.equal(currentTenantMatcher(['auth.uid(', 'auth.uid()'])(expr('auth.uid()')), true);
  });
});
