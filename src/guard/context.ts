// What the policy commands need without judging any database: the guardrails of a repo (baseline
// pack plus its policies/) and the overrides its dbaas.config.yaml declares.
import { DbaasError, ExitCode, sortProblems, type Problem } from '../errors.js';
import { parseRepoFiles, readRepoFiles } from '../load/repo.js';
import { capabilityTable } from '../profiles/capabilities.js';
import type { DbaasConfig } from '../spec/generated.js';
import { didYouMean } from '../suggest.js';
import { schemaErrorsToProblems } from '../validate/schema-errors.js';
import { isValid, loadSchemas } from '../validate/schemas.js';
import { matches } from './engine.js';
import { loadRegistry, readOverrides, type GuardrailRegistry } from './registry.js';
import type { CompiledGuardrail, GuardrailOverride } from './types.js';
import { ERR } from '../error-codes.js';

export interface PolicyContext {
  readonly root: string;
  readonly registry: GuardrailRegistry;
  readonly overrides: readonly GuardrailOverride[];
}

export interface PolicyContextOptions {
  /** Read dbaas.config.yaml overrides (policy list, explain). Default: true. */
  readonly withOverrides?: boolean;
  /** The baseline pack folder. Default: the one shipped in the dbaas package. */
  readonly baselineDir?: string;
}

/**
 * Loads the guardrails of the repo in `dir`. Fails closed: a guardrail file that does not load, or
 * a config (when overrides are wanted) that is invalid, throws a DbaasError (exit 2).
 */
export function loadPolicyContext(dir: string, options: PolicyContextOptions = {}): PolicyContext {
  const files = readRepoFiles(dir);
  const noRepo = files.problems.filter((p) => p.code === ERR.NO_REPO);
  if (noRepo.length) throw new DbaasError(noRepo, ExitCode.invalid);
  const registry = loadRegistry({ root: files.root, repoFiles: files.policies, ...(options.baselineDir ? { baselineDir: options.baselineDir } : {}) });
  // Unreadable policy files are problems; a missing config only matters when overrides are wanted.
  const problems: Problem[] = [...registry.problems, ...files.problems.filter((p) => p.location?.file.startsWith('policies/'))];
  let overrides: GuardrailOverride[] = [];
  if (options.withOverrides !== false && files.config) {
    const loaded = parseRepoFiles({ ...files, specs: [], policies: [], problems: [] });
    problems.push(...loaded.problems);
    const doc = loaded.config;
    if (doc) {
      if (isValid('Config', doc.value)) {
        const read = readOverrides({ name: 'config', value: doc.value as DbaasConfig, doc }, registry);
        overrides = read.overrides;
        problems.push(...read.problems);
      } else {
        const set = loadSchemas();
        const validate = set.validator('Config');
        validate(doc.value);
        problems.push(...schemaErrorsToProblems(set, validate.errors ?? [], doc));
      }
    }
  }
  if (problems.length) throw new DbaasError(sortProblems(problems), ExitCode.invalid);
  return { root: files.root, registry, overrides };
}

/** The guardrail with this id, or a DbaasError (exit 2) with a did-you-mean hint. */
export function findGuardrail(context: PolicyContext, id: string): CompiledGuardrail {
  const found = context.registry.byId.get(id);
  if (found) return found;
  const hint = didYouMean(id, context.registry.byId.keys());
  throw new DbaasError([
    {
      code: ERR.UNKNOWN_GUARDRAIL,
      severity: 'error',
      message: `no guardrail "${id}"; expected one of the ${context.registry.guardrails.length} ids in dbaas policy list`,
      value: id,
      ...(hint ? { suggestion: hint } : {}),
    },
  ]);
}

/** The severity a guardrail has in this repo: its own, or the config's override. */
export function effectiveSeverity(
  g: CompiledGuardrail,
  overrides: readonly GuardrailOverride[],
): { severity: 'error' | 'warning' | 'off'; override?: GuardrailOverride } {
  const override = overrides.find((o) => o.guardrail === g.id);
  return { severity: override?.severity ?? g.severity, ...(override ? { override } : {}) };
}

/** "production · aws · postgres, mysql", "production · capability tls + maintenance-window" or "every database". */
export function describeMatch(g: CompiledGuardrail): string {
  const parts = [g.match.environment, g.match.cloud, g.match.engine].filter((l): l is NonNullable<typeof l> => Boolean(l)).map((l) => l.join(', '));
  // "+": a capability list needs all of them, where the other lists take any.
  if (g.match.capability) parts.push(`capability ${g.match.capability.join(' + ')}`);
  if (g.match.team) parts.push(g.match.team.join(', '));
  if (g.match.labels)
    parts.push(
      Object.entries(g.match.labels)
        .map(([k, v]) => `${k}=${v}`)
        .join(', '),
    );
  return parts.length ? parts.join(' · ') : 'every database';
}

/**
 * The engines, with their clouds, whose databases the guardrail can apply to: read from the capability
 * table through the same matches() the guard runs (environment, team and labels aside).
 */
export function matchedEngines(g: CompiledGuardrail): { engine: string; clouds: string[] }[] {
  const { cloud, engine: engines, capability } = g.match;
  const byEngine = { ...(cloud ? { cloud } : {}), ...(engines ? { engine: engines } : {}), ...(capability ? { capability } : {}) };
  const out: { engine: string; clouds: string[] }[] = [];
  for (const { engine, cloud } of capabilityTable()) {
    if (!matches(byEngine, { engine, cloud })) continue;
    const row = out.find((r) => r.engine === engine);
    if (row) row.clouds.push(cloud);
    else out.push({ engine, clouds: [cloud] });
  }
  return out;
}

/** "postgres (aws, gcp), dynamodb (aws)" or "none". */
export function describeEngines(g: CompiledGuardrail): string {
  const engines = matchedEngines(g);
  return engines.length ? engines.map((e) => `${e.engine} (${e.clouds.join(', ')})`).join(', ') : 'none';
}

/** What `policy list` and `policy explain` both say about a guardrail (their --json shapes share it). */
export interface GuardrailSummaryJson {
  id: string;
  /** As written in the guardrail file. */
  severity: 'error' | 'warning';
  /** After dbaas.config.yaml guardrails.overrides. */
  effectiveSeverity: 'error' | 'warning' | 'off';
  override?: { severity?: 'error' | 'warning' | 'off'; reason: string };
  source: 'baseline' | 'repo';
  file: string;
  description: string;
  references: string[];
  appliesTo: string;
  /** The engines, per cloud, the guardrail can apply to (from the capability table and its match). */
  engines: { engine: string; clouds: string[] }[];
}

export function guardrailSummary(g: CompiledGuardrail, overrides: readonly GuardrailOverride[]): GuardrailSummaryJson {
  const { severity, override } = effectiveSeverity(g, overrides);
  return {
    id: g.id,
    severity: g.severity,
    effectiveSeverity: severity,
    ...(override ? { override: { ...(override.severity ? { severity: override.severity } : {}), reason: override.reason } } : {}),
    source: g.source,
    file: g.file,
    description: g.description,
    references: [...g.references],
    appliesTo: describeMatch(g),
    engines: matchedEngines(g),
  };
}
