// `plan --terraform`: the real terraform over each touched stack (init with one shared plugin cache,
// plan -out, show -json), in parallel with a bound, and a manifest that ties each saved plan to the
// exact inputs it was made from. `dbaas apply` reads that manifest.
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { Listr, ListrLogger, ProcessOutput } from 'listr2';
import { writeFileAtomic } from '../fs/atomic.js';
import type { RepoFiles } from '../load/repo.js';
import { printable } from '../render/printed.js';
import type { SynthesizedStack } from '../synth/index.js';
import { findTerraformBinary, openOfflineTerraform, prepareOfflineCheck, TerraformRunner } from '../terraform/index.js';
import { terraformErrorLines } from '../terraform/error-lines.js';
import { TOOL_VERSION } from '../version.js';
import type { TerraformPlanSummary } from './types.js';

export const MANIFEST_FILE = 'manifest.json';
export const PLAN_FILE = 'plan.tfplan';

export interface ManifestStack {
  /** Folder of the stack, relative to the plans folder. */
  readonly dir: string;
  readonly planFile: string;
  /** sha256 of the saved plan file: apply refuses a plan that is not the one reviewed. */
  readonly planSha256: string;
  /** sha256 of the stack's cdk.tf.json. */
  readonly stackSha256: string;
  readonly add: number;
  readonly change: number;
  readonly destroy: number;
  /** Made with mock credentials and a local state stand-in: reviewable, never applicable. */
  readonly offline: boolean;
}

export interface PlanManifest {
  readonly schemaVersion: 1;
  readonly toolVersion: string;
  readonly terraformVersion: string;
  /** sha256 over every config, spec and policy file: any edit after the plan makes apply refuse. */
  readonly inputsSha256: string;
  readonly stacks: Record<string, ManifestStack>;
}

export interface TerraformOptions {
  /** Where stacks, plans and the manifest go. */
  readonly plansDir: string;
  /** Stacks planned at once. Default: 2. */
  readonly parallelism?: number;
  /** Mock credentials and a local state stand-in, for stacks reviewed without cloud access. Default: false. */
  readonly offline?: boolean;
  /** Progress: an interactive display on a TTY, plain lines otherwise. Default: plain lines. */
  readonly interactive?: boolean;
  readonly signal?: AbortSignal;
}

