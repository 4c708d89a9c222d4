// Fields a cloud or engine cannot honour, in one table. A field the stack would silently drop must
// not pass validate: the plan would show a protection nothing builds. Each rule finds where the
// field is set (the database, its BackupPolicy, a channel or the config) and says what to do instead.
// Exit code 2 (invalid input), like every validate problem.
import { problem, type Problem } from '../errors.js';
import type { FieldPath, SourceDocument } from '../load/yaml.js';
import type { BackupPolicy, BackupPolicyFields, Database, DbaasConfig, NotificationChannel } from '../spec/generated.js';
import { requiredMissingHours } from '../synth/aws/alarm-window.js';
import type { Spec } from './index.js';
import { defaultBackupPolicy } from './default-backup.js';
import { fieldName } from './schema-errors.js';
import { ERR } from '../error-codes.js';

/** One database as the rules see it: its spec, where each effective backup field comes from, its channels. */
export interface DatabaseView {
  readonly db: Spec<Database>;
  readonly cloud: Database['spec']['cloud'];
  readonly engine: Database['spec']['engine'];
  /** A backup field from the inline spec.backup, else from the named (or default) BackupPolicy. */
  backupField<K extends keyof BackupPolicyFields>(key: K): { value: NonNullable<BackupPolicyFields[K]>; doc: SourceDocument; path: FieldPath } | undefined;
  /** The channels it notifies, with where each name is written (its notify list or the config's defaults). */
  readonly channels: readonly {
    name: string;
    spec: NotificationChannel['spec'];
    doc: SourceDocument;
    path: FieldPath;
    channelDoc: SourceDocument;
    notifiedFrom: ReadonlySet<Database['spec']['cloud']>;
  }[];
  readonly config?: Spec<DbaasConfig>;
}

/** Where a rule found a field that cannot be honoured. */
export interface Hit {
  readonly doc: SourceDocument;
  readonly path: FieldPath;
  readonly value?: unknown;
  /** Point at the key rather than its value (a mapping's value starts on the next line). */
  readonly key?: boolean;
  /** What is wrong and what to do instead, one line. */
  readonly message: string;
}

export interface UnsupportedRule {
  readonly cloud: 'aws' | 'gcp';
  /** The field, as a reader finds it in the docs. */
  readonly field: string;
  readonly check: (view: DatabaseView) => Hit[];
}

const used = (view: DatabaseView) => `database ${view.db.name} (${view.cloud})`;

