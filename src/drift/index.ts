// Drift: the real terraform plan of each stack against its real state (refresh on, lock off, nothing
// saved for apply). A database stack that dbaas applied from main should plan to nothing; anything
// else was changed outside dbaas, was never applied, or is waiting for an apply.
import { terraformErrorLines } from '../terraform/error-lines.js';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pLimit from 'p-limit';
import type { SynthesizedStack } from '../synth/index.js';
import type { TerraformRunner } from '../terraform/runner.js';
import type { ChangeAction, TerraformPlanJson } from '../terraform/types.js';
import { TOOL_VERSION } from '../version.js';

export const DRIFT_PLAN_FILE = 'drift.tfplan';

export interface DriftedResource {
  readonly address: string;
  /** What terraform would do to bring it back to the stack: create, update, delete, replace. */
  readonly action: 'create' | 'update' | 'delete' | 'replace';
  /** True when the refresh saw the resource changed outside terraform (terraform's resource_drift). */
  readonly changedOutside: boolean;
  /** Top-level attributes that differ, sorted; empty for create and delete. */
  readonly attributes: readonly string[];
}

export type DriftStatus = 'clean' | 'drifted' | 'failed';

export interface StackDrift {
  readonly name: string;
  readonly cloud: string;
  readonly status: DriftStatus;
  readonly resources: readonly DriftedResource[];
  /** Terraform's own error lines, when the stack could not be checked. */
  readonly error?: string;
}

/** The documented `dbaas drift --json` shape (schemas/output/drift-report.schema.json). */
export interface DriftReport {
  readonly schemaVersion: 1;
  readonly toolVersion: string;
  readonly stacks: readonly StackDrift[];
  readonly counts: { readonly checked: number; readonly clean: number; readonly drifted: number; readonly failed: number };
  /** 0 no drift; 1 drift, or a stack could not be checked. */
  readonly exitCode: 0 | 1;
}

export interface DriftOptions {
  /** Where each stack's folder (and, with a local backend, its state) lives. */
  readonly workDir: string;
  /** Stacks checked at once. Default: 2. */
  readonly parallelism?: number;
  /** Run before init in each stack folder (the offline check's local-backend override). Default: none. */
  readonly prepare?: (stackDir: string) => Promise<unknown>;
}

const ORDER: Record<DriftedResource['action'], number> = { delete: 0, replace: 1, update: 2, create: 3 };

function actionOf(actions: readonly ChangeAction[]): DriftedResource['action'] | undefined {
  if (actions.includes('delete') && actions.includes('create')) return 'replace';
  if (actions.includes('delete')) return 'delete';
  if (actions.includes('create')) return 'create';
  if (actions.includes('update')) return 'update';
  return undefined;
}

function changedAttributes(before: unknown, after: unknown): string[] {
  if (typeof before !== 'object' || before === null || typeof after !== 'object' || after === null) return [];
  const a = before as Record<string, unknown>;
  const b = after as Record<string, unknown>;
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => JSON.stringify(a[k]) !== JSON.stringify(b[k])).sort();
}

/** The drifted resources of one `terraform show -json` of a refresh plan (managed resources only). */
export function driftedResources(plan: TerraformPlanJson): DriftedResource[] {
  const outside = new Set(
    ((plan.resource_drift ?? []) as { address: string; mode?: string; change: { actions: ChangeAction[] } }[])
      .filter((r) => r.mode !== 'data' && !r.change.actions.every((a) => a === 'no-op' || a === 'read'))
      .map((r) => r.address),
  );
  const out: DriftedResource[] = [];
  for (const r of plan.resource_changes ?? []) {
    if (r.mode !== 'managed') continue;
    const action = actionOf(r.change.actions);
    if (!action) continue;
    const attributes = action === 'update' || action === 'replace' ? changedAttributes(r.change.before, r.change.after) : [];
    out.push({ address: r.address, action, changedOutside: outside.has(r.address), attributes });
  }
  return out.sort((x, y) => ORDER[x.action] - ORDER[y.action] || (x.address < y.address ? -1 : x.address > y.address ? 1 : 0));
}

async function checkOne(runner: TerraformRunner, workDir: string, stack: SynthesizedStack, options: DriftOptions): Promise<StackDrift> {
  const dir = join(workDir, 'stacks', stack.name);
  // The folder stays between runs: with a local backend it holds the state.
  await mkdir(dir, { recursive: true });
  await rm(join(dir, DRIFT_PLAN_FILE), { force: true });
  await writeFile(join(dir, 'cdk.tf.json'), stack.json);
  try {
    if (options.prepare) await options.prepare(dir);
    await runner.init(dir, { reconfigure: true });
    // Read-only: no state lock (a drift check must never hold up an apply), nothing kept for apply.
    const plan = await runner.plan(dir, { out: DRIFT_PLAN_FILE, lock: false, refresh: true });
    const resources = plan.hasChanges ? driftedResources(await runner.showPlanJson(dir, DRIFT_PLAN_FILE)) : [];
    return { name: stack.name, cloud: stack.cloud, status: resources.length ? 'drifted' : 'clean', resources };
  } catch (error) {
    return { name: stack.name, cloud: stack.cloud, status: 'failed', resources: [], error: terraformErrorLines(error, { stack: dir }) };
  } finally {
    await rm(join(dir, DRIFT_PLAN_FILE), { force: true });
  }
}

/** Checks every stack for drift; stacks are reported in name order whatever order they finish in. */
export async function detectDrift(stacks: readonly SynthesizedStack[], runner: TerraformRunner, options: DriftOptions): Promise<DriftReport> {
  const workDir = resolve(options.workDir);
  const limit = pLimit(Math.max(1, options.parallelism ?? 2));
  const checked = await Promise.all(stacks.map((s) => limit(() => checkOne(runner, workDir, s, options))));
  const sorted = checked.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  const count = (status: DriftStatus) => sorted.filter((s) => s.status === status).length;
  const counts = { checked: sorted.length, clean: count('clean'), drifted: count('drifted'), failed: count('failed') };
  return { schemaVersion: 1, toolVersion: TOOL_VERSION, stacks: sorted, counts, exitCode: counts.drifted || counts.failed ? 1 : 0 };
}
