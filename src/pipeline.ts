// The stages wired together for commands: load → validate → resolve → guard (→ synth → plan).
import { sortProblems, type Problem } from './errors.js';
import { today } from './guard/clock.js';
import { guard } from './guard/engine.js';
import { loadRegistry, readOverrides, type GuardrailRegistry } from './guard/registry.js';
import type { GuardResult } from './guard/types.js';
import { parseRepoFiles, readRepoFiles, type LoadedRepo, type RepoFiles } from './load/repo.js';
import { resolveRepo, type ResolvedRepo } from './resolve/index.js';
import { feasibilityProblems } from './validate/feasibility.js';
import { validateRepo } from './validate/index.js';

export type Resolution = { ok: true; repo: ResolvedRepo } | { ok: false; problems: readonly Problem[] };

function finish(result: ResolvedRepo | { problems: readonly Problem[] }): Resolution {
  const problems = sortProblems(result.problems);
  if (!('entries' in result) || problems.some((p) => p.severity === 'error')) return { ok: false, problems };
  return { ok: true, repo: { ...result, problems } };
}

/** Loads, validates and resolves the infra repo in `dir`. */
export function resolveDir(dir: string): Resolution {
  return resolveFiles(readRepoFiles(dir));
}

/** The same over files from any source (a git revision, a test). */
export function resolveFiles(files: RepoFiles): Resolution {
  return resolveLoaded(parseRepoFiles(files));
}

function resolveLoaded(loaded: LoadedRepo): Resolution {
  const resolved = resolveRepo(validateRepo(loaded));
  // What synth would refuse is invalid input here, so validate ✓ means synth ✓.
  return finish('entries' in resolved ? { ...resolved, problems: [...resolved.problems, ...feasibilityProblems(resolved)] } : resolved);
}

export interface GuardOptions {
  /** Environment for DBAAS_NOW (today's date for waiver expiry). Default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** The baseline pack folder. Default: the policies/ folder shipped in the dbaas package. */
  readonly baselineDir?: string;
}

/**
 * A repo that resolved and whose guardrails all loaded, with the findings; or every problem that
 * stopped it (invalid specs, or a guardrail or override that does not load: fail closed, exit 2).
 */
export type Guarded =
  | { ok: true; repo: ResolvedRepo; registry: GuardrailRegistry; guard: GuardResult; files: RepoFiles }
  | { ok: false; problems: readonly Problem[]; registry?: GuardrailRegistry };

/** Loads, validates, resolves and guards the infra repo in `dir`. */
export function guardDir(dir: string, options: GuardOptions = {}): Guarded {
  return guardFiles(readRepoFiles(dir), options);
}

/** The same over files from any source (dbaas fix re-checks its edits in memory this way). */
export function guardFiles(files: RepoFiles, options: GuardOptions = {}): Guarded {
  const resolution = resolveFiles(files);
  const registry = loadRegistry({ root: files.root, repoFiles: files.policies, ...(options.baselineDir ? { baselineDir: options.baselineDir } : {}) });
  const overrides = resolution.ok ? readOverrides(resolution.repo.configSpec, registry) : { overrides: [], problems: [] };
  const guardProblems = [...registry.problems, ...overrides.problems];
  if (!resolution.ok || guardProblems.length) {
    return { ok: false, problems: sortProblems([...(resolution.ok ? resolution.repo.problems : resolution.problems), ...guardProblems]), registry };
  }
  const result = guard(resolution.repo.entries, registry, { today: today(options.env), overrides: overrides.overrides });
  return { ok: true, repo: resolution.repo, registry, guard: result, files };
}
