// Every spec field has an effect or is refused. This walks every property of the Database,
// BackupPolicy and NotificationChannel schemas (recursively, through $refs, array items and
// conditionals) and, for each construct an engine profile names (a postgres database on each cloud,
// which covers every engine built by the same construct, and AlloyDB, which has its own), changes
// that property in an otherwise valid repo: the change
// must alter the synthesized stack (resources, data, providers, outputs; notes do not count), alter
// the guardrail findings, or be refused at validate. A field that does none of these is a field the
// user writes and nothing reads.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { guard } from '../../src/guard/engine.js';
import { loadRegistry, type GuardrailRegistry } from '../../src/guard/registry.js';
import { resolveFiles } from '../../src/pipeline.js';
import { loadBuilder, synthStack } from '../../src/synth/index.js';
import { REPO_ROOT } from '../helpers/repo.js';
import { baseConfig, repoFiles, type Obj } from './repo-builder.js';

type Cloud = 'aws' | 'gcp';
/** What each property is tried on: a key of BASE_DB. */
type Target = Cloud | 'alloydb';
type Doc = 'database' | 'backup-policy' | 'notification-channel';

// ---------------------------------------------------------------------------------------------
// The schema walk.

const schemas = new Map<string, Obj>();
const schemaFile = (file: string): Obj => {
  let s = schemas.get(file);
  if (!s) schemas.set(file, (s = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', file), 'utf8')) as Obj));
  return s;
};

function deref(node: Obj, file: string): [Obj, string] {
  while (typeof node.$ref === 'string') {
    const [target, pointer = ''] = node.$ref.split('#');
    file = target || file;
    let next: unknown = schemaFile(file);
    for (const seg of pointer.split('/').filter(Boolean)) next = (next as Obj)[seg];
    node = next as Obj;
  }
  return [node, file];
}

/** Every property path of a schema: `spec.backup.copies.[].region`. */
export function schemaPaths(file: string): string[] {
  const out = new Set<string>();
  const walk = (raw: unknown, at: string, path: string[]) => {
    if (!raw || typeof raw !== 'object') return;
    const [node, f] = deref(raw as Obj, at);
    for (const key of ['allOf', 'anyOf', 'oneOf']) for (const sub of (node[key] as unknown[] | undefined) ?? []) walk(sub, f, path);
    for (const key of ['then', 'else']) walk(node[key], f, path);
    for (const [name, sub] of Object.entries((node.properties as Obj | undefined) ?? {})) {
      out.add([...path, name].join('.'));
      walk(sub, f, [...path, name]);
    }
    walk(node.items, f, [...path, '[]']);
    if (node.additionalProperties && typeof node.additionalProperties === 'object') walk(node.additionalProperties, f, [...path, '*']);
  };
  walk(schemaFile(file), file, []);
  return [...out].sort();
}

// ---------------------------------------------------------------------------------------------
// The repo each change is made in: one database per cloud (production, so the guardrails that
// apply to production judge it), optionally using a BackupPolicy "shared" and a channel "ops".

const BASE_DB: Record<Target, Obj> = {
  aws: { environment: 'production', cloud: 'aws', region: 'eu-west-1', engine: 'postgres' },
  gcp: { environment: 'production', cloud: 'gcp', region: 'europe-west1', engine: 'postgres' },
  alloydb: { environment: 'production', cloud: 'gcp', region: 'europe-west1', engine: 'alloydb' },
};
const TARGETS = Object.keys(BASE_DB) as Target[];
const cloudOf = (target: Target): Cloud => BASE_DB[target].cloud as Cloud;
const BASE_BACKUP: Obj = { schedule: '0 3 * * *', retentionDays: 35 };

/** A change: patches (deep-merged) on the document, applied to both sides (`base`) or the changed side only (`change`). */
interface Change {
  readonly base?: Obj;
  readonly change: Obj;
  /** Per target overrides of both patches (e.g. a key format per cloud); a target without its own takes its cloud's. */
  readonly per?: Partial<Record<Target, { base?: Obj; change?: Obj }>>;
  /** The database document as the base (engine switch etc.), merged on both sides; by target, else by cloud. */
  readonly db?: Partial<Record<Target, Obj>>;
  /** Merged into the shared BackupPolicy's spec on both sides. */
  readonly policyDoc?: Obj;
}

const spec = (s: Obj) => ({ spec: s });
const backup = (b: Obj) => ({ spec: { backup: b } });

/** Database paths (relative to the document) → the change that must have an effect. */
const DATABASE: Record<string, Change> = {
  apiVersion: { change: { apiVersion: 'dbaas.dev/v2' } },
  kind: { change: { kind: 'Databse' } },
  metadata: { change: { metadata: { team: 'team-b' } } },
  spec: { change: spec({ storageGb: 64 }) },
  'metadata.name': { change: { metadata: { name: 'renamed' } } },
  'metadata.team': { change: { metadata: { team: 'team-b' } } },
  'metadata.labels': { change: { metadata: { labels: { 'cost-center': 'cc-9' } } } },
  'spec.environment': { change: spec({ environment: 'development' }) },
  'spec.cloud': { change: spec({ cloud: 'gcp' }), per: { gcp: { change: spec({ cloud: 'aws' }) } } },
  'spec.region': { change: spec({ region: 'eu-central-1' }), per: { gcp: { change: spec({ region: 'europe-west4' }) } } },
  'spec.engine': { change: spec({ engine: 'mysql' }) },
  'spec.version': { change: spec({ version: '15' }) },
  'spec.size': { change: spec({ size: 'large' }) },
  'spec.storageGb': { change: spec({ storageGb: 77 }) },
  'spec.highAvailability': { change: spec({ highAvailability: true }) },
  'spec.deletionProtection': { change: spec({ deletionProtection: false }) },
  'spec.publiclyAccessible': { change: spec({ publiclyAccessible: true }) },
  'spec.storageEncrypted': { change: spec({ storageEncrypted: false }) },
  'spec.requireSsl': { change: spec({ requireSsl: false }) },
  'spec.maintenanceWindow': { change: spec({ maintenanceWindow: { day: 'wed', startTime: '10:00' } }) },
  'spec.maintenanceWindow.day': { base: spec({ maintenanceWindow: { day: 'sun', startTime: '10:00' } }), change: spec({ maintenanceWindow: { day: 'mon' } }) },
  'spec.maintenanceWindow.startTime': {
    base: spec({ maintenanceWindow: { day: 'sun', startTime: '10:00' } }),
    change: spec({ maintenanceWindow: { startTime: '11:00' } }),
  },
  'spec.maintenanceWindow.durationMinutes': {
    base: spec({ maintenanceWindow: { day: 'sun', startTime: '10:00' } }),
    change: spec({ maintenanceWindow: { durationMinutes: 180 } }),
  },
  'spec.objectives': { change: spec({ objectives: { rpoHours: 1 } }) },
  'spec.objectives.rpoHours': { base: spec({ objectives: { rpoHours: 48 } }), change: spec({ objectives: { rpoHours: 2 } }) },
  'spec.objectives.rtoHours': {
    base: spec({ objectives: { rtoHours: 48 } }),
    change: spec({ objectives: { rtoHours: 2 } }),
    // On GCP a drill measures the RTO (without one, rtoHours is refused); nothing measures an AlloyDB restore.
    per: {
      gcp: {
        base: spec({ objectives: { rtoHours: 48 }, backup: { restoreTesting: { schedule: '0 5 * * 0' } } }),
        change: spec({ objectives: { rtoHours: 2 } }),
      },
      alloydb: { base: spec({ objectives: { rpoHours: 48 } }), change: spec({ objectives: { rtoHours: 2 } }) },
    },
  },
  'spec.databases': { change: spec({ databases: ['one', 'two'] }) },
  'spec.users': {
    per: {
      aws: { change: spec({ users: [{ name: 'app', passwordSecret: 'secretsmanager:pw' }] }) },
      gcp: { change: spec({ users: [{ name: 'someone@example.com' }] }) },
    },
    change: {},
  },
  'spec.users.[].name': {
    per: {
      aws: {
        base: spec({ users: [{ name: 'app', passwordSecret: 'secretsmanager:pw' }] }),
        change: spec({ users: [{ name: 'api', passwordSecret: 'secretsmanager:pw' }] }),
      },
    },
    base: spec({ users: [{ name: 'a@example.com' }] }),
    change: spec({ users: [{ name: 'b@example.com' }] }),
  },
  // Refused on GCP (the password would be read into state); on AWS spec.users is a refused block.
  'spec.users.[].passwordSecret': {
    per: {
      aws: {
        base: spec({ users: [{ name: 'app', passwordSecret: 'secretsmanager:pw' }] }),
        change: spec({ users: [{ name: 'app', passwordSecret: 'secretsmanager:other' }] }),
      },
    },
    base: spec({ users: [{ name: 'app@example.com' }] }),
    change: spec({ users: [{ name: 'app@example.com', passwordSecret: 'gcp-secretmanager:pw' }] }),
  },
  'spec.table': { change: spec({ table: { partitionKey: { name: 'id', type: 'S' } } }) },
  'spec.table.partitionKey': {
    db: { aws: { engine: 'dynamodb', table: { partitionKey: { name: 'id', type: 'S' } } } },
    change: spec({ table: { partitionKey: { name: 'pk', type: 'N' } } }),
  },
  'spec.table.partitionKey.name': {
    db: { aws: { engine: 'dynamodb', table: { partitionKey: { name: 'id', type: 'S' } } } },
    change: spec({ table: { partitionKey: { name: 'pk' } } }),
  },
  'spec.table.partitionKey.type': {
    db: { aws: { engine: 'dynamodb', table: { partitionKey: { name: 'id', type: 'S' } } } },
    change: spec({ table: { partitionKey: { type: 'N' } } }),
  },
  'spec.table.sortKey': {
    db: { aws: { engine: 'dynamodb', table: { partitionKey: { name: 'id', type: 'S' } } } },
    change: spec({ table: { sortKey: { name: 'sk', type: 'S' } } }),
  },
  'spec.table.sortKey.name': {
    db: { aws: { engine: 'dynamodb', table: { partitionKey: { name: 'id', type: 'S' }, sortKey: { name: 'sk', type: 'S' } } } },
    change: spec({ table: { sortKey: { name: 'sk2' } } }),
  },
  'spec.table.sortKey.type': {
    db: { aws: { engine: 'dynamodb', table: { partitionKey: { name: 'id', type: 'S' }, sortKey: { name: 'sk', type: 'S' } } } },
    change: spec({ table: { sortKey: { type: 'N' } } }),
  },
  'spec.table.billingMode': {
    db: { aws: { engine: 'dynamodb', table: { partitionKey: { name: 'id', type: 'S' } } } },
    change: spec({ table: { billingMode: 'PROVISIONED' } }),
  },
  // A restore needs a source in the repo, which this one-database repo lacks: here it is refused
  // (unknown source); test/synth/restore.test.ts holds what each restore builds.
  'spec.restoreFrom': { change: spec({ restoreFrom: { database: 'source', pointInTime: 'latest' } }) },
  'spec.restoreFrom.database': { change: spec({ restoreFrom: { database: 'subject', pointInTime: 'latest' } }) },
  'spec.restoreFrom.pointInTime': { change: spec({ restoreFrom: { database: 'source', pointInTime: 'latest' } }) },
  'spec.restoreFrom.backup': { change: spec({ restoreFrom: { database: 'source', backup: 'latest' } }) },
  // An end date in the past is refused; before it, a warning (test/validate/restore.test.ts).
  'spec.expires': { change: spec({ expires: '2020-01-01' }) },
  'spec.backup': { change: backup({ retentionDays: 36 }) },
  // The named policy turns off failure alerts, which the inline fields do not set.
  'spec.backup.policy': { policyDoc: { alerts: { onFailure: false } }, change: backup({ policy: 'shared' }) },
  'spec.notify': { change: spec({ notify: ['ops'] }) },
  'spec.waivers': { change: spec({ waivers: [{ guardrail: 'offsite-copy-required', reason: 'data residency for this test', expires: '2026-12-31' }] }) },
  'spec.waivers.[].guardrail': {
    base: spec({ waivers: [{ guardrail: 'offsite-copy-required', reason: 'data residency for this test', expires: '2026-12-31' }] }),
    change: spec({ waivers: [{ guardrail: 'vault-lock-required' }] }),
  },
  'spec.waivers.[].reason': {
    base: spec({ waivers: [{ guardrail: 'offsite-copy-required', reason: 'data residency for this test', expires: '2026-12-31' }] }),
    change: spec({ waivers: [{ reason: 'another reason, long enough' }] }),
  },
  'spec.waivers.[].expires': {
    base: spec({ waivers: [{ guardrail: 'offsite-copy-required', reason: 'data residency for this test', expires: '2026-12-31' }] }),
    change: spec({ waivers: [{ expires: '2027-01-31' }] }),
  },
};

/** BackupPolicy fields, relative to the fields object (Database spec.backup, or BackupPolicy spec). */
const BACKUP_FIELDS: Record<string, Change> = {
  enabled: { change: { enabled: false } },
  schedule: { change: { schedule: '0 4 * * *' } },
  timezone: { change: { timezone: 'Europe/Brussels' } },
  startWindowMinutes: { change: { startWindowMinutes: 120 } },
  completionWindowMinutes: { change: { completionWindowMinutes: 600 } },
  retentionDays: { change: { retentionDays: 40 } },
  pointInTimeRecovery: { change: { pointInTimeRecovery: { enabled: true } } },
  'pointInTimeRecovery.enabled': { base: { pointInTimeRecovery: { enabled: false, retentionDays: 5 } }, change: { pointInTimeRecovery: { enabled: true } } },
  'pointInTimeRecovery.retentionDays': {
    base: { pointInTimeRecovery: { enabled: true, retentionDays: 7 } },
    change: { pointInTimeRecovery: { retentionDays: 3 } },
  },
  copies: {
    change: { copies: [{ region: 'eu-central-1', retentionDays: 35 }] },
    per: { gcp: { change: { copies: [{ region: 'europe-west4', retentionDays: 35 }] } } },
  },
  'copies.[].region': {
    base: { copies: [{ region: 'eu-central-1', retentionDays: 35 }] },
    change: { copies: [{ region: 'us-east-1', retentionDays: 35 }] },
    per: { gcp: { base: { copies: [{ region: 'europe-west4', retentionDays: 35 }] }, change: { copies: [{ region: 'us-central1', retentionDays: 35 }] } } },
  },
  'copies.[].account': {
    base: { copies: [{ region: 'eu-central-1', account: '999999999999', retentionDays: 35 }] },
    change: { copies: [{ region: 'eu-central-1', account: '888888888888', retentionDays: 35 }] },
    per: {
      gcp: {
        base: { copies: [{ region: 'europe-west4', retentionDays: 35 }] },
        change: { copies: [{ region: 'europe-west4', account: '888888888888', retentionDays: 35 }] },
      },
    },
  },
  'copies.[].retentionDays': {
    base: { copies: [{ region: 'eu-central-1', retentionDays: 35 }] },
    change: { copies: [{ region: 'eu-central-1', retentionDays: 90 }] },
    per: { gcp: { base: { copies: [{ region: 'europe-west4', retentionDays: 35 }] }, change: { copies: [{ region: 'europe-west4', retentionDays: 90 }] } } },
  },
  vaultLock: { change: { vaultLock: { mode: 'compliance', minRetentionDays: 35 } } },
  'vaultLock.mode': { base: { vaultLock: { mode: 'governance', minRetentionDays: 7 } }, change: { vaultLock: { mode: 'compliance' } } },
  'vaultLock.minRetentionDays': { base: { vaultLock: { mode: 'governance', minRetentionDays: 7 } }, change: { vaultLock: { minRetentionDays: 14 } } },
  'vaultLock.maxRetentionDays': { base: { vaultLock: { mode: 'governance', minRetentionDays: 7 } }, change: { vaultLock: { maxRetentionDays: 400 } } },
  'vaultLock.changeableForDays': { base: { vaultLock: { mode: 'compliance', minRetentionDays: 7 } }, change: { vaultLock: { changeableForDays: 10 } } },
  encryption: {
    change: { encryption: { kmsKey: 'alias/other' } },
    per: { gcp: { change: { encryption: { kmsKey: 'projects/acme-keys/locations/europe-west1/keyRings/backups/cryptoKeys/k' } } } },
  },
  'encryption.kmsKey': {
    change: { encryption: { kmsKey: 'alias/other' } },
    per: { gcp: { change: { encryption: { kmsKey: 'projects/acme-keys/locations/europe-west1/keyRings/backups/cryptoKeys/k' } } } },
  },
  exports: { change: { exports: [{ schedule: '0 5 * * *', retentionDays: 7 }] } },
  'exports.[].schedule': {
    base: { exports: [{ schedule: '0 5 * * *', retentionDays: 7 }] },
    change: { exports: [{ schedule: '0 6 * * *', retentionDays: 7 }] },
  },
  'exports.[].timezone': {
    base: { exports: [{ schedule: '0 5 * * *', retentionDays: 7 }] },
    change: { exports: [{ schedule: '0 5 * * *', retentionDays: 7, timezone: 'Asia/Tokyo' }] },
  },
  'exports.[].retentionDays': {
    base: { exports: [{ schedule: '0 5 * * *', retentionDays: 7 }] },
    change: { exports: [{ schedule: '0 5 * * *', retentionDays: 9 }] },
  },
  'exports.[].excludeDatabases': {
    db: { aws: { databases: ['app', 'scratch'] }, gcp: { databases: ['app', 'scratch'] } },
    base: { exports: [{ schedule: '0 5 * * *', retentionDays: 7 }] },
    change: { exports: [{ schedule: '0 5 * * *', retentionDays: 7, excludeDatabases: ['scratch'] }] },
  },
  alerts: { change: { alerts: { onFailure: false } } },
  'alerts.onFailure': { change: { alerts: { onFailure: false } } },
  'alerts.missingAfterHours': { change: { alerts: { missingAfterHours: 30 } } },
  restoreTesting: { change: { restoreTesting: { schedule: '0 5 * * 0' } } },
  'restoreTesting.schedule': { base: { restoreTesting: { schedule: '0 5 * * 0' } }, change: { restoreTesting: { schedule: '0 6 * * 0' } } },
  'restoreTesting.timezone': { base: { restoreTesting: { schedule: '0 5 * * 0' } }, change: { restoreTesting: { timezone: 'Asia/Tokyo' } } },
  'restoreTesting.validationWindowHours': { base: { restoreTesting: { schedule: '0 5 * * 0' } }, change: { restoreTesting: { validationWindowHours: 48 } } },
};

const CHANNEL: Record<string, Change> = {
  apiVersion: { change: { apiVersion: 'dbaas.dev/v2' } },
  kind: { change: { kind: 'Channel' } },
  metadata: { change: { metadata: { name: 'ops-2' } } },
  'metadata.name': { change: { metadata: { name: 'ops-2' } } },
  'metadata.labels': { change: { metadata: { labels: { owner: 'someone-else' } } } },
  spec: { change: { spec: { email: ['other@example.com'] } } },
  'spec.email': { change: { spec: { email: ['other@example.com'] } } },
  // A page channel gets only production backup alerts (its own topic on AWS, fewer policies on GCP).
  'spec.tier': { change: { spec: { tier: 'page' } } },
  // AWS posts to Slack through Chatbot ids; GCP notifies a Cloud Monitoring channel by id. Secret
  // references are refused on both clouds (a secret read by Terraform is kept in state).
  'spec.slack': {
    change: { spec: { slack: { workspaceId: 'T01OPSTEAM1', channelId: 'C01OPSALRT2' } } },
    per: { gcp: { change: { spec: { slack: { gcpChannel: 'projects/acme-data-prod/notificationChannels/11' } } } } },
  },
  'spec.slack.webhookSecret': {
    change: { spec: { slack: { workspaceId: 'T01OPSTEAM1', channelId: 'C01OPSALRT2', webhookSecret: 'secretsmanager:slack' } } },
    per: { gcp: { change: { spec: { slack: { gcpChannel: 'projects/acme-data-prod/notificationChannels/11', webhookSecret: 'gcp-secretmanager:slack' } } } } },
  },
  'spec.slack.workspaceId': {
    base: { spec: { slack: { workspaceId: 'T01OPSTEAM1', channelId: 'C01OPSALRT2' } } },
    change: { spec: { slack: { workspaceId: 'T01OPSTEAM9' } } },
    // On GCP the Chatbot ids alone are refused (Slack on GCP needs gcpChannel).
    per: { gcp: { base: { spec: {} }, change: { spec: { slack: { workspaceId: 'T01OPSTEAM9', channelId: 'C01OPSALRT2' } } } } },
  },
  'spec.slack.channelId': {
    base: { spec: { slack: { workspaceId: 'T01OPSTEAM1', channelId: 'C01OPSALRT2' } } },
    change: { spec: { slack: { channelId: 'C01OPSALRT9' } } },
    per: { gcp: { base: { spec: {} }, change: { spec: { slack: { workspaceId: 'T01OPSTEAM1', channelId: 'C01OPSALRT9' } } } } },
  },
  'spec.slack.gcpChannel': {
    base: { spec: { slack: { gcpChannel: 'projects/acme-data-prod/notificationChannels/11' } } },
    change: { spec: { slack: { gcpChannel: 'projects/acme-data-prod/notificationChannels/12' } } },
    // On AWS a Slack channel without Chatbot ids is refused: gcpChannel alone reaches no AWS alert.
    per: { aws: { base: { spec: {} }, change: { spec: { slack: { gcpChannel: 'projects/acme-data-prod/notificationChannels/12' } } } } },
  },
  'spec.webhook': { change: { spec: { webhook: { gcpChannel: 'projects/acme-data-prod/notificationChannels/21' } } } },
  'spec.webhook.urlSecret': {
    change: { spec: { webhook: { urlSecret: 'secretsmanager:hook' } } },
    per: { gcp: { change: { spec: { webhook: { gcpChannel: 'projects/acme-data-prod/notificationChannels/21', urlSecret: 'gcp-secretmanager:hook' } } } } },
  },
  'spec.webhook.gcpChannel': {
    base: { spec: { webhook: { gcpChannel: 'projects/acme-data-prod/notificationChannels/21' } } },
    change: { spec: { webhook: { gcpChannel: 'projects/acme-data-prod/notificationChannels/22' } } },
    // Webhooks are refused on AWS (the URL would be kept in state).
    per: { aws: { base: { spec: {} }, change: { spec: { webhook: { gcpChannel: 'projects/acme-data-prod/notificationChannels/22' } } } } },
  },
  'spec.pubsub': { change: { spec: { pubsub: { topic: 'projects/acme-data-prod/topics/alerts' } } } },
  'spec.pubsub.topic': {
    base: { spec: { pubsub: { topic: 'projects/acme-data-prod/topics/alerts' } } },
    change: { spec: { pubsub: { topic: 'projects/acme-data-prod/topics/other' } } },
  },
};

const POLICY_DOC: Record<string, Change> = {
  apiVersion: { change: { apiVersion: 'dbaas.dev/v2' } },
  kind: { change: { kind: 'Policy' } },
  metadata: { change: { metadata: { name: 'shared-2' } } },
  'metadata.name': { change: { metadata: { name: 'shared-2' } } },
  'metadata.labels': { change: { metadata: { labels: { owner: 'someone-else' } } } },
  spec: { change: { spec: { retentionDays: 40 } } },
};

/**
 * Fields with no effect today whose fix is being made in another branch this session (issue 12
 * item 2 and the GCP-ignored fields): the lead empties this list at merge, and the test then holds
 * them too. Key: `<cloud>:<schema>:<path>`. Every entry must still be without effect (the test fails
 * on a stale entry, so the list cannot hide a field that was fixed or one that never needed it).
 */
/**
 * Properties known to have no effect yet. Empty: every property changes a stack, the guardrails, or
 * is refused. The test flags an entry here that has gained an effect, so the list cannot go stale.
 */
const PENDING_IN_OTHER_BRANCHES: readonly string[] = [];

/** Identity fields of the shape the tool reads (no effect on a stack by design): none yet. */

/**
 * Blocks a cloud refuses whenever they are set (src/validate/unsupported.ts, unsupported-gcp.ts).
 * A property inside one cannot be set on that cloud without the refusal, so its case's base (which
 * sets the block) is refused: that counts as refused only when the block is listed here, the repo
 * without the block is accepted, and the refusal is an unsupported-field one. An entry whose cases'
 * base is accepted is stale and fails the test. Key: `<cloud>:<schema>:<block path>`.
 */
const REFUSED_BLOCKS: readonly string[] = [
  'aws:database:spec.backup.exports',
  'aws:backup-policy:spec.exports',
  'aws:database:spec.users',
  'aws:notification-channel:spec.pubsub',
  // AlloyDB keeps its backups in the cluster's region, unlocked, and the export and drill workflows
  // call the Cloud SQL Admin API (src/profiles/engines/alloydb.ts).
  ...['spec.backup.copies', 'spec.backup.exports', 'spec.backup.restoreTesting', 'spec.backup.vaultLock'].flatMap((path) => [
    `alloydb:database:${path}`,
    `alloydb:backup-policy:${path.replace('backup.', '')}`,
  ]),
];
const refusedBlockOf = (id: string) => REFUSED_BLOCKS.find((b) => id === b || id.startsWith(`${b}.`));

// ---------------------------------------------------------------------------------------------
// Running a change.

function merge(target: Obj, patch: Obj): Obj {
  const out: Obj = { ...target };
  for (const [k, v] of Object.entries(patch)) {
    if (Array.isArray(v) && Array.isArray(out[k]))
      out[k] = (v as unknown[]).map((item, i) =>
        item && typeof item === 'object' && (out[k] as unknown[])[i] && typeof (out[k] as unknown[])[i] === 'object'
          ? merge((out[k] as Obj[])[i]!, item as Obj)
          : item,
      );
    else if (v && typeof v === 'object' && !Array.isArray(v) && out[k] && typeof out[k] === 'object' && !Array.isArray(out[k]))
      out[k] = merge(out[k] as Obj, v as Obj);
    else out[k] = v;
  }
  return out;
}

/** Drops cdktf metadata and notes ("//"): they build nothing. */
function built(json: string): string {
  return JSON.stringify(JSON.parse(json), (k, v) => (k === '//' ? undefined : v));
}

interface Outcome {
  readonly refused: string[];
  readonly stack?: string;
  readonly findings?: string;
}

let registry: GuardrailRegistry;
const outcomes = new Map<string, Outcome>();

/** Validate (load, schema, resolve, feasibility), guard with the baseline pack, and synth the database. */
function run(docs: { database: Obj; policy: Obj; channel: Obj }): Outcome {
  const key = JSON.stringify(docs);
  const known = outcomes.get(key);
  if (known) return known;
  const config = baseConfig();
  // A second size, so a size change is judged by what it builds rather than refused as unknown.
  const clouds = config.clouds as Record<Cloud, { sizes: Record<string, Obj> }>;
  clouds.aws.sizes.postgres = { small: 'db.t4g.medium', large: 'db.r6g.2xlarge' };
  clouds.gcp.sizes.postgres = { small: 'db-custom-1-3840', large: 'db-custom-8-30720' };
  clouds.gcp.sizes.alloydb = { small: '2', large: '8' };
  const resolved = resolveFiles(repoFiles(config, [docs.database, docs.policy, docs.channel]));
  let outcome: Outcome;
  if (!resolved.ok) outcome = { refused: resolved.problems.filter((p) => p.severity === 'error').map((p) => `${p.code} ${p.message}`) };
  else {
    const entry = resolved.repo.entries[0]!;
    const stack = synthStack(entry.db, { config: resolved.repo.config, toolVersion: 'meta' });
    const findings = guard(resolved.repo.entries, registry, { today: '2026-11-21' }).findings;
    outcome = {
      refused: [],
      stack: built(stack.json),
      findings: JSON.stringify(findings.map((f) => [f.guardrail, f.severity, f.field, f.message, f.waived ?? null])),
    };
  }
  outcomes.set(key, outcome);
  return outcome;
}

type Where = 'inline' | 'policy' | 'channel';
function docsFor(
  target: Target,
  where: Where,
  change: Change | undefined,
  side: 'base' | 'change',
  docKind: Doc,
): { database: Obj; policy: Obj; channel: Obj } {
  const per = change?.per?.[target] ?? change?.per?.[cloudOf(target)];
  const patches = [
    change?.base && (per?.base ?? change.base),
    per?.base && !change?.base ? per.base : undefined,
    side === 'change' ? (per?.change ?? change?.change) : undefined,
  ].filter(Boolean) as Obj[];
  const uniquePatches = [...new Set(patches)];
  let database: Obj = {
    apiVersion: 'dbaas.dev/v1',
    kind: 'Database',
    metadata: { name: 'subject', team: 'team-a', labels: { 'cost-center': 'cc-1' } },
    spec: merge(BASE_DB[target], {
      ...(change?.db?.[target] ?? change?.db?.[cloudOf(target)] ?? {}),
      backup: where === 'policy' ? { policy: 'shared' } : BASE_BACKUP,
      notify: where === 'channel' ? ['ops'] : [],
    }),
  };
  // The same retention as inline: GCP keeps copies exactly retentionDays, so the copy cases' 35 fits both.
  let policy: Obj = {
    apiVersion: 'dbaas.dev/v1',
    kind: 'BackupPolicy',
    metadata: { name: 'shared' },
    spec: merge({ ...BASE_BACKUP }, change?.policyDoc ?? {}),
  };
  let channel: Obj = { apiVersion: 'dbaas.dev/v1', kind: 'NotificationChannel', metadata: { name: 'ops' }, spec: { email: ['ops@example.com'] } };
  for (const p of uniquePatches) {
    if (docKind === 'database') database = merge(database, where === 'inline' ? p : p);
    else if (docKind === 'backup-policy') policy = merge(policy, p);
    else channel = merge(channel, p);
  }
  return { database, policy, channel };
}

interface Case {
  readonly id: string;
  readonly target: Target;
  readonly doc: Doc;
  readonly path: string;
  readonly change: Change | undefined;
  readonly where: Where;
}

function cases(): Case[] {
  const out: Case[] = [];
  for (const target of TARGETS) {
    for (const path of schemaPaths('database.schema.json')) {
      const backupField = path.startsWith('spec.backup.') && path !== 'spec.backup.policy' ? path.slice('spec.backup.'.length) : undefined;
      const change = backupField ? wrapBackup(BACKUP_FIELDS[backupField]) : DATABASE[path];
      out.push({ id: `${target}:database:${path}`, target, doc: 'database', path, change, where: 'inline' });
    }
    for (const path of schemaPaths('backup-policy.schema.json')) {
      const field = path.startsWith('spec.') ? path.slice('spec.'.length) : undefined;
      const change = field ? wrapSpec(BACKUP_FIELDS[field]) : POLICY_DOC[path];
      out.push({ id: `${target}:backup-policy:${path}`, target, doc: 'backup-policy', path, change, where: 'policy' });
    }
    for (const path of schemaPaths('notification-channel.schema.json')) {
      out.push({ id: `${target}:notification-channel:${path}`, target, doc: 'notification-channel', path, change: CHANNEL[path], where: 'channel' });
    }
  }
  return out;
}

const wrapPatch = (f: (o: Obj) => Obj, c: Change | undefined): Change | undefined =>
  c && {
    ...(c.db ? { db: c.db } : {}),
    ...(c.base ? { base: f(c.base) } : {}),
    change: f(c.change),
    ...(c.per
      ? {
          per: Object.fromEntries(
            Object.entries(c.per).map(([k, v]) => [k, { ...(v.base ? { base: f(v.base) } : {}), ...(v.change ? { change: f(v.change) } : {}) }]),
          ),
        }
      : {}),
  };
const wrapBackup = (c: Change | undefined) => wrapPatch((o) => ({ spec: { backup: o } }), c);
const wrapSpec = (c: Change | undefined) => wrapPatch((o) => ({ spec: o }), c);

function effect(c: Case): { ok: boolean; how: string; block?: string } {
  const base = run(docsFor(c.target, c.where, c.change, 'base', c.doc));
  const block = refusedBlockOf(c.id);
  if (block && base.refused.length) {
    const pristine = run(docsFor(c.target, c.where, undefined, 'base', c.doc));
    if (pristine.refused.length) return { ok: false, how: `the repo without ${block} is refused: ${pristine.refused.join('; ')}` };
    if (!base.refused.every((r) => r.startsWith('DBAAS_UNSUPPORTED')))
      return { ok: false, how: `the base repo is refused for another reason than ${block}: ${base.refused.join('; ')}` };
    return { ok: true, how: `refused at validate whenever ${block} is set on ${c.target}: ${base.refused[0]}`, block };
  }
  if (base.refused.length) return { ok: false, how: `the base repo itself is refused: ${base.refused.join('; ')}` };
  const changed = run(docsFor(c.target, c.where, c.change, 'change', c.doc));
  if (changed.refused.length) return { ok: true, how: `refused at validate: ${changed.refused[0]}` };
  if (changed.stack !== base.stack) return { ok: true, how: 'changes the stack' };
  if (changed.findings !== base.findings) return { ok: true, how: 'changes the guardrail findings' };
  return { ok: false, how: 'no effect: same stack, same findings, not refused' };
}

describe('every spec field has an effect or is refused', () => {
  beforeAll(async () => {
    await loadBuilder('aws');
    await loadBuilder('gcp');
    registry = loadRegistry({ root: REPO_ROOT });
    expect(registry.problems).toEqual([]);
  }, 120_000);

  it('walks every property of the three spec schemas (recursively, through $refs and array items)', () => {
    const paths = schemaPaths('database.schema.json');
    for (const p of ['spec.backup.copies.[].region', 'spec.table.sortKey.type', 'spec.waivers.[].expires', 'spec.backup.restoreTesting.validationWindowHours'])
      expect(paths).toContain(p);
    expect(schemaPaths('notification-channel.schema.json')).toContain('spec.pubsub.topic');
    expect(schemaPaths('backup-policy.schema.json')).toContain('spec.vaultLock.changeableForDays');
  });

  it('has a change for every property', () => {
    const missing = cases()
      .filter((c) => !c.change)
      .map((c) => c.id);
    expect(missing).toEqual([]);
  });

  it('each property changes the stack, the guardrail result, or is refused, on each cloud and construct', () => {
    const pending = new Set(PENDING_IN_OTHER_BRANCHES);
    const failures: string[] = [];
    const stale: string[] = [];
    const blocksUsed = new Set<string>();
    for (const c of cases()) {
      if (!c.change) continue;
      const result = effect(c);
      if (result.block) blocksUsed.add(result.block);
      if (pending.has(c.id)) {
        if (result.ok) stale.push(`${c.id}: ${result.how} (remove it from PENDING_IN_OTHER_BRANCHES)`);
        continue;
      }
      if (!result.ok) failures.push(`${c.id}: ${result.how}`);
      if (process.env.META_DEBUG) console.log(`${c.id}: ${result.how}`);
    }
    for (const b of REFUSED_BLOCKS) if (!blocksUsed.has(b)) stale.push(`${b}: no property under it needed the block refused (remove it from REFUSED_BLOCKS)`);
    expect(failures).toEqual([]);
    expect(stale).toEqual([]);
  }, 300_000);
});
