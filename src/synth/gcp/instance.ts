// The Cloud SQL instance: private IP only, SSL required, automated backups with PITR, deletion
// protection, an optional customer-managed key, and its databases and IAM users (no password goes through Terraform).
import { gcpFacts } from '../../profiles/index.js';
import { KmsCryptoKey } from '@cdktf/provider-google/lib/kms-crypto-key/index.js';
import { KmsCryptoKeyIamMember } from '@cdktf/provider-google/lib/kms-crypto-key-iam-member/index.js';
import { KmsKeyRing } from '@cdktf/provider-google/lib/kms-key-ring/index.js';
import { DataGoogleSqlBackupRun } from '@cdktf/provider-google/lib/data-google-sql-backup-run/index.js';
import { SqlDatabase } from '@cdktf/provider-google/lib/sql-database/index.js';
import { SqlDatabaseInstance, type SqlDatabaseInstanceSettingsBackupConfiguration } from '@cdktf/provider-google/lib/sql-database-instance/index.js';
import { SqlUser } from '@cdktf/provider-google/lib/sql-user/index.js';
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { ResolvedDatabase } from '../../model/resolved.js';
import { addNote } from '../notes.js';
import { ADMIN_USER, databaseVersion, edition, IAM_AUTH_FLAG, iamUserType, maxLogRetentionDays, rootPasswordDiscarded, type CloudSqlEngine } from './engine.js';
import type { GcpLabels } from './labels.js';
import { gcpName } from './names.js';
import { backupStartTimeUtc, retainedBackups } from './schedule.js';
import { SynthError } from '../errors.js';
import { ERR } from '../../error-codes.js';

/** Construct ids keep letters, digits, "-" and "_" (cdktf drops the rest, which could make two names collide). */
const constructId = (name: string) => name.replace(/[^A-Za-z0-9_-]/g, '_');

const DAY_NUMBER: Readonly<Record<string, number>> = { mon: 1, tue: 2, wed: 3, thu: 4, fri: 5, sat: 6, sun: 7 };

export interface InstanceKeyProps {
  readonly db: ResolvedDatabase;
  readonly project: string;
  /** The Cloud SQL service agent e-mail that must be able to use the key. */
  readonly serviceAgent: string;
  readonly labels: GcpLabels;
  /** How often a managed key rotates. Default: 7776000s (90 days). */
  readonly rotationPeriod?: string;
}

/**
 * The instance's customer-managed key. With kmsKey "managed", a key ring and key are created in the
 * instance's region (key rings cannot be deleted in GCP: a re-created database imports its ring);
 * with a projects/.../cryptoKeys/... reference, that key is used. Either way the Cloud SQL service
 * agent gets roles/cloudkms.cryptoKeyEncrypterDecrypter on it, and the instance waits for that grant.
 */
export class InstanceKey extends Construct {
  /** The key's resource id, for encryption_key_name. */
  readonly keyId: string;
  /** The grant the instance must be created after. */
  readonly grant: ITerraformDependable;

  constructor(scope: Construct, id: string, props: InstanceKeyProps) {
    super(scope, id);
    const { db, project } = props;
    const reference = db.backup.encryption.kmsKey;
    if (reference === 'managed') {
      const production = db.environment === 'production';
      const ring = new KmsKeyRing(this, 'ring', { project, location: db.region, name: gcpName('dbaas', db.name, 63) });
      const key = new KmsCryptoKey(this, 'key', {
        name: gcpName(db.name, 'sql', 63),
        keyRing: ring.id,
        purpose: 'ENCRYPT_DECRYPT',
        rotationPeriod: props.rotationPeriod ?? '7776000s',
        labels: { ...props.labels },
        lifecycle: { preventDestroy: production },
      });
      this.keyId = key.id;
      addNote(
        this,
        `key ring ${gcpName('dbaas', db.name, 63)} in ${db.region} is permanent in GCP (key rings cannot be ` +
          `deleted): re-creating this database means importing it`,
      );
    } else {
      this.keyId = reference;
    }
    this.grant = new KmsCryptoKeyIamMember(this, 'agent', {
      cryptoKeyId: this.keyId,
      role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
      member: `serviceAccount:${props.serviceAgent}`,
    });
  }
}

