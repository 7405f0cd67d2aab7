// "pgdba: Generate rollback" in the language server: the down migration for an up file, and where it belongs.
import { join, relative, sep } from 'node:path';
import type { Connection } from 'vscode-languageserver/node';
import { URI } from 'vscode-uri';
import { catalogBefore, generateRollback, orderedUps, rollbackTarget } from '../core/rollback';
import { LineIndex } from '../core/parse/lines';
import { generateRollbackRequest, type GenerateRollbackResult } from './protocol';
import type { Session } from './session';

export function attachRollback(connection: Connection, session: Session): void {
  connection.onRequest(generateRollbackRequest, ({ uri }): GenerateRollbackResult => {
    const at = session.locate(uri);
    if (!at) return { ok: false, message: 'Open an up migration first.' };
    const part = at.workspace.fileParts(at.path).find((p) => p.role === 'migration-up');
    const parsed = at.workspace.parsed(at.path);
    if (!part?.migration || !parsed)
      return {
        ok: false,
        message: 'This file is not an up migration of a layout pgdba recognises (diesel, golang-migrate, sqlx, pop, dbmate, Flyway, sqitch).',
      };
    const before = catalogBefore(orderedUps(at.workspace), part.migration.id);
    const rollback = generateRollback(parsed, before, { file: at.path, section: part.section });
    const lines = new LineIndex(parsed.text);
    const warnings = rollback.warnings.map((w) => `line ${lines.position(w.start).line + 1}: ${w.irreversible ? 'irreversible' : 'check'}: ${w.message}`);
    const target = rollbackTarget(part.migration, { list: () => [], read: (p) => at.workspace.text(p) });
    if (!target.ok) return { ok: false, message: `No place for a rollback: ${target.reason}`, sql: rollback.sql, warnings };
    const targetPath = join(at.root, ...target.path.split('/'));
    return {
      ok: true,
      message: relative(at.root, targetPath).split(sep).join('/'),
      sql: rollback.sql,
      warnings,
      target: { uri: URI.file(targetPath).toString(), exists: target.exists, sectionOffset: target.section?.start, prefix: target.prefix },
    };
  });
}
