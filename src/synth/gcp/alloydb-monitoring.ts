// AlloyDB backup alerts: a failed backup (a log match) and no successful backup for longer than the
// schedule allows (a logs-based counter that must not stay at zero). Routed like the Cloud SQL
// alerts: a production backup alert pages, everything notifies and is recorded (synth/tiers.ts).
//
// NOT VERIFIED against live AlloyDB logs (no network here): the filters match AlloyDB's audit
// entries for the backup long-running operation, service alloydb.googleapis.com, method
// google.cloud.alloydb.v1.AlloyDBAdmin.CreateBackup (AlloyDB "Audit logging", methods list; LROs log
// a first and a last entry), scoped to this cluster by its full name, which the backup's entries
// carry (Backup.clusterName). Whether automated-policy backups are logged under that method is not
// documented on that page; confirm on a real project with the runbook's `gcloud logging read`.
import { LoggingMetric } from '@cdktf/provider-google/lib/logging-metric/index.js';
import { MonitoringAlertPolicy, type MonitoringAlertPolicyConditions } from '@cdktf/provider-google/lib/monitoring-alert-policy/index.js';
import { dependable } from 'cdktf';
import { Construct } from 'constructs';
import type { ResolvedDatabase } from '../../model/resolved.js';
import { addNote } from '../notes.js';
import { alertTiers, type Tier } from '../tiers.js';
import type { GcpLabels } from './labels.js';
import { splitWindow } from './monitoring.js';
import { loggingRead, runbook, type GcpRunbookTarget } from './runbook.js';

const quote = (value: string) => JSON.stringify(value);

/** projects/<p>/locations/<r>/clusters/<id>: the name every backup of the cluster carries. */
export function alloydbClusterName(project: string, region: string, clusterId: string): string {
  return `projects/${project}/locations/${region}/clusters/${clusterId}`;
}

function backupEntries(project: string, region: string, clusterId: string): string[] {
  return [
    'protoPayload.serviceName="alloydb.googleapis.com"',
    'protoPayload.methodName:"AlloyDBAdmin.CreateBackup"',
    // A bare string is a search over every field of the entry (Logging query language).
    quote(alloydbClusterName(project, region, clusterId)),
  ];
}

/** A backup operation of this cluster that ended in an error. */
export function alloydbBackupFailedFilter(project: string, region: string, clusterId: string): string {
  return [...backupEntries(project, region, clusterId), 'severity>=ERROR'].join('\n');
}

/** The last entry of a backup operation of this cluster, without an error. */
export function alloydbBackupSucceededFilter(project: string, region: string, clusterId: string): string {
  return [...backupEntries(project, region, clusterId), 'operation.last=true', 'severity<ERROR'].join('\n');
}

export function alloydbBackupMetricName(clusterId: string): string {
  return `dbaas/${clusterId}/alloydb-backup-succeeded`;
}

/**
 * Hours without a successful backup before the alert fires: the policy's missingAfterHours, but
 * never less than the schedule's longest gap plus the backup window (a weekly schedule backs up
 * 168 hours apart; a shorter window would fire on a healthy cluster).
 */
export function alloydbMissingHours(missingAfterHours: number, gapHours: number, backupWindowMinutes: number): number {
  return Math.max(missingAfterHours, gapHours + Math.ceil(backupWindowMinutes / 60));
}

/**
 * "No success in `hours`" as a threshold condition on the logs-based counter: the sum over a
 * sliding window of at most 25 h (Cloud Monitoring's maximum alignment period, 90,000 s) below 1,
 * held for the rest of the window as the condition's duration. Missing data counts as met
 * (EVALUATION_MISSING_DATA_ACTIVE): a counter with no point at all is exactly "no backup".
 */
export function alloydbMissingCondition(metricName: string, clusterId: string, hours: number): MonitoringAlertPolicyConditions {
  const { windowHours, durationSeconds } = splitWindow(hours);
  return {
    displayName: `No successful backup of AlloyDB cluster ${clusterId} in ${hours}h`,
    conditionThreshold: {
      filter: `metric.type = ${quote(`logging.googleapis.com/user/${metricName}`)}`,
      comparison: 'COMPARISON_LT',
      thresholdValue: 1,
      duration: `${durationSeconds}s`,
      aggregations: [{ alignmentPeriod: `${windowHours * 3600}s`, perSeriesAligner: 'ALIGN_SUM', crossSeriesReducer: 'REDUCE_SUM' }],
      evaluationMissingData: 'EVALUATION_MISSING_DATA_ACTIVE',
      trigger: { count: 1 },
    },
  };
}

