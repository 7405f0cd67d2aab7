// Runs the rules over one file: contains rule failures, applies severity settings and suppressions, and words the findings.
import type { Catalog } from './catalog/types';
import type { Config, Severity } from './config';
import { FileFacts } from './facts/file-facts';
import type { ParsedSql, Statement } from './parse/parse';
import type { LayoutKind } from './migrations';
import { rules as allRules } from './rules';
import { formatMessage, type Edit, type Fix, type Report, type Rule, type RuleContext } from './rules/rule';
import { fileSuppressEdit, findSuppressions, isSuppressed, statementSuppressEdit } from './suppress';
import type { FileInfo } from './workspace/file-info';

/** Ids of findings that do not come from a rule file. */
export const BUILTIN_IDS = ['syntax-error', 'internal-error', 'unknown-rule', 'unused-suppression', 'config-error', 'too-deeply-nested'] as const;

const TOO_DEEP_HELP = 'Split the statement (a CTE, a view or a temporary table for the inner queries) to have it checked.';

export interface Finding {
  file: string;
  start: number;
  end: number;
  rule: string;
  severity: Severity;
  message: string;
  /** One imperative sentence: how to fix it. */
  help?: string;
  fix?: Fix;
  /** Edits that add a suppression comment for this finding. */
  suppress?: { statement: Edit; file: Edit };
}

export interface AnalyzeInput {
  file: FileInfo;
  parsed: ParsedSql;
  catalog: Catalog;
  config: Config;
  rules?: readonly Rule[];
  /** Per-statement results of `checkStatement` rules, kept by the caller while catalog and config stay the same. */
  cache?: StatementCache;
}

/** Reports with offsets relative to their statement's start, keyed by rule, file role and statement text. */
export class StatementCache {
  /** Statement text → rule id → that rule's reports (offsets relative to the statement). */
  private current = new Map<string, Map<string, readonly Report[]>>();
  private next = new Map<string, Map<string, readonly Report[]>>();

  /**
   * The per-rule results kept for a statement text, carried into this round. Keyed by text first: a file of 5,000
   * statements then costs 5,000 lookups of a (hashed once) text per analysis, not one per rule and statement.
   */
  entry(text: string): Map<string, readonly Report[]> {
    let e = this.next.get(text);
    if (!e) {
      e = this.current.get(text) ?? new Map();
      this.next.set(text, e);
    }
    return e;
  }

  /** Ends an analysis round: entries not used in it are dropped, so the cache follows the file. */
  sweep(): void {
    this.current = this.next;
    this.next = new Map();
  }
}

function shiftReport(r: Report, by: number): Report {
  const fix = r.fix && { title: r.fix.title, edits: r.fix.edits.map((e) => ({ start: e.start + by, end: e.end + by, newText: e.newText })) };
  return { messageId: r.messageId, data: r.data, help: r.help, start: r.start + by, end: r.end + by, fix };
}

/** The configured severity of a rule, or undefined when it is off. */
export function effectiveSeverity(rule: Pick<Rule, 'id' | 'severity' | 'recommended' | 'category'>, config: Config): Severity | undefined {
  const level = config.rules[rule.id];
  if (level === 'off') return undefined;
  if (level && level !== 'on') return level;
  if (level === 'on') return rule.severity;
  if (rule.category === 'robustness' && !config.migrations.robustness) return undefined;
  return rule.recommended ? rule.severity : undefined;
}

function inScope(rule: Rule, file: FileInfo): boolean {
  if (rule.scope === 'all') return true;
  if (rule.scope === 'migration') return file.role === 'migration-up' || file.role === 'migration-down';
  return file.role === 'plain';
}

function statementsOf(parsed: ParsedSql, file: FileInfo): Statement[] {
  if (!file.section) return parsed.statements;
  const { start, end } = file.section;
  return parsed.statements.filter((s) => s.start >= start && s.start < end);
}

function statementAt(statements: Statement[], offset: number): Statement | undefined {
  let lo = 0;
  let hi = statements.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = statements[mid];
    if (offset < s.start) hi = mid - 1;
    else if (offset > s.end) lo = mid + 1;
    else return s;
  }
  return undefined;
}