export interface CloudSqlInstanceProps {
  readonly db: ResolvedDatabase;
  readonly engine: CloudSqlEngine;
  readonly project: string;
  /** Private VPC network self link (the instance gets no public IP unless the spec asks). */
  readonly network: string;
  readonly labels: GcpLabels;
  /** The customer-managed key. Default: none (Google-managed encryption). */
  readonly key?: InstanceKey;
  /**
   * A Backup and DR plan takes over the backup configuration after it attaches, so Terraform stops
   * managing settings.backup_configuration (the API refuses changes to it). Default: false.
   */
  readonly backupsManagedByPlan?: boolean;
  /** Disk type. Default: PD_SSD. */
  readonly diskType?: string;
  /** Maintenance update track. Default: stable. */
  readonly updateTrack?: string;
  /** Keep automated backups after the instance is deleted. Default: true. */
  readonly retainBackupsOnDelete?: boolean;
}

/** The instance with its databases and users. */
export class CloudSqlInstance extends Construct {
  readonly instance: SqlDatabaseInstance;
  /** The instance name, known at synth time (monitoring filters and exports use it). */
  readonly instanceName: string;
  /** `project:instance`, the database_id label of cloudsql_database metrics and logs. */
  readonly databaseId: string;

  constructor(scope: Construct, id: string, props: CloudSqlInstanceProps) {
    super(scope, id);
    const { db, engine, project } = props;
    const production = db.environment === 'production';
    this.instanceName = db.name;
    this.databaseId = `${project}:${db.name}`;

    // No password goes through Terraform: google 6.50 keeps root_password in state and reads Secret
    // Manager only through a data source (also kept in state), and the PR plan job reads state.
    const adminUser = ADMIN_USER[engine];
    if (rootPasswordDiscarded(engine)) {
      addNote(
        this,
        `MySQL has no admin user after create: the provider deletes 'root'@'%'. Give admins IAM database ` +
          `users (e-mail names) and grant them privileges, or create root outside Terraform (gcloud sql users ` +
          `create root --host=% --instance=${db.name} --password=...) so no password reaches state`,
      );
    } else {
      addNote(
        this,
        `the ${adminUser} user gets no password from Terraform (it would be kept in state): set it outside ` +
          `Terraform after create (gcloud sql users set-password ${adminUser} --instance=${db.name} ` +
          `--prompt-for-password), or sign in with IAM database users`,
      );
    }
    if (!db.backup.enabled) addNote(this, 'backup.enabled is false: Cloud SQL takes no automated backups and point-in-time recovery has nothing to start from');
    if (db.backup.retentionDays > 365) {
      addNote(
        this,
        `retentionDays ${db.backup.retentionDays}: Cloud SQL keeps at most 365 automated ` +
          `backups${db.backup.vaultLock ? '; the Backup and DR plan keeps the full retention' : ''}`,
      );
    }

    const iamUsers = db.users.filter((u) => iamUserType(u.name));
    const iamFlag = IAM_AUTH_FLAG[engine];
    const flags = iamUsers.length > 0 && iamFlag ? [{ name: iamFlag, value: 'on' }] : [];

    const restore = cloneArguments(this, db, project);
    const ignoreChanges = ['settings[0].disk_size', ...(props.backupsManagedByPlan ? ['settings[0].backup_configuration'] : []), ...CLONE_ARGUMENTS];
    this.instance = new SqlDatabaseInstance(this, 'instance', {
      project,
      name: db.name,
      region: db.region,
      databaseVersion: databaseVersion(engine, db.version),
      deletionProtection: db.deletionProtection,
      ...(props.key ? { encryptionKeyName: props.key.keyId, dependsOn: [props.key.grant] } : {}),
      ...restore,
      settings: {
        tier: db.instanceClass,
        edition: edition(db.instanceClass),
        availabilityType: db.highAvailability ? 'REGIONAL' : 'ZONAL',
        diskType: props.diskType ?? 'PD_SSD',
        diskSize: db.storageGb,
        diskAutoresize: true,
        deletionProtectionEnabled: db.deletionProtection,
        retainBackupsOnDelete: props.retainBackupsOnDelete ?? true,
        userLabels: { ...props.labels },
        backupConfiguration: backupConfiguration(db, engine),
        ipConfiguration: {
          ipv4Enabled: db.publiclyAccessible,
          privateNetwork: props.network,
          sslMode: db.requireSsl ? 'ENCRYPTED_ONLY' : 'ALLOW_UNENCRYPTED_AND_ENCRYPTED',
        },
        maintenanceWindow: {
          day: DAY_NUMBER[db.maintenanceWindow.day] ?? 7,
          hour: Number(db.maintenanceWindow.startTime.split(':')[0]),
          updateTrack: props.updateTrack ?? 'stable',
        },
        ...(flags.length > 0 ? { databaseFlags: flags } : {}),
      },
      lifecycle: { preventDestroy: production, ignoreChanges },
    });

    // A clone or restored backup brings its source's databases (validate holds spec.databases to them).
    for (const name of db.restoreFrom ? [] : db.databases) {
      new SqlDatabase(this, `database-${constructId(name)}`, {
        project,
        instance: this.instance.name,
        name,
        lifecycle: { preventDestroy: production },
      });
    }

    for (const user of db.users) {
      // validate refuses passwordSecret on GCP (src/validate/unsupported-gcp.ts): never read it here.
      if (user.passwordSecret !== undefined)
        throw new SynthError(
          ERR.SYNTH_SECRET,
          ['users', user.name, 'passwordSecret'],
          `user ${user.name}: a GCP stack reads no password (it would be kept in Terraform state)`,
          user.passwordSecret,
          'an IAM database user (e-mail name), or a user created outside Terraform',
        );
      const type = iamUserType(user.name);
      if (!type) continue; // refused by gcpProblems before synth
      new SqlUser(this, `user-${constructId(user.name)}`, {
        project,
        instance: this.instance.name,
        // Postgres user names are limited in length, so Cloud SQL wants service accounts without the suffix.
        name:
          gcpFacts(engine).iamServiceAccountWithoutDomain && type === 'CLOUD_IAM_SERVICE_ACCOUNT'
            ? user.name.replace(/\.gserviceaccount\.com$/, '')
            : user.name,
        type,
      });
    }
  }
}

