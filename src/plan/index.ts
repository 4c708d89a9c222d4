// Plan stage: load → validate → resolve → guard → synth for the working tree and the base revision,
// then a resource-level comparison of the stacks the change touches.
import type { Environment } from '../spec/generated.js';
import { inEnvironment } from './environment.js';
import { stackRestore, type StackRestore } from './restore.js';
import { DbaasError, ExitCode, problem, sortProblems, type Problem } from '../errors.js';
import { findingToJson } from '../render/findings.js';
import { readRepoFiles, type RepoFiles } from '../load/repo.js';
import { guardFiles, resolveFiles } from '../pipeline.js';
import { problemToJson } from '../render/problems.js';
import type { ResolvedRepo } from '../resolve/index.js';
import { defaultCacheDir, prepareForStacks, synthBatch } from '../synth/batch.js';
import { baselineTargets, synthBaseline } from '../synth/baseline/index.js';
import { SynthError, synthProblem, type SynthesizedStack } from '../synth/index.js';
import { TOOL_VERSION } from '../version.js';
import { touchedStacks, type TouchedStack } from './affected.js';
import { diffBlocks, diffStacks, newStackChanges, type ResourceChange, type StackJson } from './diff.js';
import { defaultBase, gitTopLevel, readRepoFilesAt, resolveRevision, type GitRevision } from './git.js';
import { numbersSource, planBaselines } from './baseline.js';
import { changeScope } from './incremental.js';
import { backupPosture } from './posture.js';
import { judgeByBase } from './rules.js';
import { assembleReport } from './assemble.js';
import type { PlanReport, ResourceCounts, StackAction, StackPlan } from './types.js';
import { ERR } from '../error-codes.js';

export interface PlanOptions {
  readonly dir: string;
  /** Revision to compare against. Default: on a branch, where it left the default branch; else HEAD; no git at all plans everything as new. */
  readonly base?: string;
  /** Allow a plan that destroys data or recovery points. Default: false. */
  readonly allowDestroy?: boolean;
  /** Ignore git and plan every database as new, as for a first apply. Default: false. */
  readonly all?: boolean;
  /** Evaluate the whole repo even when the change allows a narrower scope. Default: false. */
  readonly full?: boolean;
  /** Keep the head stacks' JSON in the result (for --terraform). Default: false, to spare memory. */
  readonly keepStacks?: boolean;
  /** Plan only this environment's databases (src/plan/environment.ts). Default: every environment. */
  readonly environment?: Environment;
}

export interface PlanResult {
  readonly report: PlanReport;
  /** The head stacks of the touched databases, for terraform and apply. */
  readonly stacks: ReadonlyMap<string, SynthesizedStack>;
  /** The resolved head repo (undefined for invalid input). */
  readonly head?: ResolvedRepo;
  readonly headFiles: RepoFiles;
  /** Refusals from the rules that judge the change, whatever stacks a report holds (see assemble.ts). Default: none. */
  readonly ruleRefusals?: readonly string[];
  /** Resources in each touched head stack: the expected cost of its terraform plan (src/plan/shard.ts). Default: none. */
  readonly resourceCounts?: ReadonlyMap<string, number>;
}

/** The revision to compare against, or undefined when there is none (no git, or no commit yet). */
async function baseRevision(dir: string, ref: string | undefined): Promise<GitRevision | undefined> {
  if (!(await gitTopLevel(dir))) return undefined;
  if (ref === undefined) return defaultBase(dir);
  const revision = await resolveRevision(dir, ref);
  if (!revision && ref !== undefined) {
    throw new DbaasError(
      [
        problem({
          code: ERR.UNKNOWN_REF,
          message: `--base ${JSON.stringify(ref)} names no commit; expected a branch, tag or commit (e.g. origin/main)`,
          field: '--base',
          value: ref,
        }),
      ],
      ExitCode.invalid,
    );
  }
  return revision;
}

function resolveBase(revision: GitRevision, files: RepoFiles): { revision: GitRevision; repo?: ResolvedRepo; note?: string } {
  const resolved = resolveFiles(files);
  if (!resolved.ok)
    return { revision, note: `the base ${revision.ref} does not validate (${resolved.problems.length} problems); every database is planned as new` };
  return { revision, repo: resolved.repo };
}

function counts(resources: readonly ResourceChange[]): ResourceCounts {
  const add = resources.filter((r) => r.action === 'create' || r.action === 'replace').length;
  const change = resources.filter((r) => r.action === 'update').length;
  const destroy = resources.filter((r) => r.action === 'delete' || r.action === 'replace').length;
  return { add, change, destroy };
}

