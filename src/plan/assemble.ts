// The totals of a plan report, derived from its stacks and findings: destroys, counts, refusals and
// the exit code. One function for every way a report is made (a whole plan, a subset, a shard, the
// merge of shards), so a merged report is the unsharded one by construction.
import { ExitCode } from '../errors.js';
import type { PlanReport, StackPlan } from './types.js';

/** The parts of a report that do not depend on which stacks it holds. */
export type ReportHead = Pick<PlanReport, 'schemaVersion' | 'toolVersion' | 'base' | 'databases' | 'ruleChanges' | 'findings' | 'problems' | 'allowDestroy'>;

export interface ReportParts {
  readonly head: ReportHead;
  /** In the order of the whole plan (by name). */
  readonly stacks: readonly StackPlan[];
  /** Refusals from the rules that judge the change (src/plan/rules.ts): they hold whatever the stacks. */
  readonly ruleRefusals: readonly string[];
  /** Where terraform saved its plans, when it ran (plan --terraform). */
  readonly plansDir?: string;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** What a report's totals need from its stacks: sums and the destroy lists, in stack order. */
export interface StackTally {
  readonly stacksChanged: number;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** Destroys the config diff shows, in stack order. */
  readonly configDestroys: readonly Destroy[];
  /** Deletions only terraform knows (drift, forced replacements), in stack order. */
  readonly terraformDestroys: readonly Destroy[];
  /** Totals of the stacks terraform planned. */
  readonly terraform: { readonly add: number; readonly change: number; readonly destroy: number; readonly failed: number };
}

type Destroy = PlanReport['destroys'][number];

export function tallyStacks(stacks: readonly StackPlan[]): StackTally {
  const configDestroys = stacks.flatMap((s) => [
    ...s.resources
      .filter((r) => r.destroysData)
      .map((r) => ({
        stack: s.name,
        address: r.address,
        reason: r.action === 'delete' ? (s.action === 'delete' ? 'database removed' : 'resource removed') : (r.reason ?? 'replaced'),
      })),
    // A moved state is a destroy in all but name: terraform forgets every resource of the stack.
    ...(s.blocks ?? [])
      .filter((b) => b.movesState)
      .map((b) => ({ stack: s.name, address: b.address, reason: 'the state moves: terraform would forget every resource of this stack and create them anew' })),
  ]);
  // Terraform knows deletions the config diff cannot (drift, forced replacements): they are loud too.
  const known = new Set(configDestroys.map((d) => `${d.stack}/${d.address}`));
  const terraformDestroys = stacks.flatMap((s) =>
    (s.terraform?.deletes ?? [])
      .filter((a) => !known.has(`${s.name}/${a}`))
      .map((address) => ({ stack: s.name, address, reason: 'terraform plans to delete it' })),
  );
  const planned = stacks.flatMap((s) => (s.terraform ? [s.terraform] : []));
  const sum = (pick: (s: StackPlan) => number) => stacks.reduce((n, s) => n + pick(s), 0);
  const tfSum = (key: 'add' | 'change' | 'destroy') => planned.reduce((n, t) => n + t[key], 0);
  return {
    stacksChanged: stacks.filter((s) => s.action !== 'no-op').length,
    add: sum((s) => s.counts.add),
    change: sum((s) => s.counts.change),
    destroy: sum((s) => s.counts.destroy),
    configDestroys,
    terraformDestroys,
    terraform: { add: tfSum('add'), change: tfSum('change'), destroy: tfSum('destroy'), failed: planned.filter((t) => !t.ok).length },
  };
}

export function assembleReport(parts: ReportParts): PlanReport {
  return reportFromTally(parts.head, parts.stacks, tallyStacks(parts.stacks), parts.ruleRefusals, parts.plansDir);
}

/**
 * The report from its head and the tally of its stacks. plan merge passes the shards' summed tally
 * and its stacks as they stand (JSON texts it does not parse): nothing here reads a stack itself.
 */
export function reportFromTally<S>(
  head: ReportHead,
  stacks: readonly S[],
  tally: StackTally,
  ruleRefusals: readonly string[],
  plansDir: string | undefined,
): Omit<PlanReport, 'stacks'> & { stacks: readonly S[] } {
  const findings = head.findings;
  const { configDestroys, terraformDestroys } = tally;
  const failed = tally.terraform.failed;
  const blocking = findings.filter((f) => f.severity === 'error' && !f.waived);
  const allowDestroy = head.allowDestroy;
  const refusals = [
    ...(blocking.length ? [`${plural(blocking.length, 'guardrail error')} (fix them or add a waiver with a reason)`] : []),
    ...ruleRefusals,
    ...(configDestroys.length && !allowDestroy
      ? [`destroys data or recovery points in ${new Set(configDestroys.map((d) => d.stack)).size} stack(s) without --allow-destroy`]
      : []),
    ...(terraformDestroys.length && !allowDestroy && !configDestroys.length
      ? [`terraform plans to delete ${terraformDestroys.length} resource(s) without --allow-destroy`]
      : []),
    ...(failed ? [`terraform plan failed for ${failed} stack(s)`] : []),
  ];
  return {
    schemaVersion: head.schemaVersion,
    toolVersion: head.toolVersion,
    base: head.base,
    databases: head.databases,
    stacks,
    ...(head.ruleChanges ? { ruleChanges: head.ruleChanges } : {}),
    findings,
    problems: head.problems,
    counts: {
      stacksChanged: tally.stacksChanged,
      add: tally.add,
      change: tally.change,
      destroy: tally.destroy,
      errors: blocking.length,
      warnings: findings.filter((f) => f.severity === 'warning' && !f.waived).length,
      waived: findings.filter((f) => f.waived).length,
    },
    destroys: [...configDestroys, ...terraformDestroys],
    allowDestroy,
    ...(plansDir !== undefined
      ? { terraform: { add: tally.terraform.add, change: tally.terraform.change, destroy: tally.terraform.destroy, failed, plansDir } }
      : {}),
    refusals,
    exitCode: refusals.length ? ExitCode.findings : ExitCode.ok,
  };
}

/** The stack-independent head of a report. */
export function reportHead(report: PlanReport): ReportHead {
  return {
    schemaVersion: report.schemaVersion,
    toolVersion: report.toolVersion,
    base: report.base,
    databases: report.databases,
    ...(report.ruleChanges ? { ruleChanges: report.ruleChanges } : {}),
    findings: report.findings,
    problems: report.problems,
    allowDestroy: report.allowDestroy,
  };
}
