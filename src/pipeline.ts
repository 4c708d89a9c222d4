// The stages wired together for commands: load → validate → resolve → guard (→ synth → plan).
import { sortProblems, type Problem } from './errors.js';
import { REFUSAL_CODES } from './error-codes.js';
import { today } from './guard/clock.js';
import { guard } from './guard/engine.js';
import { loadRegistry, readOverrides, type GuardrailRegistry } from './guard/registry.js';
import type { GuardResult } from './guard/types.js';
import { parseRepoFiles, readRepoFiles, type LoadedRepo, type RepoFiles } from './load/repo.js';
import { resolveRepo, type ResolvedRepo } from './resolve/index.js';
import type { TextFile } from './load/files.js';
import type { DbaasConfig } from './spec/generated.js';
import { validateRepo, type Spec, type ValidatedRepo } from './validate/index.js';
import { nameCollisions } from './validate/collisions.js';
import { feasibilityProblems } from './validate/feasibility.js';

export type Resolution = { ok: true; repo: ResolvedRepo } | { ok: false; problems: readonly Problem[] };

/**
 * Each problem once: where the table of fields a cloud cannot honour (src/validate/unsupported*.ts)
 * refuses a field, the synth-side check that would refuse the same field again is not repeated.
 */
function once(problems: readonly Problem[]): Problem[] {
  const place = (p: Problem) => `${p.location?.file}:${p.location?.line}:${p.location?.column}:${p.field ?? ''}`.replace(/:spec\./, ':');
  const refused = new Set(problems.filter((p) => REFUSAL_CODES.has(p.code)).map(place));
  return problems.filter((p) => REFUSAL_CODES.has(p.code) || !refused.has(place(p)));
}

function finish(result: ResolvedRepo | { problems: readonly Problem[] }): Resolution {
  const problems = sortProblems(once([...result.problems, ...('entries' in result ? nameCollisions(result.entries) : [])]));
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

function resolveLoaded(loaded: LoadedRepo, rules?: RuleSource): Resolution {
  const validated = validateRepo(loaded);
  const resolved = resolveRepo(rules ? withRulesOf(validated, rules.config) : validated);
  // What synth would refuse is invalid input here, so validate ✓ means synth ✓.
  return finish('entries' in resolved ? { ...resolved, problems: [...resolved.problems, ...feasibilityProblems(resolved)] } : resolved);
}

/**
 * Where the rules that judge a repo come from when they are not its own: the base revision's config
 * (guardrails.overrides, teams, requiredLabels) and policy files. See src/plan/rules.ts.
 */
export interface RuleSource {
  /** The base's validated config, or undefined when the base has none (no overrides, no team rules). */
  readonly config?: Spec<DbaasConfig>;
  readonly policies: readonly TextFile[];
}

/** The config keys that are rules rather than facts about accounts and sizes. */
export const RULE_KEYS = ['guardrails', 'teams', 'requiredLabels'] as const;

/** The repo with its config's rule keys replaced by another config's (the facts stay the repo's own). */
function withRulesOf(validated: ValidatedRepo, rules: Spec<DbaasConfig> | undefined): ValidatedRepo {
  if (!validated.config) return validated;
  const value: Record<string, unknown> = { ...validated.config.value };
  for (const key of RULE_KEYS) {
    if (rules?.value[key] === undefined) delete value[key];
    else value[key] = rules.value[key];
  }
  return { ...validated, config: { ...validated.config, value: value as unknown as DbaasConfig } };
}

export interface GuardOptions {
  /** Environment for DBAAS_NOW (today's date for waiver expiry). Default: process.env. */
  readonly env?: NodeJS.ProcessEnv;
  /** The baseline pack folder. Default: the policies/ folder shipped in the dbaas package. */
  readonly baselineDir?: string;
  /** Judge by these rules instead of the repo's own (plan with a base whose rules the change edits). Default: the repo's. */
  readonly rules?: RuleSource;
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
  const rules = options.rules;
  const resolution = resolveLoaded(parseRepoFiles(files), rules);
  const registry = loadRegistry({
    root: files.root,
    repoFiles: rules ? rules.policies : files.policies,
    ...(options.baselineDir ? { baselineDir: options.baselineDir } : {}),
  });
  // Overrides are read where they were written, so their locations point into that revision's config.
  const overrides = resolution.ok ? readOverrides(rules ? rules.config : resolution.repo.configSpec, registry) : { overrides: [], problems: [] };
  const guardProblems = [...registry.problems, ...overrides.problems];
  if (!resolution.ok || guardProblems.length) {
    return { ok: false, problems: sortProblems([...(resolution.ok ? resolution.repo.problems : resolution.problems), ...guardProblems]), registry };
  }
  const result = guard(resolution.repo.entries, registry, { today: today(options.env), overrides: overrides.overrides });
  return { ok: true, repo: resolution.repo, registry, guard: result, files };
}
