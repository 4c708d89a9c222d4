// Resolve stage: each Database merged with its backup policy, channels and config defaults, into
// the ResolvedDatabase that guardrails judge and synth builds. Also knows where each field came from.
import { defaultBackupPolicy } from '../validate/default-backup.js';
import { problem, showValue, type Problem, type SourceLocation } from '../errors.js';
import type { FieldPath } from '../load/yaml.js';
import type { Placement, ResolvedBackup, ResolvedChannel, ResolvedDatabase } from '../model/resolved.js';
import type { BackupPolicy, BackupPolicyFields, Database, DbaasConfig } from '../spec/generated.js';
import { clearMaintenanceWindow } from '../schedule/profile.js';
import { didYouMean } from '../suggest.js';
import type { Spec, ValidatedRepo } from '../validate/index.js';
import { fieldName } from '../validate/schema-errors.js';
import { restoreProblems } from '../validate/restore.js';
import { own } from './own.js';
import { cloudProfile, ENGINES, engineProfile } from '../profiles/index.js';
import { ERR } from '../error-codes.js';

export interface ResolvedEntry {
  readonly db: ResolvedDatabase;
  readonly spec: Spec<Database>;
  /** The named BackupPolicy the backup settings start from, if any. */
  readonly policy?: Spec<BackupPolicy>;
  /** Set when that policy is the config's default (the spec names none): where the config names it. */
  readonly defaultPolicyFrom?: string;
}

export interface ResolvedRepo {
  readonly root: string;
  readonly config: DbaasConfig;
  readonly configSpec: Spec<DbaasConfig>;
  readonly entries: readonly ResolvedEntry[];
  readonly policies: ValidatedRepo['policies'];
  readonly channels: ValidatedRepo['channels'];
  readonly problems: readonly Problem[];
}

/** Each engine's default version (its profile's), when neither the spec nor the config's clouds.<cloud>.versions sets one. */
export const DEFAULT_VERSIONS: Readonly<Record<string, string>> = Object.fromEntries(ENGINES.map((e) => [e.name, e.defaultVersion]));

export const BACKUP_DEFAULTS = {
  enabled: true,
  timezone: 'UTC',
  startWindowMinutes: 60,
  completionWindowMinutes: 180,
  pointInTimeRecovery: { enabled: false, retentionDays: 7 },
  copies: [],
  encryption: { kmsKey: 'managed' },
  exports: [],
  alerts: { onFailure: true, missingAfterHours: 26 },
} as const;

/** Drops undefined fields so resolved data hashes and serializes the same way every time. */
function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

function resolveBackup(spec: Spec<Database>, policy: Spec<BackupPolicy> | undefined): ResolvedBackup | Problem {
  const { policy: policyName, ...inline } = spec.value.spec.backup ?? {};
  const merged: BackupPolicyFields = { ...(policy?.value.spec ?? {}), ...inline };
  if (merged.schedule === undefined || merged.retentionDays === undefined) {
    const missing = merged.schedule === undefined ? 'schedule' : 'retentionDays';
    return problem({
      code: ERR.INCOMPLETE_BACKUP,
      message: `has no ${missing}; expected ${missing} inline or a BackupPolicy (spec.backup.policy) that sets it`,
      location: spec.doc.locate(['spec', 'backup'], { key: true }),
      field: `spec.backup.${missing}`,
    });
  }
  const pitr = merged.pointInTimeRecovery;
  return compact({
    ...merged,
    policyName: policy?.name ?? policyName,
    enabled: merged.enabled ?? BACKUP_DEFAULTS.enabled,
    schedule: merged.schedule,
    retentionDays: merged.retentionDays,
    timezone: merged.timezone ?? BACKUP_DEFAULTS.timezone,
    startWindowMinutes: merged.startWindowMinutes ?? BACKUP_DEFAULTS.startWindowMinutes,
    completionWindowMinutes: merged.completionWindowMinutes ?? BACKUP_DEFAULTS.completionWindowMinutes,
    pointInTimeRecovery: { enabled: pitr?.enabled ?? false, retentionDays: pitr?.retentionDays ?? BACKUP_DEFAULTS.pointInTimeRecovery.retentionDays },
    copies: merged.copies ?? [],
    encryption: merged.encryption ?? { ...BACKUP_DEFAULTS.encryption },
    exports: merged.exports ?? [],
    alerts: {
      onFailure: merged.alerts?.onFailure ?? BACKUP_DEFAULTS.alerts.onFailure,
      missingAfterHours: merged.alerts?.missingAfterHours ?? BACKUP_DEFAULTS.alerts.missingAfterHours,
    },
  });
}

