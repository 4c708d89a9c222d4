// Account baseline stacks (issue 15 part 1): besides one stack per database, one stack per AWS
// account and region and one per GCP project that dbaas.config.yaml lists, when its `baseline:`
// section turns them on. They find and report databases made outside dbaas, or drifting from the
// guardrails, at run time. Their numbers are read from the loaded guardrails (one source of truth):
// if backup-retention-minimum says 35 days for production, so do the production rules.
import type { GuardrailRegistry } from '../../guard/registry.js';
import type { GuardrailOverride, JsonObject } from '../../guard/types.js';
import type { DbaasConfig } from '../../spec/generated.js';
import { loadStackCore, synthNamedStack } from '../index.js';
import type { SynthContext, SynthesizedStack } from '../types.js';

import { BASELINE_PREFIX } from './names.js';
import { isObject } from '../../json.js';

export { BASELINE_PREFIX, reservedNameError } from './names.js';

export type Environment = 'production' | 'staging' | 'development';

/** What the guardrails ask of every database of one environment on one cloud. */
export interface BaselineNumbers {
  /** The highest backup.retentionDays minimum; null when no guardrail asks for one. */
  readonly retentionDays: number | null;
  /** The smallest backupScheduleMaxGapHours; null when no guardrail asks for one. */
  readonly maxGapHours: number | null;
  /** A guardrail asks for a locked vault. */
  readonly vaultLock: boolean;
  /** A guardrail asks for point-in-time recovery of every database (not just one engine). */
  readonly pitr: boolean;
  /** The guardrail ids each number came from, for the stack notes. */
  readonly sources: readonly string[];
}

export interface AwsBaselineTarget {
  readonly cloud: 'aws';
  readonly name: string;
  readonly environment: Environment;
  readonly accountId: string;
  readonly region: string;
  readonly numbers: BaselineNumbers;
}

export interface GcpBaselineTarget {
  readonly cloud: 'gcp';
  readonly name: string;
  readonly environment: Environment;
  readonly projectId: string;
  /** The first region the project lists: where the provider points; every resource is project- or org-level. */
  readonly region: string;
  readonly numbers: BaselineNumbers;
}

export type BaselineTarget = AwsBaselineTarget | GcpBaselineTarget;

const at = (value: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, key) => (isObject(v) ? v[key] : undefined), value);

/**
 * A guardrail speaks for a whole account when its match names nothing narrower than environment and
 * cloud (a rule for one engine or one team is not an account-wide number).
 */
function appliesToAccount(match: JsonObject | undefined, environment: string, cloud: string): boolean {
  if (!match) return true;
  for (const [key, allowed] of Object.entries(match)) {
    if (key === 'environment' || key === 'cloud') {
      const wanted = key === 'environment' ? environment : cloud;
      if (!Array.isArray(allowed) || !allowed.includes(wanted)) return false;
    } else {
      return false;
    }
  }
  return true;
}

/** The numbers of one environment on one cloud, from the guardrails in effect (those turned off ask nothing). */
export function baselineNumbers(registry: GuardrailRegistry, overrides: readonly GuardrailOverride[], environment: string, cloud: string): BaselineNumbers {
  const off = new Set(overrides.filter((o) => o.severity === 'off').map((o) => o.guardrail));
  let retentionDays: number | null = null;
  let maxGapHours: number | null = null;
  let vaultLock = false;
  let pitr = false;
  const sources = new Set<string>();
  for (const g of registry.guardrails) {
    if (off.has(g.id) || !appliesToAccount(g.match as JsonObject | undefined, environment, cloud)) continue;
    const min = at(g.assert, 'properties', 'backup', 'properties', 'retentionDays', 'minimum');
    if (typeof min === 'number') {
      retentionDays = Math.max(retentionDays ?? min, min);
      sources.add(g.id);
    }
    const gap = g.assert.backupScheduleMaxGapHours;
    if (typeof gap === 'number') {
      maxGapHours = Math.min(maxGapHours ?? gap, gap);
      sources.add(g.id);
    }
    const required = at(g.assert, 'properties', 'backup', 'required');
    if (Array.isArray(required) && required.includes('vaultLock')) {
      vaultLock = true;
      sources.add(g.id);
    }
    if (at(g.assert, 'properties', 'backup', 'properties', 'pointInTimeRecovery', 'properties', 'enabled', 'const') === true) {
      pitr = true;
      sources.add(g.id);
    }
  }
  return { retentionDays, maxGapHours, vaultLock, pitr, sources: [...sources].sort() };
}

