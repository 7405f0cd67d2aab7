// GitLab Code Quality report (a JSON array of issues), for the `codequality` artifact of a merge request.
import { createHash } from 'node:crypto';
import type { Reporter } from './types';

// https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
const SEVERITY = { error: 'major', warning: 'minor', info: 'info', hint: 'info' } as const;

export const gitlabReporter: Reporter = (findings) => {
  const seen = new Map<string, number>();
  const issues = findings.map((f) => {
    // GitLab tells issues apart by fingerprint: the same finding twice at one place gets a counter.
    const base = `${f.rule}\u0000${f.file}\u0000${f.line}:${f.column}\u0000${f.message}`;
    const n = seen.get(base) ?? 0;
    seen.set(base, n + 1);
    return {
      type: 'issue',
      check_name: f.rule,
      description: f.help ? `${f.message} ${f.help}` : f.message,
      categories: ['Bug Risk'],
      severity: SEVERITY[f.severity],
      fingerprint: createHash('sha256').update(`${base}\u0000${n}`).digest('hex'),
      location: { path: f.file, lines: { begin: f.line, end: f.endLine } },
    };
  });
  return JSON.stringify(issues, null, 2) + '\n';
};
