// AlloyDB backup alerts: a failed backup, no recent automated backup, and a backup check that stopped
// running. The first two match the ERROR entries the hourly backup-check workflow writes
// (alloydb-backup-check.ts: it reads the Backup resources through the AlloyDB Admin API, which is
// documented, instead of audit entries automated backups are not documented to write); the third
// watches the workflow's own successful executions. Routed like the Cloud SQL alerts: a production
// backup alert pages, everything notifies and is recorded (synth/tiers.ts).
import { MonitoringAlertPolicy, type MonitoringAlertPolicyConditions } from '@cdktf/provider-google/lib/monitoring-alert-policy/index.js';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member/index.js';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account/index.js';
import { WorkflowsWorkflow } from '@cdktf/provider-google/lib/workflows-workflow/index.js';
import { Construct } from 'constructs';
import type { ResolvedDatabase } from '../../model/resolved.js';
import { addNote } from '../notes.js';
import { alertTiers, type Tier } from '../tiers.js';
import { ALLOYDB_CHECK, alloydbBackupCheckSource, alloydbCheckFilter, alloydbClusterName } from './alloydb-backup-check.js';
import type { GcpLabels } from './labels.js';
import { workflowExecutionsFilter } from './monitoring.js';
import { gcpName, serviceAccountId } from './names.js';
import { startWorkflowOnSchedule } from './workflow-starter.js';
import { loggingRead, runbook, type GcpRunbookTarget } from './runbook.js';

export { alloydbClusterName } from './alloydb-backup-check.js';

/** When the check runs: hourly, at minute 15 UTC. */
export const ALLOYDB_CHECK_SCHEDULE = '15 * * * *';
/** Hours without a successful check run before "backup check not running" fires (three missed runs). */
export const ALLOYDB_CHECK_ABSENT_HOURS = 3;

/**
 * Age of the newest automated backup past which it is missing: the policy's missingAfterHours, but
 * never less than the schedule's longest gap plus the backup window (a weekly schedule backs up 168
 * hours apart; a shorter window would fire on a healthy cluster).
 */
export function alloydbMissingHours(missingAfterHours: number, gapHours: number, backupWindowMinutes: number): number {
  return Math.max(missingAfterHours, gapHours + Math.ceil(backupWindowMinutes / 60));
}

