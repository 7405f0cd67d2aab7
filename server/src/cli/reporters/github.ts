// GitHub Actions workflow commands: one ::error/::warning/::notice annotation per finding.
import type { Reporter } from './types';

const CMD = { error: 'error', warning: 'warning', info: 'notice', hint: 'notice' } as const;
const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProp = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export const githubReporter: Reporter = (findings) =>
  findings
    .map(
      (f) =>
        `::${CMD[f.severity]} file=${escapeProp(f.file)},line=${f.line},col=${f.column},endLine=${f.endLine},endColumn=${f.endColumn},title=${escapeProp(`pgdba ${f.rule}`)}::${escapeData(f.help ? `${f.message} ${f.help}` : f.message)}`,
    )
    .join('\n') + (findings.length ? '\n' : '');
