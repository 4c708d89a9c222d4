// Apply stage: applies saved plans exactly as reviewed, or refuses with a reason per stack.
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, readdirSync, readFileSync, realpathSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import pLimit from 'p-limit';
import lockfile from 'proper-lockfile';
import { DbaasError, ExitCode, problem } from '../errors.js';
import { isBlocking } from '../guard/types.js';
import { readRepoFiles } from '../load/repo.js';
import { numbersSource } from '../plan/baseline.js';
import { currentBranch } from '../plan/git.js';
import { inputsSha256, MANIFEST_FILE, openRealRunner, type PlanManifest } from '../plan/terraform.js';
import { writeFileAtomic } from '../fs/atomic.js';
import { guardFiles } from '../pipeline.js';
import type { ResolvedRepo } from '../resolve/index.js';
import { baselineTargets, synthBaseline } from '../synth/baseline/index.js';
import { defaultCacheDir, synthBatch } from '../synth/batch.js';
import { SynthError } from '../synth/index.js';
import type { DbaasConfig, Environment } from '../spec/generated.js';
import { findTerraformBinary } from '../terraform/index.js';
import { TerraformError } from '../terraform/runner.js';
import { TOOL_VERSION } from '../version.js';
import { ERR } from '../error-codes.js';

// eslint-disable-next-line no-control-regex -- matching control characters is the point: they are stripped
const CONTROL_CHARACTERS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g;

export interface ApplyOptions {
  readonly dir: string;
  readonly plansDir: string;
  /** Apply plans that destroy resources. Default: false. */
  readonly allowDestroy?: boolean;
  /** Stacks applied at once. Default: the config's apply.parallelism, else 4. */
  readonly parallelism?: number;
  /** The environment to read CI, GITHUB_REF_NAME from. Default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Builds the named stacks from the checkout (name → cdk.tf.json text) for the hash check.
   * Default: synthesize the checked-out repo, as plan --terraform did.
   */
  readonly synth?: (repo: ResolvedRepo, names: readonly string[]) => Promise<ReadonlyMap<string, string>>;
  /** Apply only this environment's databases; a stack of another environment is refused. */
  readonly environment?: Environment;
  /** Start no further stack after the first failure. Default: false (every stack is tried). */
  readonly failFast?: boolean;
  /** Aborting stops terraform gracefully (SIGINT) and starts no further stack; the report is still written. */
  readonly signal?: AbortSignal;
}

/** Every dbaas environment, in promotion order. */
export const ENVIRONMENTS: readonly Environment[] = ['development', 'staging', 'production'];

export interface EnvironmentTarget {
  readonly name: Environment;
  readonly requireApproval: boolean;
}

/** `dbaas apply --list-environments --json`. */
export type EnvironmentList = EnvironmentTarget[];

/**
 * The environments the config can deploy to (an account or project, or an apply.environments
 * entry), with their approval flag. Production defaults to approval: a change there is reviewed
 * twice (the pull request, then the plan of the merged commit); staging and development apply on
 * merge, as the backup services dbaas follows do.
 */
export function environmentTargets(config: DbaasConfig): EnvironmentTarget[] {
  const named = new Set<string>([
    ...Object.keys(config.clouds.aws?.accounts ?? {}),
    ...Object.keys(config.clouds.gcp?.projects ?? {}),
    ...Object.keys(config.apply?.environments ?? {}),
  ]);
  return ENVIRONMENTS.filter((e) => named.has(e)).map((name) => ({
    name,
    requireApproval: config.apply?.environments?.[name]?.requireApproval ?? name === 'production',
  }));
}

/** Sibling of the manifest: which reviewed plans were applied, so a re-run applies only the rest. */
export const APPLIED_FILE = 'applied.json';
/** What the last apply did, written before it exits (also when interrupted). */
export const REPORT_FILE = 'apply-report.json';

interface AppliedRecord {
  readonly schemaVersion: 1;
  /** stack → sha256 of the plan file applied. A new plan of the stack has another hash. */
  readonly stacks: Record<string, { readonly planSha256: string }>;
}

function readApplied(plansDir: string): AppliedRecord {
  try {
    const parsed = JSON.parse(readFileSync(join(plansDir, APPLIED_FILE), 'utf8')) as AppliedRecord;
    if (parsed && parsed.schemaVersion === 1 && typeof parsed.stacks === 'object' && parsed.stacks !== null)
      return { schemaVersion: 1, stacks: { ...parsed.stacks } };
  } catch {
    // none yet (or unreadable): nothing recorded as applied, so terraform's own stale-plan check is the last word
  }
  return { schemaVersion: 1, stacks: {} };
}

