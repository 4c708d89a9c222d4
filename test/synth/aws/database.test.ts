import { describe, expect, it } from 'vitest';
import { clearBackupWindow, maintenanceWindow, nativeRetentionDays, parameterFamily } from '../../../src/synth/aws/database.js';
import { awsEntries, exampleEntry, resource, resources, synthJson, variant } from '../helpers.js';

describe('RDS instance (orders: production postgres, HA)', () => {
  it('is encrypted with the stack key, private, and keeps no password', async () => {
    const json = await synthJson(exampleEntry('orders').db);
    const db = resource(json, 'aws_db_instance', 'database');
    expect(db).toMatchObject({
      identifier: 'orders',
      engine: 'postgres',
      engine_version: '16.4',
      instance_class: 'db.r6g.large',
      allocated_storage: 100,
      storage_encrypted: true,
      kms_key_id: '${aws_kms_key.kms_key.arn}',
      publicly_accessible: false,
      manage_master_user_password: true,
      master_user_secret_kms_key_id: '${aws_kms_key.kms_key.arn}',
      copy_tags_to_snapshot: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: 'orders-final',
      delete_automated_backups: false,
      multi_az: true,
      db_subnet_group_name: 'dbaas-production',
      vpc_security_group_ids: ['sg-0a1b2c3d4e5f60718'],
      maintenance_window: 'sun:06:00-sun:07:00',
      deletion_protection: true,
      lifecycle: { prevent_destroy: true },
    });
    expect(db).not.toHaveProperty('password');
    expect(db).not.toHaveProperty('password_wo');
  });

  it('enforces TLS through its parameter group', async () => {
    const json = await synthJson(exampleEntry('orders').db);
    expect(resource(json, 'aws_db_parameter_group', 'parameter_group')).toMatchObject({
      family: 'postgres16',
      parameter: [{ name: 'rds.force_ssl', value: '1' }],
    });
    const users = await synthJson(exampleEntry('users').db);
    expect(resource(users, 'aws_db_parameter_group', 'parameter_group')).toMatchObject({
      family: 'mysql8.0',
      parameter: [{ name: 'require_secure_transport', value: '1' }],
    });
  });

  it('has no prevent_destroy and no deletion protection in development', async () => {
    const json = await synthJson(exampleEntry('sessions').db);
    const db = resource(json, 'aws_db_instance', 'database');
    // No prevent_destroy; only the restore arguments are ignored (src/synth/aws/restore.ts).
    expect(db.lifecycle).toEqual({ ignore_changes: ['restore_to_point_in_time', 'snapshot_identifier'] });
    expect(db.deletion_protection).toBe(false);
    expect(db.multi_az).toBe(false);
    expect(db.db_subnet_group_name).toBe('dbaas-development');
  });

  it('lets AWS apply minor upgrades only when the version names a major release', async () => {
    const pinned = await synthJson(exampleEntry('orders').db);
    expect(resource(pinned, 'aws_db_instance', 'database').auto_minor_version_upgrade).toBe(false);
    const major = await synthJson(variant('orders', { version: '16' }));
    expect(resource(major, 'aws_db_instance', 'database').auto_minor_version_upgrade).toBe(true);
  });
});

