// Monitoring, always generated: a notification channel per destination (secrets read from Secret
// Manager at plan time, never written here), and alert policies for failed automated backups,
// failed export runs and scheduler starts, exports that stop running, and instance health.
import { MonitoringAlertPolicy, type MonitoringAlertPolicyConditions } from '@cdktf/provider-google/lib/monitoring-alert-policy/index.js';
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel/index.js';
import { Construct } from 'constructs';
import type { ResolvedChannel, ResolvedDatabase } from '../../model/resolved.js';
import { addNote } from '../notes.js';
import type { ExportJob } from './exports.js';
import type { GcpLabels } from './labels.js';
import { parseGcpSecretRef, readSecret } from './secrets.js';

// ---- filters: pure, deterministic strings (tested one by one) ----

const quote = (value: string) => JSON.stringify(value);

/** Cloud SQL writes each automated backup's outcome to the system-event audit log. */
export function automatedBackupFailedFilter(project: string, instanceName: string): string {
  return [
    `logName=${quote(`projects/${project}/logs/cloudaudit.googleapis.com%2Fsystem_event`)}`,
    'resource.type="cloudsql_database"',
    `resource.labels.database_id=${quote(`${project}:${instanceName}`)}`,
    'protoPayload.methodName="cloudsql.instances.automatedBackup"',
    'severity>=ERROR',
  ].join('\n');
}

/** Cloud Scheduler logs every attempt; a failed start is an AttemptFinished entry at ERROR. */
export function schedulerFailedFilter(jobName: string, region: string): string {
  return [
    'resource.type="cloud_scheduler_job"',
    `resource.labels.job_id=${quote(jobName)}`,
    `resource.labels.location=${quote(region)}`,
    'jsonPayload.@type="type.googleapis.com/google.cloud.scheduler.logging.AttemptFinished"',
    'severity>=ERROR',
  ].join('\n');
}

/** Finished executions of one workflow with a given status (metric filter). */
export function workflowExecutionsFilter(workflowName: string, region: string, status: 'FAILED' | 'SUCCEEDED'): string {
  return [
    'resource.type = "workflows.googleapis.com/Workflow"',
    `resource.labels.workflow_id = ${quote(workflowName)}`,
    `resource.labels.location = ${quote(region)}`,
    'metric.type = "workflows.googleapis.com/finished_execution_count"',
    `metric.labels.status = ${quote(status)}`,
  ].join(' AND ');
}

/** One Cloud SQL metric of this instance (metric filter). */
export function cloudSqlMetricFilter(databaseId: string, metric: string): string {
  return [
    'resource.type = "cloudsql_database"',
    `resource.labels.database_id = ${quote(databaseId)}`,
    `metric.type = ${quote(`cloudsql.googleapis.com/${metric}`)}`,
  ].join(' AND ');
}

/** Cloud Monitoring refuses metric-absence durations over 23h30m. */
export const MAX_ABSENCE_MINUTES = 23 * 60 + 30;

/**
 * "No successful run within `hours`": a metric-absence condition when the window fits the absence
 * limit, else an MQL sliding-window sum that treats missing data as failing.
 */
export function exportsMissingCondition(job: Pick<ExportJob, 'workflowName' | 'region' | 'missingAfterHours'>): MonitoringAlertPolicyConditions {
  const displayName = `No successful run of ${job.workflowName} in ${job.missingAfterHours}h`;
  if (job.missingAfterHours * 60 <= MAX_ABSENCE_MINUTES) {
    return {
      displayName,
      conditionAbsent: {
        filter: workflowExecutionsFilter(job.workflowName, job.region, 'SUCCEEDED'),
        duration: `${job.missingAfterHours * 3600}s`,
        aggregations: [{ alignmentPeriod: '3600s', perSeriesAligner: 'ALIGN_SUM' }],
      },
    };
  }
  return {
    displayName,
    conditionMonitoringQueryLanguage: {
      query: exportsMissingQuery(job.workflowName, job.region, job.missingAfterHours),
      duration: '0s',
      evaluationMissingData: 'EVALUATION_MISSING_DATA_ACTIVE',
    },
  };
}

