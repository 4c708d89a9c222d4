// The database itself, with secure defaults: an RDS instance, an Aurora cluster with its instances or
// a DynamoDB table, whichever construct the engine's profile names (src/profiles/engines/). Every
// choice reads the resolved database, whose defaults are the secure ones (encrypted, private,
// deletion-protected in production).
import { DbInstance } from '@cdktf/provider-aws/lib/db-instance/index.js';
import { DbParameterGroup } from '@cdktf/provider-aws/lib/db-parameter-group/index.js';
import { DynamodbTable, type DynamodbTableAttribute } from '@cdktf/provider-aws/lib/dynamodb-table/index.js';
import { RdsCluster } from '@cdktf/provider-aws/lib/rds-cluster/index.js';
import { RdsClusterInstance } from '@cdktf/provider-aws/lib/rds-cluster-instance/index.js';
import { RdsClusterParameterGroup } from '@cdktf/provider-aws/lib/rds-cluster-parameter-group/index.js';
import type { TerraformResourceLifecycle } from 'cdktf';
import { Construct } from 'constructs';
import type { ResolvedDatabase } from '../../model/resolved.js';
import { MINUTES_PER_WEEK, scheduleProfile } from '../../schedule/profile.js';
import { awsFacts, engineOn, enginesOnText, type AwsConstruct, type AwsEngineFacts } from '../../profiles/index.js';
import { SynthError } from '../errors.js';
import { fitName } from '../naming.js';
import { addNote } from '../notes.js';
import type { AwsTarget } from './context.js';
import { auroraRestore, dynamoRestore, rdsRestore, restoreIgnoreChanges, RESTORE_ARGUMENTS } from './restore.js';
import { ERR } from '../../error-codes.js';

/** The master user; its password is generated and kept in Secrets Manager by RDS, never by dbaas. */
export const MASTER_USERNAME = 'dbaas_admin';

/** How AWS Backup and CloudWatch see the database. */
export interface DatabaseResource {
  /** The engine's AWS profile: construct, restore type, metric dimension, backup support. */
  readonly facts: AwsEngineFacts;
  /** ARN for the backup selection and restore testing. */
  readonly arn: string;
  /** DB instance / cluster identifier or table name (CloudWatch dimension value). */
  readonly identifier: string;
  /** protected_resource_type for restore testing (the profile's). */
  readonly restoreType: AwsEngineFacts['restoreType'];
  /** Whether AWS Backup continuous backup (PITR) applies; DynamoDB has its own PITR instead. */
  readonly continuousBackup: boolean;
}

export interface DatabaseProps {
  readonly target: AwsTarget;
  /** Encrypts storage and the master user secret. */
  readonly keyArn: string;
}

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] as const;

/** `sun:05:00-sun:06:00` from the resolved window (UTC), wrapping past midnight and the week. */
export function maintenanceWindow(window: ResolvedDatabase['maintenanceWindow']): string {
  const day = DAYS.indexOf(window.day);
  const [h = 0, m = 0] = window.startTime.split(':').map(Number);
  const start = (day < 0 ? 0 : day) * 1440 + h * 60 + m;
  const end = (start + Math.max(window.durationMinutes, 30)) % (7 * 1440);
  const show = (t: number) => {
    const minuteOfDay = t % 1440;
    const hh = String(Math.floor(minuteOfDay / 60)).padStart(2, '0');
    const mm = String(minuteOfDay % 60).padStart(2, '0');
    return `${DAYS[Math.floor(t / 1440)]}:${hh}:${mm}`;
  };
  return `${show(start)}-${show(end)}`;
}

/** RDS's shortest backup window (DbInstance BackupWindow: "Must be at least 30 minutes"). */
export const BACKUP_WINDOW_MINUTES = 30;

