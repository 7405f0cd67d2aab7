// Human-readable report: `file:line:col  severity  rule  message`, the help line under it, and a summary.
import type { Reporter } from './types';

export const textReporter: Reporter = (findings) => {
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`${f.file}:${f.line}:${f.column}  ${f.severity.padEnd(7)}  ${f.rule}  ${f.message}`);
    if (f.help) lines.push(`    help: ${f.help}`);
  }
  const count = (s: string) => findings.filter((f) => f.severity === s).length;
  const files = new Set(findings.map((f) => f.file)).size;
  lines.push(
    findings.length === 0
      ? 'pgdba: no findings.'
      : `pgdba: ${findings.length} finding${findings.length === 1 ? '' : 's'} in ${files} file${files === 1 ? '' : 's'} (${count('error')} errors, ${count('warning')} warnings, ${count('info') + count('hint')} info).`,
  );
  return lines.join('\n') + '\n';
};
