// One `dbaas drift` run: the databases asked for (--only names checked against the repo), their stacks
// built, and each planned by the real terraform (or the offline stand-in) against its state.
import { resolve } from 'node:path';
import { DbaasError, ExitCode, problem } from '../errors.js';
import { resolveDir } from '../pipeline.js';
import { unknownDatabases } from '../plan/select.js';
import { defaultCacheDir, synthBatch } from '../synth/batch.js';
import { SynthError, synthProblem, type SynthesizedStack } from '../synth/index.js';
import { TOOL_VERSION } from '../version.js';
import { detectDrift, type DriftReport } from './index.js';
import { ERR } from '../error-codes.js';

export interface DriftRunOptions {
  readonly dir: string;
  /** Database names (--only). Default: every database. */
  readonly only?: readonly string[] | undefined;
  /** Where each stack is initialised and planned, relative to dir or absolute. */
  readonly workDir: string;
  readonly parallelism: number;
  /** Mock credentials and a local state stand-in. */
  readonly offline: boolean;
}

export async function runDrift(options: DriftRunOptions): Promise<DriftReport> {
  const resolution = resolveDir(options.dir);
  if (!resolution.ok) throw new DbaasError(resolution.problems, ExitCode.invalid);
  const entries = resolution.repo.entries;
  const wanted = options.only;
  const unknown = unknownDatabases(
    wanted ?? [],
    entries.map((e) => e.db.name),
  );
  if (unknown.length) throw new DbaasError(unknown, ExitCode.invalid);
  const chosen = wanted ? entries.filter((e) => wanted.includes(e.db.name)) : entries;
  const outcomes = await synthBatch(
    chosen.map((e) => e.db),
    { config: resolution.repo.config, toolVersion: TOOL_VERSION, ...(options.offline ? { offlineCheck: true } : {}) },
    { cacheDir: defaultCacheDir(resolution.repo.root) },
  );
  const failed = outcomes.flatMap((o, i) => (o instanceof SynthError ? [synthProblem(chosen[i]!, o)] : []));
  if (failed.length) throw new DbaasError(failed, ExitCode.invalid);
  const stacks = outcomes.filter((o): o is SynthesizedStack => !(o instanceof SynthError));

  const workDir = resolve(options.dir, options.workDir);
  // Loaded only here, as in plan: terraform's runner is start-up the other commands never use.
  const terraform = await import('../terraform/index.js');
  let runner;
  if (options.offline) {
    const opened = await terraform.openOfflineTerraform({ pluginCacheDir: resolve(workDir, '.plugin-cache'), configDir: workDir });
    if (!opened.ok) throw new DbaasError([problem({ code: ERR.TERRAFORM_UNAVAILABLE, message: `terraform offline: ${opened.reason}` })], ExitCode.invalid);
    runner = opened.runner;
  } else {
    const { openRealRunner } = await import('../plan/terraform.js');
    runner = (await openRealRunner(workDir)).runner;
  }
  return detectDrift(stacks, runner, { workDir, parallelism: options.parallelism, ...(options.offline ? { prepare: terraform.prepareOfflineCheck } : {}) });
}
