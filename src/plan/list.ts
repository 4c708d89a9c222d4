// `plan --list`: the touched stacks with their expected terraform cost and a shard count, for a
// workflow to size its matrix. Invalid input lists nothing and keeps its problems and exit code 2.
import { ExitCode } from '../errors.js';
import { listStacks } from './select.js';
import { suggestShards } from './shard.js';
import type { PlanListJson, PlanReport } from './types.js';

export function planList(report: PlanReport, resourceCounts: ReadonlyMap<string, number>, targetMinutes: number, commit: string | null): PlanListJson {
  const invalid = report.exitCode === ExitCode.invalid;
  const stacks = invalid ? [] : listStacks(report.stacks, resourceCounts);
  // Costs are tenths of a second (src/plan/shard.ts).
  const estimatedSeconds = Math.round(stacks.reduce((n, s) => n + s.cost, 0)) / 10;
  return {
    schemaVersion: 1,
    toolVersion: report.toolVersion,
    base: report.base,
    commit,
    stacks,
    estimatedSeconds,
    targetMinutes,
    suggestedShards: suggestShards(stacks, targetMinutes),
    problems: invalid ? report.problems : [],
    exitCode: invalid ? ExitCode.invalid : ExitCode.ok,
  };
}
