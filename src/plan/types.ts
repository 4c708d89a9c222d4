// The plan report: what a change does, stack by stack, and whether it may proceed. Its JSON form
// is a documented contract (schemas/plan-report.schema.json).
import type { StackRestore } from './restore.js';
import type { FindingJson } from '../render/findings.js';
import type { ProblemJson } from '../render/problems.js';
import type { BlockChange, ResourceChange } from './diff.js';
import type { BackupPosture } from './posture.js';

export type StackAction = 'create' | 'update' | 'delete' | 'no-op';

export interface ResourceCounts {
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
}

export interface TerraformPlanSummary extends ResourceCounts {
  readonly ok: boolean;
  /** Addresses terraform would delete (from show -json). Default: none. */
  readonly deletes?: readonly string[];
  /** Saved plan file, relative to the plans folder. */
  readonly planFile?: string;
  /** Terraform's own error lines (its error diagnostics, else the tail of its stderr; at most 5), with the stack's folder written <stack>, when it failed. */
  readonly error?: string;
}

export interface StackPlan {
  readonly name: string;
  /** An account baseline stack (src/synth/baseline), not a database's. Default: a database's stack. */
  readonly kind?: 'baseline';
  readonly cloud: 'aws' | 'gcp';
  readonly team: string;
  readonly environment: string;
  /** The Database spec file (head, or base for a deleted database). */
  readonly file: string;
  readonly line: number;
  readonly action: StackAction;
  /** Why the stack is in the plan: its spec, its BackupPolicy, a channel or the config changed. */
  readonly touchedBy: readonly string[];
  readonly resources: readonly ResourceChange[];
  /** Changes to providers (accounts, regions, roles, aliases), the backend, data sources and outputs. Default: none. */
  readonly blocks?: readonly BlockChange[];
  readonly counts: ResourceCounts;
  readonly destroysData: boolean;
  readonly posture: { readonly before?: BackupPosture; readonly after?: BackupPosture };
  /** Things the reviewer must know or do outside the stack. */
  readonly notes: readonly string[];
  /** A new database created as a restore or clone of another (read from the built stack). Default: none. */
  readonly restore?: StackRestore;
  readonly terraform?: TerraformPlanSummary;
}

/** How one guardrail judged one database field: no finding (pass), a waived finding, or its severity. */
export type RuleVerdict = 'pass' | 'waived' | 'warning' | 'error';

/** A rule the pull request adds, removes or edits (it takes effect only once merged). */
export interface RuleChange {
  readonly kind: 'guardrail' | 'override' | 'team' | 'requiredLabels';
  /** Guardrail id, overridden guardrail id, team name, or "requiredLabels". */
  readonly id: string;
  readonly action: 'added' | 'removed' | 'edited';
  /** Where the rule lives: policies/<id>.yaml or dbaas.config.yaml. */
  readonly file: string;
  /** One line: what changed (e.g. "guardrails.overrides.x: error → off"). */
  readonly summary: string;
  /** Databases whose findings differ between the base's rules and the PR's. */
  readonly databases: readonly string[];
}

/** The pull request's own rule changes, and what they would change (present only when it has some). */
export interface RuleChangesReport {
  /** The findings, refusals and exit code of this report come from the base's rules. */
  readonly judgedBy: 'base';
  readonly changes: readonly RuleChange[];
  /** Side by side: each database field whose verdict differs between the two rule sets. */
  readonly differences: readonly {
    readonly database: string;
    readonly guardrail: string;
    readonly field: string;
    readonly underBase: RuleVerdict;
    readonly underPr: RuleVerdict;
  }[];
  /** Every finding under the PR's own rules (informational). */
  readonly findingsUnderPrRules: readonly FindingJson[];
  /** The exit code the PR's own rules would give (informational; the base's decide). */
  readonly exitCodeUnderPrRules: 0 | 1;
  /** Head specs that do not resolve under the base's rules (e.g. a team the base does not list). */
  readonly problemsUnderBaseRules: readonly ProblemJson[];
}

/** Which share of a sharded plan a report holds (plan --shard K/N); `dbaas plan merge` checks and drops it. */
export interface ShardInfo {
  /** K: this shard, from 1. */
  readonly index: number;
  /** N: how many shards the change was split into. */
  readonly count: number;
  /** The head commit planned (null without git). Merge refuses shards of different commits. */
  readonly commit: string | null;
  /** The base commit compared against (null without one). */
  readonly base: string | null;
  readonly toolVersion: string;
  /** Stacks in the whole (unsharded) plan: merge checks the shards add up to it. */
  readonly stacks: number;
  /** Refusals from the rules that judge the change, which hold whatever stacks a shard holds. */
  readonly ruleRefusals: readonly string[];
}

/** One touched stack in `dbaas plan --list --json`. */
export interface PlanListStack {
  readonly name: string;
  readonly cloud: 'aws' | 'gcp';
  readonly environment: string;
  readonly action: StackAction;
  /** Resources in the stack as built (0 for a deleted database). */
  readonly resources: number;
  /** Expected terraform time in tenths of a second (src/plan/shard.ts); 0 when terraform does not plan it (delete, no-op). */
  readonly cost: number;
}

/** The documented `dbaas plan --list --json` shape: what a workflow needs to size its matrix. */
export interface PlanListJson {
  readonly schemaVersion: 1;
  readonly toolVersion: string;
  readonly base: { readonly ref: string; readonly commit: string } | null;
  readonly commit: string | null;
  readonly stacks: readonly PlanListStack[];
  /** Sum of the stacks' costs, in seconds of terraform time on one runner. */
  readonly estimatedSeconds: number;
  readonly targetMinutes: number;
  /** Shards so that each takes about --target-minutes: at least 1, at most 256 and at most one per planned stack. */
  readonly suggestedShards: number;
  /** Invalid input: then there are no stacks and the exit code is 2. */
  readonly problems: readonly ProblemJson[];
  readonly exitCode: 0 | 2;
}

export interface PlanReport {
  readonly schemaVersion: 1;
  readonly toolVersion: string;
  /** The revision compared against, or null when there is no git (everything is new). */
  readonly base: { readonly ref: string; readonly commit: string } | null;
  readonly databases: number;
  readonly stacks: readonly StackPlan[];
  /** Guardrail, override and team-rule changes in this PR; findings below are judged by the base's rules. Default: none. */
  readonly ruleChanges?: RuleChangesReport;
  /** Guardrail findings, in the same shape as dbaas validate --json. */
  readonly findings: readonly FindingJson[];
  /** Invalid input (exit 2): then there are no stacks. */
  readonly problems: readonly ProblemJson[];
  readonly counts: ResourceCounts & {
    readonly stacksChanged: number;
    readonly errors: number;
    readonly warnings: number;
    readonly waived: number;
  };
  /** Everything that would destroy data or recovery points. */
  readonly destroys: readonly { readonly stack: string; readonly address: string; readonly reason: string }[];
  readonly allowDestroy: boolean;
  /** Totals of the real terraform plans (plan --terraform), when they ran. */
  readonly terraform?: ResourceCounts & { readonly failed: number; readonly plansDir: string };
  /** Why the plan may not be applied (guardrail errors, destroy without --allow-destroy, invalid input). */
  readonly refusals: readonly string[];
  readonly exitCode: 0 | 1 | 2;
  /** Present in a shard's report (plan --shard K/N); absent in a whole or merged report. */
  readonly shard?: ShardInfo;
}
