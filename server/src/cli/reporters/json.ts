// Machine-readable report: {"diagnostics":[{file,line,column,endLine,endColumn,rule,severity,message,help}]} with 1-based positions.
import type { Reporter } from './types';

export const jsonReporter: Reporter = (findings) =>
  JSON.stringify({
    diagnostics: findings.map((f) => ({
      file: f.file,
      line: f.line,
      column: f.column,
      endLine: f.endLine,
      endColumn: f.endColumn,
      rule: f.rule,
      severity: f.severity,
      message: f.message,
      ...(f.help ? { help: f.help } : {}),
    })),
  }) + '\n';
