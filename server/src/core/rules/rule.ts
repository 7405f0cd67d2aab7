// The rule contract: metadata, the check function's context, and what a check reports.
import type { Catalog } from '../catalog/types';
import type { Config, Severity } from '../config';
import type { FileFacts } from '../facts/file-facts';
import type { ParsedSql, Statement } from '../parse/parse';
import type { FileInfo } from '../workspace/file-info';

export type Category =
  | 'tenant'
  | 'unbounded'
  | 'security-definer'
  | 'rollback'
  | 'migration-lock'
  | 'migration-compat'
  | 'schema-design'
  | 'robustness'
  | 'syntax'
  | 'schema-reference';

/** A text edit in string offsets of the file the finding is in. */
export interface Edit {
  start: number;
  end: number;
  newText: string;
}

export interface Fix {
  title: string;
  edits: Edit[];
}

export interface Report {
  start: number;
  end: number;
  messageId: string;
  data?: Record<string, string | number>;
  /** Overrides the rule's docs help for this finding: one imperative sentence. */
  help?: string;
  fix?: Fix;
  /** The statement the finding belongs to (suppression comments cover statements). */
  statement?: Statement;
}

export interface PeerSource {
  tool: 'squawk' | 'postgres-language-server' | 'pgspot' | 'eugene';
  rule: string;
  relation: 'same' | 'inspired' | 'stricter' | 'quieter';
}

export interface RuleDocs {
  summary: string;
  why: string;
  help: string;
  bad: string[];
  good: string[];
  /** Settings the examples need (e.g. a migration file, a config override). */
  exampleFile?: 'migration' | 'plain';
  /** The down part the examples' up migrations get: text, or null for none (default: a non-empty down file). */
  exampleDown?: string | null;
}

export interface RuleMeta {
  id: string;
  category: Category;
  severity: Severity;
  recommended: boolean;
  fix: 'none' | 'safe' | 'unsafe';
  messages: Record<string, string>;
  docs: RuleDocs;
  sources?: PeerSource[];
  minPg?: number;
  /** Which files the rule looks at: every SQL file, migration up parts only, or non-migration SQL only. */
  scope: 'all' | 'migration' | 'query';
}

export interface RuleContext {
  file: FileInfo;
  parsed: ParsedSql;
  /** The statements this rule should look at (e.g. the up section of a dbmate file). */
  statements: Statement[];
  /** The workspace catalog after every migration and SQL file. */
  catalog: Catalog;
  config: Config;
  facts: FileFacts;
  report(r: Report): void;
}

/**
 * A rule implements `checkStatement` when its findings for a statement depend only on that statement's text, the
 * catalog, the config and the file's role: the analyzer then caches them per statement, so a keystroke re-checks one
 * statement. Rules that need the rest of the file (transactions, earlier statements) implement `check`.
 */
export interface Rule extends RuleMeta {
  check?(ctx: RuleContext): void;
  checkStatement?(ctx: RuleContext, stmt: Statement): void;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}

/** Fills `{name}` placeholders of a message with data. */
export function formatMessage(template: string, data: Record<string, string | number> = {}): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in data ? String(data[k]) : m));
}
