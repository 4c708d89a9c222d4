// Monitoring, always generated: a notification channel per destination (Slack and webhooks, which
// hold secrets, are channels created outside dbaas and referenced by id), and alert policies for
// failed automated backups, failed export runs and scheduler starts, exports that stop running, and
// instance health. Each policy notifies the channels of its tiers (alertTiers) and carries its
// runbook (runbook.ts).
import { LoggingMetric } from '@cdktf/provider-google/lib/logging-metric/index.js';
import { MonitoringAlertPolicy, type MonitoringAlertPolicyConditions } from '@cdktf/provider-google/lib/monitoring-alert-policy/index.js';
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel/index.js';
import { dependable } from 'cdktf';
import { Construct } from 'constructs';
import type { ResolvedChannel, ResolvedDatabase } from '../../model/resolved.js';
import { addNote } from '../notes.js';
import { alertTiers, type Tier, tierOf } from '../tiers.js';
import type { ExportJob } from './exports.js';
import type { GcpLabels } from './labels.js';
import { automatedBackupRunbook, backupDrRunbook, exportRunbook, type GcpRunbookTarget, healthRunbook } from './runbook.js';
import { BACKUP_RULE_ID, backupPlanAssociationId } from './vault.js';

// ---- filters: pure, deterministic strings (tested one by one) ----

const quote = (value: string) => JSON.stringify(value);

/**
 * Cloud SQL writes each automated backup window's outcome to the System Event audit log as a
 * `cloudsql.instances.automatedBackup` entry whose `protoPayload.metadata.windowStatus` says how the
 * window ended (Google, "View audit logs for automated backups",
 * https://cloud.google.com/sql/docs/mysql/backup-recovery/view-audit-logs-for-automated-backups).
 * That page names the field but does not list its values; the statuses a backup window can end in
 * are those of SqlBackupRunStatus (https://cloud.google.com/sql/docs/mysql/admin-api/rest/v1/backupRuns:
 * FAILED, OVERDUE, SUCCESSFUL, SKIPPED). The `:` (has, substring) operator of the Logging query
 * language (https://cloud.google.com/logging/docs/view/logging-query-language#comparisons) matches them
 * whether or not the log spells them with a STATUS_ prefix. The entry's severity is not documented, so it is not used.
 */
export const WINDOW_FAILED = ['FAILED', 'OVERDUE'] as const;

function automatedBackupEntries(project: string, instanceName: string): string[] {
  return [
    `logName=${quote(`projects/${project}/logs/cloudaudit.googleapis.com%2Fsystem_event`)}`,
    'resource.type="cloudsql_database"',
    `resource.labels.database_id=${quote(`${project}:${instanceName}`)}`,
    'protoPayload.methodName="cloudsql.instances.automatedBackup"',
  ];
}

/** An automated backup window that ended FAILED or OVERDUE (the backup never completed in it). */
export function automatedBackupFailedFilter(project: string, instanceName: string): string {
  return [
    ...automatedBackupEntries(project, instanceName),
    `(${WINDOW_FAILED.map((s) => `protoPayload.metadata.windowStatus:${quote(s)}`).join(' OR ')})`,
  ].join('\n');
}

/** An automated backup window that ended with a backup ("SUCCE" matches SUCCESSFUL and SUCCEEDED). */
export function automatedBackupSucceededFilter(project: string, instanceName: string): string {
  return [...automatedBackupEntries(project, instanceName), 'protoPayload.metadata.windowStatus:"SUCCE"'].join('\n');
}

/**
 * Backup and DR logs every backup and restore job of a vaulted resource to `bdr_backup_restore_jobs`
 * with jobStatus SUCCESSFUL, FAILED, RUNNING or SKIPPED and the job's backupVaultName (Google,
 * "Backup and restore job logs", https://cloud.google.com/backup-disaster-recovery/docs/monitor-reports/backupvault-backup-recovery-jobs,
 * whose example query is `logName:bdr_backup_restore_jobs`; field names from the BDRBackupRestoreJobLog
 * schema, https://googleapis.dev/dotnet/Google.Apis.BackupforGKE.v1/latest/api/Google.Apis.BackupforGKE.v1.Data.BDRBackupRestoreJobLog.html).
 * Each database has its own vault, so the vault name scopes the alert to this database.
 */