describe('backup_retention_period', () => {
  it('is set explicitly on every RDS instance and Aurora cluster of the example repo', async () => {
    const checked: string[] = [];
    for (const { db } of awsEntries()) {
      if (db.engine === 'dynamodb') continue;
      const json = await synthJson(db);
      const native = { ...resources(json, 'aws_db_instance'), ...resources(json, 'aws_rds_cluster') }.database;
      expect(native?.backup_retention_period, db.name).toBeGreaterThanOrEqual(1);
      expect(native?.backup_retention_period, db.name).toBe(nativeRetentionDays(db));
      checked.push(db.name);
    }
    expect(checked.sort()).toEqual(['audit', 'audit-restore', 'ledger', 'orders', 'payouts', 'sessions', 'users']);
  });

  it.each([
    ['no PITR: the policy retention', { backup: { pointInTimeRecovery: { enabled: false, retentionDays: 7 } } }, 35],
    ['no PITR, a year of retention: capped at 35', { backup: { retentionDays: 365, pointInTimeRecovery: { enabled: false, retentionDays: 7 } } }, 35],
    ['PITR through AWS Backup: its window (raised to the lock minimum)', {}, 35],
    ['PITR without a lock: its own window', { backup: { vaultLock: undefined } }, 7],
    ['backups disabled: still 1, never 0', { backup: { enabled: false } }, 1],
  ] as const)('%s', async (_label, patch, expected) => {
    const json = await synthJson(variant('orders', patch));
    expect(resource(json, 'aws_db_instance', 'database').backup_retention_period).toBe(expected);
  });

  it('follows a short PITR window on a staging cluster (audit: 3 days)', async () => {
    const json = await synthJson(exampleEntry('audit').db);
    expect(resource(json, 'aws_rds_cluster', 'database').backup_retention_period).toBe(3);
  });
});

describe('Aurora cluster', () => {
  it('has a writer and a reader with highAvailability (ledger)', async () => {
    const json = await synthJson(exampleEntry('ledger').db);
    const cluster = resource(json, 'aws_rds_cluster', 'database');
    expect(cluster).toMatchObject({
      cluster_identifier: 'ledger',
      engine: 'aurora-mysql',
      manage_master_user_password: true,
      storage_encrypted: true,
      kms_key_id: '${aws_kms_key.kms_key.arn}',
      copy_tags_to_snapshot: true,
      skip_final_snapshot: false,
      final_snapshot_identifier: 'ledger-final',
      deletion_protection: true,
      lifecycle: { prevent_destroy: true },
      db_cluster_parameter_group_name: '${aws_rds_cluster_parameter_group.cluster_parameter_group.name}',
    });
    expect(cluster).not.toHaveProperty('master_password');
    const instances = resources(json, 'aws_rds_cluster_instance');
    expect(Object.keys(instances).sort()).toEqual(['database_instance_1', 'database_instance_2']);
    for (const instance of Object.values(instances)) {
      expect(instance).toMatchObject({ cluster_identifier: '${aws_rds_cluster.database.id}', instance_class: 'db.r6g.2xlarge', publicly_accessible: false });
    }
    expect(resource(json, 'aws_rds_cluster_parameter_group', 'cluster_parameter_group')).toMatchObject({ family: 'aurora-mysql8.0' });
  });

  it('has one instance without highAvailability (audit)', async () => {
    const json = await synthJson(exampleEntry('audit').db);
    expect(Object.keys(resources(json, 'aws_rds_cluster_instance'))).toEqual(['database_instance_1']);
    expect(resource(json, 'aws_rds_cluster', 'database').lifecycle).toEqual({ ignore_changes: ['restore_to_point_in_time', 'snapshot_identifier'] });
  });
});

describe('DynamoDB table (carts)', () => {
  it('takes its keys, billing, encryption and protection from the resolved database', async () => {
    const json = await synthJson(exampleEntry('carts').db);
    expect(resource(json, 'aws_dynamodb_table', 'database')).toMatchObject({
      name: 'carts',
      billing_mode: 'PAY_PER_REQUEST',
      hash_key: 'cartId',
      range_key: 'itemId',
      attribute: [
        { name: 'cartId', type: 'S' },
        { name: 'itemId', type: 'S' },
      ],
      point_in_time_recovery: { enabled: false },
      server_side_encryption: { enabled: true, kms_key_arn: '${aws_kms_key.kms_key.arn}' },
      deletion_protection_enabled: false,
    });
  });

  it('turns on its own PITR with the policy window when the policy asks', async () => {
    const json = await synthJson(variant('carts', { backup: { pointInTimeRecovery: { enabled: true, retentionDays: 10 } } }));
    expect(resource(json, 'aws_dynamodb_table', 'database').point_in_time_recovery).toEqual({ enabled: true, recovery_period_in_days: 10 });
  });

  it('reads provisioned capacity from the size map', async () => {
    const json = await synthJson(variant('carts', { instanceClass: 'PROVISIONED:10:20' }));
    expect(resource(json, 'aws_dynamodb_table', 'database')).toMatchObject({ billing_mode: 'PROVISIONED', read_capacity: 10, write_capacity: 20 });
  });

  it('is deletion-protected and prevent_destroy in production', async () => {
    const json = await synthJson(variant('carts', { environment: 'production', deletionProtection: true }));
    expect(resource(json, 'aws_dynamodb_table', 'database')).toMatchObject({ deletion_protection_enabled: true, lifecycle: { prevent_destroy: true } });
  });
});