/**
 * The daily RDS automated-backup window (UTC, `hh:mm-hh:mm`), clear of every AWS Backup run (its
 * start plus start and completion windows) and of the weekly maintenance window: an AWS Backup job of
 * an RDS instance cannot run while RDS takes its own automated backup or maintains the instance (AWS
 * Backup devguide, Amazon RDS backups: keep AWS Backup schedules clear of the RDS backup and
 * maintenance windows), and RDS refuses a backup window that overlaps the maintenance window
 * (CreateDBInstance, PreferredBackupWindow). The first clear half hour of the day; undefined when none is.
 */
export function clearBackupWindow(db: ResolvedDatabase): string | undefined {
  const week = MINUTES_PER_WEEK;
  const busy = new Uint8Array(week);
  const mark = (from: number, minutes: number) => {
    for (let i = 0; i < minutes; i++) busy[(from + i) % week] = 1;
  };
  const profile = db.backup.enabled ? scheduleProfile(db.backup.schedule, db.backup.timezone) : undefined;
  if (db.backup.enabled && !profile) return undefined;
  if (profile) {
    const run = Math.min(db.backup.startWindowMinutes + db.backup.completionWindowMinutes, week);
    for (let m = 0; m < week; m++) if (profile.startsByWeekMinute[m]) mark(m, run);
  }
  const day = Math.max(DAYS.indexOf(db.maintenanceWindow.day), 0);
  const [h = 0, min = 0] = db.maintenanceWindow.startTime.split(':').map(Number);
  mark(day * 1440 + h * 60 + min, Math.max(db.maintenanceWindow.durationMinutes, 30));
  for (let start = 0; start < 1440; start += 30) {
    let clear = true;
    for (let d = 0; d < 7 && clear; d++) for (let i = 0; i < BACKUP_WINDOW_MINUTES && clear; i++) if (busy[(d * 1440 + start + i) % week]) clear = false;
    if (clear) {
      const hhmm = (t: number) => `${String(Math.floor(t / 60) % 24).padStart(2, '0')}:${String(t % 60).padStart(2, '0')}`;
      return `${hhmm(start)}-${hhmm(start + BACKUP_WINDOW_MINUTES)}`;
    }
  }
  return undefined;
}

/** AWS Backup continuous backups (PITR) keep at most 35 days. */
export const CONTINUOUS_MAX_DAYS = 35;

/**
 * How long continuous (PITR) recovery points live. A locked vault fails jobs shorter than its
 * minimum, so the window grows to that minimum when it fits in 35 days; a longer minimum sends
 * continuous backups to an unlocked vault instead (see backup.ts).
 */
export function continuousRetentionDays(db: ResolvedDatabase): { days: number; asked: number; separateVault: boolean } {
  const asked = Math.min(Math.max(Math.round(db.backup.pointInTimeRecovery.retentionDays), 1), CONTINUOUS_MAX_DAYS);
  const lockMin = db.backup.vaultLock?.minRetentionDays;
  if (lockMin === undefined || lockMin <= asked) return { days: asked, asked, separateVault: false };
  if (lockMin <= CONTINUOUS_MAX_DAYS) return { days: lockMin, asked, separateVault: false };
  return { days: asked, asked, separateVault: true };
}

/** Whether AWS Backup takes continuous backups of this database (DynamoDB has its own PITR). */
export function usesContinuousBackup(db: ResolvedDatabase): boolean {
  return db.backup.enabled && db.backup.pointInTimeRecovery.enabled && awsFacts(db.engine).continuousBackup;
}

/**
 * RDS automated backup retention, always explicit (Checkov CKV_AWS_133 passes when it is absent, and
 * the AWS default of 1 day is not a policy). With PITR through AWS Backup continuous backup, AWS
 * Backup takes over the automated backups and sets their retention to the continuous window, so
 * the stack says the same thing; otherwise the policy's retention, capped at RDS's 35 days.
 */
