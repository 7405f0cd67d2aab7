// security-definer-public-execute: a SECURITY DEFINER routine that every role may call, because EXECUTE was never revoked from PUBLIC.
import type { CreateFunctionStmt, FunctionParameter, ObjectWithArgs } from '@pgsql/types';
import { deparseSync } from 'pgsql-deparser';
import type { FunctionDef } from '../catalog/types';
import { definerAlterOf, isTriggerFunction, routineOf } from '../facts/routines';
import { as } from '../parse/ast';
import type { Statement } from '../parse/parse';
import { defineRule, type Fix } from './rule';

/** `REVOKE EXECUTE ON FUNCTION name(argtypes) FROM PUBLIC`, with the name as the statement wrote it (same session, same search_path). */
function revokeSql(stmt: Statement, kind: FunctionDef['kind']): string | undefined {
  let objname: unknown[] | undefined;
  let objargs: unknown[] | undefined;
  const fn = as<CreateFunctionStmt>(stmt.node, 'CreateFunctionStmt');
  if (fn) {
    objname = fn.funcname;
    objargs = (fn.parameters ?? [])
      .map((p) => as<FunctionParameter>(p, 'FunctionParameter'))
      .filter((p): p is FunctionParameter => !!p && p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE')
      .map((p) => ({ TypeName: p.argType }));
  } else {
    const o = (stmt.node as { AlterFunctionStmt?: { func?: ObjectWithArgs } }).AlterFunctionStmt?.func;
    objname = o?.objname;
    objargs = o?.args_unspecified ? undefined : (o?.objargs ?? []);
  }
  if (!objname) return undefined;
  const grant = {
    GrantStmt: {
      is_grant: false,
      targtype: 'ACL_TARGET_OBJECT',
      objtype: kind === 'procedure' ? 'OBJECT_PROCEDURE' : 'OBJECT_FUNCTION',
      objects: [{ ObjectWithArgs: { objname, objargs, args_unspecified: objargs === undefined } }],
      privileges: [{ AccessPriv: { priv_name: 'execute' } }],
      grantees: [{ RoleSpec: { roletype: 'ROLESPEC_PUBLIC' } }],
    },
  };
  try {
    return deparseSync([grant] as never);
  } catch {
    return undefined;
  }
}

/**
 * Adds the REVOKE right after the statement: inserted before the statement's own semicolon, which then ends the REVOKE,
 * so the edit depends only on the statement's text (findings are cached per statement).
 */
function revokeFix(stmt: Statement, kind: FunctionDef['kind']): Fix | undefined {
  const sql = revokeSql(stmt, kind);
  if (!sql) return undefined;
  return { title: 'Revoke EXECUTE from PUBLIC', edits: [{ start: stmt.end, end: stmt.end, newText: `;\n${sql}` }] };
}

export default defineRule({
  id: 'security-definer-public-execute',
  category: 'security-definer',
  severity: 'warning',
  recommended: true,
  fix: 'safe',
  scope: 'all',
  messages: {
    publicExecute:
      "SECURITY DEFINER {kind} {name} can be called by every role: PostgreSQL grants EXECUTE to PUBLIC when a routine is created, and the workspace never revokes it, so anyone can run it with its owner's privileges.",
  },
  docs: {
    summary: 'SECURITY DEFINER function or procedure whose EXECUTE privilege is never revoked from PUBLIC.',
    why: "CREATE FUNCTION grants EXECUTE to PUBLIC unless default privileges say otherwise, so a SECURITY DEFINER routine is callable by every role, including ones that should never borrow its owner's privileges. CREATE OR REPLACE keeps the existing privileges; trigger functions are exempt, as they can only be called by their triggers; REVOKE EXECUTE (or ALL) … FROM PUBLIC, or ALTER DEFAULT PRIVILEGES … REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC before the CREATE, removes the grant. The check uses the catalog after every migration and SQL file.",
    help: 'Revoke EXECUTE on the routine from PUBLIC and grant it only to the roles that need it.',
    bad: ['CREATE FUNCTION app.reset_password(uid int) RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT 1 $$;'],
    good: [
      'CREATE FUNCTION app.reset_password(uid int) RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT 1 $$;\nREVOKE EXECUTE ON FUNCTION app.reset_password(int) FROM PUBLIC;\nGRANT EXECUTE ON FUNCTION app.reset_password(int) TO support;',
      'ALTER DEFAULT PRIVILEGES REVOKE EXECUTE ON FUNCTIONS FROM PUBLIC;\nCREATE FUNCTION app.reset_password(uid int) RETURNS void LANGUAGE sql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS $$ SELECT 1 $$;',
    ],
  },
  checkStatement(ctx, stmt) {
    const r = routineOf(ctx.facts, stmt);
    const def = r?.definition;
    // Functions made definer by a later ALTER are reported at that ALTER.
    if (r && def && r.securityDefiner && def.securityDefiner && !def.definerSetAt && def.publicExecute && !isTriggerFunction(def)) {
      ctx.report({ ...r.nameRange, messageId: 'publicExecute', data: { kind: def.kind, name: `${def.schema}.${def.name}` }, fix: revokeFix(stmt, def.kind) });
    }
    const a = definerAlterOf(ctx.facts, stmt);
    const altered = a?.definitions.find((d) => d.publicExecute && !isTriggerFunction(d));
    if (a && altered) {
      ctx.report({
        ...a.nameRange,
        messageId: 'publicExecute',
        data: { kind: altered.kind, name: `${altered.schema}.${altered.name}` },
        fix: revokeFix(stmt, altered.kind),
      });
    }
  },
});