/** The checkout's stacks, synthesized exactly as plan --terraform built them (same config, same tool version). */
export async function synthCheckout(repo: ResolvedRepo, names: readonly string[]): Promise<ReadonlyMap<string, string>> {
  const wanted = new Set(names);
  const dbs = repo.entries.filter((e) => wanted.has(e.db.name)).map((e) => e.db);
  const out = new Map<string, string>();
  const outcomes = await synthBatch(dbs, { config: repo.config, toolVersion: TOOL_VERSION }, { cacheDir: defaultCacheDir(repo.root) });
  for (const o of outcomes) if (!(o instanceof SynthError)) out.set(o.name, o.json);
  for (const target of baselineTargets(repo.config, numbersSource(repo))) {
    if (wanted.has(target.name)) out.set(target.name, (await synthBaseline(target, { config: repo.config, toolVersion: TOOL_VERSION })).json);
  }
  return out;
}

const inside = (root: string, path: string) => {
  const rel = relative(root, path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel);
};

/**
 * Why a manifest path may not be used: it must be relative, without `..`, and (symlinks resolved)
 * stay under `root`. The manifest is a file anyone with write access to the plans folder can edit.
 */
function unconfined(root: string, path: string, what: string): string | undefined {
  if (typeof path !== 'string' || path === '' || isAbsolute(path) || /^[a-zA-Z]:/.test(path) || path.split(/[\\/]/).includes('..')) {
    return `its ${what} ${JSON.stringify(path)} is not a plain relative path under --plans`;
  }
  const full = join(root, path);
  if (!existsSync(full)) return undefined; // reported as missing by the caller
  if (!inside(realpathSync(root), realpathSync(full))) return `its ${what} ${JSON.stringify(path)} leads outside --plans (symbolic link)`;
  return undefined;
}

/** Terraform files in a stack folder other than the stack itself: an override could swap the backend or provider. */
function foreignConfig(dir: string): string[] {
  return readdirSync(dir).filter((f) => (f.endsWith('.tf') || f.endsWith('.tf.json')) && f !== 'cdk.tf.json');
}

