// Picks the inverse of one up statement by its kind.
import type { AlterEnumStmt, AlterTableStmt, CreateFunctionStmt, CreateTrigStmt, GrantStmt, IndexStmt } from '@pgsql/types';
import { unwrap } from '../parse/ast';
import { invertAlterTable } from './inverse-alter-table';
import {
  invertCreateFunction,
  invertCreateIndex,
  invertCreateOther,
  invertCreatePolicy,
  invertCreateSequence,
  invertCreateTable,
  invertCreateTrigger,
  invertCreateType,
  invertCreateView,
} from './inverse-create';
import { invertDrop } from './inverse-drop';
import {
  invertAlterDomain,
  invertAlterFunction,
  invertAlterPolicy,
  invertAlterSequence,
  invertDataChange,
  invertEnum,
  invertInsert,
  invertSelect,
} from './inverse-misc';
import { invertComment, invertDefaultPrivileges, invertGrant, invertGrantRole } from './inverse-privileges';
import { invertRename, invertSetSchema } from './inverse-rename';
import type { InvertContext, Inverse } from './types';

/** Statements that change no schema and no data: nothing to undo. */
const NO_EFFECT = new Set([
  'VariableShowStmt',
  'LockStmt',
  'VacuumStmt',
  'ReindexStmt',
  'ClusterStmt',
  'RefreshMatViewStmt',
  'CheckPointStmt',
  'NotifyStmt',
  'ListenStmt',
  'UnlistenStmt',
  'DiscardStmt',
  'ExplainStmt',
  'PrepareStmt',
  'DeallocateStmt',
  'LoadStmt',
  'ConstraintsSetStmt',
]);

export function invert(ctx: InvertContext): Inverse {
  const u = unwrap(ctx.stmt.node);
  if (!u) return {};
  const v = u.value;
  if (NO_EFFECT.has(u.kind)) return { note: 'changes no schema' };
  switch (u.kind) {
    case 'CreateStmt':
      return invertCreateTable(ctx, v, 'table');
    case 'CreateTableAsStmt':
      return invertCreateTable(ctx, v, v.objtype === 'OBJECT_MATVIEW' ? 'matview' : 'table');
    case 'ViewStmt':
      return invertCreateView(ctx, v);
    case 'IndexStmt':
      return invertCreateIndex(ctx, v as IndexStmt);
    case 'CreateFunctionStmt':
      return invertCreateFunction(ctx, v as CreateFunctionStmt);
    case 'CreateTrigStmt':
      return invertCreateTrigger(ctx, v as CreateTrigStmt);
    case 'CreatePolicyStmt':
      return invertCreatePolicy(ctx, v);
    case 'CreateSeqStmt':
      return invertCreateSequence(ctx, v);
    case 'CreateEnumStmt':
    case 'CompositeTypeStmt':
    case 'CreateDomainStmt':
    case 'CreateRangeStmt':
      return invertCreateType(ctx, u.kind, v);
    case 'AlterTableStmt':
      return invertAlterTable(ctx, v as AlterTableStmt);
    case 'DropStmt':
      return invertDrop(ctx, v);
    case 'RenameStmt':
      return invertRename(ctx, v);
    case 'AlterObjectSchemaStmt':
      return invertSetSchema(ctx, v);
    case 'GrantStmt':
      return invertGrant(ctx, v as GrantStmt);
    case 'AlterDefaultPrivilegesStmt':
      return invertDefaultPrivileges(v);
    case 'GrantRoleStmt':
      return invertGrantRole(v);
    case 'CommentStmt':
      return invertComment(ctx, v);
    case 'AlterEnumStmt':
      return invertEnum(ctx, v as AlterEnumStmt);
    case 'AlterSeqStmt':
      return invertAlterSequence(ctx, v);
    case 'AlterFunctionStmt':
      return invertAlterFunction(ctx, v);
    case 'AlterPolicyStmt':
      return invertAlterPolicy(ctx, v);
    case 'AlterDomainStmt':
      return invertAlterDomain(ctx, v);
    case 'InsertStmt':
      return invertInsert(ctx, v);
    case 'UpdateStmt':
    case 'DeleteStmt':
    case 'TruncateStmt':
    case 'MergeStmt':
    case 'CopyStmt':
      return invertDataChange(ctx, u.kind, v);
    case 'SelectStmt':
      return invertSelect(v);
    case 'DoStmt':
      return { irreversible: 'a DO block runs code pgdba cannot see into: undo its effects by hand' };
    case 'CallStmt':
      return { irreversible: 'CALL runs a procedure whose effects pgdba cannot see: undo them by hand' };
    case 'AlterOwnerStmt':
      return { warning: 'the previous owner is not known to pgdba: restore it by hand if it matters' };
    case 'AlterExtensionStmt':
      return { irreversible: 'the previous extension version is not known (ALTER EXTENSION … UPDATE TO the old version)' };
    default: {
      const other = invertCreateOther(ctx, u.kind, v);
      if (other) return other;
      return { irreversible: `${u.kind.replace(/Stmt$/, '')}: pgdba cannot undo this kind of statement yet` };
    }
  }
}
