// Apply stage: applies saved plans exactly as reviewed, or refuses with a reason per stack.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import pLimit from 'p-limit';
import lockfile from 'proper-lockfile';
import { DbaasError, ExitCode, problem } from '../errors.js';
import { isBlocking } from '../guard/types.js';
import { readRepoFiles } from '../load/repo.js';
import { currentBranch } from '../plan/git.js';
import { inputsSha256, MANIFEST_FILE, openRealRunner, type PlanManifest } from '../plan/terraform.js';
import { guardFiles } from '../pipeline.js';
import { findTerraformBinary } from '../terraform/index.js';

export interface ApplyOptions {
  readonly dir: string;
  readonly plansDir: string;
  /** Apply plans that destroy resources. Default: false. */
  readonly allowDestroy?: boolean;
  /** Stacks applied at once. Default: the config's apply.parallelism, else 4. */
  readonly parallelism?: number;
  /** The environment to read CI, GITHUB_REF_NAME from. Default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

export interface ApplyReport {
  readonly applied: readonly { readonly stack: string; readonly add: number; readonly change: number; readonly destroy: number }[];
  readonly refused: readonly { readonly stack: string; readonly reason: string }[];
  readonly failed: readonly { readonly stack: string; readonly error: string }[];
  readonly exitCode: 0 | 1;
}

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

async function readManifest(plansDir: string): Promise<PlanManifest> {
  const file = join(plansDir, MANIFEST_FILE);
  if (!existsSync(file)) {
    throw new DbaasError([problem({ code: 'DBAAS_NO_PLANS', message: `no ${MANIFEST_FILE} in ${plansDir}; expected the output of dbaas plan --terraform --plans ${plansDir}`, field: '--plans', value: plansDir })]);
  }
  const manifest = JSON.parse(await readFile(file, 'utf8')) as PlanManifest;
  if (manifest.schemaVersion !== 1) {
    throw new DbaasError([problem({ code: 'DBAAS_BAD_MANIFEST', message: `manifest schemaVersion ${String(manifest.schemaVersion)}; expected 1`, location: { file, line: 1, column: 1 } })]);
  }
  return manifest;
}

/** Reasons that stop every stack: stale inputs, guardrail errors, the wrong branch in CI. */
async function globalRefusals(options: ApplyOptions, manifest: PlanManifest): Promise<{ reasons: string[]; parallelism: number }> {
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
  return { reasons, parallelism };
}

export async function applyPlans(options: ApplyOptions): Promise<ApplyReport> {
  const plansDir = resolve(options.plansDir);
  const manifest = await readManifest(plansDir);
  const names = Object.keys(manifest.stacks).sort();
  const { reasons, parallelism } = await globalRefusals(options, manifest);
  if (reasons.length) {
    return { applied: [], failed: [], refused: names.map((stack) => ({ stack, reason: reasons.join('; ') })), exitCode: ExitCode.findings };
  }
  const binary = await findTerraformBinary({ env: options.env ?? process.env });
  if (!binary.ok) throw new DbaasError([problem({ code: 'DBAAS_NO_TERRAFORM', message: `${binary.reason}; expected terraform on PATH or DBAAS_TERRAFORM_BIN` })]);
  const { runner } = await openRealRunner(plansDir, undefined, options.env ?? process.env);

  const applied: ApplyReport['applied'][number][] = [];
  const refused: ApplyReport['refused'][number][] = [];
  const failed: ApplyReport['failed'][number][] = [];
  const limit = pLimit(Math.max(1, parallelism));
  await Promise.all(
    names.map((stack) =>
      limit(async () => {
        const entry = manifest.stacks[stack]!;
        const dir = join(plansDir, entry.dir);
        const planPath = join(dir, entry.planFile);
        if (entry.offline) return refused.push({ stack, reason: 'the plan was made offline with mock credentials; plan again with cloud access' });
        if (entry.destroy > 0 && !options.allowDestroy) return refused.push({ stack, reason: `the plan destroys ${entry.destroy} resource(s); re-run with --allow-destroy if that was reviewed` });
        if (!existsSync(planPath) || sha256(await readFile(planPath)) !== entry.planSha256) return refused.push({ stack, reason: 'the plan file is missing or not the one reviewed (hash mismatch)' });
        let release: (() => Promise<void>) | undefined;
        try {
          release = await lockfile.lock(dir, { stale: 60 * 60 * 1000, update: 30_000, realpath: false });
        } catch {
          return refused.push({ stack, reason: 'another apply holds this stack (lock file present)' });
        }
        try {
          await runner.init(dir, { lockfileReadonly: true });
          const result = await runner.apply(dir, entry.planFile);
          applied.push({ stack, add: result.add, change: result.change, destroy: result.destroy });
        } catch (error) {
          failed.push({ stack, error: (error as Error).message.split('\n')[0] ?? 'terraform apply failed' });
        } finally {
          await release();
        }
      }),
    ),
  );
  const byStack = <T extends { stack: string }>(list: T[]) => list.sort((a, b) => (a.stack < b.stack ? -1 : 1));
  return { applied: byStack(applied), refused: byStack(refused), failed: byStack(failed), exitCode: refused.length || failed.length ? ExitCode.findings : ExitCode.ok };
}