export interface ApplyReport {
  /** The environment this apply was limited to (--environment), if any. */
  readonly environment?: Environment;
  readonly applied: readonly { readonly stack: string; readonly add: number; readonly change: number; readonly destroy: number }[];
  /** Stacks whose reviewed plan an earlier run already applied (recorded in applied.json): not applied twice. */
  readonly alreadyApplied: readonly { readonly stack: string }[];
  readonly refused: readonly { readonly stack: string; readonly reason: string }[];
  /** `error` is one line; `terraform` holds terraform's own error lines (diagnostics or stderr tail). */
  readonly failed: readonly { readonly stack: string; readonly error: string; readonly terraform: readonly string[] }[];
  /** Stacks never started: after an interrupt, or after a failure with --fail-fast. A re-run applies them. */
  readonly notStarted: readonly { readonly stack: string; readonly reason: string }[];
  /** SIGINT/SIGTERM arrived: running stacks were stopped through terraform's graceful stop. */
  readonly interrupted: boolean;
  readonly exitCode: 0 | 1;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

async function readManifest(plansDir: string): Promise<PlanManifest> {
  const file = join(plansDir, MANIFEST_FILE);
  if (!existsSync(file)) {
    throw new DbaasError([
      problem({
        code: ERR.NO_PLANS,
        message: `no ${MANIFEST_FILE} in ${plansDir}; expected the output of dbaas plan --terraform --plans ${plansDir}`,
        field: '--plans',
        value: plansDir,
      }),
    ]);
  }
  let manifest: PlanManifest;
  try {
    manifest = JSON.parse(await readFile(file, 'utf8')) as PlanManifest;
  } catch (error) {
    throw new DbaasError([
      problem({
        code: ERR.BAD_MANIFEST,
        message: `${MANIFEST_FILE} is not JSON (${(error as Error).message.split('\n')[0]}); expected the output of dbaas plan --terraform`,
        location: { file, line: 1, column: 1 },
      }),
    ]);
  }
  if (typeof manifest !== 'object' || manifest === null || typeof manifest.stacks !== 'object' || manifest.stacks === null || Array.isArray(manifest.stacks)) {
    throw new DbaasError([
      problem({
        code: ERR.BAD_MANIFEST,
        message: `${MANIFEST_FILE} has no stacks object; expected the output of dbaas plan --terraform`,
        location: { file, line: 1, column: 1 },
      }),
    ]);
  }
  if (manifest.schemaVersion !== 1) {
    throw new DbaasError([
      problem({
        code: ERR.BAD_MANIFEST,
        message: `manifest schemaVersion ${String(manifest.schemaVersion)}; expected 1`,
        location: { file, line: 1, column: 1 },
      }),
    ]);
  }
  return manifest;
}

/** Reasons that stop every stack: stale inputs, guardrail errors, the wrong branch in CI. */
async function globalRefusals(options: ApplyOptions, manifest: PlanManifest): Promise<{ reasons: string[]; parallelism: number; repo?: ResolvedRepo }> {
  const env = options.env ?? process.env;
  const files = readRepoFiles(options.dir);
  const reasons: string[] = [];
  if (inputsSha256(files) !== manifest.inputsSha256) {
    reasons.push('the specs, config or policies changed since the plan was made; re-run dbaas plan --terraform and review it again');
  }
  const guarded = guardFiles(files, { env });
  let parallelism = options.parallelism ?? 4;
  let protectedBranch = 'main';
  if (!guarded.ok) {
    reasons.push(`the specs or guardrail policies are invalid (${guarded.problems.length} problems; run dbaas validate)`);
  } else {
    const blocking = guarded.guard.findings.filter(isBlocking);
    if (blocking.length) reasons.push(`${blocking.length} guardrail error${blocking.length === 1 ? '' : 's'} (run dbaas validate)`);
    parallelism = options.parallelism ?? guarded.repo.config.apply?.parallelism ?? 4;
    protectedBranch = guarded.repo.config.apply?.protectedBranch ?? 'main';
  }
  if (env.CI === 'true' || env.GITHUB_ACTIONS === 'true') {
    const branch = env.GITHUB_REF_NAME || (await currentBranch(options.dir));
    if (branch !== protectedBranch) reasons.push(`CI may apply only from ${protectedBranch}; this run is on ${branch ?? 'a detached HEAD'}`);
  }
  return { reasons, parallelism, ...(guarded.ok ? { repo: guarded.repo } : {}) };
}

/** Terraform's own error lines for the report: diagnostics or stderr tail, without blank lines. */
function terraformLines(error: unknown): string[] {
  if (!(error instanceof TerraformError)) return [];
  // Control characters are dropped: these lines go to a terminal and a CI log.
  return error.stderrTail
    .replace(CONTROL_CHARACTERS, '')
    .split('\n')
    .map((l) => l.trimEnd())
    .filter((l) => l.trim() !== '')
    .slice(-20);
}

export async function applyPlans(options: ApplyOptions): Promise<ApplyReport> {
  const plansDir = resolve(options.plansDir);
  const manifest = await readManifest(plansDir);
  const names = Object.keys(manifest.stacks).sort();
  const env = options.environment ? { environment: options.environment } : {};
  const finish = (report: ApplyReport): ApplyReport => {
    // Written whatever happened, so an interrupted CI job still leaves a record of what was done.
    writeFileAtomic(join(plansDir, REPORT_FILE), `${JSON.stringify(report, null, 2)}\n`);
    return report;
  };
  const { reasons, parallelism, repo } = await globalRefusals(options, manifest);
  if (reasons.length || !repo) {
    return finish({
      ...env,
      applied: [],
      alreadyApplied: [],
      failed: [],
      notStarted: [],
      interrupted: false,
      refused: names.map((stack) => ({ stack, reason: reasons.join('; ') })),
      exitCode: ExitCode.findings,
    });
  }
  // Nothing in the manifest is taken on trust: its names, paths and hashes are checked against the
  // checkout and the plans folder, and destroys are read from the plan file itself.
  // Account baseline stacks (src/synth/baseline) are applied by the same checks as database stacks.
  const databases = new Map<string, string>([
    ...repo.entries.map((e) => [e.db.name, e.db.environment] as const),
    ...baselineTargets(repo.config, numbersSource(repo)).map((t) => [t.name, t.environment] as const),
  ]);
  const built = await (options.synth ?? synthCheckout)(
    repo,
    names.filter((n) => databases.has(n)),
  );
  const binary = await findTerraformBinary({ env: options.env ?? process.env });
  if (!binary.ok) throw new DbaasError([problem({ code: ERR.NO_TERRAFORM, message: `${binary.reason}; expected terraform on PATH or DBAAS_TERRAFORM_BIN` })]);
  const { runner } = await openRealRunner(plansDir, options.signal, options.env ?? process.env);

  const applied: ApplyReport['applied'][number][] = [];
  const alreadyApplied: ApplyReport['alreadyApplied'][number][] = [];
  const refused: ApplyReport['refused'][number][] = [];
  const failed: ApplyReport['failed'][number][] = [];
  const notStarted: ApplyReport['notStarted'][number][] = [];
  let stopReason: string | undefined;
  const interruptReason = 'interrupted before it started (SIGINT/SIGTERM); run dbaas apply again to apply it';
  const limit = pLimit(Math.max(1, parallelism));
  await Promise.all(
    names.map((stack) =>
      limit(async () => {
        if (options.signal?.aborted) stopReason = interruptReason;
        if (stopReason) return notStarted.push({ stack, reason: stopReason });
        const entry = manifest.stacks[stack]!;
        const fields = ['dir', 'planFile', 'planSha256', 'stackSha256'] as const;
        if (typeof entry !== 'object' || entry === null || fields.some((f) => typeof entry[f] !== 'string'))
          return refused.push({ stack, reason: `its manifest entry lacks ${fields.join(', ')} as strings` });
        if (!databases.has(stack)) return refused.push({ stack, reason: `${JSON.stringify(stack)} is not a database of this checkout` });
        const environment = databases.get(stack);
        // The environment is read from the checkout's spec, not from the manifest.
        if (options.environment && environment !== options.environment)
          return refused.push({ stack, reason: `it is a ${environment} database; this apply is for ${options.environment} (--environment)` });
        const badPath = unconfined(plansDir, entry.dir, 'folder') ?? unconfined(plansDir, join(entry.dir, entry.planFile), 'plan file');
        if (badPath) return refused.push({ stack, reason: badPath });
        const dir = join(plansDir, entry.dir);
        const planPath = join(dir, entry.planFile);
        if (entry.offline) return refused.push({ stack, reason: 'the plan was made offline with mock credentials; plan again with cloud access' });
        if (!existsSync(planPath) || !lstatSync(dir).isDirectory() || sha256(await readFile(planPath)) !== entry.planSha256)
          return refused.push({ stack, reason: 'the plan file is missing or not the one reviewed (hash mismatch)' });
        const json = built.get(stack);
        if (json === undefined || sha256(json) !== entry.stackSha256)
          return refused.push({
            stack,
            reason: 'the stack built from this checkout differs from the one planned (stack hash mismatch); re-run dbaas plan --terraform',
          });
        const onDisk = join(dir, 'cdk.tf.json');
        if (!existsSync(onDisk) || sha256(await readFile(onDisk)) !== entry.stackSha256)
          return refused.push({ stack, reason: 'the stack file in the plans folder is not the one planned (cdk.tf.json hash mismatch)' });
        const foreign = foreignConfig(dir);
        if (foreign.length)
          return refused.push({
            stack,
            reason: `the stack folder holds other terraform files (${foreign.join(', ')}), which could change its backend or providers`,
          });
        let release: (() => Promise<void>) | undefined;
        try {
          release = await lockfile.lock(dir, { stale: 60 * 60 * 1000, update: 30_000, realpath: false });
        } catch {
          return refused.push({ stack, reason: 'another apply holds this stack (lock file present)' });
        }
        try {
          // Checked under the stack's lock, and read afresh: another apply may have just applied it.
          if (readApplied(plansDir).stacks[stack]?.planSha256 === entry.planSha256) return alreadyApplied.push({ stack });
          await runner.init(dir, { lockfileReadonly: true });
          // Destroys come from the plan file as terraform will apply it, not from the manifest.
          const shown = await runner.showPlanJson(dir, entry.planFile);
          const deletes = (shown.resource_changes ?? []).filter((r) => r.mode === 'managed' && r.change.actions.includes('delete')).length;
          if (deletes > 0 && !options.allowDestroy)
            return refused.push({ stack, reason: `the plan destroys ${deletes} resource(s); re-run with --allow-destroy if that was reviewed` });
          const result = await runner.apply(dir, entry.planFile);
          // Merged into the file as it is now (another apply may have recorded its stacks), then
          // written atomically; the read and write are synchronous, so parallel stacks cannot interleave.
          const record = readApplied(plansDir);
          record.stacks[stack] = { planSha256: entry.planSha256 };
          writeFileAtomic(join(plansDir, APPLIED_FILE), `${JSON.stringify(record, null, 2)}\n`);
          applied.push({ stack, add: result.add, change: result.change, destroy: result.destroy });
        } catch (error) {
          failed.push({ stack, error: (error as Error).message.split('\n')[0] ?? 'terraform apply failed', terraform: terraformLines(error) });
          if (options.failFast && !stopReason) stopReason = `not started: ${stack} failed first (--fail-fast); run dbaas apply again to apply it`;
        } finally {
          await release();
        }
      }),
    ),
  );
  const byStack = <T extends { stack: string }>(list: T[]) => list.sort((a, b) => (a.stack < b.stack ? -1 : 1));
  const interrupted = options.signal?.aborted ?? false;
  return finish({
    ...env,
    applied: byStack(applied),
    alreadyApplied: byStack(alreadyApplied),
    refused: byStack(refused),
    failed: byStack(failed),
    notStarted: byStack(notStarted),
    interrupted,
    exitCode: refused.length || failed.length || notStarted.length || interrupted ? ExitCode.findings : ExitCode.ok,
  });
}
