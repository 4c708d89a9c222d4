// What `plan --terraform` adds to a report, as pure functions: which stacks terraform plans, and the
// report again with terraform's summaries under their stacks. Destroys, refusals and the exit code are
// re-derived by assembleReport, so terraform's own deletes and failures refuse the plan too.
import { assembleReport, reportHead } from './assemble.js';
import type { PlanReport, TerraformPlanSummary } from './types.js';

/** The stacks terraform plans: every touched stack that still exists and changes. */
export function terraformTargets(report: Pick<PlanReport, 'stacks'>): string[] {
  return report.stacks.filter((s) => s.action !== 'delete' && s.action !== 'no-op').map((s) => s.name);
}

/**
 * The report with each stack's terraform summary: destroys terraform knows that the config diff does
 * not, failed plans, counts and the exit code follow. A shard keeps its shard.
 */
export function withTerraform(
  report: PlanReport,
  summaries: ReadonlyMap<string, TerraformPlanSummary>,
  ruleRefusals: readonly string[],
  plansDir: string,
): PlanReport {
  const planned = report.stacks.map((s) => (summaries.has(s.name) ? { ...s, terraform: summaries.get(s.name)! } : s));
  return { ...assembleReport({ head: reportHead(report), stacks: planned, ruleRefusals, plansDir }), ...(report.shard ? { shard: report.shard } : {}) };
}