export function awsBaselineName(environment: string, region: string): string {
  return `${BASELINE_PREFIX}aws-${environment}-${region}`;
}

/**
 * GCP baseline resources (org policies on a project, log-based metrics, alert policies) are all
 * project- or organization-level: one stack per region would create the same resource twice.
 */
export function gcpBaselineName(environment: string): string {
  return `${BASELINE_PREFIX}gcp-${environment}`;
}

export interface NumbersSource {
  readonly registry: GuardrailRegistry;
  readonly overrides: readonly GuardrailOverride[];
}

/** The baseline stacks the config turns on, sorted by name. None without a `baseline:` section. */
export function baselineTargets(config: DbaasConfig, source: NumbersSource): BaselineTarget[] {
  const baseline = config.baseline;
  if (!baseline) return [];
  const out: BaselineTarget[] = [];
  if (baseline.aws) {
    for (const [environment, account] of Object.entries(config.clouds.aws?.accounts ?? {})) {
      const numbers = baselineNumbers(source.registry, source.overrides, environment, 'aws');
      for (const region of account.regions) {
        out.push({
          cloud: 'aws',
          name: awsBaselineName(environment, region),
          environment: environment as Environment,
          accountId: account.accountId,
          region,
          numbers,
        });
      }
    }
  }
  if (baseline.gcp) {
    for (const [environment, project] of Object.entries(config.clouds.gcp?.projects ?? {})) {
      const numbers = baselineNumbers(source.registry, source.overrides, environment, 'gcp');
      out.push({
        cloud: 'gcp',
        name: gcpBaselineName(environment),
        environment: environment as Environment,
        projectId: project.projectId,
        region: project.regions[0],
        numbers,
      });
    }
  }
  return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The baseline stack that covers a database, when the config builds one. */
export function baselineNameFor(config: DbaasConfig, db: { cloud: string; environment: string; region: string }): string | undefined {
  if (db.cloud === 'aws' && config.baseline?.aws && config.clouds.aws?.accounts?.[db.environment as Environment])
    return awsBaselineName(db.environment, db.region);
  if (db.cloud === 'gcp' && config.baseline?.gcp && config.clouds.gcp?.projects?.[db.environment as Environment]) return gcpBaselineName(db.environment);
  return undefined;
}

/** Builds one baseline stack (pure and deterministic, like a database's stack). */
export async function synthBaseline(target: BaselineTarget, ctx: SynthContext): Promise<SynthesizedStack> {
  const meta = { baseline: target.name, environment: target.environment };
  await loadStackCore();
  if (target.cloud === 'aws') {
    const { buildAwsBaseline } = await import('./aws.js');
    return synthNamedStack(target.name, 'aws', ctx, (stack) => buildAwsBaseline(stack, target, ctx), meta);
  }
  const { buildGcpBaseline } = await import('./gcp.js');
  return synthNamedStack(target.name, 'gcp', ctx, (stack) => buildGcpBaseline(stack, target, ctx), meta);
}

/** Every baseline stack the config turns on. */
export async function synthBaselines(config: DbaasConfig, source: NumbersSource, ctx: Omit<SynthContext, 'config'>): Promise<SynthesizedStack[]> {
  const out: SynthesizedStack[] = [];
  for (const target of baselineTargets(config, source)) out.push(await synthBaseline(target, { ...ctx, config }));
  return out;
}
