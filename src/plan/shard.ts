// Shards: a deterministic split of a plan's touched stacks over N CI runners, balanced by the
// expected terraform time of each stack. The split depends only on the stacks' names, actions and
// resource counts (all read from the built stacks), so every runner computes the same one for the
// same commit and base, whatever its timing or machine.
import { DbaasError, ExitCode, problem } from '../errors.js';
import type { PlanListStack, StackPlan } from './types.js';
import { ERR } from '../error-codes.js';

/** GitHub Actions runs at most 256 jobs per matrix. */
export const MAX_SHARDS = 256;

/**
 * Expected terraform time of one stack, in tenths of a second: a fixed 2.5 s per stack (init from the
 * shared plugin cache, provider start-up, plan -out, show -json) plus 0.1 s per resource. Measured here
 * with `plan --terraform --offline` on the example's AWS stacks (bench/README.md, "Shards"); the
 * issue's 17 stacks a minute on one runner is 3.5 s a stack, a stack of 10 resources by this estimate.
 */
export const STACK_COST = 25;
export const RESOURCE_COST = 1;

/** Terraform plans created and updated stacks; a deleted or unchanged one costs nothing. */
export function stackCost(stack: Pick<StackPlan, 'action'>, resources: number): number {
  return stack.action === 'create' || stack.action === 'update' ? STACK_COST + RESOURCE_COST * resources : 0;
}

export interface ShardSpec {
  readonly index: number;
  readonly count: number;
}

/** Parses --shard K/N (1 ≤ K ≤ N ≤ 256). */
export function parseShard(text: string): ShardSpec {
  const match = /^(\d{1,3})\/(\d{1,3})$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || count > MAX_SHARDS || index < 1 || index > count) {
    throw new DbaasError(
      [
        problem({
          code: ERR.BAD_SHARD,
          field: '--shard',
          value: text,
          message: `--shard ${JSON.stringify(text)} is not K/N; expected two whole numbers with 1 ≤ K ≤ N ≤ ${MAX_SHARDS}, e.g. --shard 2/8`,
        }),
      ],
      ExitCode.invalid,
    );
  }
  return { index, count };
}

/**
 * The shard (1..count) of each item: longest expected time first, each to the shard with the least
 * expected time so far (the lowest-numbered on a tie). Ties in cost are broken by name, so the result
 * is a function of the items alone, not of their order.
 */
export function partition(items: readonly { readonly name: string; readonly cost: number }[], count: number): Map<string, number> {
  const order = [...items].sort((a, b) => b.cost - a.cost || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const load = new Array<number>(count).fill(0);
  const size = new Array<number>(count).fill(0);
  const out = new Map<string, number>();
  for (const item of order) {
    let best = 0;
    // Equal load: fewer stacks first, so zero-cost stacks (deletes, no-ops) spread out too.
    for (let k = 1; k < count; k++) if (load[k]! < load[best]! || (load[k] === load[best] && size[k]! < size[best]!)) best = k;
    load[best]! += item.cost;
    size[best]! += 1;
    out.set(item.name, best + 1);
  }
  return out;
}

/** Shards so that each takes about targetMinutes of terraform time: 1..256, never more than the stacks terraform plans. */
export function suggestShards(stacks: readonly Pick<PlanListStack, 'cost'>[], targetMinutes: number): number {
  const planned = stacks.filter((s) => s.cost > 0).length;
  const seconds = stacks.reduce((n, s) => n + s.cost, 0) / 10;
  const wanted = Math.ceil(seconds / (targetMinutes * 60));
  return Math.max(1, Math.min(MAX_SHARDS, planned, wanted));
}