export function exportsMissingQuery(workflowName: string, region: string, hours: number): string {
  const literal = (v: string) => `'${v.replace(/'/g, "\\'")}'`;
  return [
    'fetch workflows.googleapis.com/Workflow',
    "| metric 'workflows.googleapis.com/finished_execution_count'",
    `| filter resource.workflow_id == ${literal(workflowName)} && resource.location == ${literal(region)} && metric.status == 'SUCCEEDED'`,
    `| group_by ${hours}h, [successes: sum(value.finished_execution_count)]`,
    '| every 30m',
    "| condition successes < 1 '1'",
  ].join('\n');
}

// ---- notification channels ----

export interface NotificationChannelsProps {
  readonly channels: readonly ResolvedChannel[];
  readonly project: string;
  readonly labels: GcpLabels;
}

/**
 * One Cloud Monitoring channel per destination: each e-mail address, Slack (the token comes from
 * the referenced secret into sensitive_labels.auth_token; channel_name is "#<channel name>"), a
 * webhook (URL from the referenced secret) and Pub/Sub (the topic).
 */
export class NotificationChannels extends Construct {
  /** Channel ids, in spec order. */
  readonly ids: readonly string[];

  constructor(scope: Construct, id: string, props: NotificationChannelsProps) {
    super(scope, id);
    const { project } = props;
    const ids: string[] = [];
    const add = (cid: string, config: { type: string; displayName: string; labels?: Record<string, string>; authToken?: string }) => {
      const channel = new MonitoringNotificationChannel(this, cid, {
        project,
        type: config.type,
        displayName: config.displayName,
        ...(config.labels ? { labels: config.labels } : {}),
        ...(config.authToken ? { sensitiveLabels: { authToken: config.authToken } } : {}),
        userLabels: { ...props.labels },
      });
      ids.push(channel.id);
    };
    for (const channel of props.channels) {
      (channel.email ?? []).forEach((address, i) => {
        add(`${channel.name}-email-${i + 1}`, { type: 'email', displayName: `${channel.name}: ${address}`, labels: { email_address: address } });
      });
      const slackRef = channel.slack?.webhookSecret ? parseGcpSecretRef(channel.slack.webhookSecret) : undefined;
      if (slackRef) {
        const token = readSecret(this, `${channel.name}-slack-token`, slackRef, project);
        addNote(this, `Slack channel ${channel.name} posts to #${channel.name}; the secret must hold a Slack OAuth token of the Cloud Monitoring app`);
        add(`${channel.name}-slack`, { type: 'slack', displayName: `${channel.name}: Slack`, labels: { channel_name: `#${channel.name}` }, authToken: token.secretData });
      }
      const webhookRef = channel.webhook ? parseGcpSecretRef(channel.webhook.urlSecret) : undefined;
      if (webhookRef) {
        const url = readSecret(this, `${channel.name}-webhook-url`, webhookRef, project);
        add(`${channel.name}-webhook`, { type: 'webhook_tokenauth', displayName: `${channel.name}: webhook`, labels: { url: url.secretData } });
      }
      if (channel.pubsub) {
        addNote(this, `Pub/Sub topic ${channel.pubsub.topic} must let service-<number of ${project}>@gcp-sa-monitoring-notification.iam.gserviceaccount.com publish (roles/pubsub.publisher)`);
        add(`${channel.name}-pubsub`, { type: 'pubsub', displayName: `${channel.name}: Pub/Sub`, labels: { topic: channel.pubsub.topic } });
      }
    }
    this.ids = ids;
  }
}

// ---- alert policies ----

export interface DatabaseAlertsProps {
  readonly db: ResolvedDatabase;
  readonly project: string;
  readonly instanceName: string;
  /** `project:instance`. */
  readonly databaseId: string;
  readonly exports: readonly ExportJob[];
  readonly channelIds: readonly string[];
  readonly labels: GcpLabels;
  /** CPU utilization (0–1) that alerts. Default: 0.9. */
  readonly cpuThreshold?: number;
  /** Disk utilization (0–1) that alerts. Default: 0.85. */
  readonly diskThreshold?: number;
  /** Memory utilization (0–1) that alerts. Default: 0.9. */
  readonly memoryThreshold?: number;
  /** How long a health metric stays above its threshold before alerting. Default: 900s. */
  readonly healthDuration?: string;
  /** Least time between two notifications of a log-based alert. Default: 300s. */
  readonly notificationRateLimit?: string;
}

