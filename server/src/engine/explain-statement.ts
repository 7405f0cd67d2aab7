// EXPLAIN one statement on an engine and read it: plan, catalog statistics for the findings, findings. The hover and the CLI both call this.
import { parsePlan, planRelations, type Plan } from '../core/explain/plan';
import { planFindings, type FindingThresholds, type PlanFinding, type PlanStats } from '../core/explain/findings';
import { fetchPlanStats } from './plan-stats';
import type { Engine, ExplainOptions, ExplainOutcome } from './types';

export interface ExplainedStatement {
  outcome: ExplainOutcome;
  plan: Plan;
  findings: PlanFinding[];
  stats: PlanStats;
}

export async function explainStatement(
  engine: Engine,
  sql: string,
  opts: ExplainOptions = {},
  thresholds: Partial<FindingThresholds> = {},
): Promise<ExplainedStatement> {
  const outcome = await engine.explain(sql, opts);
  const plan = parsePlan(outcome.json);
  let stats: PlanStats = {};
  try {
    stats = await fetchPlanStats(engine, planRelations(plan));
  } catch {
    // Findings still work without statistics (from ANALYZE's own counts); a catalog query must not cost the plan.
  }
  return { outcome, plan, findings: planFindings(plan, stats, thresholds), stats };
}