function stackPlan(t: TouchedStack, headStack: SynthesizedStack | undefined, baseStack: SynthesizedStack | undefined): StackPlan {
  // A new stack's plan is its resource list, which synth already knows: no need to parse its JSON.
  const baseJson = baseStack && (JSON.parse(baseStack.json) as StackJson);
  const headJson = headStack && (JSON.parse(headStack.json) as StackJson);
  const resources = !baseStack && headStack ? newStackChanges(headStack.addresses) : diffStacks(baseJson, headJson);
  // Providers, backend, data sources and outputs only matter between two versions of a stack.
  const blocks = diffBlocks(baseJson, baseStack ? headJson : undefined);
  const entry = (t.head ?? t.base)!;
  const action: StackAction = !t.base ? 'create' : !t.head ? 'delete' : resources.length || blocks.length ? 'update' : 'no-op';
  const location = entry.spec.doc.locate(['metadata', 'name']);
  return {
    name: t.name,
    cloud: entry.db.cloud,
    team: entry.db.team,
    environment: entry.db.environment,
    file: location.file,
    line: location.line,
    action,
    touchedBy: t.touchedBy,
    resources,
    blocks,
    counts: counts(resources),
    destroysData: resources.some((r) => r.destroysData),
    // Read from the stacks that were built, not from the specs (a base that could not be built has no posture).
    posture: {
      ...(t.base && baseJson ? { before: backupPosture(t.base.db, baseJson) } : {}),
      ...(t.head && headJson ? { after: backupPosture(t.head.db, headJson) } : {}),
    },
    // A database without a backup block keeps the config's default policy: the reviewer is told which.
    notes: [
      ...(entry.defaultPolicyFrom && entry.policy ? [`backup: default policy ${entry.policy.name} (dbaas.config.yaml ${entry.defaultPolicyFrom})`] : []),
      ...(headStack?.notes ?? []),
    ],
    // A database that starts as a restore says so, read from the stack that was built.
    ...restoreOf(t.name, baseJson, headJson),
  };
}

/**
 * The restore a change asks for: the head stack restores and the base did not. On a database that
 * exists already (a base stack) Terraform ignores the restore arguments (lifecycle.ignore_changes),
 * so the label says nothing will be restored.
 */
function restoreOf(name: string, baseJson: StackJson | undefined, headJson: StackJson | undefined): { restore?: StackRestore } {
  const head = stackRestore(headJson);
  if (!head || stackRestore(baseJson)) return {};
  if (!baseJson) return { restore: head };
  return { restore: { ...head, label: `${head.label}: ignored, ${name} exists already (a restore creates a new database; restore into a new name)` } };
}

/** The base stacks of the touched databases that have one. A base that cannot be built is not this change's fault: that stack is planned as new. */
async function synthBase(touched: readonly TouchedStack[], repo: ResolvedRepo | undefined): Promise<Map<string, SynthesizedStack>> {
  const out = new Map<string, SynthesizedStack>();
  if (!repo) return out;
  const entries = touched.flatMap((t) => (t.base ? [t.base] : []));
  await synthBatch(
    entries.map((e) => e.db),
    { config: repo.config, toolVersion: TOOL_VERSION },
    {
      cacheDir: defaultCacheDir(repo.root),
      onResult: (_, outcome) => {
        if (!(outcome instanceof SynthError)) out.set(outcome.name, outcome);
      },
    },
  );
  return out;
}