export function resolveRepo(validated: ValidatedRepo): ResolvedRepo | { problems: readonly Problem[] } {
  const configSpec = validated.config;
  if (!configSpec) return { problems: validated.problems };
  const config = configSpec.value;
  const problems: Problem[] = [...validated.problems];
  const entries: ResolvedEntry[] = [];

  for (const spec of validated.databases) {
    const { metadata, spec: s } = spec.value;
    const fail = (path: FieldPath, code: string, message: string, suggestion?: string) =>
      problems.push(problem({ code, message, location: spec.doc.locate(path), field: fieldName(path), value: pathValue(spec.value, path), suggestion }));

    // Fail closed: a team the config does not list, or an environment it does not list for the team,
    // gets no placement at all, rather than every region and size its cloud has.
    const team = own(config.teams, metadata.team);
    if (!team) {
      const known = Object.keys(config.teams ?? {});
      fail(
        ['metadata', 'team'],
        ERR.UNKNOWN_TEAM,
        `team ${showValue(metadata.team)} is not in dbaas.config.yaml teams; expected one of ` +
          `${known.join(', ') || '(no teams configured)'}. The infra team adds ` +
          `teams.${metadata.team}.environments.${s.environment} (regions, sizes) to dbaas.config.yaml`,
        didYouMean(metadata.team, known),
      );
      continue;
    }
    const teamRules = own(team.environments, s.environment);
    if (!teamRules) {
      fail(
        ['spec', 'environment'],
        ERR.TEAM_ENVIRONMENT,
        `team ${showValue(metadata.team)} has no rules for environment ${showValue(s.environment)} in ` +
          `dbaas.config.yaml; expected one of ` +
          `${Object.keys(team.environments ?? {}).join(', ') || '(none listed)'}. The infra team adds ` +
          `teams.${metadata.team}.environments.${s.environment} (regions, sizes) to dbaas.config.yaml`,
      );
      continue;
    }
    const cloud = own(config.clouds, s.cloud);
    if (!cloud) {
      // Say exactly which block makes the cloud usable (the scaffolded config carries it commented out).
      const block = (cloudProfile(s.cloud) ?? cloudProfile('aws')!).configBlock;
      fail(
        ['spec', 'cloud'],
        ERR.CLOUD_NOT_CONFIGURED,
        `cloud ${showValue(s.cloud)} is not in dbaas.config.yaml; expected one of ` +
          `${Object.keys(config.clouds).join(', ')}, or add ${block} to dbaas.config.yaml`,
      );
      continue;
    }
    // Where the cloud places a database: clouds.aws.accounts, clouds.gcp.projects (its profile says which).
    const { placementKey, placementNoun } = (cloudProfile(s.cloud) ?? cloudProfile('aws'))!;
    const accounts = ((cloud as unknown as Record<string, unknown>)[placementKey] ?? {}) as Record<string, object | undefined>;
    const account = own(accounts, s.environment);
    if (!account) {
      fail(
        ['spec', 'environment'],
        ERR.NO_ACCOUNT,
        `${s.cloud} has no ${placementNoun} for environment ${showValue(s.environment)} in ` +
          `dbaas.config.yaml; expected one of ${Object.keys(accounts).join(', ')}`,
      );
      continue;
    }
    const sizeMap = own(cloud.sizes, s.engine) ?? {};
    const size = s.size ?? config.defaults?.size ?? 'small';
    const instanceClass = own(sizeMap, size);
    if (!instanceClass) {
      fail(
        s.size ? ['spec', 'size'] : ['spec', 'engine'],
        ERR.UNKNOWN_SIZE,
        `size ${showValue(size)} has no ${s.engine} class on ${s.cloud} in dbaas.config.yaml; expected one ` +
          `of ${Object.keys(sizeMap).join(', ') || '(none configured)'}`,
        didYouMean(size, Object.keys(sizeMap)),
      );
      continue;
    }
    // No policy and no schedule: the config's default for the team and environment (validate made sure one exists).
    const fallback = s.backup?.policy === undefined && s.backup?.schedule === undefined ? defaultBackupPolicy(config, metadata.team, s.environment) : undefined;
    const policyName = s.backup?.policy ?? fallback?.name;
    const policy = policyName ? validated.policies.get(policyName) : undefined;
    if (policyName && !policy) continue; // reported by validate (unknown reference or an invalid policy)
    const backup = resolveBackup(spec, policy);
    if ('code' in backup) {
      problems.push(backup);
      continue;
    }
    const notify = s.notify ?? config.defaults?.notify ?? [];
    const channels: ResolvedChannel[] = notify.flatMap((name) => {
      const channel = validated.channels.get(name);
      // The tier defaults here so routing, guardrails and the posture read one value (schema default: notify).
      return channel ? [{ name, ...channel.value.spec, tier: channel.value.spec.tier ?? 'notify' }] : [];
    });
    if (channels.length !== notify.length) continue; // reported by validate

    const regions = (account as { regions: string[] }).regions;
    const placement = { cloud: s.cloud, ...account } as Placement;
    const db: ResolvedDatabase = compact({
      name: metadata.name,
      team: metadata.team,
      labels: { ...(config.defaults?.labels ?? {}), ...(metadata.labels ?? {}) },
      environment: s.environment,
      cloud: s.cloud,
      region: s.region,
      engine: s.engine,
      version: s.version ?? own(cloud.versions, s.engine) ?? own(DEFAULT_VERSIONS, s.engine) ?? '',
      size,
      instanceClass,
      storageGb: s.storageGb ?? 20,
      highAvailability: s.highAvailability ?? false,
      deletionProtection: s.deletionProtection ?? s.environment === 'production',
      publiclyAccessible: s.publiclyAccessible ?? false,
      storageEncrypted: s.storageEncrypted ?? true,
      requireSsl: s.requireSsl ?? true,
      // Unset, the window is the first hour from Sunday 05:00 UTC clear of every backup run.
      maintenanceWindow: s.maintenanceWindow
        ? { day: s.maintenanceWindow.day, startTime: s.maintenanceWindow.startTime, durationMinutes: s.maintenanceWindow.durationMinutes ?? 60 }
        : { ...clearMaintenanceWindow(backup.schedule, backup.timezone, backup.completionWindowMinutes) },
      objectives: s.objectives,
      databases: engineProfile(s.engine)?.logicalDatabases === false ? [] : (s.databases ?? [metadata.name.replace(/-/g, '_')]),
      users: s.users ?? [],
      table: s.table,
      restoreFrom: s.restoreFrom,
      expires: s.expires,
      backup,
      notify,
      channels,
      waivers: s.waivers ?? [],
      placement,
      allowed: {
        // A listed environment without regions (or sizes) allows every region (size) of its account.
        regions: teamRules.regions ? teamRules.regions.filter((r) => regions.includes(r)) : [...regions],
        sizes: teamRules.sizes ?? Object.keys(sizeMap),
      },
      requiredLabels: config.requiredLabels ?? [],
    });
    entries.push({ db, spec, policy, ...(fallback ? { defaultPolicyFrom: fieldName(fallback.from) } : {}) });
  }
  // Restores need every database resolved (the source's effective backup policy): src/validate/restore.ts.
  // With other errors in the repo, a source missing here may be one of the invalid documents.
  const complete = !validated.problems.some((p) => p.severity === 'error');
  problems.push(...restoreProblems(entries, complete ? new Set(validated.databases.map((d) => d.name)) : undefined));
  return { root: validated.root, config, configSpec, entries, policies: validated.policies, channels: validated.channels, problems };
}

