// AlloyDB for PostgreSQL (engine `alloydb`): one cluster with its automated backup policy and
// continuous backup (PITR), one PRIMARY instance, IAM database users, and the backup alerts. Every
// attribute is checked against hashicorp/terraform-provider-google v6.50.0 (see README.md, "AlloyDB").
// The engine profile (src/profiles/engines/alloydb.ts) names this construct; buildGcpStack calls it.
import { AlloydbCluster } from '@cdktf/provider-google/lib/alloydb-cluster/index.js';
import { AlloydbInstance } from '@cdktf/provider-google/lib/alloydb-instance/index.js';
import { AlloydbUser } from '@cdktf/provider-google/lib/alloydb-user/index.js';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
import type { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { ResolvedDatabase } from '../../model/resolved.js';
import { alloydb } from '../../profiles/engines/alloydb.js';
import { addNote } from '../notes.js';
import type { SynthContext } from '../types.js';
import { alloydbDatabaseVersion, alloydbMachine, alloydbProblems, alloydbServiceAgent } from './alloydb-checks.js';
import { AlloyDbAlerts } from './alloydb-monitoring.js';
import { alloydbWeeklySchedule, weeklyGapHours } from './alloydb-schedule.js';
import { iamUserType } from './engine.js';
import { synthErrorOf } from './index.js';
import { InstanceKey } from './instance.js';
import { databaseLabels, type GcpLabels } from './labels.js';
import { NotificationChannels } from './monitoring.js';

/** The IAM authentication flag of AlloyDB, from its engine profile. */
export const ALLOYDB_IAM_FLAG = alloydb.gcp!.facts.iamAuthFlag!;

const MAINTENANCE_DAY: Readonly<Record<string, string>> = {
  mon: 'MONDAY',
  tue: 'TUESDAY',
  wed: 'WEDNESDAY',
  thu: 'THURSDAY',
  fri: 'FRIDAY',
  sat: 'SATURDAY',
  sun: 'SUNDAY',
};
const constructId = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, '_');

export interface AlloyDbClusterProps {
  readonly db: ResolvedDatabase;
  readonly project: string;
  /** Private VPC network (projects/<project>/global/networks/<name>). */
  readonly network: string;
  readonly labels: GcpLabels;
  /** The customer-managed key id, with the grant the cluster must wait for. Default: Google-managed encryption. */
  readonly key?: InstanceKey;
}

/** The cluster, its primary instance and its IAM users. */
export class AlloyDbCluster extends Construct {
  readonly cluster: AlloydbCluster;
  readonly instance: AlloydbInstance;
  /** cluster_id (= the database name), known at synth time. */
  readonly clusterId: string;
  /** Longest gap between two scheduled backups, in hours. */
  readonly gapHours: number;
  readonly backupWindowMinutes: number;

