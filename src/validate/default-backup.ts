// The BackupPolicy a Database gets when it has no backup block: backups can never be absent. The
// most specific default in dbaas.config.yaml wins: the team's for the environment, the team's, the
// environment's, then the repo-wide one.
import type { FieldPath } from '../load/yaml.js';
import type { DbaasConfig } from '../spec/generated.js';

export interface DefaultPolicy {
  readonly name: string;
  /** Where dbaas.config.yaml names it. */
  readonly from: FieldPath;
}

const own = <T>(record: Record<string, T | undefined> | undefined, key: string): T | undefined =>
  record && Object.hasOwn(record, key) ? record[key] : undefined;

export function defaultBackupPolicy(config: DbaasConfig | undefined, team: string, environment: string): DefaultPolicy | undefined {
  const rules = own(config?.teams, team);
  const candidates: [string | undefined, FieldPath][] = [
    [own(rules?.environments, environment)?.backupPolicy, ['teams', team, 'environments', environment, 'backupPolicy']],
    [rules?.backupPolicy, ['teams', team, 'backupPolicy']],
    [own(config?.defaults?.backupPolicies, environment), ['defaults', 'backupPolicies', environment]],
    [config?.defaults?.backupPolicy, ['defaults', 'backupPolicy']],
  ];
  const found = candidates.find(([name]) => typeof name === 'string');
  return found ? { name: found[0]!, from: found[1] } : undefined;
}

/** Every place the config names a default policy, for the reference check. */
export function configuredDefaults(config: DbaasConfig): DefaultPolicy[] {
  const out: DefaultPolicy[] = [];
  if (config.defaults?.backupPolicy) out.push({ name: config.defaults.backupPolicy, from: ['defaults', 'backupPolicy'] });
  for (const [env, name] of Object.entries(config.defaults?.backupPolicies ?? {})) if (name) out.push({ name, from: ['defaults', 'backupPolicies', env] });
  for (const [team, rules] of Object.entries(config.teams ?? {})) {
    if (rules?.backupPolicy) out.push({ name: rules.backupPolicy, from: ['teams', team, 'backupPolicy'] });
    for (const [env, rule] of Object.entries(rules?.environments ?? {}))
      if (rule?.backupPolicy) out.push({ name: rule.backupPolicy, from: ['teams', team, 'environments', env, 'backupPolicy'] });
  }
  return out;
}
