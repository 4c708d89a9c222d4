// Offline checks of synthesized AWS stacks: init + validate + plan with no network and no real account.
//
// What a stack must contain for this to work (measured with terraform 1.11.4, hashicorp/aws 5.100.0):
// - provider "aws": skip_credentials_validation = true (else STS GetCallerIdentity) and
//   skip_requesting_account_id = true (else IAM GetUser / STS) are required;
//   skip_metadata_api_check = true keeps the SDK off EC2 IMDS; skip_region_validation = true is
//   only needed for regions the provider does not know, set it anyway. No `profile`, `assume_role*`
//   or `shared_*_files` (they fail without the files or a network).
// - Credentials: any non-empty static keys, from the environment (offlineAwsEnv) or the provider block.
// - No `data "aws_caller_identity"`: it calls STS during plan. aws_region, aws_partition and
//   aws_iam_policy_document are computed locally and are fine.
// - A remote backend (s3): `init -backend=false` is enough for validate, but plan then fails with
//   "Backend initialization required". prepareOfflineCheck adds a `*_override.tf.json` that replaces
//   the backend with a local one; override files beat the stack's own backend block.
import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeCliConfig } from './cli-config.js';
import { discoverOfflineTerraform, type DiscoveryOptions, type OfflineTerraformDiscovery } from './mirror.js';
import { OFFLINE_OVERRIDE_FILE, TerraformRunner, type CommandOptions } from './runner.js';
import type { PlanResult, TerraformPlanJson, ValidateResult } from './types.js';
import { isObject } from '../json.js';

/** Provider arguments the synth must set on every aws provider when asked for an offline check. */
export const OFFLINE_AWS_PROVIDER_ARGS = {
  skip_credentials_validation: true,
  skip_requesting_account_id: true,
  skip_metadata_api_check: true,
  skip_region_validation: true,
} as const;

const REQUIRED_OFFLINE_ARGS = ['skip_credentials_validation', 'skip_requesting_account_id'] as const;

/** Local state file the override points at, relative to the stack dir. */
export const OFFLINE_STATE_PATH = '.terraform/dbaas-offline.tfstate';

/**
 * Environment for offline AWS checks. `undefined` means "unset": a profile, role or session token
 * inherited from the developer's shell would send the provider to files or the network.
 */
export function offlineAwsEnv(): Record<string, string | undefined> {
  return {
    AWS_ACCESS_KEY_ID: 'mock_access_key',
    AWS_SECRET_ACCESS_KEY: 'mock_secret_key',
    AWS_SESSION_TOKEN: undefined,
    AWS_PROFILE: undefined,
    AWS_DEFAULT_PROFILE: undefined,
    AWS_ROLE_ARN: undefined,
    AWS_WEB_IDENTITY_TOKEN_FILE: undefined,
    AWS_CONTAINER_CREDENTIALS_RELATIVE_URI: undefined,
    AWS_CONTAINER_CREDENTIALS_FULL_URI: undefined,
    AWS_EC2_METADATA_DISABLED: 'true',
  };
}

export interface OfflineCheckPrep {
  overrideFile: string;
  /** Backend type(s) the stack declared and the override replaces; empty if none. */
  replacedBackends: string[];
  /** Things in the stack that will make an offline plan fail or reach for the network. */
  findings: string[];
  /** Removes the override file (do this before any real plan/apply of the same dir). */
  cleanup(): Promise<void>;
}

type Json = Record<string, unknown>;

/** cdktf writes provider and backend blocks as either objects or arrays of objects. */
function blocks(v: unknown): Json[] {
  if (Array.isArray(v)) return v.filter(isObject);
  return isObject(v) ? [v] : [];
}

/** Inspects a stack's JSON config for what breaks offline checks (see the header comment). */
export function offlineFindings(config: Json, file = 'cdk.tf.json'): { backends: string[]; findings: string[] } {
  const backends: string[] = [];
  const findings: string[] = [];
  for (const tf of blocks(config.terraform)) {
    for (const b of blocks(tf.backend)) backends.push(...Object.keys(b));
    if (tf.cloud !== undefined) backends.push('cloud');
  }
  const providers = isObject(config.provider) ? config.provider : {};
  for (const [name, value] of Object.entries(providers)) {
    if (name !== 'aws') {
      findings.push(`${file}: provider "${name}" is not in the offline mirror`);
      continue;
    }
    for (const p of blocks(value)) {
      const label = typeof p.alias === 'string' ? `aws.${p.alias}` : 'aws';
      for (const arg of REQUIRED_OFFLINE_ARGS) {
        if (p[arg] !== true) findings.push(`${file}: provider ${label} lacks ${arg} = true`);
      }
      for (const arg of ['profile', 'assume_role', 'assume_role_with_web_identity', 'shared_config_files', 'shared_credentials_files']) {
        if (p[arg] !== undefined) findings.push(`${file}: provider ${label} sets ${arg}, which needs real credentials`);
      }
    }
  }
  const data = isObject(config.data) ? config.data : {};
  if (data.aws_caller_identity !== undefined) {
    findings.push(`${file}: data "aws_caller_identity" calls STS during plan`);
  }
  return { backends, findings };
}

/**
 * Makes a stack dir checkable offline: writes an override that swaps any backend for a local one.
 * Follow with `init(dir, { reconfigure: true })`, then validate and plan.
 */