/** The table. GCP rules sit next to AWS ones; add a row, not a new hook. */
export const UNSUPPORTED: readonly UnsupportedRule[] = [
  {
    cloud: 'aws',
    field: 'backup.exports',
    check: (view) => {
      const exports = view.backupField('exports');
      if (!exports || exports.value.length === 0) return [];
      return [
        {
          ...exports,
          value: undefined,
          message:
            `${used(view)} cannot honour backup.exports: AWS stacks build no logical exports (AWS Backup keeps ` +
            `snapshots only); expected no exports for AWS databases — remove them inline, or give this database ` +
            `a BackupPolicy without exports`,
        },
      ];
    },
  },
  {
    cloud: 'aws',
    field: 'spec.users',
    check: (view) => {
      const users = view.db.value.spec.users;
      if (!users || users.length === 0) return [];
      return [
        {
          doc: view.db.doc,
          path: ['spec', 'users'],
          message:
            `${used(view)} cannot honour spec.users: AWS stacks create only the master user (password managed by ` +
            `RDS in Secrets Manager) with IAM authentication on; expected no users — remove spec.users and ` +
            `create users in the database (GRANT rds_iam / AWSAuthenticationPlugin)`,
        },
      ];
    },
  },
  {
    cloud: 'aws',
    field: 'NotificationChannel spec.pubsub',
    check: (view) =>
      view.channels
        .filter((c) => c.spec.pubsub)
        .map((c) => ({
          doc: c.doc,
          path: c.path,
          value: c.name,
          message:
            `${used(view)} cannot deliver to channel ${c.name}: its pubsub target is a GCP topic AWS alerts ` +
            `cannot reach; expected channels with email or slack (workspaceId, channelId) for AWS databases — ` +
            `notify another channel`,
        })),
  },
  {
    cloud: 'aws',
    field: 'NotificationChannel spec.slack (webhook only)',
    check: (view) =>
      view.channels
        .filter((c) => c.spec.slack && (c.spec.slack.workspaceId === undefined || c.spec.slack.channelId === undefined))
        .map((c) => ({
          doc: c.doc,
          path: c.path,
          value: c.name,
          message:
            `${used(view)} cannot post to Slack through channel ${c.name}: AWS delivers Slack alerts through AWS ` +
            `Chatbot, and an SNS https subscription to a Slack webhook never confirms; expected ` +
            `slack.workspaceId and slack.channelId on channel ${c.name}`,
        })),
  },
  // Slack fields only the other cloud reads: set on a channel no database of that cloud notifies,
  // nothing reads them (AWS posts through Chatbot, GCP to a Cloud Monitoring channel by id).
  slackFieldOfOtherCloud('aws', 'gcpChannel', 'GCP', 'AWS posts Slack alerts through AWS Chatbot with workspaceId and channelId'),
  slackFieldOfOtherCloud('gcp', 'workspaceId', 'AWS', 'GCP posts Slack alerts to the Cloud Monitoring channel named by gcpChannel'),
  slackFieldOfOtherCloud('gcp', 'channelId', 'AWS', 'GCP posts Slack alerts to the Cloud Monitoring channel named by gcpChannel'),
  {
    cloud: 'gcp',
    field: 'NotificationChannel spec.slack (no gcpChannel)',
    check: (view) =>
      view.channels
        .filter((c) => c.spec.slack && c.spec.slack.gcpChannel === undefined)
        .map((c) => ({
          doc: c.doc,
          path: c.path,
          value: c.name,
          message:
            `${used(view)} cannot post to Slack through channel ${c.name}: Cloud Monitoring's Slack channel ` +
            `holds a Slack token, which a stack would keep in Terraform state; expected slack.gcpChannel on ` +
            `channel ${c.name}: the id (projects/<project>/notificationChannels/<id>) of a Slack channel created ` +
            `once in Cloud Monitoring`,
        })),
  },
  {
    cloud: 'gcp',
    field: 'NotificationChannel spec.webhook (no gcpChannel)',
    check: (view) =>
      view.channels
        .filter((c) => c.spec.webhook && c.spec.webhook.gcpChannel === undefined)
        .map((c) => ({
          doc: c.doc,
          path: c.path,
          value: c.name,
          message:
            `${used(view)} cannot call the webhook of channel ${c.name}: its URL is a secret, which a stack ` +
            `would keep in Terraform state (labels.url); expected webhook.gcpChannel on channel ${c.name}: the ` +
            `id (projects/<project>/notificationChannels/<id>) of a webhook channel created once in Cloud ` +
            `Monitoring`,
        })),
  },
  {
    cloud: 'aws',
    field: 'NotificationChannel spec.webhook',
    check: (view) =>
      view.channels
        .filter((c) => c.spec.webhook)
        .map((c) => ({
          doc: c.doc,
          path: c.path,
          value: c.name,
          message:
            `${used(view)} cannot call the webhook of channel ${c.name}: an SNS https subscription keeps its URL ` +
            `(a secret) in Terraform state as a plain endpoint; expected email or slack (workspaceId, channelId ` +
            `through AWS Chatbot) for AWS databases — notify another channel`,
        })),
  },
  ...(['aws', 'gcp'] as const).map((cloud): UnsupportedRule => ({
    cloud,
    field: 'NotificationChannel spec.slack.webhookSecret, spec.webhook.urlSecret',
    check: (view) =>
      view.channels.flatMap((c) =>
        (
          [
            ['slack.webhookSecret', c.spec.slack?.webhookSecret],
            ['webhook.urlSecret', c.spec.webhook?.urlSecret],
          ] as const
        )
          .filter(([, ref]) => ref !== undefined)
          .map(([field, ref]) => ({
            doc: c.channelDoc,
            path: ['spec', ...field.split('.')],
            value: ref,
            message:
              `channel ${c.name} sets ${field}, a secret reference no stack reads: whatever Terraform reads is ` +
              `kept in state, which the pull-request plan job can read; expected ${field.split('.')[0]}.gcpChannel ` +
              `for GCP databases (a Cloud Monitoring channel created once outside dbaas, which holds the ` +
              'secret)' +
              (field === 'slack.webhookSecret'
                ? ' and slack.workspaceId and slack.channelId (AWS Chatbot) for AWS databases'
                : ', and email or Slack for AWS databases') +
              `; remove ${field}`,
          })),
      ),
  })),
  {
    cloud: 'aws',
    field: 'backup.alerts.missingAfterHours',
    check: (view) => {
      const alerts = view.backupField('alerts');
      const stated = alerts?.value.missingAfterHours;
      const schedule = view.backupField('schedule');
      if (!alerts || stated === undefined || !schedule || view.backupField('enabled')?.value === false) return [];
      const timezone = view.backupField('timezone')?.value ?? 'UTC';
      const needed = requiredMissingHours(schedule.value, timezone);
      if (needed === undefined || stated >= needed) return [];
      return [
        {
          doc: alerts.doc,
          path: [...alerts.path, 'missingAfterHours'],
          value: stated,
          message:
            `${used(view)}: got ${stated}, but runs of ${JSON.stringify(schedule.value)} (${timezone}) can be ` +
            `${needed - 1} h apart, so the missing-backup alarm would page between two healthy runs; expected at ` +
            `least ${needed} (the longest gap plus one hour for the alarm's hourly periods)`,
        },
      ];
    },
  },
  {
    cloud: 'aws',
    field: 'dbaas.config.yaml clouds.aws.accounts.<env>.deployRoleArn',
    check: (view) => {
      const lock = view.backupField('vaultLock');
      const config = view.config;
      if (!lock || !config) return [];
      const env = view.db.value.spec.environment;
      const account = config.value.clouds.aws?.accounts[env];
      if (!account || account.deployRoleArn !== undefined) return [];
      return [
        {
          doc: config.doc,
          path: ['clouds', 'aws', 'accounts', env],
          key: true,
          message:
            `${used(view)} locks its vault (${lock.doc.file}), whose access policy denies changing or deleting ` +
            `the policy and the lock to everyone but the deploy role; expected deployRoleArn (the role CI ` +
            `applies with, arn:aws:iam::<account>:role/<name>) in the ${env} account`,
        },
      ];
    },
  },
];