function pathValue(value: unknown, path: FieldPath): unknown {
  let node = value;
  for (const seg of path) node = (node as Record<string | number, unknown> | undefined)?.[seg];
  return node;
}

const TOP_LEVEL_META: Record<string, FieldPath> = {
  name: ['metadata', 'name'],
  team: ['metadata', 'team'],
  labels: ['metadata', 'labels'],
  channels: ['spec', 'notify'],
  notify: ['spec', 'notify'],
};

/**
 * Where a field of the resolved database is written: in the Database, in its named BackupPolicy,
 * or nowhere (a default), in which case the Database's metadata.name stands in.
 */
export function locateResolved(entry: ResolvedEntry, path: FieldPath): SourceLocation {
  const { spec, policy } = entry;
  const fallback = spec.doc.locate(['metadata', 'name']);
  const [head, ...rest] = path;
  if (head === undefined) return fallback;
  const has = (value: unknown, p: FieldPath) => pathValue(value, p) !== undefined;
  if (head === 'backup') {
    const own: FieldPath = ['spec', 'backup', ...rest];
    for (let n = own.length; n > 2; n--) if (has(spec.value, own.slice(0, n))) return spec.doc.locate(own.slice(0, n));
    if (policy) {
      const inPolicy: FieldPath = ['spec', ...rest];
      for (let n = inPolicy.length; n > 1; n--) if (has(policy.value, inPolicy.slice(0, n))) return policy.doc.locate(inPolicy.slice(0, n));
    }
    return has(spec.value, ['spec', 'backup', 'policy']) ? spec.doc.locate(['spec', 'backup', 'policy']) : fallback;
  }
  const base = TOP_LEVEL_META[String(head)] ?? ['spec', head];
  const full = [...base, ...rest];
  for (let n = full.length; n >= base.length; n--) if (has(spec.value, full.slice(0, n))) return spec.doc.locate(full.slice(0, n));
  return fallback;
}