export function nativeRetentionDays(db: ResolvedDatabase): number {
  if (!db.backup.enabled) return 1;
  if (usesContinuousBackup(db)) return continuousRetentionDays(db).days;
  return Math.min(Math.max(Math.round(db.backup.retentionDays), 1), CONTINUOUS_MAX_DAYS);
}

/** A version pinned to a minor release must not be upgraded behind Terraform's back. */
function pinnedMinor(engine: string, version: string): boolean {
  return version.split('.').length > awsFacts(engine).majorParts; // mysql 8.0, postgres 16
}

function productionLifecycle(target: AwsTarget, type?: keyof typeof RESTORE_ARGUMENTS): { lifecycle?: TerraformResourceLifecycle } {
  // Every database ignores its restore arguments after creation (see restore.ts).
  const ignoreChanges = type ? restoreIgnoreChanges(type) : [];
  const lifecycle = { ...(target.production ? { preventDestroy: true } : {}), ...(ignoreChanges.length ? { ignoreChanges } : {}) };
  return Object.keys(lifecycle).length ? { lifecycle } : {};
}

/** Parameter group family from engine and version: postgres16, mysql8.0, aurora-postgresql16, aurora-mysql8.0. */
export function parameterFamily(engine: string, version: string): string {
  const parts = version.split('.');
  const major = awsFacts(engine).majorParts === 1 ? (parts[0] ?? version) : `${parts[0] ?? ''}.${parts[1] ?? '0'}`;
  return `${engine}${major}`;
}

/** The TLS-only parameter for an engine and the value that turns it on (its profile's). */
function tlsParameters(db: ResolvedDatabase): { name: string; value: string }[] {
  // Every engine with the tls capability names one (test/profiles/profiles.test.ts).
  const tls = awsFacts(db.engine).tlsParameter;
  return db.requireSsl && tls ? [{ ...tls }] : [];
}

function placement(target: AwsTarget) {
  const { account, db } = target;
  return {
    dbSubnetGroupName: account.subnetGroup ?? `dbaas-${db.environment}`,
    ...(account.securityGroupIds?.length ? { vpcSecurityGroupIds: [...account.securityGroupIds] } : {}),
  };
}

function firstDatabaseName(db: ResolvedDatabase): string | undefined {
  return db.databases[0]?.replace(/-/g, '_');
}

export class RdsInstanceDatabase extends Construct implements DatabaseResource {
  readonly facts: AwsEngineFacts;
  readonly restoreType: AwsEngineFacts['restoreType'];
  readonly continuousBackup: boolean;
  readonly arn: string;
  readonly identifier: string;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const { target, keyArn } = props;
    const { db } = target;
    this.facts = awsFacts(db.engine);
    this.restoreType = this.facts.restoreType;
    const params = new DbParameterGroup(this, 'parameters', {
      name: fitName('dbaas-', db.name, '', 255),
      family: parameterFamily(db.engine, db.version),
      description: `dbaas parameters for ${db.name}`,
      parameter: tlsParameters(db),
    });
    params.overrideLogicalId('parameter_group');
    this.continuousBackup = usesContinuousBackup(db);
    // With continuous backup AWS Backup manages the automated backups and their window itself.
    const backupWindow = this.continuousBackup ? undefined : clearBackupWindow(db);
    if (!this.continuousBackup && backupWindow === undefined) {
      addNote(
        this,
        'no half hour of the day is clear of AWS Backup runs and the maintenance window: RDS picks the backup window, and AWS Backup jobs inside it fail',
      );
    }
    const instance = new DbInstance(this, 'instance', {
      identifier: db.name,
      engine: db.engine,
      engineVersion: db.version,
      autoMinorVersionUpgrade: !pinnedMinor(db.engine, db.version),
      instanceClass: db.instanceClass,
      allocatedStorage: db.storageGb,
      storageType: 'gp3',
      storageEncrypted: db.storageEncrypted,
      ...(db.storageEncrypted ? { kmsKeyId: keyArn } : {}),
      // A restore keeps the source's database name and master user: validate holds spec.databases[0]
      // to the source's, so both stay the same (they are ForceNew) when restoreFrom is removed.
      ...(firstDatabaseName(db) ? { dbName: firstDatabaseName(db) } : {}),
      username: MASTER_USERNAME,
      ...rdsRestore(this, target),
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: keyArn,
      iamDatabaseAuthenticationEnabled: true,
      parameterGroupName: params.name,
      publiclyAccessible: db.publiclyAccessible,
      multiAz: db.highAvailability,
      ...placement(target),
      maintenanceWindow: maintenanceWindow(db.maintenanceWindow),
      ...(backupWindow ? { backupWindow } : {}),
      backupRetentionPeriod: nativeRetentionDays(db),
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: false,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: fitName('', db.name, '-final', 255),
      deletionProtection: db.deletionProtection,
      ...productionLifecycle(target, 'aws_db_instance'),
    });
    instance.overrideLogicalId('database');
    this.arn = instance.arn;
    this.identifier = db.name;
  }
}

