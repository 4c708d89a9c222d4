// Restore drills on GCP (backup.restoreTesting): on the drill's schedule, Cloud Scheduler starts a
// workflow (drill-workflow.ts) that clones the instance, waits until the clone is RUNNABLE, checks its
// databases against the source's, logs the duration, and always deletes the clone. Alerts: a drill
// failed, a drill did not run, and (with objectives.rtoHours) a drill slower than the RTO, read from
// a logs-based distribution metric of the logged durations. Same machinery as the exports
// (exports.ts): a runner account allowed only this instance and its clones, a starter account that
// may only invoke workflows.
import { alertTiers, type Tier } from '../tiers.js';
import { exportRunbook, type GcpRunbookTarget } from './runbook.js';
import { LoggingMetric } from '@cdktf/provider-google/lib/logging-metric/index.js';
import { MonitoringAlertPolicy, type MonitoringAlertPolicyConditions } from '@cdktf/provider-google/lib/monitoring-alert-policy/index.js';
import { ProjectIamCustomRole } from '@cdktf/provider-google/lib/project-iam-custom-role/index.js';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member/index.js';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account/index.js';
import { WorkflowsWorkflow } from '@cdktf/provider-google/lib/workflows-workflow/index.js';
import { dependable } from 'cdktf';
import { Construct } from 'constructs';
import type { ResolvedDatabase } from '../../model/resolved.js';
import { addNote } from '../notes.js';
import { DRILL_LOG_KEY, drillWorkflowSource } from './drill-workflow.js';
import type { GcpLabels } from './labels.js';
import { exportsMissingCondition, schedulerFailedFilter, workflowExecutionsFilter } from './monitoring.js';
import { customRoleId, gcpName, serviceAccountId } from './names.js';
import { startWorkflowOnSchedule } from './workflow-starter.js';
import { cadenceGapHours } from './schedule.js';

/**
 * What the drill's runner may do, and why (Cloud SQL "Required permissions for common tasks",
 * https://cloud.google.com/sql/docs/mysql/iam-permissions, and the Admin API method pages):
 * instances.clone needs cloudsql.instances.clone on the source; instances.get and operations.get
 * need cloudsql.instances.get; databases.list needs cloudsql.databases.list; instances.patch
 * (clearing deletion protection) needs cloudsql.instances.update; instances.delete needs
 * cloudsql.instances.delete. A custom role with only these, bound on the condition that the instance
 * is the source or one of its drill clones, instead of roles/cloudsql.admin on the project.
 */
export const DRILL_PERMISSIONS = [
  'cloudsql.databases.list',
  'cloudsql.instances.clone',
  'cloudsql.instances.delete',
  'cloudsql.instances.get',
  'cloudsql.instances.update',
] as const;

/** The clone may take this long to become RUNNABLE and be checked when validationWindowHours is not set. */
export const DEFAULT_DRILL_DEADLINE_HOURS = 24;

/** How far before the drill's start the point-in-time clone goes: recent, and surely inside the log window. */
export const POINT_IN_TIME_LAG_SECONDS = 300;

/**
 * Clone names: `<prefix>-<unix seconds>`, at most 50 + 11 characters, so "<project id (≤ 30)>:<clone>"
 * stays within Cloud SQL's 98-character limit for the project and instance name together.
 */
export function clonePrefix(instanceName: string): string {
  return gcpName(instanceName, 'drill', 50);
}

export function drillDurationMetricName(instanceName: string): string {
  return `dbaas/${instanceName}/restore-drill-seconds`;
}

/**
 * The drill's own log lines: Workflows writes sys.log entries to Cloud Logging under the
 * workflows.googleapis.com/Workflow resource with the workflow's id and location, a `json` argument
 * becoming jsonPayload (https://cloud.google.com/workflows/docs/reference/stdlib/sys/log).
 */
export function drillLogFilter(workflowName: string, region: string, status: 'succeeded' | 'failed' | 'clone-not-deleted'): string {
  return [
    'resource.type="workflows.googleapis.com/Workflow"',
    `resource.labels.workflow_id=${JSON.stringify(workflowName)}`,
    `resource.labels.location=${JSON.stringify(region)}`,
    `jsonPayload.${DRILL_LOG_KEY}=${JSON.stringify(status)}`,
  ].join('\n');
}

