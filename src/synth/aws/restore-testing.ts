// Scheduled restore tests of the latest recovery point, when the policy asks for them.
import { BackupRestoreTestingPlan } from '@cdktf/provider-aws/lib/backup-restore-testing-plan/index.js';
import { BackupRestoreTestingSelection } from '@cdktf/provider-aws/lib/backup-restore-testing-selection/index.js';
import { Construct } from 'constructs';
import { fitName, underscored } from '../naming.js';
import { awsSchedule } from './backup.js';
import type { AwsTarget } from './context.js';
import type { DatabaseResource } from './database.js';

/** How far back a restore test looks for the latest recovery point. */
export const SELECTION_WINDOW_DAYS = 7;

export interface RestoreTestingProps {
  readonly target: AwsTarget;
  readonly database: DatabaseResource;
  readonly vaultArn: string;
  /** The backup role; it holds AWSBackupServiceRolePolicyForRestores. */
  readonly roleArn: string;
  /** Test continuous recovery points too. Default: false. */
  readonly continuous?: boolean;
}

export class RestoreTesting extends Construct {
  constructor(scope: Construct, id: string, props: RestoreTestingProps) {
    super(scope, id);
    const { target, database } = props;
    const { db } = target;
    const testing = db.backup.restoreTesting;
    if (!testing) return;
    // Restore testing names take letters, digits and underscores only.
    const name = underscored(fitName('dbaas_', db.name, '', 50));
    const plan = new BackupRestoreTestingPlan(this, 'plan', {
      name,
      scheduleExpression: awsSchedule(testing.schedule, ['backup', 'restoreTesting', 'schedule']),
      scheduleExpressionTimezone: testing.timezone ?? db.backup.timezone,
      startWindowHours: 24,
      recoveryPointSelection: [
        {
          algorithm: 'LATEST_WITHIN_WINDOW',
          includeVaults: [props.vaultArn],
          recoveryPointTypes: props.continuous ? ['CONTINUOUS', 'SNAPSHOT'] : ['SNAPSHOT'],
          selectionWindowDays: SELECTION_WINDOW_DAYS,
        },
      ],
    });
    plan.overrideLogicalId('restore_testing_plan');
    const selection = new BackupRestoreTestingSelection(this, 'selection', {
      name,
      restoreTestingPlanName: plan.name,
      protectedResourceType: database.restoreType,
      protectedResourceArns: [database.arn],
      iamRoleArn: props.roleArn,
      validationWindowHours: testing.validationWindowHours ?? 24,
      ...(database.facts.construct === 'dynamodb-table' ? {} : { restoreMetadataOverrides: restoreOverrides(target) }),
    });
    selection.overrideLogicalId('restore_testing_selection');
  }
}

/**
 * Where a restored RDS instance or Aurora cluster lands: the database's own subnet group and security
 * groups. Without overrides AWS Backup infers the default VPC, and "if the default is not present ...
 * the restore will not be successful" (AWS Backup devguide, "Restore testing inferred metadata";
 * dbsubnetgroupname and vpcsecuritygroupids are overridable there for RDS instances and clusters,
 * keys case-insensitive). vpcSecurityGroupIds takes a JSON list, as the RestoreJob metadata does.
 */
export function restoreOverrides(target: AwsTarget): Record<string, string> {
  const { account, db } = target;
  return {
    dbSubnetGroupName: account.subnetGroup ?? `dbaas-${db.environment}`,
    ...(account.securityGroupIds?.length ? { vpcSecurityGroupIds: JSON.stringify(account.securityGroupIds) } : {}),
  };
}
