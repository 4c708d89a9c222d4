// AlloyDB for PostgreSQL: GCP only, built by its own construct (src/synth/gcp/alloydb.ts), not Cloud SQL.
import type { Capability } from '../capabilities.js';
import type { EngineProfile, ReplaceAttributes, UnsupportedField } from '../types.js';

/**
 * Storage grows by itself (no instance-storage) and is always encrypted, by Google or by a customer
 * key (no storage-encryption-toggle). TLS: client_connection_config.ssl_config.ssl_mode; HA:
 * availability_type REGIONAL; PITR: continuous_backup_config; maintenance: maintenance_update_policy.
 */
const ALLOYDB_CAPABILITIES: readonly Capability[] = ['sql', 'tls', 'network-endpoint', 'maintenance-window', 'high-availability', 'pitr'];

/**
 * ForceNew attributes, hashicorp/terraform-provider-google v6.50.0
 * google/services/alloydb/resource_alloydb_cluster.go (cluster_id, location, project,
 * encryption_config.kms_key_name, restore_*_source) and resource_alloydb_instance.go (cluster,
 * instance_id, instance_type). The cluster holds the data and its backups; replacing the primary
 * instance drops every connection.
 */
const ALLOYDB_DATA: ReplaceAttributes = {
  google_alloydb_cluster: ['cluster_id', 'location', 'project', 'encryption_config', 'restore_backup_source', 'restore_continuous_backup_source'],
  google_alloydb_instance: ['cluster', 'instance_id', 'instance_type'],
};

/**
 * Spec fields an AlloyDB stack gives no effect to, refused at validate where they are written
 * (paths under the Database's spec; backup.* also in its BackupPolicy). Each is proved to leave the
 * synthesized stack unchanged (test/synth/gcp/alloydb.test.ts). Value checks (version, size,
 * schedule, PITR window, public access, maintenance hour, users, channels) are alloydbProblems.
 */
export const ALLOYDB_UNSUPPORTED_FIELDS: readonly UnsupportedField[] = [
  { field: 'storageGb', why: 'AlloyDB storage grows by itself; the cluster has no size field', instead: 'remove it' },
  { field: 'databases', why: 'google 6.50 has no AlloyDB database resource', instead: 'remove it and create databases with psql' },
  { field: 'table', why: 'DynamoDB only', instead: 'remove it' },
  { field: 'restoreFrom', why: 'not built for AlloyDB in this phase (6.50 has no data source for the newest backup)', instead: 'remove it' },
  { field: 'objectives.rtoHours', why: 'nothing measures an AlloyDB restore time', instead: 'remove it' },
  { field: 'backup.copies', why: 'AlloyDB keeps automated backups in the cluster region', instead: 'remove it (cross-region needs a secondary cluster)' },
  { field: 'backup.vaultLock', why: 'AlloyDB backups have no retention lock in google 6.50', instead: 'remove it' },
  { field: 'backup.startWindowMinutes', why: 'AlloyDB has one backup window (completionWindowMinutes)', instead: 'remove it' },
  { field: 'backup.exports', why: 'the export workflow calls the Cloud SQL Admin API', instead: 'remove it' },
  { field: 'backup.restoreTesting', why: 'the restore drill clones through the Cloud SQL Admin API', instead: 'remove it' },
];

export const alloydb: EngineProfile = {
  name: 'alloydb',
  title: 'AlloyDB for PostgreSQL',
  // database_version POSTGRES_16 (AlloyDB API DatabaseVersion; the provider passes the string through).
  defaultVersion: '16',
  // Logical databases exist, but google 6.50 has no resource to create them: the resolved list is the
  // default one the stack's note names; a written spec.databases is refused above.
  logicalDatabases: true,
  table: false,
  gcp: {
    capabilities: ALLOYDB_CAPABILITIES,
    unsupportedFields: ALLOYDB_UNSUPPORTED_FIELDS,
    facts: {
      construct: 'alloydb',
      versionPrefix: 'POSTGRES',
      adminUser: 'postgres',
      // AlloyDB "Manage IAM authentication": the instance flag alloydb.iam_authentication = on.
      iamAuthFlag: 'alloydb.iam_authentication',
      rootPasswordDiscarded: false,
      // AlloyDB, like Cloud SQL for PostgreSQL, names a service-account user without .gserviceaccount.com.
      iamServiceAccountWithoutDomain: true,
      dataResources: ALLOYDB_DATA,
    },
  },
};
