// objectives.rtoHours on AWS: an AWS Backup Audit Manager framework whose control
// RESTORE_TIME_FOR_RESOURCES_MEET_TARGET judges this database's restores against the target. The
// control is backed by AWS Config rules such as rds-meets-restore-time-target ("NON_COMPLIANT if
// LatestRestoreExecutionTimeMinutes ... is greater than maxRestoreTime minutes", AWS Config
// developer guide), so it needs the Config recorder on in the account and region, which a stack
// cannot own (one recorder per account and region): the plan notes it.
import { BackupFramework } from '@cdktf/provider-aws/lib/backup-framework/index.js';
import { Construct } from 'constructs';
import { fitName, underscored } from '../naming.js';
import { addNote } from '../notes.js';
import type { AwsTarget } from './context.js';
import type { DatabaseResource } from './database.js';

export const RESTORE_TIME_CONTROL = 'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET';

export const CONFIG_RECORDER_PREREQUISITE =
  'objectives.rtoHours is judged by an AWS Backup Audit Manager control, which needs AWS Config recording on in this account and region (AWS Config > Settings); without it the framework reports nothing';

/** maxRestoreTime is whole minutes; a fraction of a minute rounds up so the target is never tightened. */
export function maxRestoreMinutes(rtoHours: number): number {
  return Math.max(1, Math.ceil(rtoHours * 60));
}

export interface RecoveryObjectivesProps {
  readonly target: AwsTarget;
  readonly database: DatabaseResource;
  /** Whether scheduled restore tests exist: without them only restores someone runs are judged. */
  readonly restoreTests: boolean;
}

export class RecoveryObjectives extends Construct {
  constructor(scope: Construct, id: string, props: RecoveryObjectivesProps) {
    super(scope, id);
    const { target, database } = props;
    const { db } = target;
    const rto = db.objectives?.rtoHours;
    if (rto === undefined) return;
    const minutes = maxRestoreMinutes(rto);
    // Framework names take letters, digits and underscores, starting with a letter.
    const framework = new BackupFramework(this, 'framework', {
      name: underscored(fitName('dbaas_', db.name, '_objectives', 256)),
      description: `dbaas: restores of ${db.name} finish within ${rto} h (objectives.rtoHours)`,
      control: [
        {
          name: RESTORE_TIME_CONTROL,
          inputParameter: [{ name: 'maxRestoreTime', value: String(minutes) }],
          // A resource id scope takes exactly one resource type.
          scope: { complianceResourceIds: [database.identifier], complianceResourceTypes: [database.restoreType] },
        },
      ],
    });
    framework.overrideLogicalId('recovery_objectives');
    addNote(this, CONFIG_RECORDER_PREREQUISITE);
    if (!props.restoreTests) {
      addNote(this, 'objectives.rtoHours: no scheduled restore tests (backup.restoreTesting), so the restore-time control only judges restores someone runs by hand');
    }
  }
}
