// Monitoring and alerts, always generated: an encrypted SNS topic with one subscription per channel
// target, EventBridge rules for failed backup, copy and restore jobs, a "backup missing" alarm and
// health alarms for the database. aws_backup_vault_notifications is not used: it no longer sends
// BACKUP_JOB_FAILED.
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import { DataAwsSecretsmanagerSecretVersion } from '@cdktf/provider-aws/lib/data-aws-secretsmanager-secret-version/index.js';
import { DataAwsSsmParameter } from '@cdktf/provider-aws/lib/data-aws-ssm-parameter/index.js';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy/index.js';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription/index.js';
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import type { ResolvedChannel } from '../../model/resolved.js';
import { SynthError } from '../errors.js';
import { compactJson } from '../json.js';
import { fitName, underscored } from '../naming.js';
import { addNote } from '../notes.js';
import type { AwsTarget } from './context.js';
import type { DatabaseResource } from './database.js';

/** Job events that alert, and the states that count as failure (DESIGN.md, "Facts worth knowing"). */
export const JOB_EVENTS = [
  { id: 'backup', detailType: 'Backup Job State Change' },
  { id: 'copy', detailType: 'Copy Job State Change' },
  { id: 'restore', detailType: 'Restore Job State Change' },
] as const;
export const FAILED_STATES = ['FAILED', 'ABORTED', 'EXPIRED'] as const;

export type JobEventId = (typeof JOB_EVENTS)[number]['id'];

/**
 * The EventBridge pattern for one job type's failures, scoped to this database's vaults where the
 * event says which vault (AWS Backup's example events, devguide "Monitoring AWS Backup events using
 * Amazon EventBridge"): backup jobs carry `backupVaultName`, copy jobs `sourceBackupVaultArn`; without
 * the scope every stack in the account and region alerted on every failure there. Failed restore
 * events name no vault, so restore failures stay account-and-region wide. Restore events report
 * `status` where the others report `state` (some examples use `state`): the restore pattern takes either.
 */
export function jobFailurePattern(event: JobEventId, vaults: readonly { readonly name: string; readonly arn: string }[]): string {
  const failed = [...FAILED_STATES];
  const detailType = JOB_EVENTS.find((e) => e.id === event)!.detailType;
  const detail =
    event === 'backup'
      ? { state: failed, backupVaultName: vaults.map((v) => v.name) }
      : event === 'copy'
        ? { state: failed, sourceBackupVaultArn: vaults.map((v) => v.arn) }
        : { $or: [{ status: failed }, { state: failed }] };
  return compactJson({ source: ['aws.backup'], 'detail-type': [detailType], detail });
}

/** CloudWatch: period × evaluation_periods may not exceed 7 days. */
export const MAX_ALARM_WINDOW_SECONDS = 7 * 24 * 3600;

/**
 * The "no backup completed for N hours" window as hourly periods that must all be empty. AWS/Backup
 * metrics are only reported when non-zero, so missing data is treated as breaching. Windows longer
 * than CloudWatch allows are cut to 7 days.
 */
export function missingBackupWindow(hours: number): { period: number; evaluationPeriods: number; capped: boolean } {
  const wanted = Math.max(1, Math.ceil(hours));
  const maxPeriods = MAX_ALARM_WINDOW_SECONDS / 3600;
  return { period: 3600, evaluationPeriods: Math.min(wanted, maxPeriods), capped: wanted > maxPeriods };
}

