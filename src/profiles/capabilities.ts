// What an engine can do on a cloud, as named capabilities. Guardrails match these (not engine
// names), so a new engine is judged by every guardrail whose capability it has: the checks fail closed.
// Each engine profile lists its capabilities per cloud (src/profiles/engines/*.ts).
import { CLOUDS, ENGINES, profileCapabilities } from './index.js';
import type { CloudName } from './types.js';

export const CAPABILITIES = [
  /** A relational engine that speaks SQL. */
  'sql',
  /** Connections can be required to use TLS (spec.requireSsl has an effect). */
  'tls',
  /** Reached through a network endpoint that could be made public. */
  'network-endpoint',
  /** Storage encryption at rest is a setting that can be off (RDS, Aurora); elsewhere it is always on. */
  'storage-encryption-toggle',
  /** Has a weekly maintenance window that backups must avoid. */
  'maintenance-window',
  /** Running in more than one zone is a choice (Multi-AZ, replicas, REGIONAL). */
  'high-availability',
  /** Allocated storage (spec.storageGb) is set per instance. */
  'instance-storage',
  /** Point-in-time recovery can be turned on. */
  'pitr',
  /** Point-in-time recovery is binary logging, off unless asked for (Cloud SQL for MySQL). */
  'binlog-pitr',
  /** Point-in-time recovery is a setting of the table itself (DynamoDB). */
  'table-pitr',
] as const;

export type Capability = (typeof CAPABILITIES)[number];

/**
 * The capabilities of an engine on a cloud; with no cloud, the union over the clouds that offer it
 * (guardrail test cases may leave the cloud out). Undefined for an engine no profile defines.
 * Read from the engine profiles (src/profiles/engines/).
 */
export function capabilitiesOf(engine: string, cloud?: string): ReadonlySet<Capability> | undefined {
  return profileCapabilities(engine, cloud);
}

/** Every engine the profiles define, per cloud that offers it, with its capabilities there (profile order). */
export function capabilityTable(): readonly { readonly engine: string; readonly cloud: string; readonly capabilities: readonly Capability[] }[] {
  const clouds = Object.keys(CLOUDS) as CloudName[];
  return ENGINES.flatMap((profile) =>
    clouds.flatMap((cloud) => {
      const on = profile[cloud];
      return on ? [{ engine: profile.name, cloud, capabilities: on.capabilities }] : [];
    }),
  );
}
