// Scheduled logical exports (the pattern of terraform-google-sql-db's backup module): per export,
// a locked-down bucket, a workflow that exports each database through the Cloud SQL Admin API, and
// a Cloud Scheduler job that starts it. Two service accounts keep the privileges apart: one runs
// the workflow (export this instance only), one may only start workflows.
import { ProjectIamCustomRole } from '@cdktf/provider-google/lib/project-iam-custom-role/index.js';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member/index.js';
import { ServiceAccount } from '@cdktf/provider-google/lib/service-account/index.js';
import { StorageBucket } from '@cdktf/provider-google/lib/storage-bucket/index.js';
import { StorageBucketIamMember } from '@cdktf/provider-google/lib/storage-bucket-iam-member/index.js';
import { WorkflowsWorkflow } from '@cdktf/provider-google/lib/workflows-workflow/index.js';
import { Construct } from 'constructs';
import type { ResolvedDatabase } from '../../model/resolved.js';
import { addNote } from '../notes.js';
import type { CloudSqlEngine } from './engine.js';
import { exportedDatabases } from './globs.js';
import type { GcpLabels } from './labels.js';
import { customRoleId, gcpName, serviceAccountId } from './names.js';
import { startWorkflowOnSchedule } from './workflow-starter.js';
import { cadenceGapHours } from './schedule.js';
import { exportWorkflowSource } from './workflow.js';

export type BackupExport = ResolvedDatabase['backup']['exports'][number];

export interface ScheduledExportsProps {
  readonly db: ResolvedDatabase;
  readonly engine: CloudSqlEngine;
  readonly project: string;
  /** The instance name (the instance is in `project`, region db.region). */
  readonly instanceName: string;
  /**
   * The instance's own service account e-mail (`service_account_email_address`, known after create):
   * Cloud SQL writes export files as that account, not as the project's Cloud SQL service agent.
   * Source: google 6.50 website/docs/r/sql_database_instance.html.markdown ("service_account_email_address");
   * https://cloud.google.com/sql/docs/postgres/import-export/import-export-sql#required_roles_and_permissions_for_exporting
   * ("the Cloud SQL instance service account ... needs the storage.objectAdmin role on the bucket").
   */
  readonly instanceServiceAccount: string;
  readonly labels: GcpLabels;
  /** Scheduler attempts after a failed start. Default: 3. */
  readonly schedulerRetryCount?: number;
  /**
   * Lock each bucket's retention policy (irreversible: the period can then only grow and the bucket
   * cannot be deleted before its objects expire). Default: true when the policy's vault lock is in
   * compliance mode.
   */
  readonly lockRetention?: boolean;
}

/** What monitoring needs to watch one export. */
export interface ExportJob {
  readonly workflowName: string;
  readonly schedulerJobName: string;
  readonly bucketName: string;
  readonly region: string;
  readonly databases: readonly string[];
  /** Hours without a successful run before "exports not running" fires. */
  readonly missingAfterHours: number;
}

const DAY_SECONDS = 86_400;

/** The alert window: the policy's missingAfterHours, or the export's longest gap plus 2 hours if longer. */
export function exportWindowHours(exp: BackupExport, missingAfterHours: number): number {
  return Math.max(missingAfterHours, Math.ceil(cadenceGapHours(exp.schedule)) + 2);
}

export class ScheduledExports extends Construct {
  readonly jobs: readonly ExportJob[];