/** Memory of an RDS instance class in GiB (db.r6g.large → 16), when the family is a known one. */
export function classMemoryGiB(instanceClass: string): number | undefined {
  const match = /^db\.([a-z])[a-z0-9-]*\.(micro|small|medium|large|xlarge|(\d+)xlarge)$/.exec(instanceClass);
  if (!match) return undefined;
  const [, family, size, times] = match;
  const burstable: Record<string, number> = { micro: 1, small: 2, medium: 4, large: 8, xlarge: 16 };
  if (family === 't') return size === undefined ? undefined : (burstable[size] ?? (times ? 16 * Number(times) : undefined));
  const perLarge: Record<string, number> = { m: 8, r: 16, x: 32, z: 16 };
  const base = family === undefined ? undefined : perLarge[family];
  if (base === undefined) return undefined;
  if (size === 'large') return base;
  if (size === 'xlarge') return base * 2;
  return times ? base * 2 * Number(times) : undefined;
}

/** RDS's default max_connections for the class (postgres: memory/9531392 up to 5000; mysql: memory/12582880). */
export function estimatedMaxConnections(engine: string, instanceClass: string): number | undefined {
  const gib = classMemoryGiB(instanceClass);
  if (gib === undefined) return undefined;
  const bytes = gib * 1024 ** 3;
  return engine.includes('postgres') ? Math.min(Math.floor(bytes / 9531392), 5000) : Math.floor(bytes / 12582880);
}

export interface MonitoringProps {
  readonly target: AwsTarget;
  /** Key for the topic; its policy must let EventBridge and CloudWatch use it. */
  readonly topicKeyArn: string;
  readonly database: DatabaseResource;
  /** Vault whose completed jobs the missing-backup alarm counts. */
  readonly vaultName: string;
  /** Vaults whose backup and copy job failures alert (the database's own region). */
  readonly jobVaults: readonly { readonly name: string; readonly arn: string }[];
  /** Scheduled backups run (no missing-backup alarm without them). Default: true. */
  readonly scheduled?: boolean;
}

export class Monitoring extends Construct {
  readonly topicArn: string;
  private readonly target: AwsTarget;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { target } = props;
    const { db } = target;
    this.target = target;

    const topic = new SnsTopic(this, 'topic', {
      name: fitName('dbaas-', db.name, '-alerts', 256),
      displayName: `dbaas ${db.name}`,
      kmsMasterKeyId: props.topicKeyArn,
    });
    topic.overrideLogicalId('alerts');
    this.topicArn = topic.arn;
    for (const channel of db.channels) this.subscribe(channel);
    if (db.channels.length === 0) addNote(this, 'no notification channel: alerts reach the SNS topic and nobody else');

    const ruleArns: string[] = [];
    if (db.backup.alerts.onFailure) {
      for (const event of JOB_EVENTS) {
        const rule = new CloudwatchEventRule(this, `rule-${event.id}`, {
          name: fitName('dbaas-', db.name, `-${event.id}-job-failed`, 64),
          description: `${event.detailType}: FAILED, ABORTED or EXPIRED (dbaas ${db.name})`,
          eventPattern: jobFailurePattern(event.id, props.jobVaults),
        });
        rule.overrideLogicalId(`${event.id}_job_failed`);
        ruleArns.push(rule.arn);
        const eventTarget = new CloudwatchEventTarget(this, `target-${event.id}`, { rule: rule.name, arn: topic.arn, targetId: 'alerts' });
        eventTarget.overrideLogicalId(`${event.id}_job_failed_to_alerts`);
      }
    }
    this.topicPolicy(topic, ruleArns);

