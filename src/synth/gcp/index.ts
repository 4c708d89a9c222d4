// GCP stacks: one database per stack, built by the construct its engine profile names: Cloud SQL (with
// its backups, scheduled exports, monitoring and, when the policy locks them, Backup and DR vault) or
// AlloyDB (alloydb.ts). The core adds the GCS backend.
import { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
import type { TerraformStack } from 'cdktf';
import type { Problem } from '../../errors.js';
import type { ResolvedDatabase } from '../../model/resolved.js';
import { SynthError } from '../errors.js';
import { addNote } from '../notes.js';
import { gcpConstructOf, type GcpConstruct } from '../../profiles/index.js';
import type { StackBuilder, SynthContext } from '../types.js';
import { buildAlloyDbStack } from './alloydb.js';
import { gcpProblems } from './checks.js';
import { RestoreDrill } from './drill.js';
import { isCloudSqlEngine } from './engine.js';
import { ScheduledExports } from './exports.js';
import { CloudSqlInstance, InstanceKey } from './instance.js';
import { databaseLabels } from './labels.js';
import { DatabaseAlerts, NotificationChannels } from './monitoring.js';
import { LockedBackups } from './vault.js';

export { gcpProblems } from './checks.js';

/** A gcpProblems entry as the SynthError the core turns into a located Problem. */
export function synthErrorOf(p: Problem, others: readonly Problem[] = []): SynthError {
  const path = (p.field ?? '')
    .split('.')
    .filter(Boolean)
    .map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg));
  // Every problem is named (validate reports each at its own line; this is for direct synth callers).
  const message = others.length ? `${p.message}; also ${others.map((o) => `${o.field ?? ''}: ${o.message}`).join('; ')}` : p.message;
  return new SynthError(p.code, path, message, p.value, p.expected);
}

/** The stack builder of each GCP construct (read at call time: alloydb.ts imports synthErrorOf from here). */
const constructBuilder = (construct: GcpConstruct): StackBuilder => ({ 'cloud-sql': buildCloudSqlStack, alloydb: buildAlloyDbStack })[construct];

/**
 * Adds every resource of one GCP database to `stack`, with the construct its engine profile names
 * (Cloud SQL for an engine no profile defines, whose checks refuse it).
 */
export const buildGcpStack: StackBuilder = (stack, db, ctx) => constructBuilder(gcpConstructOf(db.engine) ?? 'cloud-sql')(stack, db, ctx);

/**
 * Adds every resource of one Cloud SQL database to `stack`. Throws a SynthError naming the resolved
 * field (e.g. backup.encryption.kmsKey) when the database cannot be built on GCP; `gcpProblems(db)`
 * lists all of them up front. `ctx.offlineCheck` changes nothing: there is no google provider offline.
 */
const buildCloudSqlStack: StackBuilder = (stack: TerraformStack, db: ResolvedDatabase, _ctx: SynthContext) => {
  const problems = gcpProblems(db);
  if (problems[0]) throw synthErrorOf(problems[0], problems.slice(1));
  const placement = db.placement;
  if (placement.cloud !== 'gcp' || !isCloudSqlEngine(db.engine)) throw new Error('unreachable: gcpProblems checks placement and engine');
  const engine = db.engine;
  const project = placement.projectId;
  const labels = databaseLabels(db);
  const serviceAgent = placement.cloudSqlServiceAgent;

  new GoogleProvider(stack, 'google', { project, region: db.region });

  // Deploy-time prerequisites the provider cannot create (google 6.50 has no GA resource for them).
  addNote(
    stack,
    `network ${placement.network} must have private services access (an allocated range and a ` +
      `servicenetworking.googleapis.com connection) before the instance is created; the instance has no ` +
      `public IP`,
  );
  if (db.storageEncrypted) {
    addNote(
      stack,
      `the Cloud SQL service identity ${serviceAgent ?? '(cloudSqlServiceAgent)'} must exist before apply: ` +
        `gcloud beta services identity create --service=sqladmin.googleapis.com --project=${project} ` +
        `(google_project_service_identity is beta-only)`,
    );
  }
  if (db.backup.vaultLock) {
    addNote(
      stack,
      `the Backup and DR API (backupdr.googleapis.com) must be enabled in ${project}; the vault's service ` +
        `agent is created with the vault and this stack grants it ` +
        `roles/backupdr.cloudSqlOperator${db.storageEncrypted ? ' and the instance key' : ''}`,
    );
  }

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
  const locked = !db.backup.vaultLock
    ? undefined
    : new LockedBackups(stack, 'locked-backups', {
        db,
        project,
        instanceName: sql.instanceName,
        instance: sql.instance,
        labels,
        ...(key ? { keyId: key.keyId } : {}),
      });
  const exports =
    db.backup.exports.length > 0
      ? new ScheduledExports(stack, 'exports', {
          db,
          engine,
          project,
          instanceName: sql.instanceName,
          instanceServiceAccount: sql.instance.serviceAccountEmailAddress,
          labels,
        }).jobs
      : [];
  const channels = new NotificationChannels(stack, 'channels', { channels: db.channels, project, labels });
  new DatabaseAlerts(stack, 'alerts', {
    db,
    project,
    instanceName: sql.instanceName,
    databaseId: sql.databaseId,
    exports,
    ...(locked ? { vaultId: locked.vaultId } : {}),
    channelIds: channels.ids,
    channelIdsByTier: channels.byTier,
    labels,
  });
  if (db.backup.restoreTesting)
    new RestoreDrill(stack, 'restore-drill', {
      db,
      project,
      instanceName: sql.instanceName,
      labels,
      channelIds: channels.ids,
      channelIdsByTier: channels.byTier,
    });
};