function slackFieldOfOtherCloud(cloud: 'aws' | 'gcp', key: 'gcpChannel' | 'workspaceId' | 'channelId', reader: 'AWS' | 'GCP', how: string): UnsupportedRule {
  const other = cloud === 'aws' ? 'gcp' : 'aws';
  return {
    cloud,
    field: `NotificationChannel spec.slack.${key} (read by ${reader} databases only)`,
    check: (view) =>
      view.channels
        .filter((c) => c.spec.slack?.[key] !== undefined && !c.notifiedFrom.has(other))
        .map((c) => ({
          doc: c.channelDoc,
          path: ['spec', 'slack', key],
          value: c.spec.slack![key],
          message:
            `channel ${c.name} sets slack.${key}, which only ${reader} databases read, and no ${reader} database ` +
            `notifies it: ${how}; expected no slack.${key} on channel ${c.name} while only ` +
            `${cloud.toUpperCase()} databases use it`,
        })),
  };
}

export interface UnsupportedInput {
  readonly config?: Spec<DbaasConfig>;
  readonly databases: readonly Spec<Database>[];
  readonly policies: ReadonlyMap<string, Spec<BackupPolicy>>;
  readonly channels: ReadonlyMap<string, Spec<NotificationChannel>>;
}

type Clouds = ReadonlySet<Database['spec']['cloud']>;
const NONE: Clouds = new Set();