  constructor(scope: Construct, id: string, props: ScheduledExportsProps) {
    super(scope, id);
    const { db, project } = props;
    const production = db.environment === 'production';
    const offsite = db.backup.copies.find((c) => c.region !== undefined)?.region;
    const bucketLocation = offsite ?? db.region;

    const runner = new ServiceAccount(this, 'runner', {
      project,
      accountId: serviceAccountId(db.name, 'export'),
      displayName: `dbaas exports of ${db.name}`,
      description: `Runs the export workflow of Cloud SQL instance ${props.instanceName}; may export only that instance.`,
    });
    const starter = new ServiceAccount(this, 'starter', {
      project,
      accountId: serviceAccountId(db.name, 'export-start'),
      displayName: `dbaas export scheduler of ${db.name}`,
      description: `Used by Cloud Scheduler to start the export workflow of ${props.instanceName}; may only invoke workflows.`,
    });

    // Least privilege: a custom role with just export and get (the connector polls the operation),
    // bound on the condition that the resource is this instance.
    const role = new ProjectIamCustomRole(this, 'export-role', {
      project,
      roleId: customRoleId(db.name, 'export'),
      title: `dbaas export ${db.name}`,
      description: 'Export one Cloud SQL instance to Cloud Storage (dbaas).',
      permissions: ['cloudsql.instances.export', 'cloudsql.instances.get'],
      stage: 'GA',
    });
    new ProjectIamMember(this, 'runner-export', {
      project,
      role: role.name,
      member: runner.member,
      condition: {
        title: `only ${props.instanceName}`,
        description: 'Cloud SQL permissions apply to this instance only.',
        expression: `resource.type != "sqladmin.googleapis.com/Instance" || resource.name == "projects/${project}/instances/${props.instanceName}"`,
      },
    });
    new ProjectIamMember(this, 'runner-logs', { project, role: 'roles/logging.logWriter', member: runner.member });
    // Workflows has no per-workflow IAM resource in google 6.50, so the invoker role is project-wide.
    new ProjectIamMember(this, 'starter-invoke', { project, role: 'roles/workflows.invoker', member: starter.member });

    this.jobs = db.backup.exports.map((exp, index) => {
      const suffix = index === 0 ? 'export' : `export-${index + 1}`;
      const scope = new Construct(this, suffix);
      const timezone = exp.timezone ?? db.backup.timezone;
      const databases = exportedDatabases(db.databases, exp.excludeDatabases ?? []);
      const bucketName = gcpName(`${project}-${db.name}`, index === 0 ? 'exports' : `exports-${index + 1}`, 63);

      const locked = props.lockRetention ?? db.backup.vaultLock?.mode === 'compliance';
      if (locked) {
        addNote(
          scope,
          `bucket ${bucketName} gets a locked retention policy of ${exp.retentionDays} days: it can never be ` +
            `shortened, and the bucket cannot be deleted before its objects expire`,
        );
      }
      const bucket = new StorageBucket(scope, 'bucket', {
        project,
        name: bucketName,
        location: bucketLocation,
        storageClass: 'STANDARD',
        uniformBucketLevelAccess: true,
        publicAccessPrevention: 'enforced',
        forceDestroy: false,
        // GCS refuses Object Versioning on a bucket with a retention policy. The retention policy is
        // the stronger guard (no object can be deleted or replaced before it expires), so it wins.
        versioning: { enabled: false },
        retentionPolicy: { retentionPeriod: exp.retentionDays * DAY_SECONDS, isLocked: locked },
        lifecycleRule: [{ action: { type: 'Delete' }, condition: { age: exp.retentionDays } }],
        labels: { ...props.labels },
        lifecycle: { preventDestroy: production },
      });
      new StorageBucketIamMember(scope, 'instance-writes', {
        bucket: bucket.name,
        role: 'roles/storage.objectAdmin',
        member: `serviceAccount:${props.instanceServiceAccount}`,
      });

      const workflowName = gcpName(db.name, suffix, 64);
      const source = exportWorkflowSource({ project, instance: props.instanceName, bucket: bucketName, engine: props.engine, databases });
      const workflow = new WorkflowsWorkflow(scope, 'workflow', {
        project,
        region: db.region,
        name: workflowName,
        description: `Exports ${databases.join(', ')} of ${props.instanceName} to gs://${bucketName} (dbaas).`,
        serviceAccount: runner.email,
        callLogLevel: 'LOG_ERRORS_ONLY',
        sourceContents: source, // its ${...} are the workflow's own; synth's escape boundary keeps them from Terraform
        deletionProtection: db.deletionProtection,
        labels: { ...props.labels },
        dependsOn: [bucket],
      });

      const schedulerJobName = gcpName(db.name, suffix, 500);
      startWorkflowOnSchedule(scope, 'schedule', {
        project,
        region: db.region,
        name: schedulerJobName,
        description: `Starts ${workflowName} (dbaas).`,
        schedule: exp.schedule,
        timeZone: timezone,
        workflowId: workflow.id,
        starterEmail: starter.email,
        ...(props.schedulerRetryCount !== undefined ? { retryCount: props.schedulerRetryCount } : {}),
      });

      return {
        workflowName,
        schedulerJobName,
        bucketName,
        region: db.region,
        databases,
        missingAfterHours: exportWindowHours(exp, db.backup.alerts.missingAfterHours),
      };
    });
  }
}
