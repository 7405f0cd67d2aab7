// Test helpers for rules: build a small in-memory workspace, run one rule, assert flags / clean / fix, render carets.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../core/analyze';
import { configSchema, type Config } from '../core/config';
import type { WorkspaceFiles } from '../core/migrations';
import { initParser, parseSql } from '../core/parse/parse';
import type { Edit, Rule, RuleContext } from '../core/rules/rule';
import { Workspace } from '../core/workspace/workspace';

export interface RuleTestOptions {
  /** SQL that defines the schema, applied before the file under test (as an earlier migration, or a plain schema.sql). */
  schema?: string;
  /** Analyse the SQL as a migration up file (diesel layout, with a down file) or as plain SQL (default). */
  file?: 'migration' | 'plain';
  /** The down file's text for migration tests (default: a comment). Use null for no down file. */
  down?: string | null;
  /** Partial pgdba.json. */
  config?: Record<string, unknown>;
  /** Extra workspace files (path → text). */
  files?: Record<string, string>;
}

export const TEST_FILE = { plain: 'queries/test.sql', migration: 'migrations/2024-01-02-000000_test/up.sql' } as const;

export function memoryFiles(files: Record<string, string>): WorkspaceFiles {
  return { list: () => Object.keys(files), read: (p) => files[p] };
}

/** `rule:messageId` of every report the rules under test made in this process (suppressed ones included). */
const reported = new Set<string>();

// test/architecture.test.ts runs the rule tests with PGDBA_REPORTED_IDS=<folder> and requires every declared message id
// to be among the ones they report: a message no test produces is dead wording or an untested branch.
const reportedDir = process.env.PGDBA_REPORTED_IDS;
if (reportedDir) {
  process.on('exit', () => {
    mkdirSync(reportedDir, { recursive: true });
    writeFileSync(join(reportedDir, `${process.pid}.json`), JSON.stringify([...reported]));
  });
}

/** The rule with its reports recorded by message id (for tests that build their own Workspace). */
export function recordingRule(rule: Rule): Rule {
  const recording = (ctx: RuleContext): RuleContext => ({
    ...ctx,
    report: (r) => {
      reported.add(`${rule.id}:${r.messageId}`);
      ctx.report(r);
    },
  });
  return {
    ...rule,
    check: rule.check && ((ctx) => rule.check!.call(rule, recording(ctx))),
    checkStatement: rule.checkStatement && ((ctx, stmt) => rule.checkStatement!.call(rule, recording(ctx), stmt)),
  };
}

export function testWorkspace(sql: string, opts: RuleTestOptions = {}, rules?: readonly Rule[]): { workspace: Workspace; path: string; config: Config } {
  const kind = opts.file ?? 'plain';
  const files: Record<string, string> = { ...opts.files };
  const path = TEST_FILE[kind];
  files[path] = sql;
  if (kind === 'migration') {
    if (opts.down !== null) files['migrations/2024-01-02-000000_test/down.sql'] = opts.down ?? '-- nothing to undo\nselect 1;';
    if (opts.schema !== undefined) {
      files['migrations/2024-01-01-000000_schema/up.sql'] = opts.schema;
      files['migrations/2024-01-01-000000_schema/down.sql'] = '-- test schema';
    }
  } else if (opts.schema !== undefined) {
    files['db/schema.sql'] = opts.schema;
  }
  const config = configSchema.parse(opts.config ?? {});
  const workspace = new Workspace({ files: memoryFiles(files), configFor: () => config, rules: rules?.map(recordingRule) });
  return { workspace, path, config };
}

/** Runs one rule on `sql` and returns its findings (other rules and suppression bookkeeping excluded). */
export function runRule(rule: Rule, sql: string, opts: RuleTestOptions = {}): Finding[] {
  const { workspace, path } = testWorkspace(sql, opts, [rule]);
  return workspace.analyze(path).filter((f) => f.rule === rule.id);
}

export async function ready(): Promise<void> {
  await initParser();
}

/** Asserts the rule reports at least one finding; returns them. */
export function expectFlags(rule: Rule, sql: string, opts: RuleTestOptions = {}): Finding[] {
  const findings = runRule(rule, sql, opts);
  assert.ok(findings.length > 0, `expected ${rule.id} to flag, but it was clean (use expectClean if that is intended):\n${sql}`);
  return findings;
}

/** Asserts the rule reports nothing. */
export function expectClean(rule: Rule, sql: string, opts: RuleTestOptions = {}): void {
  const findings = runRule(rule, sql, opts);
  assert.equal(findings.length, 0, `expected ${rule.id} to be clean (use expectFlags if it should flag), got:\n${render(sql, findings)}`);
}

export function applyEdits(text: string, edits: Edit[]): string {
  let out = text;
  for (const e of [...edits].sort((a, b) => b.start - a.start)) out = out.slice(0, e.start) + e.newText + out.slice(e.end);
  return out;
}

/** Applies the first finding's fix, checks the result parses, and that the rule is then quiet. Returns the fixed SQL. */
export function expectFix(rule: Rule, sql: string, opts: RuleTestOptions = {}): string {
  const findings = expectFlags(rule, sql, opts);
  const withFix = findings.find((f) => f.fix);
  assert.ok(withFix?.fix, `expected a fix from ${rule.id}`);
  const fixed = applyEdits(sql, withFix.fix.edits);
  const parsed = parseSql(fixed);
  assert.deepEqual(parsed.errors, [], `the fixed SQL does not parse:\n${fixed}`);
  const after = runRule(rule, fixed, opts).filter((f) => f.start === withFix.start || findings.length === 1);
  assert.equal(after.length, 0, `the fix did not silence ${rule.id}:\n${render(fixed, after)}`);
  return fixed;
}

/** Renders findings under their SQL lines with carets, for inline snapshots. */
export function render(sql: string, findings: Pick<Finding, 'start' | 'end' | 'rule' | 'message'>[]): string {
  const lines = sql.split('\n');
  const out: string[] = [];
  let offset = 0;
  for (const line of lines) {
    out.push(line);
    const lineEnd = offset + line.length;
    for (const f of findings) {
      if (f.start >= offset && f.start <= lineEnd) {
        const from = f.start - offset;
        const to = Math.min(lineEnd, f.end) - offset;
        out.push(`${' '.repeat(from)}${'^'.repeat(Math.max(1, to - from))} ${f.rule}: ${f.message}`);
      }
    }
    offset = lineEnd + 1;
  }
  return out.join('\n');
}

/** Runs the rule's docs examples: every bad one flags, every good one is clean. */
export function checkDocsExamples(rule: Rule): void {
  const opts: RuleTestOptions = { file: rule.docs.exampleFile ?? (rule.scope === 'migration' ? 'migration' : 'plain'), down: rule.docs.exampleDown };
  assert.ok(rule.docs.bad.length > 0, `${rule.id} needs at least one bad example`);
  assert.ok(rule.docs.good.length > 0, `${rule.id} needs at least one good example`);
  for (const bad of rule.docs.bad) expectFlags(rule, bad, opts);
  for (const good of rule.docs.good) expectClean(rule, good, opts);
}
