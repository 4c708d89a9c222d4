// Locked backups through Backup and DR ("enhanced backups" for Cloud SQL): a backup vault that
// enforces a minimum retention, a plan for sqladmin.googleapis.com/Instance, and the plan's
// association with the instance. What google 6.50 cannot say is listed in README.md.
import { BackupDrBackupPlan, type BackupDrBackupPlanBackupRulesStandardSchedule } from '@cdktf/provider-google/lib/backup-dr-backup-plan/index.js';
import { BackupDrBackupPlanAssociation } from '@cdktf/provider-google/lib/backup-dr-backup-plan-association/index.js';
import { BackupDrBackupVault } from '@cdktf/provider-google/lib/backup-dr-backup-vault/index.js';
import { KmsCryptoKeyIamMember } from '@cdktf/provider-google/lib/kms-crypto-key-iam-member/index.js';
import { ProjectIamMember } from '@cdktf/provider-google/lib/project-iam-member/index.js';
import { Fn, type ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import type { ResolvedDatabase } from '../../model/resolved.js';
import { addNote } from '../notes.js';
import type { GcpLabels } from './labels.js';
import { gcpName } from './names.js';

/** The plan's one rule and the association's id (the alerts' runbooks name them too). */
export const BACKUP_RULE_ID = 'scheduled';
export const backupPlanAssociationId = (database: string) => gcpName(database, 'backups', 63);
import { backupWindow, cronCadence } from './schedule.js';

export interface LockedBackupsProps {
  readonly db: ResolvedDatabase;
  readonly project: string;
  readonly instanceName: string;
  /** The instance resource, so the association waits for it. */
  readonly instance: ITerraformDependable;
  readonly labels: GcpLabels;
  /** The instance's customer-managed key id, when it has one: the vault's service agent must use it too. */
  readonly keyId?: string;
  /** Grace period before a compliance lock takes effect, in days. Default: the policy's changeableForDays, else 3. */
  readonly lockGraceDays?: number;
}

/** The plan rule's schedule, in the policy's timezone (Backup and DR converts, so no UTC here). */
export function planSchedule(db: ResolvedDatabase): BackupDrBackupPlanBackupRulesStandardSchedule {
  const { schedule, timezone, startWindowMinutes } = db.backup;
  const cadence = cronCadence(schedule);
  if (cadence.kind === 'hourly') {
    return { recurrenceType: 'HOURLY', hourlyFrequency: cadence.everyHours, timeZone: timezone, backupWindow: { startHourOfDay: 0, endHourOfDay: 24 } };
  }
  const window = backupWindow(cadence.hour, startWindowMinutes);
  if (cadence.kind === 'weekly') return { recurrenceType: 'WEEKLY', daysOfWeek: [...cadence.days], timeZone: timezone, backupWindow: window };
  if (cadence.kind === 'monthly') return { recurrenceType: 'MONTHLY', daysOfMonth: [...cadence.daysOfMonth], timeZone: timezone, backupWindow: window };
  return { recurrenceType: 'DAILY', timeZone: timezone, backupWindow: window };
}

/**
 * Created only when the policy has a vaultLock. Once associated, Backup and DR owns the instance's
 * backups, so the instance stops managing settings.backup_configuration (see CloudSqlInstance).
 */
export class LockedBackups extends Construct {
  readonly vault: BackupDrBackupVault;
  readonly plan: BackupDrBackupPlan;
  /** The vault id (its name's last segment). */
  readonly vaultId: string;

  constructor(scope: Construct, id: string, props: LockedBackupsProps) {
    super(scope, id);
    const { db, project } = props;
    const lock = db.backup.vaultLock;
    if (!lock) throw new Error(`LockedBackups needs a vaultLock on ${db.name}`);
    const compliance = lock.mode === 'compliance';
    const graceHours = (props.lockGraceDays ?? lock.changeableForDays ?? 3) * 24;

    const vaultId = gcpName(db.name, 'vault', 63);
    this.vaultId = vaultId;
    this.vault = new BackupDrBackupVault(this, 'vault', {
      project,
      location: db.region,
      backupVaultId: vaultId,
      description: `Locked backups of ${props.instanceName} (dbaas, ${lock.mode} mode).`,
      backupMinimumEnforcedRetentionDuration: `${lock.minRetentionDays * 86_400}s`,
      backupRetentionInheritance: 'INHERIT_VAULT_RETENTION',
      accessRestriction: 'WITHIN_ORGANIZATION',
      forceDelete: false,
      labels: { ...props.labels },
      // Compliance: the enforced retention locks after the grace period. The time is computed by
      // Terraform on create and then ignored, so the JSON stays deterministic and plans stay quiet.
      ...(compliance ? { effectiveTime: Fn.timeadd(Fn.timestamp(), `${graceHours}h`) } : {}),
      lifecycle: { preventDestroy: db.environment === 'production', ...(compliance ? { ignoreChanges: ['effective_time'] } : {}) },
    });

    this.plan = new BackupDrBackupPlan(this, 'plan', {
      project,
      location: db.region,
      backupPlanId: gcpName(db.name, 'plan', 63),
      description: `Backups of ${props.instanceName} into ${vaultId} (dbaas).`,
      resourceType: 'sqladmin.googleapis.com/Instance',
      backupVault: this.vault.name,
      backupRules: [
        {
          ruleId: BACKUP_RULE_ID,
          // The vault refuses rules shorter than its enforced minimum.
          backupRetentionDays: Math.max(db.backup.retentionDays, lock.minRetentionDays),
          standardSchedule: planSchedule(db),
        },
      ],
    });

    // The vault's service agent backs up the instance, so it needs the Cloud SQL operator role on the
    // instance's project ("Allows a Backup and DR service account to discover and backup Cloud SQL
    // instances"), and, for a CMEK instance, use of its key. Sources: google 6.50
    // website/docs/r/backup_dr_backup_vault.html.markdown (`service_account`: "The user should grant
    // this account permissions in their workload project"); Google, "Back up Cloud SQL instances to a
    // backup vault" (https://cloud.google.com/backup-disaster-recovery/docs/cloud-console/sql/csql-backup,
    // "Grant access to the backup vault in the Cloud SQL project"); IAM role roles/backupdr.cloudSqlOperator.
    const vaultAgent = `serviceAccount:${this.vault.serviceAccount}`;
    const grants: ITerraformDependable[] = [
      new ProjectIamMember(this, 'vault-agent-sql', { project, role: 'roles/backupdr.cloudSqlOperator', member: vaultAgent }),
    ];
    if (props.keyId) {
      grants.push(
        new KmsCryptoKeyIamMember(this, 'vault-agent-key', {
          cryptoKeyId: props.keyId,
          role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter',
          member: vaultAgent,
        }),
      );
    }

    addNote(
      this,
      'Backup and DR (enhanced backups) takes over the instance backups once the plan attaches: ' +
        'backup_configuration is then ignored, and the locked backups have no offsite location and no ' +
        'customer-managed key (google 6.50 vaults take no key)',
    );

    addNote(this, 'Backup and DR backups: failed jobs alert (bdr_backup_restore_jobs log); no missing-backup alert is built for them yet');

    new BackupDrBackupPlanAssociation(this, 'association', {
      project,
      location: db.region,
      backupPlanAssociationId: backupPlanAssociationId(db.name),
      resourceType: 'sqladmin.googleapis.com/Instance',
      resource: `projects/${project}/instances/${props.instanceName}`,
      backupPlan: this.plan.name,
      dependsOn: [props.instance, ...grants],
    });
  }
}