export async function prepareOfflineCheck(stackDir: string): Promise<OfflineCheckPrep> {
  const replacedBackends: string[] = [];
  const findings: string[] = [];
  const entries = await readdir(stackDir);
  for (const name of entries.sort()) {
    if (!name.endsWith('.tf.json') || name === 'override.tf.json' || name.endsWith('_override.tf.json')) continue;
    let config: unknown;
    try {
      config = JSON.parse(await readFile(path.join(stackDir, name), 'utf8'));
    } catch {
      continue; // terraform validate reports syntax errors with positions; leave it to that.
    }
    if (!isObject(config)) continue;
    const r = offlineFindings(config, name);
    replacedBackends.push(...r.backends);
    findings.push(...r.findings);
  }
  const overrideFile = path.join(stackDir, OFFLINE_OVERRIDE_FILE);
  const override = { terraform: { backend: { local: { path: OFFLINE_STATE_PATH } } } };
  await writeFile(overrideFile, `${JSON.stringify(override, null, 2)}\n`, 'utf8');
  return {
    overrideFile,
    replacedBackends,
    findings,
    cleanup: () => rm(overrideFile, { force: true }),
  };
}

export type OfflineTerraform =
  { ok: true; runner: TerraformRunner; discovery: Extract<OfflineTerraformDiscovery, { ok: true }>; cliConfigFile: string } | { ok: false; reason: string };

export interface OpenOfflineOptions extends DiscoveryOptions {
  /** Where the CLI config is written; defaults to a fixed dir under os.tmpdir(). */
  configDir?: string;
  /** Shared plugin cache; off by default (no gain with an unpacked mirror, see cli-config.ts). */
  pluginCacheDir?: string;
  /** Extra env on top of offlineAwsEnv(). */
  env?: Record<string, string | undefined>;
  timeoutMs?: number;
  signal?: AbortSignal;
}

/** Discovery + CLI config + a runner with mock AWS credentials, or a reason to skip. */
export async function openOfflineTerraform(opts: OpenOfflineOptions = {}): Promise<OfflineTerraform> {
  const { env: extraEnv, configDir, pluginCacheDir, timeoutMs, signal, ...discoveryOpts } = opts;
  const discovery = await discoverOfflineTerraform(discoveryOpts);
  if (!discovery.ok) return discovery;
  const dir = configDir ?? path.join(tmpdir(), `dbaas-terraform-${process.getuid?.() ?? 'user'}`);
  await mkdir(dir, { recursive: true });
  // One file per mirror/cache pair so processes with different settings do not clobber each other.
  const key = createHash('sha256')
    .update(`${discovery.mirrorDir}\0${pluginCacheDir ?? ''}`)
    .digest('hex')
    .slice(0, 16);
  const cliConfigFile = await writeCliConfig(path.join(dir, `cli-${key}.tfrc`), {
    mirrorDir: discovery.mirrorDir,
    providers: discovery.providers.map((p) => p.source),
    ...(pluginCacheDir ? { pluginCacheDir } : {}),
  });
  const runner = new TerraformRunner({
    terraformBin: discovery.terraformBin,
    cliConfigFile,
    env: {
      ...offlineAwsEnv(),
      // Lets inits reuse the cache entry instead of re-installing it, which races when parallel.
      ...(pluginCacheDir ? { TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE: 'true' } : {}),
      ...extraEnv,
    },
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...(signal ? { signal } : {}),
    ...(pluginCacheDir ? { pluginCacheDir } : {}),
  });
  return { ok: true, runner, discovery, cliConfigFile };
}

export interface OfflineCheckResult {
  findings: string[];
  replacedBackends: string[];
  validate: ValidateResult;
  /** Absent when validate found errors. */
  plan?: PlanResult;
  planJson?: TerraformPlanJson;
  timings: { initMs: number; validateMs: number; planMs?: number; showMs?: number };
}

/**
 * prepare → init → validate → plan → show for one stack dir. The override file is removed again
 * afterwards; `.terraform/` and the plan file stay for the caller to inspect or delete.
 */
export async function runOfflineCheck(
  runner: TerraformRunner,
  stackDir: string,
  opts: CommandOptions & { planFile?: string; plan?: boolean } = {},
): Promise<OfflineCheckResult> {
  const { planFile = 'dbaas-offline.tfplan', plan: doPlan = true, ...cmd } = opts;
  const prep = await prepareOfflineCheck(stackDir);
  try {
    const init = await runner.init(stackDir, { ...cmd, reconfigure: true });
    const validate = await runner.validate(stackDir, cmd);
    const result: OfflineCheckResult = {
      findings: prep.findings,
      replacedBackends: prep.replacedBackends,
      validate,
      timings: { initMs: init.durationMs, validateMs: validate.durationMs },
    };
    if (!validate.valid || !doPlan) return result;
    result.plan = await runner.plan(stackDir, { ...cmd, out: planFile, lock: false });
    result.timings.planMs = result.plan.durationMs;
    const t1 = performance.now();
    result.planJson = await runner.showPlanJson(stackDir, planFile, cmd);
    result.timings.showMs = Math.round(performance.now() - t1);
    return result;
  } finally {
    await prep.cleanup();
  }
}
