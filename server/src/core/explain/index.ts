// Public surface of the EXPLAIN core (pure): plan model, findings, hover preview, CLI text, plan cache.
import { planFindings, type FindingThresholds, type PlanFinding, type PlanStats } from './findings';
import { parsePlan, type Plan } from './plan';

export * from './plan';
export * from './findings';
export { planPreviewMarkdown, type PreviewOptions } from './preview';
export { planText, type TextOptions } from './text';
export { PlanCache, type PlanCacheKey } from './plan-cache';
export { isExplainable, paramCount, statementAt } from './statement';

export interface PlanReport {
  plan: Plan;
  findings: PlanFinding[];
}

/** The one entry point the hover and the CLI share: EXPLAIN JSON (plus table statistics when known) → plan and findings. */
export function analysePlan(json: unknown, stats: PlanStats = {}, thresholds: Partial<FindingThresholds> = {}): PlanReport {
  const plan = parsePlan(json);
  return { plan, findings: planFindings(plan, stats, thresholds) };
}
