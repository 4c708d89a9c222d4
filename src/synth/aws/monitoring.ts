// Monitoring and alerts, always generated: an encrypted SNS topic per channel tier (notify always;
// page and record when a channel has that tier) with one subscription per channel target (Slack
// through AWS Chatbot), EventBridge rules for failed backup, copy and restore jobs, a "backup missing"
// alarm and health alarms for the database, and a CloudWatch Logs log group recording every alert.
// Every alert carries its runbook (runbook.ts). aws_backup_vault_notifications is not used: it no
// longer sends BACKUP_JOB_FAILED.
import type { AwsEngineFacts } from '../../profiles/index.js';
import { ChatbotSlackChannelConfiguration } from '@cdktf/provider-aws/lib/chatbot-slack-channel-configuration/index.js';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from '@cdktf/provider-aws/lib/cloudwatch-metric-alarm/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy/index.js';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription/index.js';
import { Construct } from 'constructs';
import type { ResolvedChannel } from '../../model/resolved.js';
import { SynthError } from '../errors.js';
import { compactJson } from '../json.js';
import { fitName, underscored } from '../naming.js';
import { addNote } from '../notes.js';
import { alertTiers, type Tier, tierOf } from '../tiers.js';
import { MAX_ALARM_HOURS, requiredMissingHours } from './alarm-window.js';
import type { AwsTarget } from './context.js';
import type { DatabaseResource } from './database.js';
import type { AwsProviders } from './providers.js';
import { type AwsRunbookTarget, backupMissingDescription, healthDescription, jobFailureMessage } from './runbook.js';
import { ERR } from '../../error-codes.js';

/** Job events that alert, and the states that count as failure (DESIGN.md, "Facts worth knowing"). */
export const JOB_EVENTS = [
  { id: 'backup', detailType: 'Backup Job State Change' },
  { id: 'copy', detailType: 'Copy Job State Change' },
  { id: 'restore', detailType: 'Restore Job State Change' },
] as const;
export const FAILED_STATES = ['FAILED', 'ABORTED', 'EXPIRED'] as const;

export type JobEventId = (typeof JOB_EVENTS)[number]['id'];

/** The SNS topic of each tier: notify keeps the historical logical id `alerts`. */
export const TOPIC_IDS: Record<Tier, string> = { notify: 'alerts', page: 'alerts_page', record: 'alerts_record' };

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
export const MAX_ALARM_WINDOW_SECONDS = MAX_ALARM_HOURS * 3600;

export interface MissingBackupWindow {
  /** Hourly periods watched; 0 when no honest alarm fits CloudWatch's 7 days. */
  readonly hours: number;
  /** Longer than asked: the schedule's longest gap (plus an hourly period) needs more. */
  readonly raised: boolean;
  /** Shorter than asked: CloudWatch evaluates at most 7 days. */
  readonly capped: boolean;
}

/**
 * How long the missing-backup alarm watches for a created backup job. At least the schedule's
 * longest gap plus one hourly period (requiredMissingHours), so two healthy runs never page; validate
 * refuses a stated missingAfterHours below that, and a defaulted one is raised to it. At most 7 days:
 * a longer ask is cut (it then pages sooner than asked, never later), and a schedule whose gaps
 * exceed 7 days gets no alarm (hours 0) rather than one that pages between healthy runs.
 */
export function missingBackupWindow(asked: number, required: number | undefined): MissingBackupWindow {
  const wanted = Math.max(1, Math.ceil(asked), required ?? 0);
  if (required !== undefined && required > MAX_ALARM_HOURS) return { hours: 0, raised: false, capped: true };
  return { hours: Math.min(wanted, MAX_ALARM_HOURS), raised: wanted > asked, capped: wanted > MAX_ALARM_HOURS };
}