export async function planRepo(options: PlanOptions): Promise<PlanResult> {
  const headFiles = readRepoFiles(options.dir);
  const revision = options.all ? undefined : await baseRevision(options.dir, options.base);
  // With a base and an unchanged config and policies, only the files the change can affect are read
  // past their text; otherwise the whole repo is evaluated.
  const scope = revision && !options.full ? await changeScope(options.dir, revision, headFiles) : undefined;
  // A whole-repo plan builds a stack per spec: workers load while the main thread parses and guards.
  if (!scope) prepareForStacks(headFiles.specs.length, defaultCacheDir(headFiles.root));
  const guarded = guardFiles(scope?.head ?? headFiles);
  const allowDestroy = options.allowDestroy ?? false;
  const empty = { add: 0, change: 0, destroy: 0, stacksChanged: 0, errors: 0, warnings: 0, waived: 0 };
  const invalid = (problems: readonly Problem[]): PlanResult => ({
    headFiles,
    stacks: new Map(),
    report: {
      schemaVersion: 1,
      toolVersion: TOOL_VERSION,
      // The base is named even when the head cannot be planned, so the reader knows what it was against.
      base: revision ? { ref: revision.ref, commit: revision.commit } : null,
      databases: 0,
      stacks: [],
      findings: [],
      problems: sortProblems(problems).map(problemToJson),
      counts: { ...empty, errors: problems.filter((p) => p.severity === 'error').length },
      destroys: [],
      allowDestroy,
      refusals: ['the specs are invalid: fix the problems listed'],
      exitCode: ExitCode.invalid,
    },
  });
  if (!guarded.ok) return invalid(guarded.problems);
  const head = guarded.repo;

  const baseFiles = revision ? (scope?.base ?? (await readRepoFilesAt(options.dir, revision))) : undefined;
  const base = revision && baseFiles ? resolveBase(revision, baseFiles) : undefined;
  // A scoped plan exists only when no config or policy file changed: no rule can have changed then.
  const judge = baseFiles && !scope ? judgeByBase(guarded, baseFiles) : undefined;
  const touched = inEnvironment(touchedStacks(head, base?.repo, TOOL_VERSION), options.environment);
  const baseStacks = await synthBase(touched, base?.repo);
  // Each head stack becomes its StackPlan as it arrives; its JSON is kept only for --terraform.
  const plans = new Map<string, StackPlan>();
  const headStacks = new Map<string, SynthesizedStack>();
  const resourceCounts = new Map<string, number>();
  const synthProblems: Problem[] = [];
  const withHead = touched.filter((t) => t.head);
  await synthBatch(
    withHead.map((t) => t.head!.db),
    { config: head.config, toolVersion: TOOL_VERSION },
    {
      cacheDir: defaultCacheDir(head.root),
      onResult: (i, outcome) => {
        const t = withHead[i]!;
        if (outcome instanceof SynthError) return void synthProblems.push(synthProblem(t.head!, outcome));
        plans.set(t.name, stackPlan(t, outcome, baseStacks.get(t.name)));
        resourceCounts.set(t.name, outcome.addresses.length);
        baseStacks.delete(t.name);
        if (options.keepStacks) headStacks.set(t.name, outcome);
      },
    },
  );
  if (synthProblems.length) return invalid(synthProblems);
  // Account baselines depend on the config and the guardrails only: a scoped plan leaves both as they were.
  const allBaselines = scope
    ? undefined
    : await planBaselines(
        head,
        { registry: guarded.registry, overrides: guarded.guard.overrides },
        base?.repo && baseFiles ? { repo: base.repo, files: baseFiles } : undefined,
      );
  // --environment plans that environment's account baselines only, as it does its databases.
  const wanted = (environment: string) => !options.environment || environment === options.environment;
  const baselines = allBaselines && {
    plans: allBaselines.plans.filter((p) => wanted(p.environment)),
    stacks: allBaselines.stacks.filter((st) => wanted(allBaselines.plans.find((p) => p.name === st.name)?.environment ?? '')),
  };
  if (options.keepStacks) for (const s of baselines?.stacks ?? []) headStacks.set(s.name, s);
  const stacks = [...touched.map((t) => plans.get(t.name) ?? stackPlan(t, undefined, baseStacks.get(t.name))), ...(baselines?.plans ?? [])];
  // A scoped plan reports the findings of the databases it touches; a full one, every database's.
  const touchedNames = new Set(touched.map((t) => t.name));
  // The rules that judge a change come from its base when it edits them (src/plan/rules.ts).
  const findings = judge ? [...judge.findings] : guarded.guard.findings.filter((f) => !scope || touchedNames.has(f.database)).map(findingToJson);
  const ruleRefusals = judge?.refusals ?? [];
  const report = assembleReport({
    head: {
      schemaVersion: 1,
      toolVersion: TOOL_VERSION,
      base: base ? { ref: base.revision.ref, commit: base.revision.commit } : null,
      databases: scope?.databases ?? head.entries.length,
      ...(judge ? { ruleChanges: judge.report } : {}),
      findings,
      problems: base?.note ? [problemToJson(problem({ code: ERR.BASE_INVALID, severity: 'warning', message: base.note }))] : [],
      allowDestroy,
    },
    stacks,
    ruleRefusals,
  });
  return { report, stacks: headStacks, head, headFiles, ruleRefusals, resourceCounts };
}

/** The named head stacks built for an offline terraform plan (mock credentials; never applied). */
export async function synthOffline(head: ResolvedRepo, names: readonly string[]): Promise<SynthesizedStack[]> {
  const wanted = new Set(names);
  const dbs = head.entries.filter((e) => wanted.has(e.db.name)).map((e) => e.db);
  const outcomes = await synthBatch(dbs, { config: head.config, toolVersion: TOOL_VERSION, offlineCheck: true }, { cacheDir: defaultCacheDir(head.root) });
  // The same databases already built for the plan; an offline build failing is an internal error.
  const built = outcomes.map((o) => {
    if (o instanceof SynthError) throw o;
    return o;
  });
  const baselines = baselineTargets(head.config, numbersSource(head)).filter((t) => wanted.has(t.name));
  for (const t of baselines) built.push(await synthBaseline(t, { config: head.config, toolVersion: TOOL_VERSION, offlineCheck: true }));
  return built;
}