/** Layouts whose runner sends a migration to the server itself, never through psql (unlike sqitch, or a plain folder). */
const WITHOUT_PSQL: ReadonlySet<LayoutKind> = new Set(['diesel', 'golang-migrate', 'maragudk', 'sqlx', 'pop', 'dbmate', 'flyway', 'prisma', 'supabase']);

/** The layout whose tool sends the file to the server without psql, or undefined when psql may run it. */
function runnerWithoutPsql(file: FileInfo): LayoutKind | undefined {
  const layout = file.migration?.layout;
  return layout && WITHOUT_PSQL.has(layout) ? layout : undefined;
}

/**
 * The placeholder at a syntax error, when the file's runner fills it in before PostgreSQL sees the text: Flyway's
 * `${name}` in a Flyway migration, psql's `:name`, `:'name'` and `:"name"` in a file psql may run.
 */
function placeholderAt(text: string, at: number, file: FileInfo): { text: string; runner: string } | undefined {
  const ahead = text.slice(at, at + 200);
  const flyway = file.migration?.layout === 'flyway' ? /^\$\{[^}\n]+\}/.exec(ahead) : null;
  if (flyway) return { text: flyway[0], runner: 'Flyway' };
  const psql = !runnerWithoutPsql(file) ? /^:(?:'[A-Za-z_]\w*'|"[A-Za-z_]\w*"|[A-Za-z_]\w*)/.exec(ahead) : null;
  return psql ? { text: psql[0], runner: 'psql (or the code that runs this file)' } : undefined;
}

/** A statement's reports when a rule has none for it (shared: never pushed to). */
const NO_REPORTS: readonly Report[] = Object.freeze([]);

