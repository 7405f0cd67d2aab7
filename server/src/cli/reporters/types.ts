// What a reporter receives: findings with 1-based positions, relative file paths, and the rule metadata.
import type { Severity } from '../../core/config';

export interface ReportedFinding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  rule: string;
  severity: Severity;
  message: string;
  help?: string;
}

export interface RuleInfo {
  id: string;
  summary: string;
  help: string;
  docsPath?: string;
}

export type Reporter = (findings: ReportedFinding[], rules: RuleInfo[]) => string;