/**
 * settings.backup_configuration: daily backups at the policy's time (UTC), `retentionDays` of them,
 * stored in the first copy region when there is one (offsite), with point-in-time recovery
 * (binary logs on MySQL). High availability needs PITR / binary logs, so it turns them on too.
 */
export function backupConfiguration(db: ResolvedDatabase, engine: CloudSqlEngine): SqlDatabaseInstanceSettingsBackupConfiguration {
  const { backup } = db;
  const pitr = backup.pointInTimeRecovery.enabled || db.highAvailability;
  const offsite = backup.copies.find((c) => c.region !== undefined)?.region;
  const logDays = Math.min(maxLogRetentionDays(engine, db.instanceClass), Math.max(1, backup.pointInTimeRecovery.retentionDays));
  return {
    enabled: backup.enabled,
    startTime: backupStartTimeUtc(backup.schedule, backup.timezone),
    backupRetentionSettings: { retainedBackups: retainedBackups(backup.retentionDays), retentionUnit: 'COUNT' },
    ...(offsite ? { location: offsite } : {}),
    [gcpFacts(engine).pitrField]: pitr,
    ...(pitr ? { transactionLogRetentionDays: logDays } : {}),
  };
}

/**
 * Exactly the arguments a restore sets on google_sql_database_instance. Neither is read back from the
 * API, so every instance ignores them (Terraform reads ignore_changes from the current configuration:
 * the list must outlive restoreFrom, or removing it would show a change).
 */
export const CLONE_ARGUMENTS = ['clone', 'restore_backup_context'] as const;

/**
 * spec.restoreFrom on Cloud SQL (hashicorp/terraform-provider-google v6.50.0,
 * google/services/sql/resource_sql_database_instance.go): `clone { source_instance_name,
 * point_in_time }` creates the instance with Instances.Clone on the source in the same project
 * (point_in_time unset clones the source as it is now, its latest state), then applies the settings;
 * `restore_backup_context { backup_run_id, instance_id, project }` creates the instance and restores
 * that backup run over it. The newest backup run comes from data google_sql_backup_run (most_recent).
 */
function cloneArguments(scope: Construct, db: ResolvedDatabase, project: string) {
  const from = db.restoreFrom;
  if (!from) return undefined;
  if (from.backup !== undefined) {
    const run = new DataGoogleSqlBackupRun(scope, 'restore-source', { project, instance: from.database, mostRecent: true });
    addNote(
      scope,
      `${db.name} starts from the newest backup of ${from.database}, with ${from.database}'s databases and users; later edits of restoreFrom are ignored`,
    );
    return { restoreBackupContext: { backupRunId: run.backupId, instanceId: from.database, project } };
  }
  addNote(
    scope,
    `${db.name} is a clone of ${from.database} ` +
      `(${(from.pointInTime ?? 'latest') === 'latest' ? 'latest state' : from.pointInTime}), with its ` +
      `databases, users and encryption key; later edits of restoreFrom are ignored. If restoreFrom is ` +
      `removed, import the databases first (terraform import google_sql_database... ` +
      `projects/${project}/instances/${db.name}/databases/NAME): the stack then manages them`,
  );
  return {
    clone: {
      sourceInstanceName: from.database,
      ...((from.pointInTime ?? 'latest') === 'latest' ? {} : { pointInTime: new Date(Date.parse(from.pointInTime ?? '')).toISOString() }),
    },
  };
}
