// spec.restoreFrom on AWS: which restore arguments each database resource gets, and the
// lifecycle.ignore_changes that keeps them from replacing the database once it exists. The restore
// arguments are ForceNew in hashicorp/aws 5.100 (internal/service/rds/instance.go
// restore_to_point_in_time and snapshot_identifier, internal/service/rds/cluster.go likewise,
// internal/service/dynamodb/table.go restore_source_name / restore_date_time / restore_to_latest_time),
// and the newest backup a data source finds changes with every backup: without ignore_changes, the
// next plan after a backup (or after restoreFrom is removed) would replace the restored database.
// On a database that already exists, adding restoreFrom therefore does nothing (the plan says so).
import { DataAwsDbClusterSnapshot } from '@cdktf/provider-aws/lib/data-aws-db-cluster-snapshot/index.js';
import { DataAwsDbSnapshot } from '@cdktf/provider-aws/lib/data-aws-db-snapshot/index.js';
import type { DbInstanceRestoreToPointInTime } from '@cdktf/provider-aws/lib/db-instance/index.js';
import type { RdsClusterRestoreToPointInTime } from '@cdktf/provider-aws/lib/rds-cluster/index.js';
import type { Construct } from 'constructs';
import type { ResolvedDatabase } from '../../model/resolved.js';
import type { AwsTarget } from './context.js';

/** Exactly the arguments a restore sets, per resource type (Terraform attribute names). */
export const RESTORE_ARGUMENTS = {
  aws_db_instance: ['restore_to_point_in_time', 'snapshot_identifier'],
  aws_rds_cluster: ['restore_to_point_in_time', 'snapshot_identifier'],
  aws_dynamodb_table: ['restore_source_name', 'restore_date_time', 'restore_to_latest_time'],
} as const;

/** What an offline plan uses for the newest AWS Backup snapshot (data sources would call AWS). */
export const OFFLINE_SNAPSHOT = 'awsbackup:job-offline-check';

/** An RFC 3339 time as UTC with a Z (the provider validates restore times as UTC timestamps). */
export function utcTime(time: string): string {
  return new Date(Date.parse(time)).toISOString().replace(/\.000Z$/, 'Z');
}

type Restore = NonNullable<ResolvedDatabase['restoreFrom']>;

/** The newest AWS Backup snapshot of the source instance or cluster: data aws_db_(cluster_)snapshot. */
function newestBackup(scope: Construct, target: AwsTarget, from: Restore, cluster: boolean): string {
  if (target.offline) return OFFLINE_SNAPSHOT;
  // snapshot_type "awsbackup" finds the recovery points AWS Backup made (not RDS automated ones).
  const common = { snapshotType: 'awsbackup', mostRecent: true } as const;
  if (cluster) return new DataAwsDbClusterSnapshot(scope, 'restore-source', { dbClusterIdentifier: from.database, ...common }).id;
  return new DataAwsDbSnapshot(scope, 'restore-source', { dbInstanceIdentifier: from.database, ...common }).id;
}

/** aws_db_instance arguments of a restore, or nothing when the database is new. */
export function rdsRestore(scope: Construct, target: AwsTarget): { restoreToPointInTime?: DbInstanceRestoreToPointInTime; snapshotIdentifier?: string } {
  const from = target.db.restoreFrom;
  if (!from) return {};
  if (from.backup !== undefined) return { snapshotIdentifier: newestBackup(scope, target, from, false) };
  return {
    restoreToPointInTime: {
      sourceDbInstanceIdentifier: from.database,
      ...((from.pointInTime ?? 'latest') === 'latest' ? { useLatestRestorableTime: true } : { restoreTime: utcTime(from.pointInTime ?? '') }),
    },
  };
}

/** aws_rds_cluster arguments of a restore. A full copy: the restored cluster shares no storage with its source. */
export function auroraRestore(scope: Construct, target: AwsTarget): { restoreToPointInTime?: RdsClusterRestoreToPointInTime; snapshotIdentifier?: string } {
  const from = target.db.restoreFrom;
  if (!from) return {};
  if (from.backup !== undefined) return { snapshotIdentifier: newestBackup(scope, target, from, true) };
  return {
    restoreToPointInTime: {
      sourceClusterIdentifier: from.database,
      restoreType: 'full-copy',
      ...((from.pointInTime ?? 'latest') === 'latest' ? { useLatestRestorableTime: true } : { restoreToTime: utcTime(from.pointInTime ?? '') }),
    },
  };
}

/** aws_dynamodb_table arguments of a restore (point-in-time only; a backup restore is refused at validate). */
export function dynamoRestore(target: AwsTarget): { restoreSourceName?: string; restoreDateTime?: string; restoreToLatestTime?: boolean } {
  const from = target.db.restoreFrom;
  if (!from || from.backup !== undefined) return {};
  return {
    restoreSourceName: from.database,
    ...((from.pointInTime ?? 'latest') === 'latest' ? { restoreToLatestTime: true } : { restoreDateTime: utcTime(from.pointInTime ?? '') }),
  };
}

/**
 * ignore_changes for a database resource: always its restore arguments. Terraform reads
 * ignore_changes from the current configuration, so a list that left with restoreFrom would let the
 * removal (state still holds the arguments, which the provider never reads back) force a replacement.
 */
export function restoreIgnoreChanges(type: keyof typeof RESTORE_ARGUMENTS): string[] {
  return [...RESTORE_ARGUMENTS[type]];
}