/** The RTO condition: the mean drill duration in an hour above rtoHours (a drill a period, so it is that drill's). */
export function rtoExceededCondition(metricName: string, workflowName: string, rtoHours: number): MonitoringAlertPolicyConditions {
  return {
    displayName: `Restore drill of ${workflowName} took longer than ${rtoHours}h`,
    conditionThreshold: {
      filter: ['resource.type = "workflows.googleapis.com/Workflow"', `metric.type = ${JSON.stringify(`logging.googleapis.com/user/${metricName}`)}`].join(
        ' AND ',
      ),
      comparison: 'COMPARISON_GT',
      thresholdValue: rtoHours * 3600,
      duration: '0s',
      // ALIGN_MEAN is exact for a distribution (its sum over its count), unlike bucket percentiles.
      aggregations: [{ alignmentPeriod: '3600s', perSeriesAligner: 'ALIGN_MEAN' }],
      trigger: { count: 1 },
    },
  };
}

export interface RestoreDrillProps {
  readonly db: ResolvedDatabase;
  readonly project: string;
  readonly instanceName: string;
  readonly labels: GcpLabels;
  readonly channelIds: readonly string[];
  /** Channels per tier; a drill alert is never a backup alert, so it notifies and records, never pages. Default: channelIds. */
  readonly channelIdsByTier?: Readonly<Record<Tier, readonly string[]>>;
}

export class RestoreDrill extends Construct {
  readonly workflowName: string;