/** The hash apply compares: every input file's path and text, in order. */
export function inputsSha256(files: RepoFiles): string {
  const hash = createHash('sha256');
  for (const f of [...(files.config ? [files.config] : []), ...files.specs, ...files.policies]) hash.update(`${f.file}\0${f.text}\0`);
  return hash.digest('hex');
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** A runner for real plans: the user's terraform and credentials, one shared plugin cache. */
async function openRunner(plansDir: string, offline: boolean, signal?: AbortSignal): Promise<{ runner: TerraformRunner; version: string }> {
  const pluginCacheDir = join(plansDir, '.plugin-cache');
  if (offline) {
    const opened = await openOfflineTerraform({ pluginCacheDir, configDir: plansDir, ...(signal ? { signal } : {}) });
    if (!opened.ok) throw new Error(`terraform offline: ${opened.reason}`);
    return { runner: opened.runner, version: opened.discovery.terraformVersion };
  }
  return openRealRunner(plansDir, signal);
}

/**
 * A runner with the user's terraform and credentials and one plugin cache under the plans folder.
 * The CLI config is written afresh each time: apply may run on another machine than the plan.
 */
export async function openRealRunner(
  plansDir: string,
  signal?: AbortSignal,
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ runner: TerraformRunner; version: string }> {
  const binary = await findTerraformBinary({ env });
  if (!binary.ok) throw new Error(binary.reason);
  const pluginCacheDir = join(plansDir, '.plugin-cache');
  await mkdir(pluginCacheDir, { recursive: true });
  const cliConfigFile = join(plansDir, 'terraform.tfrc');
  writeFileAtomic(cliConfigFile, `disable_checkpoint = true\nplugin_cache_dir = ${JSON.stringify(resolve(pluginCacheDir))}\n`);
  const runner = new TerraformRunner({
    terraformBin: binary.terraformBin,
    cliConfigFile,
    env: { TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE: 'true' },
    pluginCacheDir,
    ...(signal ? { signal } : {}),
  });
  return { runner, version: binary.terraformVersion };
}

async function planOne(
  runner: TerraformRunner,
  plansDir: string,
  stack: SynthesizedStack,
  offline: boolean,
): Promise<{ summary: TerraformPlanSummary; manifest?: ManifestStack }> {
  const dir = join('stacks', stack.name);
  const abs = join(plansDir, dir);
  // Keep the folder: with a local backend it holds the state of earlier applies.
  await mkdir(abs, { recursive: true });
  await rm(join(abs, PLAN_FILE), { force: true });
  await writeFile(join(abs, 'cdk.tf.json'), stack.json);
  try {
    if (offline) await prepareOfflineCheck(abs); // keeps its override: apply refuses such a plan
    await runner.init(abs, { reconfigure: true });
    await runner.plan(abs, { out: PLAN_FILE, lock: !offline });
    // The saved plan as terraform will apply it: counts and deletions from its resource changes.
    const shown = await runner.showPlanJson(abs, PLAN_FILE);
    const managed = (shown.resource_changes ?? []).filter((r) => r.mode === 'managed');
    const count = (action: 'create' | 'update' | 'delete') => managed.filter((r) => r.change.actions.includes(action)).length;
    const deletes = managed
      .filter((r) => r.change.actions.includes('delete'))
      .map((r) => r.address)
      .sort();
    const planBytes = await readFile(join(abs, PLAN_FILE));
    const counts = { add: count('create'), change: count('update'), destroy: count('delete') };
    return {
      summary: { ok: true, ...counts, deletes, planFile: `${dir}/${PLAN_FILE}` },
      manifest: { dir, planFile: PLAN_FILE, planSha256: sha256(planBytes), stackSha256: sha256(stack.json), ...counts, offline },
    };
  } catch (error) {
    // Terraform's own lines, not just its exit status; no machine path (the report may become a PR comment).
    return { summary: { ok: false, add: 0, change: 0, destroy: 0, error: terraformErrorLines(error, { stack: abs, plans: plansDir }) } };
  }
}

/** Plans every stack with terraform and writes the manifest (atomically, after all plans). */
export async function planWithTerraform(
  stacks: readonly SynthesizedStack[],
  inputs: RepoFiles,
  options: TerraformOptions,
): Promise<Map<string, TerraformPlanSummary>> {
  const plansDir = resolve(options.plansDir);
  await mkdir(plansDir, { recursive: true });
  const offline = options.offline ?? false;
  const { runner, version } = await openRunner(plansDir, offline, options.signal);
  const results = new Map<string, TerraformPlanSummary>();
  const manifestStacks: Record<string, ManifestStack> = {};

  const tasks = new Listr(
    stacks.map((stack) => ({
      title: `terraform plan ${stack.name}`,
      task: async (_: unknown, task: { title: string }) => {
        const started = performance.now();
        const { summary, manifest } = await planOne(runner, plansDir, stack, offline);
        results.set(stack.name, summary);
        if (manifest) manifestStacks[stack.name] = manifest;
        const seconds = ((performance.now() - started) / 1000).toFixed(1);
        // Terraform's error can quote spec text: printed through the one sanitiser.
        task.title = printable(
          summary.ok
            ? `terraform plan ${stack.name}: +${summary.add} ~${summary.change} -${summary.destroy} (${seconds}s)`
            : `terraform plan ${stack.name}: failed: ${summary.error?.split('\n')[0]}`,
        );
      },
    })),
    {
      concurrent: Math.max(1, options.parallelism ?? 2),
      exitOnError: false,
      renderer: 'default',
      fallbackRenderer: 'simple',
      fallbackRendererCondition: !options.interactive,
      // Progress goes to stderr so stdout stays the report (e.g. --format json).
      rendererOptions: { logger: new ListrLogger({ processOutput: new ProcessOutput(process.stderr, process.stderr) }) },
      fallbackRendererOptions: { logger: new ListrLogger({ processOutput: new ProcessOutput(process.stderr, process.stderr) }) },
    },
  );
  await tasks.run();

  const manifest: PlanManifest = {
    schemaVersion: 1,
    toolVersion: TOOL_VERSION,
    terraformVersion: version,
    inputsSha256: inputsSha256(inputs),
    stacks: Object.fromEntries(Object.entries(manifestStacks).sort(([a], [b]) => (a < b ? -1 : 1))),
  };
  writeFileAtomic(join(plansDir, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  return results;
}