describe('helpers', () => {
  it.each([
    [{ day: 'sun', startTime: '05:00', durationMinutes: 60 }, 'sun:05:00-sun:06:00'],
    [{ day: 'sat', startTime: '23:30', durationMinutes: 60 }, 'sat:23:30-sun:00:30'],
    [{ day: 'mon', startTime: '10:00', durationMinutes: 10 }, 'mon:10:00-mon:10:30'],
  ] as const)('maintenance window %o → %s', (window, expected) => {
    expect(maintenanceWindow(window)).toBe(expected);
  });

  it.each([
    ['postgres', '16.4', 'postgres16'],
    ['mysql', '8.0.39', 'mysql8.0'],
    ['aurora-postgresql', '16', 'aurora-postgresql16'],
    ['aurora-mysql', '8.0.mysql_aurora.3.08.0', 'aurora-mysql8.0'],
  ])('parameter family of %s %s is %s', (engine, version, family) => {
    expect(parameterFamily(engine, version)).toBe(family);
  });
});

describe('backup_window (RDS automated backups)', () => {
  it('is the first half hour clear of the AWS Backup runs and the maintenance window (users: no PITR, 03:00 + 4 h, sun 06:00)', async () => {
    const users = exampleEntry('users').db;
    const json = await synthJson({ ...users, backup: { ...users.backup, pointInTimeRecovery: { enabled: false, retentionDays: 7 } } });
    const instance = resource(json, 'aws_db_instance', 'database');
    expect(instance.backup_window).toBe('00:00-00:30');
    expect(instance.maintenance_window).toBe('sun:06:00-sun:07:00');
  });

  it('steps around runs that cover the early hours and a maintenance window at the first clear slot', async () => {
    const base = exampleEntry('sessions').db;
    const db = {
      ...base,
      backup: { ...base.backup, schedule: '0 22 * * *', startWindowMinutes: 60, completionWindowMinutes: 180 },
      maintenanceWindow: { day: 'mon' as const, startTime: '02:00', durationMinutes: 60 },
    };
    // Runs are busy 22:00-02:00 every day; Monday 02:00-03:00 is maintenance.
    expect(clearBackupWindow(db)).toBe('03:00-03:30');
  });

  it('is absent with continuous backup, which manages the automated backups itself (orders)', async () => {
    const json = await synthJson(exampleEntry('orders').db);
    expect(resource(json, 'aws_db_instance', 'database')).not.toHaveProperty('backup_window');
  });

  it('is left to RDS, with a note, when no half hour is clear (hourly runs of 4 h)', async () => {
    const base = exampleEntry('sessions').db;
    const db = { ...base, backup: { ...base.backup, schedule: '0 * * * *' } };
    expect(clearBackupWindow(db)).toBeUndefined();
    const json = await synthJson(db);
    expect(resource(json, 'aws_db_instance', 'database')).not.toHaveProperty('backup_window');
    expect(json['//'].dbaas.notes?.some((n) => n.includes('no half hour of the day is clear'))).toBe(true);
  });
});
