// Partial plans: --only NAME,... and --cloud aws|gcp keep a subset of the touched stacks (and the
// findings of those databases); --shard K/N keeps one shard's share. Totals are recomputed from what
// is kept (assemble.ts), so a subset report is never judged by stacks it does not show.
import { DbaasError, ExitCode, problem, type Problem } from '../errors.js';
import type { RepoFiles } from '../load/repo.js';
import type { ResolvedRepo } from '../resolve/index.js';
import { didYouMean } from '../suggest.js';
import { assembleReport, reportHead } from './assemble.js';
import { partition, stackCost, type ShardSpec } from './shard.js';
import type { PlanListStack, PlanReport, StackPlan } from './types.js';
import { ERR } from '../error-codes.js';

export interface Selection {
  readonly only?: readonly string[];
  readonly cloud?: 'aws' | 'gcp';
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Refuses --only names that are no database of the repo (exit 2), with a did-you-mean. */
export function checkOnly(only: readonly string[], report: PlanReport, head: ResolvedRepo | undefined, headFiles: RepoFiles): void {
  const known = new Set([...(head?.entries ?? []).map((e) => e.db.name), ...report.stacks.map((s) => s.name)]);
  // A plan scoped to the change parses only the files it touches: an untouched database is found by its text.
  const declared = (name: string) => headFiles.specs.some((f) => new RegExp(`^\\s*name:\\s*["']?${escape(name)}["']?\\s*(#.*)?$`, 'm').test(f.text));
  const unknown = unknownDatabases(
    only.filter((n) => !declared(n)),
    [...known],
  );
  if (unknown.length) throw new DbaasError(unknown, ExitCode.invalid);
}

/** --only names that are no database of the repo, one problem each with a did-you-mean. */
export function unknownDatabases(wanted: readonly string[], known: readonly string[]): Problem[] {
  return wanted
    .filter((n) => !known.includes(n))
    .map((n) => {
      const hint = didYouMean(n, known);
      return problem({
        code: ERR.UNKNOWN_DATABASE,
        field: '--only',
        value: n,
        message: `no database named ${JSON.stringify(n)} in this repo; expected one of the names under stacks/`,
        ...(hint ? { suggestion: hint } : {}),
      });
    });
}

/** The report restricted to the selected databases (stacks and findings). */
export function selectReport(report: PlanReport, ruleRefusals: readonly string[], selection: Selection, head: ResolvedRepo | undefined): PlanReport {
  if (!selection.only && !selection.cloud) return report;
  const only = selection.only ? new Set(selection.only) : undefined;
  const cloudOf = new Map<string, string>([
    ...(head?.entries ?? []).map((e) => [e.db.name, e.db.cloud] as const),
    ...report.stacks.map((s) => [s.name, s.cloud] as const),
  ]);
  const keep = (name: string) => (!only || only.has(name)) && (!selection.cloud || cloudOf.get(name) === selection.cloud);
  if (report.exitCode === ExitCode.invalid) return report;
  const head_ = reportHead(report);
  return assembleReport({
    head: { ...head_, findings: head_.findings.filter((f) => keep(f.database)) },
    stacks: report.stacks.filter((s) => keep(s.name)),
    ruleRefusals,
  });
}

/** Each stack as `plan --list` shows it, with its expected terraform cost. */
export function listStacks(stacks: readonly StackPlan[], resourceCounts: ReadonlyMap<string, number>): PlanListStack[] {
  return stacks.map((s) => {
    const resources = resourceCounts.get(s.name) ?? 0;
    return { name: s.name, cloud: s.cloud, environment: s.environment, action: s.action, resources, cost: stackCost(s, resources) };
  });
}

/** One shard's report: its share of the stacks, with what merge needs to check and combine it. */
export function shardReport(
  report: PlanReport,
  ruleRefusals: readonly string[],
  resourceCounts: ReadonlyMap<string, number>,
  shard: ShardSpec,
  commit: string | null,
): PlanReport {
  const assigned = partition(listStacks(report.stacks, resourceCounts), shard.count);
  const stacks = report.stacks.filter((s) => assigned.get(s.name) === shard.index);
  const whole = report.exitCode === ExitCode.invalid ? report : assembleReport({ head: reportHead(report), stacks, ruleRefusals });
  return {
    ...whole,
    shard: {
      index: shard.index,
      count: shard.count,
      commit,
      base: report.base?.commit ?? null,
      toolVersion: report.toolVersion,
      stacks: report.stacks.length,
      ruleRefusals: [...ruleRefusals],
    },
  };
}
