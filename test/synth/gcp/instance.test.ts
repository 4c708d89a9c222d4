import { describe, expect, it } from 'vitest';
import { exampleDb, featureDb, named, only, resources, synthFeature, synthJson, withChanges } from './helpers.js';

describe('Cloud SQL instance', () => {
  const warehouse = synthJson(exampleDb('warehouse-meta'));
  const instance = only(warehouse, 'google_sql_database_instance');
  const settings = instance.settings;

  it('maps engine, version and size to database_version, tier and edition', () => {
    expect(instance.database_version).toBe('POSTGRES_16');
    expect(settings.tier).toBe('db-custom-2-7680');
    expect(settings.edition).toBe('ENTERPRISE');
    expect(only(synthJson(exampleDb('experiments')), 'google_sql_database_instance').database_version).toBe('MYSQL_8_0');
    expect(only(synthJson(exampleDb('reports')), 'google_sql_database_instance').database_version).toBe('POSTGRES_16');
  });

  it('takes the project and region from the placement', () => {
    expect(instance.project).toBe('acme-data-prod');
    expect(instance.region).toBe('europe-west1');
    expect(warehouse.provider?.google?.[0]).toEqual({ project: 'acme-data-prod', region: 'europe-west1' });
  });

  it('starts backups at the policy time in UTC and keeps retentionDays of them', () => {
    // gcp-prod: "0 20 * * *" UTC, 35 days
    expect(settings.backup_configuration.start_time).toBe('20:00');
    expect(settings.backup_configuration.enabled).toBe(true);
    expect(settings.backup_configuration.backup_retention_settings).toEqual({ retained_backups: 35, retention_unit: 'COUNT' });
  });

  it('converts a timezone to UTC on the winter reference date', () => {
    const db = withChanges(exampleDb('warehouse-meta'), { backup: { schedule: '0 3 * * *', timezone: 'Europe/Brussels' } });
    expect(only(synthJson(db), 'google_sql_database_instance').settings.backup_configuration.start_time).toBe('02:00');
    // ledger: "15 23 * * 1,3,5" America/New_York → 04:15 UTC
    expect(only(synthFeature('ledger'), 'google_sql_database_instance').settings.backup_configuration.start_time).toBe('04:15');
  });

  it('caps retained backups at 365', () => {
    expect(featureDb('ledger').backup.retentionDays).toBe(400);
    expect(only(synthFeature('ledger'), 'google_sql_database_instance').settings.backup_configuration.backup_retention_settings.retained_backups).toBe(365);
  });

  it('puts backups in the first copy region (offsite)', () => {
    expect(settings.backup_configuration.location).toBe('europe-west4');
    expect(only(synthJson(exampleDb('experiments')), 'google_sql_database_instance').settings.backup_configuration.location).toBeUndefined();
  });

  it('uses point_in_time_recovery_enabled for postgres and sqlserver, binary_log_enabled for mysql', () => {
    expect(settings.backup_configuration.point_in_time_recovery_enabled).toBe(true);
    expect(settings.backup_configuration.binary_log_enabled).toBeUndefined();
    expect(settings.backup_configuration.transaction_log_retention_days).toBe(7);

    const reports = only(synthJson(exampleDb('reports')), 'google_sql_database_instance').settings.backup_configuration;
    expect(reports.point_in_time_recovery_enabled).toBe(true);
    expect(reports.binary_log_enabled).toBeUndefined();

    const ledger = only(synthFeature('ledger'), 'google_sql_database_instance').settings.backup_configuration;
    expect(ledger.binary_log_enabled).toBe(true);
    expect(ledger.point_in_time_recovery_enabled).toBeUndefined();
    expect(ledger.transaction_log_retention_days).toBe(3);

    // experiments: mysql without PITR and without HA
    const experiments = only(synthJson(exampleDb('experiments')), 'google_sql_database_instance').settings.backup_configuration;
    expect(experiments.binary_log_enabled).toBe(false);
    expect(experiments.transaction_log_retention_days).toBeUndefined();
  });

  it('turns on PITR for high availability and clamps log retention to the edition limit', () => {
    const ha = withChanges(exampleDb('experiments'), { highAvailability: true });
    expect(only(synthJson(ha), 'google_sql_database_instance').settings.backup_configuration.binary_log_enabled).toBe(true);
    const long = withChanges(exampleDb('warehouse-meta'), { backup: { pointInTimeRecovery: { enabled: true, retentionDays: 30 } } });
    expect(only(synthJson(long), 'google_sql_database_instance').settings.backup_configuration.transaction_log_retention_days).toBe(7);
    const plus = withChanges(long, { instanceClass: 'db-perf-optimized-N-8' });
    const plusInstance = only(synthJson(plus), 'google_sql_database_instance');
    expect(plusInstance.settings.edition).toBe('ENTERPRISE_PLUS');
    expect(plusInstance.settings.backup_configuration.transaction_log_retention_days).toBe(30);
  });

  it('protects production from deletion (Terraform, API and lifecycle) and not development', () => {
    expect(instance.deletion_protection).toBe(true);
    expect(settings.deletion_protection_enabled).toBe(true);
    expect(instance.lifecycle.prevent_destroy).toBe(true);
    expect(settings.retain_backups_on_delete).toBe(true);

    const dev = only(synthJson(exampleDb('experiments')), 'google_sql_database_instance');
    expect(dev.deletion_protection).toBe(false);
    expect(dev.settings.deletion_protection_enabled).toBe(false);
    expect(dev.lifecycle.prevent_destroy).toBe(false);
  });

  it('has no public IP, a private network and SSL only', () => {
    expect(settings.ip_configuration).toEqual({
      ipv4_enabled: false,
      private_network: 'projects/acme-network/global/networks/private',
      ssl_mode: 'ENCRYPTED_ONLY',
    });
  });

  it('is REGIONAL with high availability and ZONAL without', () => {
    expect(settings.availability_type).toBe('REGIONAL');
    expect(only(synthJson(exampleDb('reports')), 'google_sql_database_instance').settings.availability_type).toBe('ZONAL');
  });

  it('sets the maintenance window day and hour', () => {
    expect(settings.maintenance_window).toEqual({ day: 7, hour: 5, update_track: 'stable' });
    expect(only(synthFeature('ledger'), 'google_sql_database_instance').settings.maintenance_window).toMatchObject({ day: 2, hour: 4 });
  });

  it('ignores disk_size, and backup_configuration once a Backup and DR plan owns backups', () => {
    expect(instance.lifecycle.ignore_changes).toEqual(['settings[0].disk_size', 'settings[0].backup_configuration', 'clone', 'restore_backup_context']);
    expect(only(synthJson(exampleDb('reports')), 'google_sql_database_instance').lifecycle.ignore_changes).toEqual([
      'settings[0].disk_size',
      'clone',
      'restore_backup_context',
    ]);
  });

  it('creates a managed key with rotation and lets the service agent use it before the instance exists', () => {
    const key = only(warehouse, 'google_kms_crypto_key');
    expect(key.rotation_period).toBe('7776000s');
    expect(key.purpose).toBe('ENCRYPT_DECRYPT');
    expect(only(warehouse, 'google_kms_key_ring')).toMatchObject({ name: 'dbaas-warehouse-meta', location: 'europe-west1' });
    const [grantId, grant] = resources(warehouse, 'google_kms_crypto_key_iam_member')[0]!;
    expect(grant).toMatchObject({
      role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
      member: 'serviceAccount:service-123456789012@gcp-sa-cloud-sql.iam.gserviceaccount.com',
    });
    expect(instance.encryption_key_name).toMatch(/^\$\{google_kms_crypto_key\.[^.]+\.id\}$/);
    expect(instance.depends_on).toEqual([`google_kms_crypto_key_iam_member.${grantId}`]);
  });

  it('uses a referenced key as is, and none without storage encryption', () => {
    const ledger = synthFeature('ledger');
    const ref = 'projects/core-kms/locations/us-east1/keyRings/sql/cryptoKeys/ledger';
    expect(only(ledger, 'google_sql_database_instance').encryption_key_name).toBe(ref);
    // the Cloud SQL service agent and (ledger has a vault lock) the Backup and DR vault's service agent
    const keyGrants = resources(ledger, 'google_kms_crypto_key_iam_member').map(([, g]) => g);
    expect(keyGrants.map((g) => g.crypto_key_id)).toEqual([ref, ref]);
    expect(keyGrants.map((g) => g.member).sort()).toEqual([
      expect.stringMatching(/^serviceAccount:\$\{google_backup_dr_backup_vault\.[^.]+\.service_account\}$/),
      expect.stringMatching(/^serviceAccount:service-/),
    ]);
    expect(resources(ledger, 'google_kms_key_ring')).toHaveLength(0);

    const sandbox = synthFeature('sandbox');
    expect(only(sandbox, 'google_sql_database_instance').encryption_key_name).toBeUndefined();
    expect(resources(sandbox, 'google_kms_crypto_key_iam_member')).toHaveLength(0);
  });

  it('creates every database, protected in production', () => {
    const names = resources(warehouse, 'google_sql_database').map(([, d]) => d.name);
    expect(names.sort()).toEqual(['events', 'reporting', 'scratch']);
    for (const [, d] of resources(warehouse, 'google_sql_database')) expect(d.lifecycle.prevent_destroy).toBe(true);
    expect(only(synthFeature('sandbox'), 'google_sql_database').name).toBe('sandbox');
  });

  it('makes IAM users for e-mails and service accounts, with no password of any kind', () => {
    const ledger = synthFeature('ledger');
    expect(named(ledger, 'google_sql_user', 'user-app')).toMatchObject({ name: 'app@core-prod.iam.gserviceaccount.com', type: 'CLOUD_IAM_SERVICE_ACCOUNT' });
    expect(named(ledger, 'google_sql_user', 'analyst')).toMatchObject({ name: 'analyst@example.com', type: 'CLOUD_IAM_USER' });
    expect(named(ledger, 'google_sql_user', 'reporter')).toMatchObject({
      name: 'reporter@core-prod.iam.gserviceaccount.com',
      type: 'CLOUD_IAM_SERVICE_ACCOUNT',
    });
    for (const [, user] of resources(ledger, 'google_sql_user')) {
      expect(Object.keys(user).filter((k) => k.startsWith('password'))).toEqual([]);
    }
    expect(only(ledger, 'google_sql_database_instance').settings.database_flags).toEqual([{ name: 'cloudsql_iam_authentication', value: 'on' }]);
    // MySQL: no root user and no root_password (the provider deletes root@% after create)
    expect(resources(ledger, 'google_sql_user').map(([, u]) => u.name)).not.toContain('root');
    expect(ledger.data).toBeUndefined();
    expect(only(ledger, 'google_sql_database_instance').root_password).toBeUndefined();
  });

  it('trims the service-account suffix of IAM users on postgres', () => {
    const db = withChanges(featureDb('sandbox'), { users: [{ name: 'etl@core-dev.iam.gserviceaccount.com' }] });
    const json = synthJson(db);
    expect(only(json, 'google_sql_user')).toMatchObject({ name: 'etl@core-dev.iam', type: 'CLOUD_IAM_SERVICE_ACCOUNT' });
    expect(only(json, 'google_sql_database_instance').settings.database_flags).toEqual([{ name: 'cloudsql.iam_authentication', value: 'on' }]);
  });

  it('sets no admin password (root_password would be kept in state): the postgres password is set outside Terraform', () => {
    const reports = synthJson(exampleDb('reports'));
    expect(reports.data).toBeUndefined();
    expect(only(reports, 'google_sql_database_instance').root_password).toBeUndefined();
    const experiments = synthJson(exampleDb('experiments'));
    expect(experiments.data).toBeUndefined();
    expect(only(experiments, 'google_sql_database_instance').root_password).toBeUndefined();
    expect(warehouse.data).toBeUndefined();
    expect(instance.root_password).toBeUndefined();
  });
});