/** What to look at and run when an AlloyDB backup failed or is missing. */
export function alloydbBackupRunbook(t: GcpRunbookTarget, what: string, failedFilter: string): string {
  const where = `--region=${t.region} --project=${t.project}`;
  return runbook(
    t,
    what,
    `https://console.cloud.google.com/alloydb/clusters?project=${t.project}`,
    [
      `gcloud alloydb backups list ${where} --filter="clusterName:${t.instanceName}" --sort-by=~createTime --limit=5`,
      `gcloud alloydb clusters describe ${t.instanceName} ${where} --format="yaml(automatedBackupPolicy,continuousBackupInfo)"`,
      loggingRead(failedFilter, t.project),
    ],
    [`gcloud alloydb backups create ${t.instanceName}-manual-$(date +%Y%m%d%H%M) --cluster=${t.instanceName} ${where}`],
  );
}

export interface AlloyDbAlertsProps {
  readonly db: ResolvedDatabase;
  readonly project: string;
  readonly clusterId: string;
  /** Longest gap between two scheduled backups, in hours. */
  readonly gapHours: number;
  readonly backupWindowMinutes: number;
  readonly channelIds: readonly string[];
  readonly channelIdsByTier?: Readonly<Record<Tier, readonly string[]>>;
  readonly labels: GcpLabels;
  /** Least time between two notifications of the log-based alert. Default: 300s. */
  readonly notificationRateLimit?: string;
}

export class AlloyDbAlerts extends Construct {
  constructor(scope: Construct, id: string, props: AlloyDbAlertsProps) {
    super(scope, id);
    const { db, project, clusterId } = props;
    const production = db.environment === 'production';
    const channels = () => (props.channelIdsByTier ? alertTiers(production, true).flatMap((t) => props.channelIdsByTier![t]) : [...props.channelIds]);
    const target: GcpRunbookTarget = { database: db.name, environment: db.environment, project, region: db.region, instanceName: clusterId };
    const severity = production ? 'CRITICAL' : 'WARNING';
    const failed = alloydbBackupFailedFilter(project, db.region, clusterId);
    const policy = (pid: string, title: string, condition: MonitoringAlertPolicyConditions, content: string, logBased: boolean) =>
      new MonitoringAlertPolicy(this, pid, {
        project,
        displayName: `dbaas ${db.name}: ${title}`,
        combiner: 'OR',
        severity,
        conditions: [condition],
        notificationChannels: channels(),
        documentation: { mimeType: 'text/markdown', subject: `dbaas ${db.name}: ${title}`, content },
        ...(logBased ? { alertStrategy: { notificationRateLimit: { period: props.notificationRateLimit ?? '300s' }, autoClose: '1800s' } } : {}),
        userLabels: { ...props.labels },
      });

    if (db.backup.alerts.onFailure) {
      policy(
        'backup-failed',
        'AlloyDB backup failed',
        { displayName: `A backup of AlloyDB cluster ${clusterId} failed`, conditionMatchedLog: { filter: failed } },
        alloydbBackupRunbook(target, `a backup of AlloyDB cluster \`${clusterId}\` failed.`, failed),
        true,
      );
    }
    if (db.backup.enabled) {
      const hours = alloydbMissingHours(db.backup.alerts.missingAfterHours, props.gapHours, props.backupWindowMinutes);
      if (hours > db.backup.alerts.missingAfterHours) {
        addNote(
          this,
          `the missing-backup alert fires after ${hours}h, not ${db.backup.alerts.missingAfterHours}h: the ` +
            `AlloyDB schedule backs up up to ${props.gapHours}h apart, within a ` +
            `${props.backupWindowMinutes}-minute window`,
        );
      }
      const metricName = alloydbBackupMetricName(clusterId);
      const metric = new LoggingMetric(this, 'backup-succeeded-metric', {
        project,
        name: metricName,
        description: `Successful backups of AlloyDB cluster ${clusterId} (dbaas).`,
        filter: alloydbBackupSucceededFilter(project, db.region, clusterId),
        metricDescriptor: { metricKind: 'DELTA', valueType: 'INT64', unit: '1' },
      });
      const missing = policy(
        'backup-missing',
        `no AlloyDB backup for ${hours}h`,
        alloydbMissingCondition(metricName, clusterId, hours),
        alloydbBackupRunbook(target, `AlloyDB cluster \`${clusterId}\` has logged no successful backup for ${hours} hours.`, failed),
        false,
      );
      missing.dependsOn = [dependable(metric)]; // the condition names the metric, which must exist first
    }
  }
}