  constructor(scope: Construct, id: string, props: RestoreDrillProps) {
    super(scope, id);
    const { db, project, instanceName } = props;
    const testing = db.backup.restoreTesting;
    if (!testing) throw new Error('unreachable: RestoreDrill is built only with backup.restoreTesting');
    const deadlineHours = testing.validationWindowHours ?? DEFAULT_DRILL_DEADLINE_HOURS;
    const prefix = clonePrefix(instanceName);
    // The instance keeps transaction logs (instance.ts) unless Backup and DR owns its backups.
    const pitr = (db.backup.pointInTimeRecovery.enabled || db.highAvailability) && !db.backup.vaultLock;
    if (!pitr)
      addNote(
        this,
        `restore drill: ${instanceName} has no point-in-time recovery here, so the drill clones its current ` +
          `state (no pointInTime): it proves a clone can be built and checked, not that a backup restores`,
      );

    const runner = new ServiceAccount(this, 'runner', {
      project,
      accountId: serviceAccountId(db.name, 'drill'),
      displayName: `dbaas restore drill of ${db.name}`,
      description: `Runs the restore drill of Cloud SQL instance ${instanceName}: clones it to ${prefix}-*, checks and deletes the clone.`,
    });
    const starter = new ServiceAccount(this, 'starter', {
      project,
      accountId: serviceAccountId(db.name, 'drill-start'),
      displayName: `dbaas restore drill scheduler of ${db.name}`,
      description: `Used by Cloud Scheduler to start the restore drill of ${instanceName}; may only invoke workflows.`,
    });
    const role = new ProjectIamCustomRole(this, 'role', {
      project,
      roleId: customRoleId(db.name, 'drill'),
      title: `dbaas restore drill ${db.name}`,
      description: 'Clone one Cloud SQL instance, check and delete the clone (dbaas restore drill).',
      permissions: [...DRILL_PERMISSIONS],
      stage: 'GA',
    });
    const instances = `projects/${project}/instances/`;
    new ProjectIamMember(this, 'runner-drill', {
      project,
      role: role.name,
      member: runner.member,
      condition: {
        title: `only ${instanceName} and its drill clones`,
        description: 'Cloud SQL permissions apply to the source instance and its drill clones only.',
        expression:
          `resource.type != "sqladmin.googleapis.com/Instance" || resource.name == ` +
          `"${instances}${instanceName}" || resource.name.startsWith("${instances}${prefix}-")`,
      },
    });
    new ProjectIamMember(this, 'runner-logs', { project, role: 'roles/logging.logWriter', member: runner.member });
    new ProjectIamMember(this, 'starter-invoke', { project, role: 'roles/workflows.invoker', member: starter.member });

    this.workflowName = gcpName(db.name, 'restore-drill', 64);
    const workflow = new WorkflowsWorkflow(this, 'workflow', {
      project,
      region: db.region,
      name: this.workflowName,
      description: `Restore drill: clones ${instanceName} to ${prefix}-<time>, checks its databases, logs the duration and deletes the clone (dbaas).`,
      serviceAccount: runner.email,
      callLogLevel: 'LOG_ERRORS_ONLY',
      sourceContents: drillWorkflowSource({
        project,
        instance: instanceName,
        clonePrefix: prefix,
        deadlineHours,
        ...(pitr ? { pointInTimeLagSeconds: POINT_IN_TIME_LAG_SECONDS } : {}),
      }),
      deletionProtection: db.deletionProtection,
      labels: { ...props.labels },
    });
    const schedulerJobName = gcpName(db.name, 'restore-drill', 500);
    startWorkflowOnSchedule(this, 'schedule', {
      project,
      region: db.region,
      name: schedulerJobName,
      description: `Starts ${this.workflowName} (dbaas restore drill).`,
      schedule: testing.schedule,
      timeZone: testing.timezone ?? db.backup.timezone,
      workflowId: workflow.id,
      starterEmail: starter.email,
    });
    addNote(
      this,
      `restore drill: each run creates a clone of ${instanceName} of the same tier in ${db.region} (named ` +
        `${prefix}-<unix time>, on the same network, so the private services range needs room for it) and ` +
        `deletes it; a drill costs about the instance's hourly price times the drill's duration`,
    );

    // Alerts.
    const production = db.environment === 'production';
    const severity = production ? 'CRITICAL' : 'WARNING';
    const byTier = props.channelIdsByTier;
    const channels = byTier ? alertTiers(production, false).flatMap((tier) => byTier[tier]) : [...props.channelIds];
    const runbookTarget: GcpRunbookTarget = { database: db.name, environment: db.environment, project, region: db.region, instanceName };
    const job = { workflowName: this.workflowName, schedulerJobName, region: db.region };
    const policy = (pid: string, title: string, condition: MonitoringAlertPolicyConditions, what: string, logBased = false) =>
      new MonitoringAlertPolicy(this, pid, {
        project,
        displayName: `dbaas ${db.name}: ${title}`,
        combiner: 'OR',
        severity,
        conditions: [condition],
        notificationChannels: channels,
        // The drill is a scheduled workflow like an export: the same runbook commands look at and re-run it.
        documentation: {
          mimeType: 'text/markdown',
          subject: `dbaas ${db.name}: ${title}`,
          content: exportRunbook(runbookTarget, what, job, logBased ? schedulerFailedFilter(schedulerJobName, db.region) : undefined),
        },
        ...(logBased ? { alertStrategy: { notificationRateLimit: { period: '300s' }, autoClose: '1800s' } } : {}),
        userLabels: { ...props.labels },
      });
    policy(
      'drill-failed',
      'restore drill failed',
      {
        displayName: `${this.workflowName} execution failed`,
        conditionThreshold: {
          filter: workflowExecutionsFilter(this.workflowName, db.region, 'FAILED'),
          comparison: 'COMPARISON_GT',
          thresholdValue: 0,
          duration: '0s',
          aggregations: [{ alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_SUM' }],
        },
      },
      `A restore drill of \`${instanceName}\` failed: the execution's error says which step. If its log ` +
        `says clone-not-deleted, delete the \`${prefix}-*\` instance by hand (it costs money).`,
    );
    policy(
      'drill-scheduler-failed',
      'restore drill scheduler failed',
      {
        displayName: `${schedulerJobName} could not start the restore drill`,
        conditionMatchedLog: { filter: schedulerFailedFilter(schedulerJobName, db.region) },
      },
      `Cloud Scheduler job \`${schedulerJobName}\` failed to start workflow \`${this.workflowName}\`.`,
      true,
    );
    // Not run: no successful drill within the schedule's longest gap, the drill's own deadline and 2 hours.
    const missingAfterHours = Math.ceil(cadenceGapHours(testing.schedule)) + deadlineHours + 2;
    policy(
      'drill-missing',
      `no restore drill for ${missingAfterHours}h`,
      exportsMissingCondition({ workflowName: this.workflowName, region: db.region, missingAfterHours }),
      `Workflow \`${this.workflowName}\` has not finished a restore drill successfully for ${missingAfterHours} hours.`,
    );

    const rto = db.objectives?.rtoHours;
    if (rto !== undefined) {
      const metricName = drillDurationMetricName(instanceName);
      const metric = new LoggingMetric(this, 'duration-metric', {
        project,
        name: metricName,
        description: `Seconds from clone start to a checked, RUNNABLE clone in restore drills of ${instanceName} (dbaas).`,
        filter: drillLogFilter(this.workflowName, db.region, 'succeeded'),
        metricDescriptor: { metricKind: 'DELTA', valueType: 'DISTRIBUTION', unit: 's' },
        valueExtractor: 'EXTRACT(jsonPayload.durationSeconds)',
        // 60 s × 1.5^k: up to ~1.3 years in 32 buckets; the alert uses the exact mean, buckets are for charts.
        bucketOptions: { exponentialBuckets: { numFiniteBuckets: 32, growthFactor: 1.5, scale: 60 } },
      });
      const slow = policy(
        'drill-rto',
        `restore slower than RTO ${rto}h`,
        rtoExceededCondition(metricName, this.workflowName, rto),
        `A restore drill of \`${instanceName}\` took longer than objectives.rtoHours (${rto} h) to give a ` +
          `checked, RUNNABLE clone. Restores of this database miss the RTO.`,
      );
      slow.dependsOn = [dependable(metric)]; // the filter names the metric, which must exist first
    }
  }
}