export class AuroraClusterDatabase extends Construct implements DatabaseResource {
  readonly facts: AwsEngineFacts;
  readonly restoreType: AwsEngineFacts['restoreType'];
  readonly continuousBackup: boolean;
  readonly arn: string;
  readonly identifier: string;
  /** Writer first; two instances (a reader in another AZ) with highAvailability. */
  readonly instanceIdentifiers: readonly string[];

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const { target, keyArn } = props;
    const { db } = target;
    this.facts = awsFacts(db.engine);
    this.restoreType = this.facts.restoreType;
    const window = maintenanceWindow(db.maintenanceWindow);
    const params = new RdsClusterParameterGroup(this, 'parameters', {
      name: fitName('dbaas-', db.name, '', 255),
      family: parameterFamily(db.engine, db.version),
      description: `dbaas parameters for ${db.name}`,
      parameter: tlsParameters(db),
    });
    params.overrideLogicalId('cluster_parameter_group');
    const { dbSubnetGroupName, ...securityGroups } = placement(target);
    const cluster = new RdsCluster(this, 'cluster', {
      clusterIdentifier: db.name,
      engine: db.engine,
      engineVersion: db.version,
      ...(firstDatabaseName(db) ? { databaseName: firstDatabaseName(db) } : {}),
      masterUsername: MASTER_USERNAME,
      ...auroraRestore(this, target),
      manageMasterUserPassword: true,
      masterUserSecretKmsKeyId: keyArn,
      iamDatabaseAuthenticationEnabled: true,
      dbClusterParameterGroupName: params.name,
      storageEncrypted: db.storageEncrypted,
      ...(db.storageEncrypted ? { kmsKeyId: keyArn } : {}),
      dbSubnetGroupName,
      ...securityGroups,
      preferredMaintenanceWindow: window,
      backupRetentionPeriod: nativeRetentionDays(db),
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: false,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: fitName('', db.name, '-final', 255),
      deletionProtection: db.deletionProtection,
      ...productionLifecycle(target, 'aws_rds_cluster'),
    });
    cluster.overrideLogicalId('database');
    const count = db.highAvailability ? 2 : 1;
    const ids: string[] = [];
    for (let i = 1; i <= count; i++) {
      const identifier = fitName('', db.name, `-${i}`, 63);
      const instance = new RdsClusterInstance(this, `instance-${i}`, {
        identifier,
        clusterIdentifier: cluster.id,
        engine: db.engine,
        engineVersion: cluster.engineVersion,
        instanceClass: db.instanceClass,
        autoMinorVersionUpgrade: !pinnedMinor(db.engine, db.version),
        publiclyAccessible: db.publiclyAccessible,
        dbSubnetGroupName,
        preferredMaintenanceWindow: window,
        copyTagsToSnapshot: true,
        // The writer fails over to the reader first.
        promotionTier: i - 1,
      });
      instance.overrideLogicalId(`database_instance_${i}`);
      ids.push(identifier);
    }
    this.instanceIdentifiers = ids;
    this.arn = cluster.arn;
    this.identifier = db.name;
    this.continuousBackup = usesContinuousBackup(db);
  }
}

