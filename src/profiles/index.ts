// The registry of engine and cloud profiles: the one list the pipeline and the schema enums read
// (scripts/gen-engine-enums.mjs). Add an engine by adding its file to ENGINES; see README.md.
import type { Capability } from './capabilities.js';
import { aws } from './clouds/aws.js';
import { gcp } from './clouds/gcp.js';
import { auroraMysql } from './engines/aurora-mysql.js';
import { alloydb } from './engines/alloydb.js';
import { auroraPostgresql } from './engines/aurora-postgresql.js';
import { dynamodb } from './engines/dynamodb.js';
import { mariadb } from './engines/mariadb.js';
import { mysql } from './engines/mysql.js';
import { postgres } from './engines/postgres.js';
import { sqlserver } from './engines/sqlserver.js';
import type {
  AwsEngineFacts,
  CloudName,
  CloudProfile,
  CloudSqlEngineFacts,
  EngineOnCloud,
  EngineProfile,
  GcpConstruct,
  GcpEngineFacts,
  NameRule,
  ReplaceAttributes,
} from './types.js';

export type * from './types.js';

/** Every engine, in the order the schema enums list them. */
export const ENGINES: readonly EngineProfile[] = [postgres, mysql, auroraPostgresql, auroraMysql, dynamodb, sqlserver, mariadb, alloydb];

export const CLOUDS: Readonly<Record<CloudName, CloudProfile>> = { aws, gcp };

const byName = new Map(ENGINES.map((e) => [e.name, e]));

export function engineProfile(engine: unknown): EngineProfile | undefined {
  return typeof engine === 'string' ? byName.get(engine) : undefined;
}

export function cloudProfile(cloud: unknown): CloudProfile | undefined {
  return cloud === 'aws' || cloud === 'gcp' ? CLOUDS[cloud] : undefined;
}

type Facts = { aws: AwsEngineFacts; gcp: GcpEngineFacts };

/** The engine's profile on a cloud, if the cloud offers it. */
export function engineOn<C extends CloudName>(engine: unknown, cloud: C): EngineOnCloud<Facts[C]> | undefined {
  return engineProfile(engine)?.[cloud] as EngineOnCloud<Facts[C]> | undefined;
}

/** The engines a cloud offers, in registry order. */
export function enginesOn(cloud: CloudName): string[] {
  return ENGINES.filter((e) => e[cloud]).map((e) => e.name);
}

/** "postgres, mysql or dynamodb": the engines of a cloud, for messages. */
export function enginesOnText(cloud: CloudName): string {
  const names = enginesOn(cloud);
  return names.length > 1 ? `${names.slice(0, -1).join(', ')} or ${names.at(-1)}` : (names[0] ?? '(none)');
}

/** Facts the AWS stack needs; throws for an engine the validate stage lets through to AWS by mistake. */
export function awsFacts(engine: string): AwsEngineFacts {
  const on = engineOn(engine, 'aws');
  if (!on) throw new Error(`unreachable: engine ${engine} has no aws profile (validate/feasibility.ts refuses it)`);
  return on.facts;
}

/** The construct that builds the engine on GCP (Cloud SQL unless its profile names another); undefined off GCP. */
export function gcpConstructOf(engine: unknown): GcpConstruct | undefined {
  const on = engineOn(engine, 'gcp');
  return on ? (on.facts.construct ?? 'cloud-sql') : undefined;
}

/** Facts the Cloud SQL stack needs; throws for an engine the validate stage lets through to Cloud SQL by mistake. */
export function gcpFacts(engine: string): CloudSqlEngineFacts {
  const facts = engineOn(engine, 'gcp')?.facts;
  if (!facts || (facts.construct !== undefined && facts.construct !== 'cloud-sql'))
    throw new Error(`unreachable: engine ${engine} has no Cloud SQL profile (synth/gcp/checks.ts refuses it)`);
  return facts;
}

/** The identifier rule for a database name: the engine's own on its cloud, else the cloud's (RDS by default). */
export function nameRuleOf(cloud: unknown, engine: unknown): NameRule {
  const c = cloudProfile(cloud) ?? aws;
  return engineOn(engine, c.name)?.nameRule ?? c.nameRule;
}

const capabilitySets = new Map<string, ReadonlySet<Capability> | undefined>();

/** Capabilities of an engine on a cloud (see capabilities.ts capabilitiesOf); one set per engine and cloud, asked per database and guardrail. */
export function profileCapabilities(engine: string, cloud?: string): ReadonlySet<Capability> | undefined {
  const key = `${engine}\0${cloud ?? ''}`;
  if (capabilitySets.has(key)) return capabilitySets.get(key);
  const profile = engineProfile(engine);
  const clouds = (Object.keys(CLOUDS) as CloudName[]).filter((c) => cloud === undefined || c === cloud);
  const set = profile ? new Set(clouds.flatMap((c) => profile[c]?.capabilities ?? [])) : undefined;
  capabilitySets.set(key, set);
  return set;
}

/** Every data-bearing resource type with its replace-forcing attributes: the clouds' backup resources and the engines' own. */
export const DATA_RESOURCES: ReplaceAttributes = Object.freeze(
  Object.fromEntries([
    ...Object.values(CLOUDS).flatMap((c) => [...c.dataBearingTypes.map((t) => [t, [] as readonly string[]] as const), ...Object.entries(c.dataResources)]),
    ...ENGINES.flatMap((e) => [...Object.entries(e.aws?.facts.dataResources ?? {}), ...Object.entries(e.gcp?.facts.dataResources ?? {})]),
  ]),
);