export function backupDrJobFailedFilter(project: string, region: string, vaultId: string): string {
  return [
    'logName:"bdr_backup_restore_jobs"',
    'jsonPayload.jobStatus="FAILED"',
    `jsonPayload.backupVaultName:${quote(`projects/${project}/locations/${region}/backupVaults/${vaultId}`)}`,
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

/**
 * Cloud Monitoring limits (checked against Google's documentation):
 * - a metric-absence condition's trigger absence time is at most 23.5 hours, and it is met only after
 *   the series has written at least one point since the policy was created or changed
 *   (https://cloud.google.com/monitoring/alerts/metric-absence);
 * - an alerting policy's alignment period is at most 90,000 s = 25 hours
 *   (Aggregation.alignment_period, https://cloud.google.com/monitoring/api/ref_v3/rest/v3/projects.alertPolicies#aggregation).
 * Longer "nothing succeeded for N hours" windows are therefore a 25-hour sliding window held for the
 * remaining hours as the condition's duration (retest window): no success in 25h, for N − 25 more hours.
 */
export const MAX_ABSENCE_MINUTES = 23 * 60 + 30;
export const MAX_ALIGNMENT_HOURS = 25;

/** A window of `hours` as (sliding window ≤ 25 h, retest duration for the rest). */
export function splitWindow(hours: number): { windowHours: number; durationSeconds: number } {
  const windowHours = Math.min(hours, MAX_ALIGNMENT_HOURS);
  return { windowHours, durationSeconds: (hours - windowHours) * 3600 };
}

/**
 * "No successful run within `hours`": a metric-absence condition when the window fits the absence
 * limit (it never fires before the first successful run), else an MQL sliding-window sum that treats
 * missing data as failing (so a new export alerts if its first run does not succeed in time).
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
  const { windowHours, durationSeconds } = splitWindow(job.missingAfterHours);
  return {
    displayName,
    conditionMonitoringQueryLanguage: {
      query: exportsMissingQuery(job.workflowName, job.region, windowHours),
      duration: `${durationSeconds}s`,
      evaluationMissingData: 'EVALUATION_MISSING_DATA_ACTIVE',
    },
  };
}

export function exportsMissingQuery(workflowName: string, region: string, windowHours: number): string {
  if (windowHours > MAX_ALIGNMENT_HOURS) throw new Error(`MQL window ${windowHours}h is over Cloud Monitoring's ${MAX_ALIGNMENT_HOURS}h alerting limit`);
  return [
    'fetch workflows.googleapis.com/Workflow',
    "| metric 'workflows.googleapis.com/finished_execution_count'",
    `| filter resource.workflow_id == ${mqlString(workflowName)} && resource.location == ${mqlString(region)} && metric.status == 'SUCCEEDED'`,
    `| group_by ${windowHours}h, [successes: sum(value.finished_execution_count)]`,
    '| every 30m',
    "| condition successes < 1 '1'",
  ].join('\n');
}

const mqlString = (v: string) => `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** The name of the logs-based metric counting this instance's successful automated backups. */
/** The missing-backup window: the policy's hours, but never less than a day plus Cloud SQL's 4-hour backup window. */
export function backupMissingHours(missingAfterHours: number): number {
  return Math.max(missingAfterHours, 24 + 4);
}

export function backupSucceededMetricName(instanceName: string): string {
  return `dbaas/${instanceName}/automated-backup-succeeded`;
}

/**
 * No successful automated backup of this instance in the last `windowHours` (≤ 25), while the
 * instance has reported `database/up` for at least 24 of those hours. The second half is what keeps
 * a new database quiet: it cannot alert before it has existed for a day, and then only after the
 * retest duration on top. An outer join fills the success count with 0 when no backup ever logged.
 */
export function backupMissingQuery(databaseId: string, metricName: string, windowHours: number): string {
  if (windowHours > MAX_ALIGNMENT_HOURS) throw new Error(`MQL window ${windowHours}h is over Cloud Monitoring's ${MAX_ALIGNMENT_HOURS}h alerting limit`);
  const id = mqlString(databaseId);
  return [
    'fetch cloudsql_database',
    '| {',
    `    metric ${mqlString(`logging.googleapis.com/user/${metricName}`)}`,
    `    | filter resource.database_id == ${id}`,
    `    | group_by [], sliding(${windowHours}h), [successes: sum(val())]`,
    '  ;',
    "    metric 'cloudsql.googleapis.com/database/up'",
    `    | filter resource.database_id == ${id}`,
    `    | group_by [], sliding(${windowHours}h), [up_minutes: count(val())]`,
    '  }',
    '| outer_join 0',
    '| every 30m',
    `| condition successes < 1 && up_minutes >= ${Math.min(windowHours, 24) * 60}`,
  ].join('\n');
}

// ---- notification channels ----

export interface NotificationChannelsProps {
  readonly channels: readonly ResolvedChannel[];
  readonly project: string;
  readonly labels: GcpLabels;
}

/**
 * One Cloud Monitoring channel per destination: each e-mail address and Pub/Sub (the topic). Slack
 * and webhooks are referenced by the id of a channel created once outside dbaas: building them here
 * would put the Slack token (sensitive_labels.auth_token) or the URL (labels.url) in Terraform state.
 */
export class NotificationChannels extends Construct {
  /** Channel ids, in spec order. */
  readonly ids: readonly string[];
  /** Channel ids by the tier of their NotificationChannel. */
  readonly byTier: Readonly<Record<Tier, readonly string[]>>;

  constructor(scope: Construct, id: string, props: NotificationChannelsProps) {
    super(scope, id);
    const { project } = props;
    const ids: string[] = [];
    const byTier: Record<Tier, string[]> = { page: [], notify: [], record: [] };
    let tier: Tier = 'notify';
    const add = (cid: string, config: { type: string; displayName: string; labels?: Record<string, string> }) => {
      const channel = new MonitoringNotificationChannel(this, cid, {
        project,
        type: config.type,
        displayName: config.displayName,
        ...(config.labels ? { labels: config.labels } : {}),
        userLabels: { ...props.labels },
      });
      ids.push(channel.id);
      byTier[tier].push(channel.id);
    };
    for (const channel of props.channels) {
      tier = tierOf(channel);
      (channel.email ?? []).forEach((address, i) => {
        add(`${channel.name}-email-${i + 1}`, { type: 'email', displayName: `${channel.name}: ${address}`, labels: { email_address: address } });
      });
      // validate refuses Slack and webhooks without gcpChannel on GCP (src/validate/unsupported.ts).
      for (const existing of [channel.slack?.gcpChannel, channel.webhook?.gcpChannel]) {
        if (existing === undefined) continue;
        addNote(this, `channel ${channel.name} notifies ${existing}, created outside dbaas (normally in project ${project}, where the alert policies are)`);
        ids.push(existing);
        byTier[tier].push(existing);
      }
      if (channel.pubsub) {
        addNote(
          this,
          `Pub/Sub topic ${channel.pubsub.topic} must let service-<number of ` +
            `${project}>@gcp-sa-monitoring-notification.iam.gserviceaccount.com publish (roles/pubsub.publisher)`,
        );
        add(`${channel.name}-pubsub`, { type: 'pubsub', displayName: `${channel.name}: Pub/Sub`, labels: { topic: channel.pubsub.topic } });
      }
    }
    this.ids = ids;
    this.byTier = byTier;
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
  /** The Backup and DR vault id when a plan owns the backups (its job failures alert instead). */
  readonly vaultId?: string;
  readonly channelIds: readonly string[];
  /** The channel ids by tier; without it every policy notifies channelIds. */
  readonly channelIdsByTier?: Readonly<Record<Tier, readonly string[]>>;
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
    // A policy notifies the channels of its tiers: a production backup alert (backupAlert) pages.
    // Cloud Monitoring itself records every incident of every policy, notified or not (incidents
    // list, https://cloud.google.com/monitoring/alerts/incidents-events), which is the record tier's
    // always-built part on GCP.
    const channelsFor = (backupAlert: boolean) => {
      const byTier = props.channelIdsByTier;
      return byTier ? alertTiers(production, backupAlert).flatMap((tier) => byTier[tier]) : [...props.channelIds];
    };
    const runbookTarget: GcpRunbookTarget = { database: db.name, environment: db.environment, project, region: db.region, instanceName: props.instanceName };
    const policy = (
      pid: string,
      title: string,
      condition: MonitoringAlertPolicyConditions,
      options: { severity: string; content: string; logBased?: boolean; backupAlert?: boolean },
    ) =>
      new MonitoringAlertPolicy(this, pid, {
        project,
        displayName: `dbaas ${db.name}: ${title}`,
        combiner: 'OR',
        severity: options.severity,
        conditions: [condition],
        notificationChannels: channelsFor(options.backupAlert ?? false),
        documentation: { mimeType: 'text/markdown', subject: `dbaas ${db.name}: ${title}`, content: options.content },
        ...(options.logBased ? { alertStrategy: { notificationRateLimit: { period: rateLimit }, autoClose: '1800s' } } : {}),
        userLabels: { ...props.labels },
      });
    const backupSeverity = production ? 'CRITICAL' : 'WARNING';

    if (db.backup.alerts.onFailure && props.vaultId) {
      policy(
        'backup-dr-failed',
        'Backup and DR backup job failed',
        {
          displayName: `A Backup and DR job of ${props.instanceName} failed`,
          conditionMatchedLog: { filter: backupDrJobFailedFilter(project, db.region, props.vaultId) },
        },
        {
          severity: backupSeverity,
          logBased: true,
          backupAlert: true,
          content: backupDrRunbook(
            runbookTarget,
            `a Backup and DR job for vault \`${props.vaultId}\` (Cloud SQL instance \`${props.instanceName}\`) failed.`,
            backupDrJobFailedFilter(project, db.region, props.vaultId),
            backupPlanAssociationId(db.name),
            BACKUP_RULE_ID,
          ),
        },
      );
    }
    if (!props.vaultId && db.backup.enabled) {
      // Cloud SQL takes one automated backup a day inside a 4-hour window, so two successes can be
      // up to 28 hours apart: a shorter window would page on a healthy database.
      const hours = backupMissingHours(db.backup.alerts.missingAfterHours);
      if (hours > db.backup.alerts.missingAfterHours) {
        addNote(
          this,
          `the missing-backup alert fires after ${hours}h, not ${db.backup.alerts.missingAfterHours}h: Cloud ` +
            `SQL backs up once a day in a 4-hour window, so healthy backups can be ${hours}h apart`,
        );
      }
      const metricName = backupSucceededMetricName(props.instanceName);
      const metric = new LoggingMetric(this, 'backup-succeeded-metric', {
        project,
        name: metricName,
        description: `Successful automated backups of Cloud SQL instance ${props.instanceName} (dbaas).`,
        filter: automatedBackupSucceededFilter(project, props.instanceName),
        metricDescriptor: { metricKind: 'DELTA', valueType: 'INT64', unit: '1' },
      });
      const { windowHours, durationSeconds } = splitWindow(hours);
      const missing = policy(
        'backup-missing',
        `no automated backup for ${hours}h`,
        {
          displayName: `No successful automated backup of ${props.instanceName} in ${hours}h`,
          conditionMonitoringQueryLanguage: {
            query: backupMissingQuery(props.databaseId, metricName, windowHours),
            duration: `${durationSeconds}s`,
            evaluationMissingData: 'EVALUATION_MISSING_DATA_INACTIVE',
          },
        },
        {
          severity: backupSeverity,
          backupAlert: true,
          content: automatedBackupRunbook(
            runbookTarget,
            `Cloud SQL instance \`${props.instanceName}\` has logged no successful automated backup for ${hours} hours.`,
            automatedBackupFailedFilter(project, props.instanceName),
          ),
        },
      );
      missing.dependsOn = [dependable(metric)]; // the query names the metric, which must exist first
    }
    if (db.backup.alerts.onFailure && !props.vaultId) {
      policy(
        'backup-failed',
        'automated backup failed',
        {
          displayName: `Automated backup of ${props.instanceName} failed`,
          conditionMatchedLog: { filter: automatedBackupFailedFilter(project, props.instanceName) },
        },
        {
          severity: backupSeverity,
          logBased: true,
          backupAlert: true,
          content: automatedBackupRunbook(
            runbookTarget,
            `an automated backup of Cloud SQL instance \`${props.instanceName}\` failed.`,
            automatedBackupFailedFilter(project, props.instanceName),
          ),
        },
      );
    }

    props.exports.forEach((job, i) => {
      const n = i === 0 ? '' : `-${i + 1}`;
      if (db.backup.alerts.onFailure) {
        policy(
          `export-failed${n}`,
          `export workflow ${job.workflowName} failed`,
          {
            displayName: `${job.workflowName} execution failed`,
            conditionThreshold: {
              filter: workflowExecutionsFilter(job.workflowName, job.region, 'FAILED'),
              comparison: 'COMPARISON_GT',
              thresholdValue: 0,
              duration: '0s',
              aggregations: [{ alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_SUM' }],
            },
          },
          {
            severity: backupSeverity,
            content: exportRunbook(
              runbookTarget,
              `an export run of \`${job.workflowName}\` failed for at least one of: ` +
                `${job.databases.map((d) => `\`${d}\``).join(', ')}. The execution's error names the databases; ` +
                `re-run the workflow once fixed.`,
              job,
            ),
          },
        );
        policy(
          `scheduler-failed${n}`,
          `export scheduler ${job.schedulerJobName} failed`,
          {
            displayName: `${job.schedulerJobName} could not start the export`,
            conditionMatchedLog: { filter: schedulerFailedFilter(job.schedulerJobName, job.region) },
          },
          {
            severity: backupSeverity,
            logBased: true,
            content: exportRunbook(
              runbookTarget,
              `Cloud Scheduler job \`${job.schedulerJobName}\` failed to start workflow \`${job.workflowName}\`.`,
              job,
              schedulerFailedFilter(job.schedulerJobName, job.region),
            ),
          },
        );
      }
      policy(`exports-missing${n}`, `no export for ${job.missingAfterHours}h`, exportsMissingCondition(job), {
        severity: backupSeverity,
        content: exportRunbook(
          runbookTarget,
          `workflow \`${job.workflowName}\` has not finished successfully for ${job.missingAfterHours} hours: ` +
            `exports to \`gs://${job.bucketName}\` are not running.`,
          job,
        ),
      });
    });

    const health = [
      { pid: 'cpu', metric: 'database/cpu/utilization', what: 'CPU utilization', threshold: props.cpuThreshold ?? 0.9 },
      { pid: 'disk', metric: 'database/disk/utilization', what: 'disk utilization', threshold: props.diskThreshold ?? 0.85 },
      { pid: 'memory', metric: 'database/memory/utilization', what: 'memory utilization', threshold: props.memoryThreshold ?? 0.9 },
    ];
    for (const h of health) {
      policy(
        `health-${h.pid}`,
        `${h.what} high`,
        {
          displayName: `${h.what} above ${Math.round(h.threshold * 100)}%`,
          conditionThreshold: {
            filter: cloudSqlMetricFilter(props.databaseId, h.metric),
            comparison: 'COMPARISON_GT',
            thresholdValue: h.threshold,
            duration: props.healthDuration ?? '900s',
            aggregations: [{ alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_MEAN' }],
            trigger: { count: 1 },
          },
        },
        {
          severity: 'WARNING',
          content: healthRunbook(
            runbookTarget,
            `${h.what} of Cloud SQL instance \`${props.instanceName}\` has stayed above ${Math.round(h.threshold * 100)}%.`,
          ),
        },
      );
    }
  }
}