/** Analyses one file (or one section of it) and returns its findings, sorted by position. */
export function analyzeFile(input: AnalyzeInput): Finding[] {
  const { file, parsed, catalog, config } = input;
  const rules = input.rules ?? allRules;
  const statements = statementsOf(parsed, file);
  const facts = new FileFacts({ file, parsed, statements, catalog, config });
  const suppressions = findSuppressions(parsed).filter(
    (s) => !file.section || s.kind === 'file' || (s.start >= file.section.start && s.start < file.section.end),
  );
  const findings: Finding[] = [];
  const inSection = (o: number) => !file.section || (o >= file.section.start && o < file.section.end);

  for (const e of parsed.errors) {
    if (!inSection(e.start)) continue;
    const placeholder = e.kind ? undefined : placeholderAt(parsed.text, e.start, file);
    if (placeholder) {
      const message = `Not analysed: ${placeholder.text} is filled in by ${placeholder.runner} before PostgreSQL sees this statement, and pgdba does not know its value.`;
      findings.push({ file: file.path, start: e.start, end: e.start + placeholder.text.length, rule: 'syntax-error', severity: 'info', message });
    } else if (e.kind)
      findings.push({ file: file.path, start: e.start, end: e.end, rule: 'too-deeply-nested', severity: 'warning', message: e.message, help: TOO_DEEP_HELP });
    else findings.push({ file: file.path, start: e.start, end: e.end, rule: 'syntax-error', severity: 'error', message: `Syntax error: ${e.message}` });
  }

  // psql meta-commands are left out of the statements (psql runs them); a runner that is not psql sends them on.
  const layout = runnerWithoutPsql(file);
  if (layout) {
    for (const c of parsed.psqlCommands ?? []) {
      if (!inSection(c.start)) continue;
      const message = `Syntax error: \\${c.name} is a psql meta-command, and ${layout} sends migrations to PostgreSQL without psql: the server rejects it.`;
      findings.push({ file: file.path, start: c.start, end: c.end, rule: 'syntax-error', severity: 'error', message });
    }
  }

  const entries = input.cache && statements.map((s) => input.cache!.entry(s.text));
  // One context per file, reporting for the rule being run (contexts and closures per rule and file were a large share
  // of a whole-workspace check's allocations). Rules report while they run, never later.
  let rule = rules[0];
  let severity: Finding['severity'] = 'warning';
  const deliver = (r: Report) => {
    const stmt = r.statement ?? statementAt(statements, r.start);
    if (isSuppressed(suppressions, rule.id, r.start, stmt)) return;
    const template = rule.messages[r.messageId];
    if (template === undefined) throw new Error(`unknown messageId "${r.messageId}"`);
    findings.push({
      file: file.path,
      start: r.start,
      end: r.end,
      rule: rule.id,
      severity,
      message: formatMessage(template, r.data),
      help: r.help ?? rule.docs.help,
      fix: r.fix,
      suppress: {
        statement: statementSuppressEdit(parsed.text, stmt?.start ?? r.start, rule.id),
        file: fileSuppressEdit(rule.id),
      },
    });
  };
  const ctx: RuleContext = { file, parsed, statements, catalog, config, facts, report: deliver };
  // For checkStatement: `report` files under the statement being checked, offsets relative to it. The list is made on a
  // statement's first report: most statements have none.
  let stmt = statements[0];
  let relative: Report[] | undefined;
  const stmtCtx: RuleContext = { ...ctx, report: (r) => (relative ??= []).push(shiftReport(r, -stmt.start)) };
  for (const current of rules) {
    const level = effectiveSeverity(current, config);
    if (!level || !inScope(current, file)) continue;
    rule = current;
    severity = level;
    try {
      if (rule.check) rule.check(ctx);
      if (rule.checkStatement) {
        for (let i = 0; i < statements.length; i++) {
          stmt = statements[i];
          // The cache belongs to one file part (one role), so statement text and rule id are the key.
          const entry = entries?.[i];
          let cached = entry?.get(rule.id);
          if (!cached) {
            relative = undefined;
            rule.checkStatement(stmtCtx, stmt);
            cached = relative ?? NO_REPORTS;
            entry?.set(rule.id, cached);
          }
          for (const r of cached) deliver({ ...shiftReport(r, stmt.start), statement: stmt });
          // (Most statements have no findings: the loop above is then free.)
        }
      }
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const first = statements[0];
      if (error instanceof RangeError) {
        // Out of stack: the parse-time depth limit should have kept such a statement out; say what happened, not "internal".
        findings.push({
          file: file.path,
          start: first?.start ?? 0,
          end: first ? Math.min(first.end, first.start + 1) : 0,
          rule: 'too-deeply-nested',
          severity: 'warning',
          message: `A statement in this file is too deeply nested for rule ${rule.id}: it was not checked by it.`,
          help: TOO_DEEP_HELP,
        });
        continue;
      }
      findings.push({
        file: file.path,
        start: first?.start ?? 0,
        end: first ? Math.min(first.end, first.start + 1) : 0,
        rule: 'internal-error',
        severity: 'warning',
        message: `pgdba rule ${rule.id} failed on this file: ${message}. Please report it; other rules still ran.`,
      });
    }
  }
  input.cache?.sweep();

  findings.push(...suppressionFindings(suppressions, rules, file.path));
  return findings.sort((a, b) => a.start - b.start || a.rule.localeCompare(b.rule));
}

function suppressionFindings(sups: ReturnType<typeof findSuppressions>, rules: readonly Rule[], path: string): Finding[] {
  const known = new Set<string>([...rules.map((r) => r.id), ...BUILTIN_IDS, 'all']);
  const out: Finding[] = [];
  for (const s of sups) {
    for (const r of s.idRanges) {
      if (!known.has(r.id)) {
        out.push({
          file: path,
          start: r.start,
          end: r.end,
          rule: 'unknown-rule',
          severity: 'warning',
          message: `Unknown rule "${r.id}" in a pgdba-ignore comment.`,
          help: 'Use an id listed by `pgdba rules`.',
        });
      } else if (!s.used.has(r.id)) {
        const what = s.kind === 'file' ? 'this file' : 'the next statement';
        out.push({
          file: path,
          start: r.start,
          end: r.end,
          rule: 'unused-suppression',
          severity: 'info',
          message: `Unused suppression: ${r.id} reports nothing in ${what}.`,
          help: 'Remove the id from the comment.',
          fix: { title: 'Remove the unused suppression', edits: [{ start: s.start, end: s.end, newText: '' }] },
        });
      }
    }
  }
  return out;
}