/** Channel name → the clouds of the databases that notify it. */
function cloudsNotifying(input: UnsupportedInput): ReadonlyMap<string, Clouds> {
  const index = new Map<string, Set<Database['spec']['cloud']>>();
  for (const d of input.databases) {
    for (const name of d.value.spec.notify ?? input.config?.value.defaults?.notify ?? []) {
      let clouds = index.get(name);
      if (!clouds) index.set(name, (clouds = new Set()));
      clouds.add(d.value.spec.cloud);
    }
  }
  return index;
}

function viewOf(db: Spec<Database>, input: UnsupportedInput, notifying: ReadonlyMap<string, Clouds>): DatabaseView {
  const { spec } = db.value;
  const { config } = input;
  const policyName =
    spec.backup?.policy ??
    (spec.backup?.schedule === undefined ? defaultBackupPolicy(config?.value, db.value.metadata.team, spec.environment)?.name : undefined);
  const policy = policyName === undefined ? undefined : input.policies.get(policyName);
  const inline = (spec.backup ?? {}) as Record<string, unknown>;
  const fromPolicy = (policy?.value.spec ?? {}) as Record<string, unknown>;
  const notifyPath: FieldPath = spec.notify ? ['spec', 'notify'] : ['defaults', 'notify'];
  const notifyDoc = spec.notify ? db.doc : config?.doc;
  const names = spec.notify ?? config?.value.defaults?.notify ?? [];
  const notifiedFrom = (name: string) => notifying.get(name) ?? NONE;
  return {
    db,
    cloud: spec.cloud,
    engine: spec.engine,
    config,
    // Shallow, like resolve: an inline field replaces the policy's whole field.
    backupField(key) {
      if (inline[key] !== undefined) return { value: inline[key] as never, doc: db.doc, path: ['spec', 'backup', key] };
      if (policy && fromPolicy[key] !== undefined) return { value: fromPolicy[key] as never, doc: policy.doc, path: ['spec', key] };
      return undefined;
    },
    channels: notifyDoc
      ? names.flatMap((name, i) => {
          const channel = input.channels.get(name);
          return channel
            ? [{ name, spec: channel.value.spec, doc: notifyDoc, path: [...notifyPath, i], channelDoc: channel.doc, notifiedFrom: notifiedFrom(name) }]
            : [];
        })
      : [],
  };
}

/** Every field of every database its cloud cannot honour, one problem each, each place named once. */
export function checkUnsupported(input: UnsupportedInput): Problem[] {
  const out: Problem[] = [];
  const seen = new Set<string>();
  // Indexed once: asked per database and channel, a scan of every database was quadratic.
  const notifying = cloudsNotifying(input);
  for (const db of input.databases) {
    const view = viewOf(db, input, notifying);
    for (const rule of UNSUPPORTED) {
      if (rule.cloud !== view.cloud) continue;
      for (const hit of rule.check(view)) {
        const location = hit.doc.locate(hit.path, hit.key ? { key: true } : undefined);
        const key = `${location.file}:${location.line}:${location.column}:${hit.message}`;
        if (seen.has(key)) continue;
        seen.add(key);
        out.push(
          problem({
            code: ERR.UNSUPPORTED_FIELD,
            message: hit.message,
            location,
            field: fieldName(hit.path),
            ...(hit.value !== undefined ? { value: hit.value } : {}),
            expected: `a field ${view.cloud} can honour (${rule.field})`,
          }),
        );
      }
    }
  }
  return out;
}
