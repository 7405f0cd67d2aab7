// Opt-in plan findings as information diagnostics: read from cached plans during the pull, missing plans made in the background.
import { DiagnosticSeverity, type Diagnostic } from 'vscode-languageserver';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import { findingHelp, findingMessage, type PlanFinding, type PlanFindingKind } from '../core/explain';
import { walk } from '../core/parse/ast';
import type { Statement } from '../core/parse/parse';
import { Converter } from './convert';
import type { EngineChoice } from './engines';
import type { ExplainFeature } from './explain';

export const PLAN_CODES: Record<PlanFindingKind, string> = {
  'seq-scan-selective': 'plan-seq-scan',
  misestimate: 'plan-misestimate',
  spill: 'plan-spill',
  'nested-loop-large-outer': 'plan-nested-loop',
};

/** A file with thousands of queries gets plans for its first statements only: each is a round trip to the engine. */
const MAX_STATEMENTS = 200;
/** Typing pauses this long before the statements it changed are planned. */
const QUIET_MS = 500;

/** The finding's table as written in the statement (its first mention), else the statement's first line. */
function findingRange(stmt: Statement, f: PlanFinding): { start: number; end: number } {
  const name = f.table?.split('.').pop();
  let hit: { start: number; end: number } | undefined;
  if (name) {
    walk(stmt.node, (kind, v) => {
      if (hit || kind !== 'RangeVar' || v.relname !== name || typeof v.location !== 'number') return undefined;
      const schema = typeof v.schemaname === 'string' ? v.schemaname.length + 1 : 0;
      hit = { start: v.location, end: v.location + schema + name.length };
      return false;
    });
  }
  if (hit) return hit;
  const eol = stmt.text.indexOf('\n');
  return { start: stmt.start, end: stmt.start + (eol < 0 ? stmt.text.length : eol) };
}

interface Job {
  timer?: NodeJS.Timeout;
  running: boolean;
}

export class PlanDiagnostics {
  private readonly jobs = new Map<string, Job>();

  constructor(
    private readonly feature: ExplainFeature,
    /** Asks the client to pull diagnostics again (new plans are in). */
    private readonly refresh: () => void,
  ) {}

  /** Synchronous, for the diagnostics pull: what the cached plans say; the statements without a plan are queued. */
  items(document: TextDocument): Diagnostic[] {
    const settings = this.feature.settings.peek(document.uri);
    if (settings && !settings.explain.planDiagnostics) return []; // the common case costs nothing per keystroke
    const statements = this.feature.explainable(document).slice(0, MAX_STATEMENTS);
    if (!statements.length) return [];
    const root = statements[0].root;
    const choice = this.feature.peekChoice(root, document.uri);
    if (!settings || !choice) {
      // First pull for this resource: fetch its settings, and pull again if they turn plan diagnostics on.
      void Promise.all([this.feature.settings.get(document.uri), this.feature.choice(root, document.uri)])
        .then(([s]) => s.explain.planDiagnostics && this.refresh())
        .catch(() => undefined);
      return [];
    }
    const convert = new Converter(document);
    const out: Diagnostic[] = [];
    const missing: string[] = [];
    for (const { stmt } of statements) {
      const entry = this.feature.plans.peek(root, choice, stmt.text);
      if (!entry) missing.push(stmt.text);
      if (!entry?.ok) continue;
      for (const f of entry.result.findings) {
        const { start, end } = findingRange(stmt, f);
        out.push({
          range: convert.range(start, end),
          severity: DiagnosticSeverity.Information,
          source: 'pgdba',
          code: PLAN_CODES[f.kind],
          message: `${findingMessage(f)}\n${findingHelp(f)}`,
        });
      }
    }
    if (missing.length) this.schedule(document.uri, root, choice, missing);
    return out;
  }

  private schedule(uri: string, root: string, choice: EngineChoice, texts: string[]): void {
    const job = this.jobs.get(uri) ?? { running: false };
    this.jobs.set(uri, job);
    if (job.running) return; // the running job pulls again when done, and the pull queues what is still missing
    clearTimeout(job.timer);
    job.timer = setTimeout(() => void this.run(uri, job, root, choice, texts), QUIET_MS);
  }

  private async run(uri: string, job: Job, root: string, choice: EngineChoice, texts: string[]): Promise<void> {
    job.running = true;
    let planned = 0;
    try {
      for (const text of texts) {
        if (!this.feature.document(uri)) break; // closed meanwhile
        await this.feature.plans.plan(root, choice, text);
        planned++;
      }
    } catch {
      // No connection: the engine manager has said so once; plans are tried again after its retry interval.
    } finally {
      job.running = false;
      if (!this.feature.document(uri)) this.jobs.delete(uri);
    }
    if (planned) this.refresh();
  }
}
