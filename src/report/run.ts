// Wires the report: load → validate → resolve → guard → synth (every database, from the stack
// cache when it can) → the report model. Each stack's posture is read as the stack arrives and the
// stack is let go, so a 10,000-database report never holds every stack's JSON at once.
import { DbaasError, ExitCode, sortProblems, type Problem } from '../errors.js';
import { readRepoFiles } from '../load/repo.js';
import { guardFiles } from '../pipeline.js';
import { problemToJson } from '../render/problems.js';
import { defaultCacheDir, prepareForStacks, synthBatch } from '../synth/batch.js';
import { SynthError, synthProblem } from '../synth/index.js';
import { TOOL_VERSION } from '../version.js';
import { buildReport } from './index.js';
import { reportPosture } from './posture.js';
import type { ReportJson, ReportPosture } from './types.js';

export interface ReportOptions {
  readonly dir: string;
  /** For DBAAS_NOW and DBAAS_CACHE. Default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
}

/** The report of the infra repo in `dir`; throws DbaasError (exit 2) when the repo does not validate. */
export async function reportRepo(options: ReportOptions): Promise<ReportJson> {
  const env = options.env ?? process.env;
  const files = readRepoFiles(options.dir);
  const cacheDir = defaultCacheDir(files.root, env);
  prepareForStacks(files.specs.length, cacheDir);
  const guarded = guardFiles(files, { env });
  if (!guarded.ok) throw new DbaasError(guarded.problems, ExitCode.invalid);
  const entries = guarded.repo.entries;
  const postures = new Map<string, ReportPosture>();
  const problems: Problem[] = [];
  await synthBatch(
    entries.map((e) => e.db),
    { config: guarded.repo.config, toolVersion: TOOL_VERSION },
    {
      ...(cacheDir ? { cacheDir } : {}),
      onResult: (i, outcome) => {
        const entry = entries[i]!;
        if (outcome instanceof SynthError) problems.push(synthProblem(entry, outcome));
        else postures.set(entry.db.name, reportPosture(entry, outcome));
      },
    },
  );
  return buildReport({
    repo: guarded.repo,
    registry: guarded.registry,
    guard: guarded.guard,
    postures,
    problems: sortProblems([...guarded.repo.problems, ...problems]).map(problemToJson),
    toolVersion: TOOL_VERSION,
  });
}