/**
 * Billing from the spec's table.billingMode, else the size map entry: PAY_PER_REQUEST, PROVISIONED
 * (5 read / 5 write units) or PROVISIONED:<read>:<write>.
 */
export function dynamoBilling(db: ResolvedDatabase): { billingMode: string; readCapacity?: number; writeCapacity?: number } {
  const [mode = 'PAY_PER_REQUEST', read, write] = db.instanceClass.split(':');
  const billingMode = db.table?.billingMode ?? (mode === 'PROVISIONED' ? 'PROVISIONED' : 'PAY_PER_REQUEST');
  if (billingMode !== 'PROVISIONED') return { billingMode };
  const units = (text: string | undefined) => (text && /^\d+$/.test(text) ? Number(text) : 5);
  return { billingMode, readCapacity: units(read), writeCapacity: units(write) };
}

export class DynamoTableDatabase extends Construct implements DatabaseResource {
  readonly facts: AwsEngineFacts;
  readonly restoreType: AwsEngineFacts['restoreType'];
  readonly continuousBackup = false;
  readonly arn: string;
  readonly identifier: string;

  constructor(scope: Construct, id: string, props: DatabaseProps) {
    super(scope, id);
    const { target, keyArn } = props;
    const { db } = target;
    this.facts = awsFacts(db.engine);
    this.restoreType = this.facts.restoreType;
    if (!db.table) {
      throw new SynthError(ERR.SYNTH_TABLE, ['table'], `dynamodb database ${db.name} has no table keys`, undefined, 'spec.table.partitionKey');
    }
    const { partitionKey, sortKey } = db.table;
    const attribute: DynamodbTableAttribute[] = [partitionKey, ...(sortKey ? [sortKey] : [])].map((k) => ({ name: k.name, type: k.type }));
    const pitr = db.backup.pointInTimeRecovery;
    const table = new DynamodbTable(this, 'table', {
      name: db.name,
      ...dynamoBilling(db),
      hashKey: partitionKey.name,
      ...(sortKey ? { rangeKey: sortKey.name } : {}),
      attribute,
      // DynamoDB's own PITR is the continuous backup here (AWS Backup has none for DynamoDB).
      pointInTimeRecovery: pitr.enabled ? { enabled: true, recoveryPeriodInDays: Math.min(Math.max(pitr.retentionDays, 1), 35) } : { enabled: false },
      serverSideEncryption: { enabled: true, kmsKeyArn: keyArn },
      deletionProtectionEnabled: db.deletionProtection,
      ...dynamoRestore(target),
      ...productionLifecycle(target, 'aws_dynamodb_table'),
    });
    table.overrideLogicalId('database');
    this.arn = table.arn;
    this.identifier = db.name;
  }
}

/** The construct of each AwsConstruct an engine profile names. */
const CONSTRUCTS: Readonly<Record<AwsConstruct, new (scope: Construct, id: string, props: DatabaseProps) => DatabaseResource>> = {
  'rds-instance': RdsInstanceDatabase,
  'aurora-cluster': AuroraClusterDatabase,
  'dynamodb-table': DynamoTableDatabase,
};

export function createDatabase(scope: Construct, props: DatabaseProps): DatabaseResource {
  const { engine } = props.target.db;
  const on = engineOn(engine, 'aws');
  if (!on) throw new SynthError(ERR.SYNTH_ENGINE, ['engine'], `engine ${engine} is not available on aws`, engine, enginesOnText('aws'));
  return new CONSTRUCTS[on.facts.construct](scope, 'database', props);
}
