// Facts several engine profiles share (one AWS construct family, one Cloud SQL family).
import type { Capability } from './capabilities.js';
import type { ReplaceAttributes } from './types.js';

export const RDS_CAPABILITIES: readonly Capability[] = [
  'sql',
  'tls',
  'network-endpoint',
  'storage-encryption-toggle',
  'maintenance-window',
  'high-availability',
  'instance-storage',
  'pitr',
];
/** Aurora storage grows by itself: no instance-storage. */
export const AURORA_CAPABILITIES: readonly Capability[] = [
  'sql',
  'tls',
  'network-endpoint',
  'storage-encryption-toggle',
  'maintenance-window',
  'high-availability',
  'pitr',
];
/** Cloud SQL always encrypts storage: no storage-encryption-toggle. */
export const CLOUD_SQL_CAPABILITIES: readonly Capability[] = [
  'sql',
  'tls',
  'network-endpoint',
  'maintenance-window',
  'high-availability',
  'instance-storage',
  'pitr',
];

/** ForceNew attributes, hashicorp/aws 5.100.0 internal/service/rds/instance.go. */
export const RDS_INSTANCE_DATA: ReplaceAttributes = {
  aws_db_instance: [
    'identifier',
    'engine',
    'kms_key_id',
    'storage_encrypted',
    'availability_zone',
    'character_set_name',
    'restore_to_point_in_time',
    'snapshot_identifier',
  ],
};

/** ForceNew attributes, hashicorp/aws 5.100.0 internal/service/rds/cluster.go; instances hold no replace-only data. */
export const AURORA_DATA: ReplaceAttributes = {
  aws_rds_cluster: [
    'cluster_identifier',
    'engine',
    'kms_key_id',
    'storage_encrypted',
    'database_name',
    'engine_mode',
    'restore_to_point_in_time',
    'snapshot_identifier',
  ],
  aws_rds_cluster_instance: [],
};

/** ForceNew attributes, hashicorp/google 6.50.0 google/services/sql. */
export const CLOUD_SQL_DATA: ReplaceAttributes = {
  google_sql_database_instance: ['name', 'region', 'project', 'encryption_key_name'],
  google_sql_database: ['name', 'instance', 'project'],
};