    if (props.scheduled ?? true) {
      const window = missingBackupWindow(db.backup.alerts.missingAfterHours);
      if (window.capped) {
        addNote(this, `backup-missing alarm watches ${window.evaluationPeriods} hours, not ${db.backup.alerts.missingAfterHours}: CloudWatch evaluates at most 7 days`);
      }
      this.alarm('backup_missing', {
        alarmName: fitName('dbaas-', db.name, '-backup-missing', 255),
        alarmDescription: `No AWS Backup job completed for ${db.name} in ${window.evaluationPeriods} hours`,
        namespace: 'AWS/Backup',
        metricName: 'NumberOfBackupJobsCompleted',
        dimensions: { BackupVaultName: props.vaultName },
        statistic: 'Sum',
        period: window.period,
        evaluationPeriods: window.evaluationPeriods,
        datapointsToAlarm: window.evaluationPeriods,
        comparisonOperator: 'LessThanThreshold',
        threshold: 1,
        treatMissingData: 'breaching',
      });
    }
    this.healthAlarms(props.database);
  }

  /** Lets the account manage the topic, and only this stack's rules and CloudWatch publish to it. */
  private topicPolicy(topic: SnsTopic, ruleArns: readonly string[]): void {
    const { target } = this;
    const { accountId } = target.account;
    const policy = new SnsTopicPolicy(this, 'topic-policy', {
      arn: topic.arn,
      policy: compactJson({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'AccountManagesTopic',
            Effect: 'Allow',
            Principal: { AWS: `arn:${target.partition}:iam::${accountId}:root` },
            Action: ['sns:GetTopicAttributes', 'sns:ListSubscriptionsByTopic', 'sns:Publish', 'sns:SetTopicAttributes', 'sns:Subscribe'],
            Resource: topic.arn,
          },
          ...(ruleArns.length > 0
            ? [
                {
                  Sid: 'EventBridgePublishes',
                  Effect: 'Allow',
                  Principal: { Service: 'events.amazonaws.com' },
                  Action: 'sns:Publish',
                  Resource: topic.arn,
                  Condition: { ArnEquals: { 'aws:SourceArn': [...ruleArns] } },
                },
              ]
            : []),
          // No source condition here: if CloudWatch omitted the key, alarms would go silent.
          { Sid: 'CloudWatchPublishes', Effect: 'Allow', Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish', Resource: topic.arn },
        ],
      }),
    });
    policy.overrideLogicalId('alerts_policy');
  }

  private subscribe(channel: ResolvedChannel): void {
    const id = underscored(channel.name);
    const topicArn = this.topicArn;
    (channel.email ?? []).forEach((address, i) => {
      const sub = new SnsTopicSubscription(this, `email-${channel.name}-${i}`, { topicArn, protocol: 'email', endpoint: address });
      sub.overrideLogicalId(`alerts_email_${id}_${i}`);
    });
    const hooks: [string, string | undefined][] = [
      ['slack', channel.slack?.webhookSecret],
      ['webhook', channel.webhook?.urlSecret],
    ];
    for (const [kind, ref] of hooks) {
      if (ref === undefined) continue;
      const sub = new SnsTopicSubscription(this, `${kind}-${channel.name}`, {
        topicArn,
        protocol: 'https',
        endpoint: Fn.sensitive(this.secretValue(ref, `${kind}_${id}`, ['channels', channel.name, kind])) as string,
      });
      sub.overrideLogicalId(`alerts_${kind}_${id}`);
    }
    if (channel.slack) {
      addNote(this, `channel ${channel.name}: Slack gets raw SNS JSON over HTTPS; an AWS Chatbot or a relay formats it`);
    }
    if (channel.pubsub) addNote(this, `channel ${channel.name}: pubsub is a GCP target; AWS alerts do not reach it`);
  }

  /** The URL behind a secret reference, read at plan/apply time; never a literal in the JSON. */
  private secretValue(ref: string, logicalId: string, path: readonly (string | number)[]): string {
    const [store = '', ...rest] = ref.split(':');
    const name = rest.join(':');
    if (this.target.offline) return `https://offline-check.invalid/${logicalId}`;
    if (store === 'secretsmanager') {
      const data = new DataAwsSecretsmanagerSecretVersion(this, `secret-${logicalId}`, { secretId: name });
      data.overrideLogicalId(`${logicalId}_url`);
      return data.secretString;
    }
    if (store === 'ssm') {
      const data = new DataAwsSsmParameter(this, `secret-${logicalId}`, { name, withDecryption: true });
      data.overrideLogicalId(`${logicalId}_url`);
      return data.value;
    }
    throw new SynthError('DBAAS_SYNTH_SECRET_STORE', path, `secret reference ${JSON.stringify(ref)} cannot be read by an AWS stack`, ref, 'secretsmanager:<name> or ssm:<parameter>');
  }

  private alarm(logicalId: string, config: Omit<CloudwatchMetricAlarmConfig, 'alarmActions' | 'okActions'>): void {
    const alarm = new CloudwatchMetricAlarm(this, logicalId, { ...config, alarmActions: [this.topicArn], okActions: [this.topicArn] });
    alarm.overrideLogicalId(logicalId);
  }

  private healthAlarms(database: DatabaseResource): void {
    const { db } = this.target;
    const name = (suffix: string) => fitName('dbaas-', db.name, suffix, 255);
    const fiveMinutes = { period: 300, evaluationPeriods: 3, datapointsToAlarm: 3, treatMissingData: 'missing' };
    if (database.kind === 'dynamodb') {
      // ThrottledRequests needs an Operation dimension; read + write throttle events cover the table.
      const metric = (metricName: string) => ({
        metricName,
        namespace: 'AWS/DynamoDB',
        dimensions: { TableName: database.identifier },
        period: 300,
        stat: 'Sum',
      });
      this.alarm('throttled_requests', {
        alarmName: name('-throttled'),
        alarmDescription: `DynamoDB table ${db.name} throttled reads or writes`,
        comparisonOperator: 'GreaterThanThreshold',
        threshold: 0,
        evaluationPeriods: 1,
        treatMissingData: 'notBreaching',
        metricQuery: [
          { id: 'throttles', expression: 'reads + writes', label: 'Throttle events', returnData: true },
          { id: 'reads', metric: metric('ReadThrottleEvents') },
          { id: 'writes', metric: metric('WriteThrottleEvents') },
        ],
      });
      return;
    }
    const dimensions: Record<string, string> = database.kind === 'aurora' ? { DBClusterIdentifier: database.identifier } : { DBInstanceIdentifier: database.identifier };
    const rds = { namespace: 'AWS/RDS', dimensions, statistic: 'Average', ...fiveMinutes };
    this.alarm('cpu_high', {
      ...rds,
      alarmName: name('-cpu-high'),
      alarmDescription: `${db.name}: CPU above 80% for 15 minutes`,
      metricName: 'CPUUtilization',
      comparisonOperator: 'GreaterThanThreshold',
      threshold: 80,
    });
    const maxConnections = estimatedMaxConnections(db.engine, db.instanceClass);
    const connections = maxConnections === undefined ? 500 : Math.floor(maxConnections * 0.8);
    this.alarm('connections_high', {
      ...rds,
      alarmName: name('-connections-high'),
      alarmDescription: `${db.name}: more than ${connections} connections (80% of the class default max_connections)`,
      metricName: 'DatabaseConnections',
      comparisonOperator: 'GreaterThanThreshold',
      threshold: connections,
    });
    if (database.kind === 'rds') {
      const tenPercent = Math.floor(db.storageGb * 1024 ** 3 * 0.1);
      this.alarm('storage_low', {
        ...rds,
        alarmName: name('-storage-low'),
        alarmDescription: `${db.name}: less than 10% of ${db.storageGb} GB storage free`,
        metricName: 'FreeStorageSpace',
        comparisonOperator: 'LessThanThreshold',
        threshold: tenPercent,
      });
      return;
    }
    // Aurora storage grows by itself; memory is what runs out on a cluster.
    const gib = classMemoryGiB(db.instanceClass);
    if (gib !== undefined) {
      this.alarm('memory_low', {
        ...rds,
        alarmName: name('-memory-low'),
        alarmDescription: `${db.name}: less than 10% of ${gib} GiB memory free`,
        metricName: 'FreeableMemory',
        comparisonOperator: 'LessThanThreshold',
        threshold: Math.floor(gib * 1024 ** 3 * 0.1),
      });
    }
  }
}