  constructor(scope: Construct, id: string, props: AlloyDbClusterProps) {
    super(scope, id);
    const { db, project } = props;
    const schedule = alloydbWeeklySchedule(db.backup.schedule, db.backup.timezone);
    const version = alloydbDatabaseVersion(db.version);
    const machine = alloydbMachine(db.instanceClass);
    if (!schedule.ok || !version || !machine) throw new Error('unreachable: alloydbProblems checks schedule, version and size');
    this.clusterId = db.name;
    this.gapHours = weeklyGapHours(schedule.days, schedule.hours);
    this.backupWindowMinutes = db.backup.completionWindowMinutes;
    const kms = props.key ? { kmsKeyName: props.key.keyId } : undefined;
    // google 6.50 has no deletion_protection on AlloyDB (it arrives in 7.x): prevent_destroy is the guard.
    const lifecycle = { preventDestroy: db.deletionProtection };
    const pitr = db.backup.pointInTimeRecovery;

    this.cluster = new AlloydbCluster(this, 'cluster', {
      project,
      clusterId: db.name,
      location: db.region,
      databaseVersion: version,
      networkConfig: { network: props.network },
      labels: { ...props.labels },
      // No initial_user: its password is required in the block and kept in state (Sensitive only).
      ...(kms ? { encryptionConfig: kms } : {}),
      // backup.enabled false writes no policy at all: google 6.50's expander sends automated_backup_policy.enabled
      // only when it is not the zero value (resource_alloydb_cluster.go, expandAlloydbClusterAutomatedBackupPolicy:
      // `!tpgresource.IsEmptyValue(val)`), so `enabled = false` would be dropped and the API default would keep
      // backups on. A new cluster has the policy off ("AutomatedBackupPolicy is disabled by default").
      ...(db.backup.enabled
        ? {
            automatedBackupPolicy: {
              enabled: true,
              location: db.region,
              backupWindow: `${db.backup.completionWindowMinutes * 60}s`,
              weeklySchedule: { daysOfWeek: [...schedule.days], startTimes: schedule.hours.map((hours) => ({ hours, minutes: 0, seconds: 0, nanos: 0 })) },
              timeBasedRetention: { retentionPeriod: `${db.backup.retentionDays * 86_400}s` },
              labels: { ...props.labels },
              ...(kms ? { encryptionConfig: kms } : {}),
            },
          }
        : {}),
      // Continuous backup is on by default in AlloyDB (provider Default: true), so off is written out.
      continuousBackupConfig: pitr.enabled
        ? { enabled: true, recoveryWindowDays: pitr.retentionDays, ...(kms ? { encryptionConfig: kms } : {}) }
        : { enabled: false },
      maintenanceUpdatePolicy: {
        maintenanceWindows: [
          {
            day: MAINTENANCE_DAY[db.maintenanceWindow.day] ?? 'SUNDAY',
            startTime: { hours: Number(db.maintenanceWindow.startTime.slice(0, 2)), minutes: 0, seconds: 0, nanos: 0 },
          },
        ],
      },
      deletionPolicy: 'DEFAULT',
      lifecycle,
      ...(props.key ? { dependsOn: [props.key.grant] } : {}),
    });

    const iamUsers = db.users.filter((u) => iamUserType(u.name) && u.passwordSecret === undefined);
    this.instance = new AlloydbInstance(this, 'primary', {
      cluster: this.cluster.name,
      instanceId: `${db.name}-primary`,
      instanceType: 'PRIMARY',
      availabilityType: db.highAvailability ? 'REGIONAL' : 'ZONAL',
      machineConfig: { cpuCount: machine.cpuCount, ...(machine.machineType ? { machineType: machine.machineType } : {}) },
      clientConnectionConfig: { sslConfig: { sslMode: db.requireSsl ? 'ENCRYPTED_ONLY' : 'ALLOW_UNENCRYPTED_AND_ENCRYPTED' } },
      networkConfig: { enablePublicIp: false },
      ...(iamUsers.length > 0 ? { databaseFlags: { [ALLOYDB_IAM_FLAG]: 'on' } } : {}),
      labels: { ...props.labels },
      lifecycle,
    });

    for (const user of iamUsers) {
      const type = iamUserType(user.name);
      new AlloydbUser(this, `user-${constructId(user.name)}`, {
        cluster: this.cluster.name,
        userId:
          type === 'CLOUD_IAM_SERVICE_ACCOUNT' && alloydb.gcp!.facts.iamServiceAccountWithoutDomain
            ? user.name.replace(/\.gserviceaccount\.com$/, '')
            : user.name,
        userType: 'ALLOYDB_IAM_USER',
        dependsOn: [this.instance], // users are created through the primary instance
      });
    }
    if (iamUsers.length > 0) {
      // AlloyDB "Manage IAM authentication": an IAM principal signs in only with roles/alloydb.databaseUser
      // and roles/serviceusage.serviceUsageConsumer. Not granted here: google 6.50 has no per-cluster AlloyDB
      // IAM resource, so the grant would be project-wide (every cluster of the project), which a database
      // spec must not hand out; Cloud SQL stacks likewise leave roles/cloudsql.instanceUser to the project.
      addNote(
        this,
        `IAM database users ${iamUsers.map((u) => u.name).join(', ')} sign in only with roles/alloydb.databaseUser and ` +
          `roles/serviceusage.serviceUsageConsumer on project ${props.project}, which this stack does not grant ` +
          `(project-wide roles, granted by the project's IAM owners)`,
      );
    }
    addNote(
      this,
      `AlloyDB cluster ${db.name} gets no initial_user (its password would be kept in Terraform state): ` +
        `set the postgres password after create (gcloud alloydb users set-password postgres ` +
        `--cluster=${db.name} --region=${db.region} --password=...) or sign in with IAM database users`,
    );
    addNote(
      this,
      `databases ${db.databases.join(', ')} are not created by Terraform (google 6.50 has no AlloyDB ` +
        `database resource): create them with psql after the primary instance is up`,
    );
    if (!db.backup.enabled)
      addNote(
        this,
        `backup.enabled is false: the stack writes no automated backup policy, so a new cluster takes no scheduled ` +
          `backups; on an existing cluster whose policy is on, Terraform cannot turn it off (google 6.50 drops ` +
          `enabled = false): run gcloud alloydb clusters update ${db.name} --region=${db.region} ` +
          `--disable-automated-backup`,
      );
  }
}

/**
 * Adds every resource of one AlloyDB database to `stack`: provider, optional customer-managed key,
 * cluster, primary instance, users, notification channels and backup alerts. Throws a SynthError
 * naming the resolved field for the first of `alloydbProblems(db)`.
 */
export function buildAlloyDbStack(stack: TerraformStack, db: ResolvedDatabase, _ctx: SynthContext): void {
  const problems = alloydbProblems(db);
  if (problems[0]) throw synthErrorOf(problems[0], problems.slice(1));
  const placement = db.placement;
  if (placement.cloud !== 'gcp') throw new Error('unreachable: alloydbProblems checks placement');
  const project = placement.projectId;
  const labels = databaseLabels(db);

  new GoogleProvider(stack, 'google', { project, region: db.region });
  addNote(
    stack,
    `network ${placement.network} must have private services access (an allocated range and a ` +
      `servicenetworking.googleapis.com connection) before the AlloyDB cluster is created; the instance ` +
      `has no public IP`,
  );
  const agent = alloydbServiceAgent(placement);
  if (db.storageEncrypted) {
    addNote(
      stack,
      `the AlloyDB service identity ` +
        `${agent ?? '(service-<project number>@gcp-sa-alloydb.iam.gserviceaccount.com)'} must exist before ` +
        `apply: gcloud beta services identity create --service=alloydb.googleapis.com --project=${project}`,
    );
  }
  const key = db.storageEncrypted && agent ? new InstanceKey(stack, 'key', { db, project, serviceAgent: agent, labels }) : undefined;
  const alloy = new AlloyDbCluster(stack, 'alloydb', { db, project, network: placement.network, labels, ...(key ? { key } : {}) });
  const channels = new NotificationChannels(stack, 'channels', { channels: db.channels, project, labels });
  new AlloyDbAlerts(stack, 'alerts', {
    db,
    project,
    clusterId: alloy.clusterId,
    gapHours: alloy.gapHours,
    backupWindowMinutes: alloy.backupWindowMinutes,
    channelIds: channels.ids,
    channelIdsByTier: channels.byTier,
    labels,
  });
}