/** What to look at and run when an AlloyDB backup failed or is missing. */
export function alloydbBackupRunbook(t: GcpRunbookTarget, what: string, filter: string): string {
  const where = `--region=${t.region} --project=${t.project}`;
  return runbook(
    t,
    what,
    `https://console.cloud.google.com/alloydb/clusters?project=${t.project}`,
    [
      `gcloud alloydb backups list ${where} --filter="clusterName=${alloydbClusterName(t.project, t.region, t.instanceName)}" --sort-by=~createTime --limit=5`,
      `gcloud alloydb clusters describe ${t.instanceName} ${where} --format="yaml(automatedBackupPolicy,continuousBackupInfo)"`,
      loggingRead(filter, t.project),
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
  /** Least time between two notifications of a log-based alert. Default: 3600s (the check runs hourly). */
  readonly notificationRateLimit?: string;
}

export class AlloyDbAlerts extends Construct {
  /** The backup-check workflow's name, when backups are on. */
  readonly workflowName?: string;

  constructor(scope: Construct, id: string, props: AlloyDbAlertsProps) {
    super(scope, id);
    const { db, project, clusterId } = props;
    const production = db.environment === 'production';
    const channels = (backupAlert: boolean) =>
      props.channelIdsByTier ? alertTiers(production, backupAlert).flatMap((t) => props.channelIdsByTier![t]) : [...props.channelIds];
    const target: GcpRunbookTarget = { database: db.name, environment: db.environment, project, region: db.region, instanceName: clusterId };
    const severity = production ? 'CRITICAL' : 'WARNING';
    const policy = (pid: string, title: string, condition: MonitoringAlertPolicyConditions, content: string, logBased: boolean, backupAlert = true) =>
      new MonitoringAlertPolicy(this, pid, {
        project,
        displayName: `dbaas ${db.name}: ${title}`,
        combiner: 'OR',
        severity,
        conditions: [condition],
        notificationChannels: channels(backupAlert),
        documentation: { mimeType: 'text/markdown', subject: `dbaas ${db.name}: ${title}`, content },
        ...(logBased ? { alertStrategy: { notificationRateLimit: { period: props.notificationRateLimit ?? '3600s' }, autoClose: '1800s' } } : {}),
        userLabels: { ...props.labels },
      });

    // With backups off the cluster has no automated backup policy: there is nothing to check.
    if (!db.backup.enabled) return;
    const hours = alloydbMissingHours(db.backup.alerts.missingAfterHours, props.gapHours, props.backupWindowMinutes);
    if (hours > db.backup.alerts.missingAfterHours) {
      addNote(
        this,
        `the missing-backup alert fires after ${hours}h, not ${db.backup.alerts.missingAfterHours}h: the ` +
          `AlloyDB schedule backs up up to ${props.gapHours}h apart, within a ` +
          `${props.backupWindowMinutes}-minute window`,
      );
    }

    // The check's identities: one runs the workflow (reads AlloyDB, writes logs), one only starts it.
    const runner = new ServiceAccount(this, 'runner', {
      project,
      accountId: serviceAccountId(db.name, 'backup-check'),
      displayName: `dbaas backup check of ${db.name}`,
      description: `Runs the backup check of AlloyDB cluster ${clusterId}: lists backups, writes log entries.`,
    });
    const starter = new ServiceAccount(this, 'starter', {
      project,
      accountId: serviceAccountId(db.name, 'check-start'),
      displayName: `dbaas backup check scheduler of ${db.name}`,
      description: `Used by Cloud Scheduler to start the backup check of ${clusterId}; may only invoke workflows.`,
    });
    // roles/alloydb.viewer holds alloydb.backups.list; AlloyDB has no per-cluster IAM in google 6.50
    // (no google_alloydb_cluster_iam_* resource) and backups are listed per location, so it is granted
    // on the project: read-only.
    new ProjectIamMember(this, 'runner-viewer', { project, role: 'roles/alloydb.viewer', member: runner.member });
    new ProjectIamMember(this, 'runner-logs', { project, role: 'roles/logging.logWriter', member: runner.member });
    new ProjectIamMember(this, 'starter-invoke', { project, role: 'roles/workflows.invoker', member: starter.member });

    const workflowName = gcpName(db.name, 'backup-check', 64);
    this.workflowName = workflowName;
    const workflow = new WorkflowsWorkflow(this, 'workflow', {
      project,
      region: db.region,
      name: workflowName,
      description: `Checks the backups of AlloyDB cluster ${clusterId} hourly (dbaas).`,
      serviceAccount: runner.email,
      callLogLevel: 'LOG_ERRORS_ONLY',
      sourceContents: alloydbBackupCheckSource({ project, region: db.region, clusterId, missingAfterHours: hours }),
      deletionProtection: false, // holds no data: the check can be re-created at any time
      labels: { ...props.labels },
    });
    startWorkflowOnSchedule(this, 'schedule', {
      project,
      region: db.region,
      name: gcpName(db.name, 'backup-check', 500),
      description: `Starts ${workflowName} hourly (dbaas).`,
      schedule: ALLOYDB_CHECK_SCHEDULE,
      timeZone: 'UTC',
      workflowId: workflow.id,
      starterEmail: starter.email,
    });

    const cluster = alloydbClusterName(project, db.region, clusterId);
    const failed = alloydbCheckFilter(workflowName, db.region, ALLOYDB_CHECK.failed, cluster);
    const missing = alloydbCheckFilter(workflowName, db.region, ALLOYDB_CHECK.missing, cluster);
    if (db.backup.alerts.onFailure) {
      policy(
        'backup-failed',
        'AlloyDB backup failed',
        { displayName: `A backup of AlloyDB cluster ${clusterId} failed`, conditionMatchedLog: { filter: failed } },
        alloydbBackupRunbook(target, `a backup of AlloyDB cluster \`${clusterId}\` failed.`, failed),
        true,
      );
    }
    policy(
      'backup-missing',
      `no AlloyDB backup for ${hours}h`,
      { displayName: `No automated backup of AlloyDB cluster ${clusterId} in ${hours}h`, conditionMatchedLog: { filter: missing } },
      alloydbBackupRunbook(target, `AlloyDB cluster \`${clusterId}\` has no READY automated backup younger than ${hours} hours.`, missing),
      true,
    );
    policy(
      'check-not-running',
      'AlloyDB backup check not running',
      {
        displayName: `Backup check ${workflowName} has not succeeded in ${ALLOYDB_CHECK_ABSENT_HOURS}h`,
        conditionAbsent: {
          filter: workflowExecutionsFilter(workflowName, db.region, 'SUCCEEDED'),
          duration: `${ALLOYDB_CHECK_ABSENT_HOURS * 3600}s`,
          aggregations: [{ alignmentPeriod: '3600s', perSeriesAligner: 'ALIGN_SUM' }],
        },
      },
      alloydbBackupRunbook(
        target,
        `workflow \`${workflowName}\` has not finished successfully for ${ALLOYDB_CHECK_ABSENT_HOURS} hours: failed and missing backups of ` +
          `\`${clusterId}\` are not being checked.`,
        alloydbCheckFilter(workflowName, db.region, ALLOYDB_CHECK.error, cluster),
      ),
      false,
      false,
    );
  }
}
