// One `dbaas plan` run, as the command asks for it: plan the change (src/plan/index.ts), keep the
// --only/--cloud subset and the --shard share (select.ts), then either list the stacks (list.ts) or,
// with terraform, plan them for real and fold terraform's view into the report (terraform-report.ts).
import { ExitCode } from '../errors.js';
import type { Environment } from '../spec/generated.js';
import { resolveRevision } from './git.js';
import { planRepo, synthOffline } from './index.js';
import { planList } from './list.js';
import { checkOnly, selectReport, shardReport } from './select.js';
import { parseShard } from './shard.js';
import { terraformTargets, withTerraform } from './terraform-report.js';
import type { PlanListJson, PlanReport } from './types.js';

export interface PlanRunOptions {
  readonly dir: string;
  readonly base?: string | undefined;
  readonly all: boolean;
  readonly full: boolean;
  readonly allowDestroy: boolean;
  readonly environment?: Environment | undefined;
  /** Database names (--only). */
  readonly only?: readonly string[] | undefined;
  readonly cloud?: 'aws' | 'gcp' | undefined;
  /** K/N as given (--shard); parsed here, so a bad value is one problem line. */
  readonly shard?: string | undefined;
  /** --list: the stacks and a shard count, and no plan. */
  readonly list?: { readonly targetMinutes: number } | undefined;
  /** --terraform: plan each touched stack with the real terraform. */
  readonly terraform?:
    | {
        /** Absolute folder for stacks, plans and the manifest. */
        readonly plansDir: string;
        readonly parallelism: number;
        readonly offline: boolean;
        /** Progress on a terminal, not in CI logs. */
        readonly interactive: boolean;
      }
    | undefined;
}

export type PlanRun = { readonly kind: 'report'; readonly report: PlanReport } | { readonly kind: 'list'; readonly list: PlanListJson };

export async function runPlan(options: PlanRunOptions): Promise<PlanRun> {
  const shard = options.shard === undefined ? undefined : parseShard(options.shard);
  const { only, terraform } = options;
  const planned = await planRepo({
    dir: options.dir,
    base: options.base,
    all: options.all,
    full: options.full,
    allowDestroy: options.allowDestroy,
    keepStacks: terraform !== undefined,
    ...(options.environment ? { environment: options.environment } : {}),
  });
  const { report: wholeReport, stacks, headFiles, head, ruleRefusals = [], resourceCounts = new Map<string, number>() } = planned;
  if (only && wholeReport.exitCode !== ExitCode.invalid) checkOnly(only, wholeReport, head, headFiles);
  const selected = selectReport(wholeReport, ruleRefusals, { ...(only ? { only } : {}), ...(options.cloud ? { cloud: options.cloud } : {}) }, head);
  const commit = shard || options.list ? ((await resolveRevision(options.dir, 'HEAD').catch(() => undefined))?.commit ?? null) : null;
  if (options.list) return { kind: 'list', list: planList(selected, resourceCounts, options.list.targetMinutes, commit) };
  const report = shard ? shardReport(selected, ruleRefusals, resourceCounts, shard, commit) : selected;
  if (!terraform || report.exitCode === ExitCode.invalid) return { kind: 'report', report };

  const names = terraformTargets(report);
  // Offline plans need stacks built for mock credentials (see SynthContext.offlineCheck).
  const toPlan = terraform.offline && head ? await synthOffline(head, names) : names.flatMap((n) => (stacks.get(n) ? [stacks.get(n)!] : []));
  // Loaded only here: terraform's runner (execa, listr2) is start-up a plan without --terraform never uses.
  const { planWithTerraform } = await import('./terraform.js');
  const summaries = await planWithTerraform(toPlan, headFiles, {
    plansDir: terraform.plansDir,
    parallelism: terraform.parallelism,
    offline: terraform.offline,
    interactive: terraform.interactive,
  });
  return { kind: 'report', report: withTerraform(report, summaries, ruleRefusals, terraform.plansDir) };
}
