// `dbaas new`: the choices a new Database can take in this repo (from dbaas.config.yaml and the specs
// already there), and the spec file for a set of answers. Pure: the command asks and writes.
import { engineOn, engineProfile } from '../profiles/index.js';
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { stringify } from 'yaml';
import type { DbaasConfig } from '../spec/generated.js';

/** The engine's profile refuses this spec field on the chosen cloud (AlloyDB: storageGb). */
const refuses = (answers: { engine: string; cloud: string }, field: string) =>
  (answers.cloud === 'aws' || answers.cloud === 'gcp' ? engineOn(answers.engine, answers.cloud)?.unsupportedFields : undefined)?.some(
    (f) => f.field === field,
  ) === true;

export const CLOUDS = ['aws', 'gcp'] as const;
export const ENVIRONMENTS = ['production', 'staging', 'development'] as const;

export interface NewDatabaseAnswers {
  readonly name: string;
  readonly team: string;
  readonly cloud: string;
  readonly engine: string;
  readonly environment: string;
  readonly region: string;
  readonly size: string;
  /** A BackupPolicy of the repo. Default: an inline daily schedule (35 days in production, else 7). */
  readonly policy?: string;
  readonly notify: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
  /** Default: 20. */
  readonly storageGb?: number;
}

/** What the repo offers for each answer; an empty list means "nothing to choose from here". */
export interface NewDatabaseChoices {
  readonly teams: readonly string[];
  readonly clouds: readonly string[];
  readonly engines: (cloud: string) => readonly string[];
  readonly environments: (team: string) => readonly string[];
  readonly regions: (team: string, environment: string, cloud: string) => readonly string[];
  readonly sizes: (team: string, environment: string, cloud: string, engine: string) => readonly string[];
  readonly policies: readonly string[];
  readonly channels: readonly string[];
  readonly requiredLabels: readonly string[];
}

const own = <T>(record: Record<string, T> | undefined, key: string): T | undefined => (record && Object.hasOwn(record, key) ? record[key] : undefined);
const sorted = (values: Iterable<string>) => [...new Set(values)].sort();

function placement(config: DbaasConfig | undefined, cloud: string, environment: string): { regions?: readonly string[] } | undefined {
  if (cloud === 'aws') return own(config?.clouds.aws?.accounts, environment);
  if (cloud === 'gcp') return own(config?.clouds.gcp?.projects as Record<string, { regions?: string[] }> | undefined, environment);
  return undefined;
}

export function newDatabaseChoices(config: DbaasConfig | undefined, policies: Iterable<string>, channels: Iterable<string>): NewDatabaseChoices {
  const clouds = CLOUDS.filter((c) => config?.clouds[c]);
  const sizeMap = (cloud: string) => (cloud === 'aws' ? config?.clouds.aws?.sizes : cloud === 'gcp' ? config?.clouds.gcp?.sizes : undefined);
  const teamEnv = (team: string, environment: string) => own(own(config?.teams, team)?.environments, environment);
  return {
    teams: sorted(Object.keys(config?.teams ?? {})),
    clouds,
    engines: (cloud) => sorted(Object.keys(sizeMap(cloud) ?? {})),
    environments: (team) => {
      const listed = Object.keys(own(config?.teams, team)?.environments ?? {});
      return ENVIRONMENTS.filter((e) => listed.includes(e));
    },
    regions: (team, environment, cloud) => {
      const allowed = placement(config, cloud, environment)?.regions ?? [];
      const rule = teamEnv(team, environment)?.regions;
      return rule ? allowed.filter((r) => rule.includes(r)) : [...allowed];
    },
    sizes: (team, environment, cloud, engine) => {
      const mapped = Object.keys(own(sizeMap(cloud), engine) ?? {});
      const rule = teamEnv(team, environment)?.sizes;
      return rule ? mapped.filter((s) => rule.includes(s)) : mapped;
    },
    policies: sorted(policies),
    channels: sorted(channels),
    requiredLabels: [...(config?.requiredLabels ?? [])],
  };
}

/** The spec file's path in the repo. */
export function newDatabaseFile(answers: Pick<NewDatabaseAnswers, 'team' | 'name'>): string {
  return `stacks/${answers.team}/${answers.name}.yaml`;
}

/**
 * The `$schema` reference for editors: the repo's own schemas/ when it has them (this repo), else the
 * installed package's, relative to the spec file so it resolves wherever the repo is checked out.
 */
export function schemaReference(root: string, file: string): string {
  const candidates = [join(root, 'schemas', 'database.schema.json'), join(root, 'node_modules', 'dbaas', 'schemas', 'database.schema.json')];
  const found = candidates.find((c) => existsSync(c)) ?? candidates[1]!;
  return relative(dirname(join(root, file)), found)
    .split('\\')
    .join('/');
}

/** One YAML scalar or flow value, quoted where YAML needs it. */
const scalar = (value: unknown): string => stringify(value, { collectionStyle: 'flow' }).trimEnd();

export function renderDatabaseSpec(answers: NewDatabaseAnswers, schemaRef: string): string {
  const production = answers.environment === 'production';
  const labels = Object.keys(answers.labels).length ? `  labels: ${scalar(answers.labels)}\n` : '';
  const backup = answers.policy
    ? `  backup:\n    policy: ${scalar(answers.policy)}            # a BackupPolicy of this repo; fields set here override it\n`
    : `  backup:                            # no shared BackupPolicy yet: daily at 03:00 UTC\n    ` +
      `schedule: "0 3 * * *"\n    retentionDays: ${production ? 35 : 7}\n`;
  const notify = answers.notify.length ? `  notify: ${scalar([...answers.notify])}   # NotificationChannels that get this database's alerts\n` : '';
  return (
    `# yaml-language-server: $schema=${schemaRef}\n` +
    `# Written by dbaas new. Open a pull request: dbaas plan comments what will be built and which\n` +
    `# guardrails it meets. Every field is described in the schema above (your editor shows it on hover).\n` +
    `apiVersion: dbaas.dev/v1\n` +
    `kind: Database\n` +
    `metadata:\n` +
    `  name: ${scalar(answers.name)}                       # unique across the repo; becomes the stack name\n` +
    `  team: ${scalar(answers.team)}\n` +
    labels +
    `spec:\n` +
    `  environment: ${scalar(answers.environment)}\n` +
    `  cloud: ${scalar(answers.cloud)}\n` +
    `  region: ${scalar(answers.region)}\n` +
    `  engine: ${scalar(answers.engine)}\n` +
    `  size: ${scalar(answers.size)}                     # mapped to a machine class in dbaas.config.yaml\n` +
    (engineProfile(answers.engine)?.table || refuses(answers, 'storageGb') ? '' : `  storageGb: ${answers.storageGb ?? 20}\n`) +
    (production
      ? `  highAvailability: true             # production runs in two zones\n  maintenanceWindow: { day: ` +
        `sun, startTime: "06:00" }   # UTC; clear of the 03:00 backup window\n`
      : '') +
    backup +
    notify
  );
}
