// GCP stacks: one Cloud SQL database per stack, with its backups, scheduled exports, monitoring and
// (when the policy locks them) Backup and DR vault. The core adds the GCS backend.
import { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
import type { TerraformStack } from 'cdktf';
import type { Problem } from '../../errors.js';
import type { ResolvedDatabase } from '../../model/resolved.js';
import { SynthError } from '../errors.js';
import type { StackBuilder, SynthContext } from '../types.js';
import { gcpProblems } from './checks.js';
import { isCloudSqlEngine } from './engine.js';
import { ScheduledExports } from './exports.js';
import { CloudSqlInstance, InstanceKey } from './instance.js';
import { databaseLabels } from './labels.js';
import { DatabaseAlerts, NotificationChannels } from './monitoring.js';
import { LockedBackups } from './vault.js';

export { gcpProblems } from './checks.js';

/** A gcpProblems entry as the SynthError the core turns into a located Problem. */
export function synthErrorOf(p: Problem, others: readonly Problem[] = []): SynthError {
  const path = (p.field ?? '').split('.').filter(Boolean).map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg));
  // Every problem is named (validate reports each at its own line; this is for direct synth callers).
  const message = others.length ? `${p.message}; also ${others.map((o) => `${o.field ?? ''}: ${o.message}`).join('; ')}` : p.message;
  return new SynthError(p.code, path, message, p.value, p.expected);
}

/**
 * Adds every resource of one Cloud SQL database to `stack`. Throws a SynthError naming the resolved
 * field (e.g. backup.encryption.kmsKey) when the database cannot be built on GCP; `gcpProblems(db)`
 * lists all of them up front. `ctx.offlineCheck` changes nothing: there is no google provider offline.
 */
export const buildGcpStack: StackBuilder = (stack: TerraformStack, db: ResolvedDatabase, _ctx: SynthContext) => {
  const problems = gcpProblems(db);
  if (problems[0]) throw synthErrorOf(problems[0], problems.slice(1));
  const placement = db.placement;
  if (placement.cloud !== 'gcp' || !isCloudSqlEngine(db.engine)) throw new Error('unreachable: gcpProblems checks placement and engine');
  const engine = db.engine;
  const project = placement.projectId;
  const labels = databaseLabels(db);
  const serviceAgent = placement.cloudSqlServiceAgent;

  new GoogleProvider(stack, 'google', { project, region: db.region });

  const key = db.storageEncrypted && serviceAgent ? new InstanceKey(stack, 'key', { db, project, serviceAgent, labels }) : undefined;
  const sql = new CloudSqlInstance(stack, 'sql', {
    db,
    engine,
    project,
    network: placement.network,
    labels,
    ...(key ? { key } : {}),
    backupsManagedByPlan: db.backup.vaultLock !== undefined,
  });
  if (db.backup.vaultLock) {
    new LockedBackups(stack, 'locked-backups', { db, project, instanceName: sql.instanceName, instance: sql.instance, labels });
  }
  const exports =
    db.backup.exports.length > 0 && serviceAgent
      ? new ScheduledExports(stack, 'exports', { db, engine, project, instanceName: sql.instanceName, serviceAgent, labels }).jobs
      : [];
  const channels = new NotificationChannels(stack, 'channels', { channels: db.channels, project, labels });
  new DatabaseAlerts(stack, 'alerts', {
    db,
    project,
    instanceName: sql.instanceName,
    databaseId: sql.databaseId,
    exports,
    channelIds: channels.ids,
    labels,
  });
};