export class DatabaseAlerts extends Construct {
  constructor(scope: Construct, id: string, props: DatabaseAlertsProps) {
    super(scope, id);
    const { db, project } = props;
    const production = db.environment === 'production';
    const rateLimit = props.notificationRateLimit ?? '300s';
    const policy = (pid: string, title: string, condition: MonitoringAlertPolicyConditions, options: { severity: string; content: string; logBased?: boolean }) =>
      new MonitoringAlertPolicy(this, pid, {
        project,
        displayName: `dbaas ${db.name}: ${title}`,
        combiner: 'OR',
        severity: options.severity,
        conditions: [condition],
        notificationChannels: [...props.channelIds],
        documentation: { mimeType: 'text/markdown', subject: `dbaas ${db.name}: ${title}`, content: options.content },
        ...(options.logBased ? { alertStrategy: { notificationRateLimit: { period: rateLimit }, autoClose: '1800s' } } : {}),
        userLabels: { ...props.labels },
      });
    const backupSeverity = production ? 'CRITICAL' : 'WARNING';

    if (db.backup.alerts.onFailure) {
      policy('backup-failed', 'automated backup failed', {
        displayName: `Automated backup of ${props.instanceName} failed`,
        conditionMatchedLog: { filter: automatedBackupFailedFilter(project, props.instanceName) },
      }, { severity: backupSeverity, logBased: true, content: `An automated backup of Cloud SQL instance \`${props.instanceName}\` failed. Check the instance's backup list and operations, then take an on-demand backup.` });
    }

    props.exports.forEach((job, i) => {
      const n = i === 0 ? '' : `-${i + 1}`;
      if (db.backup.alerts.onFailure) {
        policy(`export-failed${n}`, `export workflow ${job.workflowName} failed`, {
          displayName: `${job.workflowName} execution failed`,
          conditionThreshold: {
            filter: workflowExecutionsFilter(job.workflowName, job.region, 'FAILED'),
            comparison: 'COMPARISON_GT',
            thresholdValue: 0,
            duration: '0s',
            aggregations: [{ alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_SUM' }],
          },
        }, { severity: backupSeverity, content: `An export run of \`${job.workflowName}\` failed for at least one of: ${job.databases.join(', ')}. The execution's error names the databases; re-run the workflow once fixed.` });
        policy(`scheduler-failed${n}`, `export scheduler ${job.schedulerJobName} failed`, {
          displayName: `${job.schedulerJobName} could not start the export`,
          conditionMatchedLog: { filter: schedulerFailedFilter(job.schedulerJobName, job.region) },
        }, { severity: backupSeverity, logBased: true, content: `Cloud Scheduler job \`${job.schedulerJobName}\` failed to start workflow \`${job.workflowName}\`.` });
      }
      policy(`exports-missing${n}`, `no export for ${job.missingAfterHours}h`, exportsMissingCondition(job), {
        severity: backupSeverity,
        content: `Workflow \`${job.workflowName}\` has not finished successfully for ${job.missingAfterHours} hours: exports to gs://${job.bucketName} are not running.`,
      });
    });

    const health = [
      { pid: 'cpu', metric: 'database/cpu/utilization', what: 'CPU utilization', threshold: props.cpuThreshold ?? 0.9 },
      { pid: 'disk', metric: 'database/disk/utilization', what: 'disk utilization', threshold: props.diskThreshold ?? 0.85 },
      { pid: 'memory', metric: 'database/memory/utilization', what: 'memory utilization', threshold: props.memoryThreshold ?? 0.9 },
    ];
    for (const h of health) {
      policy(`health-${h.pid}`, `${h.what} high`, {
        displayName: `${h.what} above ${Math.round(h.threshold * 100)}%`,
        conditionThreshold: {
          filter: cloudSqlMetricFilter(props.databaseId, h.metric),
          comparison: 'COMPARISON_GT',
          thresholdValue: h.threshold,
          duration: props.healthDuration ?? '900s',
          aggregations: [{ alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_MEAN' }],
          trigger: { count: 1 },
        },
      }, { severity: 'WARNING', content: `${h.what} of Cloud SQL instance \`${props.instanceName}\` has stayed above ${Math.round(h.threshold * 100)}%.` });
    }
  }
}