/** Chatbot configuration names: letters, digits, hyphens and underscores, at most 128. */
export function chatbotConfigurationName(db: string, channel: string): string {
  return fitName('dbaas-', `${db}-${channel}`, '', 128).replace(/[^A-Za-z0-9_-]/g, '_');
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
export function estimatedMaxConnections(formula: AwsEngineFacts['maxConnections'], instanceClass: string): number | undefined {
  const gib = classMemoryGiB(instanceClass);
  if (gib === undefined) return undefined;
  const bytes = gib * 1024 ** 3;
  return formula === 'postgres' ? Math.min(Math.floor(bytes / 9531392), 5000) : Math.floor(bytes / 12582880);
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
  /** The AWS Backup role, named in the runbooks' re-run commands. */
  readonly backupRoleArn: string;
  /** Scheduled backups run (no missing-backup alarm without them). Default: true. */
  readonly scheduled?: boolean;
  /** For the Chatbot configuration's region. */
  readonly providers: AwsProviders;
  /** Other EventBridge rules that publish to the topic (e.g. the slow-restore rule of objectives.ts). */
  readonly extraEventRuleArns?: readonly string[];
}

export class Monitoring extends Construct {
  /** The notify topic (every alert reaches it). */
  readonly topicArn: string;
  private readonly target: AwsTarget;
  private readonly providers: AwsProviders;
  /** This database's runbook facts (vault, role, resource), for alerts built outside this construct. */
  readonly runbook: AwsRunbookTarget;
  /** The topic of each tier that has a channel (notify always). */
  private readonly topics = new Map<Tier, SnsTopic>();
  private readonly alarmArns: string[] = [];
  private chatbotRoleArn?: string;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { target } = props;
    const { db } = target;
    this.target = target;
    this.providers = props.providers;
    this.runbook = {
      database: db.name,
      environment: db.environment,
      region: db.region,
      partition: target.partition,
      vaultName: props.vaultName,
      roleArn: props.backupRoleArn,
      resourceArn: props.database.arn,
      construct: props.database.facts.construct,
      restoreType: props.database.facts.restoreType,
      identifier: props.database.identifier,
    };

    // One topic per tier rather than one topic with filter policies: CloudWatch alarm notifications
    // carry no message attributes, so an SNS filter policy could not tell a paging alarm from another.
    for (const tier of ['notify', 'page', 'record'] as const) {
      if (tier !== 'notify' && !db.channels.some((c) => tierOf(c) === tier)) continue;
      const topic = new SnsTopic(this, tier === 'notify' ? 'topic' : `topic-${tier}`, {
        name: fitName('dbaas-', db.name, tier === 'notify' ? '-alerts' : `-alerts-${tier}`, 256),
        displayName: `dbaas ${db.name}${tier === 'notify' ? '' : ` (${tier})`}`,
        kmsMasterKeyId: props.topicKeyArn,
      });
      topic.overrideLogicalId(TOPIC_IDS[tier]);
      this.topics.set(tier, topic);
    }
    this.topicArn = this.topics.get('notify')!.arn;
    for (const channel of db.channels) this.subscribe(channel);
    if (db.channels.length === 0) addNote(this, 'no notification channel: alerts reach the SNS topic and the alert log, and nobody else');
    if (!target.production && db.channels.some((c) => tierOf(c) === 'page')) {
      addNote(this, `${db.environment} alerts never page: page channels of ${db.name} get no alert (only production backup failures page)`);
    }
    const record = this.recordLog();

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
        // A readable runbook to people (every topic of the alert's tiers), the raw event to the record log.
        const inputTransformer = jobFailureMessage(event.id, this.runbook);
        for (const topic of this.topicsFor(alertTiers(target.production, event.id === 'backup'))) {
          const tierId = TOPIC_IDS[topic.tier];
          const eventTarget = new CloudwatchEventTarget(this, `target-${event.id}${topic.tier === 'notify' ? '' : `-${topic.tier}`}`, {
            rule: rule.name,
            arn: topic.arn,
            targetId: tierId,
            inputTransformer,
          });
          eventTarget.overrideLogicalId(`${event.id}_job_failed_to_${tierId}`);
        }
        const logTarget = new CloudwatchEventTarget(this, `target-${event.id}-log`, { rule: rule.name, arn: record.arn, targetId: 'alert_log' });
        logTarget.overrideLogicalId(`${event.id}_job_failed_to_alert_log`);
      }
    }
    // The restore-time rule (objectives.ts) targets the notify topic: a slow restore notifies, it does not page.
    for (const [tier, topic] of this.topics) this.topicPolicy(topic, tier, tier === 'notify' ? [...ruleArns, ...(props.extraEventRuleArns ?? [])] : ruleArns);

    if (props.scheduled ?? true) this.missingBackupAlarm(props.vaultName);
    this.healthAlarms(props.database);
    this.recordAlarms(record);
  }

  /** The topics (that exist) of the given tiers, each with its tier. */
  private topicsFor(tiers: readonly Tier[]): { tier: Tier; arn: string }[] {
    return tiers.flatMap((tier) => {
      const topic = this.topics.get(tier);
      return topic ? [{ tier, arn: topic.arn }] : [];
    });
  }

  /**
   * The record every alert reaches whatever the channels: a log group that EventBridge writes the
   * failed-job events and this database's alarm state changes to. EventBridge writes to CloudWatch
   * Logs under a CloudWatch Logs resource policy, not an IAM role (EventBridge user guide, "Using
   * resource-based policies for Amazon EventBridge", CloudWatch Logs permissions). An account and
   * region allow only 10 such policies (CloudWatch Logs quotas), so one per database stack would stop
   * the eleventh database at apply: the account baseline stack (src/synth/baseline/aws.ts) builds the
   * one policy for every /aws/events/dbaas/* log group. Log group names under /aws/events/ are the
   * ones the EventBridge console uses for its log targets.
   */
  private recordLog(): CloudwatchLogGroup {
    const { db } = this.target;
    const group = new CloudwatchLogGroup(this, 'alert-log', {
      name: fitName('/aws/events/dbaas/', db.name, '-alerts', 512),
      retentionInDays: 400,
    });
    group.overrideLogicalId('alert_log');
    addNote(
      this,
      `every alert of ${db.name} is recorded in log group /aws/events/dbaas/${db.name}-alerts (400 days); ` +
        `EventBridge may write there under the account's one resource policy dbaas-alert-logs, which the ` +
        `account baseline stack builds (baseline: in dbaas.config.yaml), or which the infra team creates once`,
    );
    return group;
  }

  /** Alarm state changes of this database's alarms, recorded in the alert log. */
  private recordAlarms(group: CloudwatchLogGroup): void {
    const { db } = this.target;
    const rule = new CloudwatchEventRule(this, 'rule-alarms', {
      name: fitName('dbaas-', db.name, '-alarm-changes', 64),
      description: `CloudWatch alarm state changes of dbaas ${db.name}, for the alert log`,
      eventPattern: compactJson({ source: ['aws.cloudwatch'], 'detail-type': ['CloudWatch Alarm State Change'], resources: [...this.alarmArns] }),
    });
    rule.overrideLogicalId('alarm_changes');
    const target = new CloudwatchEventTarget(this, 'target-alarms-log', { rule: rule.name, arn: group.arn, targetId: 'alert_log' });
    target.overrideLogicalId('alarm_changes_to_alert_log');
  }

  /**
   * "No backup job created for N hours". It counts jobs *created*, which AWS Backup does at each
   * scheduled time, so healthy runs are exactly the schedule's gaps apart; completion times drift by
   * up to the start and completion windows, and a job that never completes is reported by the failure
   * rules above (FAILED, ABORTED, EXPIRED). AWS/Backup job metrics have no datapoint for a period
   * without jobs (they are not published as zeros), so a silent schedule shows up as missing data: with treat_missing_data = "missing", "if
   * all data points in the alarm evaluation range are missing, the alarm transitions to
   * INSUFFICIENT_DATA" (CloudWatch user guide, "Configuring how CloudWatch alarms treat missing
   * data"), and that transition pages (insufficient_data_actions). A new alarm starts in
   * INSUFFICIENT_DATA and actions run only on a state change, so a new database does not page before
   * its first job exists; from then on a run that does not happen pages N hours after the last one.
   * Were zeros published after all, the LessThanThreshold 1 over all N hourly periods would page the
   * same way, N hours after creation or the last run, which is after the first run is due.
   */
  private missingBackupAlarm(vaultName: string): void {
    const { db } = this.target;
    const asked = db.backup.alerts.missingAfterHours;
    const window = missingBackupWindow(asked, requiredMissingHours(db.backup.schedule, db.backup.timezone));
    if (window.hours === 0) {
      addNote(
        this,
        `no backup-missing alarm: runs of ${JSON.stringify(db.backup.schedule)} are more than 7 days apart, ` +
          `longer than CloudWatch can watch; failure alerts remain`,
      );
      return;
    }
    if (window.capped) addNote(this, `backup-missing alarm watches ${window.hours} hours, not ${asked}: CloudWatch evaluates at most 7 days`);
    if (window.raised)
      addNote(
        this,
        `backup-missing alarm watches ${window.hours} hours, not ${asked}: runs of ` +
          `${JSON.stringify(db.backup.schedule)} can be ${window.hours - 1} hours apart`,
      );
    if (!db.backup.alerts.onFailure) {
      addNote(
        this,
        'alerts.onFailure is false: a backup job that is created but fails alerts nobody; the backup-missing alarm only sees that jobs are created',
      );
    }
    this.alarm(
      'backup_missing',
      {
        alarmName: fitName('dbaas-', db.name, '-backup-missing', 255),
        alarmDescription: backupMissingDescription(this.runbook, window.hours),
        namespace: 'AWS/Backup',
        metricName: 'NumberOfBackupJobsCreated',
        dimensions: { BackupVaultName: vaultName },
        statistic: 'Sum',
        period: 3600,
        evaluationPeriods: window.hours,
        datapointsToAlarm: window.hours,
        comparisonOperator: 'LessThanThreshold',
        threshold: 1,
        treatMissingData: 'missing',
      },
      true,
    );
  }

  /** Lets the account manage the topic, and only this stack's rules and CloudWatch publish to it. */
  private topicPolicy(topic: SnsTopic, tier: Tier, ruleArns: readonly string[]): void {
    const { target } = this;
    const { accountId } = target.account;
    const policy = new SnsTopicPolicy(this, tier === 'notify' ? 'topic-policy' : `topic-policy-${tier}`, {
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
    policy.overrideLogicalId(`${TOPIC_IDS[tier]}_policy`);
  }

  /** A channel subscribes to the topic of its tier (logical ids keep the historical `alerts_` prefix for notify). */
  private subscribe(channel: ResolvedChannel): void {
    const id = underscored(channel.name);
    const topicArn = this.topics.get(tierOf(channel))!.arn;
    const prefix = TOPIC_IDS[tierOf(channel)];
    (channel.email ?? []).forEach((address, i) => {
      const sub = new SnsTopicSubscription(this, `email-${channel.name}-${i}`, { topicArn, protocol: 'email', endpoint: address });
      sub.overrideLogicalId(`${prefix}_email_${id}_${i}`);
    });
    // validate refuses webhooks on AWS databases (src/validate/unsupported.ts): an SNS https endpoint
    // is a plain attribute, so the URL (a secret) would be kept in Terraform state.
    if (channel.webhook)
      throw new SynthError(
        ERR.SYNTH_CHANNEL,
        ['channels', channel.name, 'webhook'],
        `channel ${channel.name} delivers to a webhook, whose URL an AWS stack would keep in Terraform state`,
        undefined,
        'a channel with email or slack (workspaceId, channelId)',
      );
    if (channel.slack) this.chatbot(channel, id, topicArn, prefix);
    // validate refuses a Pub/Sub channel on an AWS database (src/validate/unsupported.ts).
    if (channel.pubsub)
      throw new SynthError(
        ERR.SYNTH_CHANNEL,
        ['channels', channel.name, 'pubsub'],
        `channel ${channel.name} delivers to Pub/Sub, which AWS alerts cannot reach`,
        channel.pubsub.topic,
        'a channel with email or slack',
      );
  }

  /**
   * Slack through AWS Chatbot: it subscribes to the topic itself and formats CloudWatch alarms and
   * EventBridge events, with no confirmation step (an SNS https subscription to a Slack webhook never
   * confirms). Prerequisites the stack cannot do: authorise the Slack workspace once in the Chatbot
   * console and invite the app to the channel. The role only lets Chatbot act for the channel; the
   * guardrail caps what channel members may do through it at reading CloudWatch.
   */
  private chatbot(channel: ResolvedChannel, id: string, topicArn: string, prefix: string): void {
    const { target } = this;
    const { db } = target;
    const slack = channel.slack!;
    if (slack.workspaceId === undefined || slack.channelId === undefined) {
      // validate refuses this for AWS databases (src/validate/unsupported.ts).
      throw new SynthError(
        ERR.SYNTH_CHANNEL,
        ['channels', channel.name, 'slack'],
        `channel ${channel.name} has no slack.workspaceId and slack.channelId for AWS Chatbot`,
        undefined,
        'slack.workspaceId and slack.channelId',
      );
    }
    if (target.partition !== 'aws') {
      addNote(this, `channel ${channel.name}: AWS Chatbot is not available in ${target.partition}; Slack gets no alerts`);
      return;
    }
    if (this.chatbotRoleArn === undefined) {
      const role = new IamRole(this, 'chatbot-role', {
        name: fitName('dbaas-chatbot-', db.name, '', 64),
        description: `AWS Chatbot role for ${db.name} alerts`,
        assumeRolePolicy: compactJson({
          Version: '2012-10-17',
          Statement: [{ Effect: 'Allow', Principal: { Service: 'chatbot.amazonaws.com' }, Action: 'sts:AssumeRole' }],
        }),
      });
      role.overrideLogicalId('chatbot_role');
      this.chatbotRoleArn = role.arn;
    }
    const config = new ChatbotSlackChannelConfiguration(this, `slack-${channel.name}`, {
      configurationName: chatbotConfigurationName(db.name, channel.name),
      iamRoleArn: this.chatbotRoleArn,
      slackTeamId: slack.workspaceId,
      slackChannelId: slack.channelId,
      snsTopicArns: [topicArn],
      guardrailPolicyArns: [`arn:${target.partition}:iam::aws:policy/CloudWatchReadOnlyAccess`],
      userAuthorizationRequired: true,
      loggingLevel: 'ERROR',
      provider: this.providers.chatbot(),
    });
    config.overrideLogicalId(`${prefix}_slack_${id}`);
    addNote(
      this,
      `channel ${channel.name}: Slack alerts go through AWS Chatbot; workspace ${slack.workspaceId} must ` +
        `be authorised once in the AWS Chatbot console and the app invited to channel ${slack.channelId}`,
    );
  }

  /** An alarm whose actions go to the topics of its tiers (backupAlert: pages in production). */
  private alarm(logicalId: string, config: Omit<CloudwatchMetricAlarmConfig, 'alarmActions' | 'okActions'>, backupAlert = false): void {
    const actions = this.topicsFor(alertTiers(this.target.production, backupAlert)).map((t) => t.arn);
    const alarm = new CloudwatchMetricAlarm(this, logicalId, {
      ...config,
      alarmActions: actions,
      okActions: actions,
      // Only the missing-backup alarm pages on INSUFFICIENT_DATA (see missingBackupAlarm).
      ...(backupAlert ? { insufficientDataActions: actions } : {}),
    });
    alarm.overrideLogicalId(logicalId);
    this.alarmArns.push(alarm.arn);
  }

  private healthAlarms(database: DatabaseResource): void {
    const { db } = this.target;
    const name = (suffix: string) => fitName('dbaas-', db.name, suffix, 255);
    const fiveMinutes = { period: 300, evaluationPeriods: 3, datapointsToAlarm: 3, treatMissingData: 'missing' };
    const { facts } = database;
    if (facts.construct === 'dynamodb-table') {
      // ThrottledRequests needs an Operation dimension; read + write throttle events cover the table.
      const metric = (metricName: string) => ({
        metricName,
        namespace: 'AWS/DynamoDB',
        dimensions: { [facts.metricDimension]: database.identifier },
        period: 300,
        stat: 'Sum',
      });
      this.alarm('throttled_requests', {
        alarmName: name('-throttled'),
        alarmDescription: healthDescription(this.runbook, `DynamoDB table ${database.identifier} throttled reads or writes`, name('-throttled')),
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
    const dimensions: Record<string, string> = { [facts.metricDimension]: database.identifier };
    const rds = { namespace: 'AWS/RDS', dimensions, statistic: 'Average', ...fiveMinutes };
    this.alarm('cpu_high', {
      ...rds,
      alarmName: name('-cpu-high'),
      alarmDescription: healthDescription(this.runbook, 'CPU above 80% for 15 minutes', name('-cpu-high')),
      metricName: 'CPUUtilization',
      comparisonOperator: 'GreaterThanThreshold',
      threshold: 80,
    });
    const maxConnections = estimatedMaxConnections(facts.maxConnections, db.instanceClass);
    const connections = maxConnections === undefined ? 500 : Math.floor(maxConnections * 0.8);
    this.alarm('connections_high', {
      ...rds,
      alarmName: name('-connections-high'),
      alarmDescription: healthDescription(
        this.runbook,
        `more than ${connections} connections (80% of the class default max_connections)`,
        name('-connections-high'),
      ),
      metricName: 'DatabaseConnections',
      comparisonOperator: 'GreaterThanThreshold',
      threshold: connections,
    });
    // Aurora storage grows by itself: only an instance's allocated storage runs out.
    if (facts.construct === 'rds-instance') {
      const tenPercent = Math.floor(db.storageGb * 1024 ** 3 * 0.1);
      this.alarm('storage_low', {
        ...rds,
        alarmName: name('-storage-low'),
        alarmDescription: healthDescription(this.runbook, `less than 10% of ${db.storageGb} GB storage free`, name('-storage-low')),
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
        alarmDescription: healthDescription(this.runbook, `less than 10% of ${gib} GiB memory free`, name('-memory-low')),
        metricName: 'FreeableMemory',
        comparisonOperator: 'LessThanThreshold',
        threshold: Math.floor(gib * 1024 ** 3 * 0.1),
      });
    }
  }
}
