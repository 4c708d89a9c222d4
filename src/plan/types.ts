// The plan report: what a change does, stack by stack, and whether it may proceed. Its JSON form
// is a documented contract (schemas/plan-report.schema.json).
import type { FindingJson } from '../guard/render.js';
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
  /** The first line of terraform's error, when it failed. */
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
  readonly differences: readonly { readonly database: string; readonly guardrail: string; readonly field: string; readonly underBase: RuleVerdict; readonly underPr: RuleVerdict }[];
  /** Every finding under the PR's own rules (informational). */
  readonly findingsUnderPrRules: readonly FindingJson[];
  /** The exit code the PR's own rules would give (informational; the base's decide). */
  readonly exitCodeUnderPrRules: 0 | 1;
  /** Head specs that do not resolve under the base's rules (e.g. a team the base does not list). */
  readonly problemsUnderBaseRules: readonly ProblemJson[];
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
}
