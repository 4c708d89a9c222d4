// What an engine can do on a cloud, as named capabilities. Guardrails match these (not engine
// names), so a new engine is judged by every guardrail whose capability it has: the checks fail closed.
// Seed table: the engine profiles (issue 13) take it over; keep `Capability` and `capabilitiesOf`.

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

const RDS: readonly Capability[] = ['sql', 'tls', 'network-endpoint', 'storage-encryption-toggle', 'maintenance-window', 'high-availability', 'instance-storage', 'pitr'];
const AURORA: readonly Capability[] = ['sql', 'tls', 'network-endpoint', 'storage-encryption-toggle', 'maintenance-window', 'high-availability', 'pitr'];
const CLOUD_SQL: readonly Capability[] = ['sql', 'tls', 'network-endpoint', 'maintenance-window', 'high-availability', 'instance-storage', 'pitr'];

const TABLE: Readonly<Record<string, Readonly<Record<string, readonly Capability[]>>>> = {
  postgres: { aws: RDS, gcp: CLOUD_SQL },
  mysql: { aws: RDS, gcp: [...CLOUD_SQL, 'binlog-pitr'] },
  'aurora-postgresql': { aws: AURORA },
  'aurora-mysql': { aws: AURORA },
  dynamodb: { aws: ['pitr', 'table-pitr'] },
  sqlserver: { gcp: CLOUD_SQL },
};

/**
 * The capabilities of an engine on a cloud; with no cloud, the union over the clouds that offer it
 * (guardrail test cases may leave the cloud out). Undefined for an engine no profile defines.
 */
export function capabilitiesOf(engine: string, cloud?: string): ReadonlySet<Capability> | undefined {
  const byCloud = Object.hasOwn(TABLE, engine) ? TABLE[engine] : undefined;
  if (!byCloud) return undefined;
  if (cloud !== undefined) return Object.hasOwn(byCloud, cloud) ? new Set(byCloud[cloud]) : new Set();
  return new Set(Object.values(byCloud).flat());
}

/** Every engine the table defines, per cloud that offers it, with its capabilities there (table order). */
export function capabilityTable(): readonly { readonly engine: string; readonly cloud: string; readonly capabilities: readonly Capability[] }[] {
  return Object.entries(TABLE).flatMap(([engine, byCloud]) => Object.entries(byCloud).map(([cloud, capabilities]) => ({ engine, cloud, capabilities })));
}
