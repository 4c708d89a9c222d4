// AWS Backup for one database: a KMS-encrypted vault (locked when the policy says so, with a policy
// that denies deleting recovery points by hand), a plan whose rules come from the policy, offsite
// copies into vaults made through the copy region's provider, and a selection by ARN.
import { BackupGlobalSettings } from '@cdktf/provider-aws/lib/backup-global-settings/index.js';
import { BackupPlan, type BackupPlanRule, type BackupPlanRuleCopyAction } from '@cdktf/provider-aws/lib/backup-plan/index.js';
import { BackupSelection } from '@cdktf/provider-aws/lib/backup-selection/index.js';
import { BackupVault } from '@cdktf/provider-aws/lib/backup-vault/index.js';
import { BackupVaultLockConfiguration } from '@cdktf/provider-aws/lib/backup-vault-lock-configuration/index.js';
import { BackupVaultPolicy } from '@cdktf/provider-aws/lib/backup-vault-policy/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import type { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { Construct } from 'constructs';
import { SynthError } from '../errors.js';
import { compactJson } from '../json.js';
import { fitName, underscored } from '../naming.js';
import { addNote } from '../notes.js';
import { arn, copyTargets, type AwsTarget, type CopyTarget } from './context.js';
import { toAwsCron } from './cron.js';
import { CONTINUOUS_MAX_DAYS, continuousRetentionDays, type DatabaseResource } from './database.js';
import { ManagedKey } from './kms.js';
import type { AwsProviders } from './providers.js';
import { ERR } from '../../error-codes.js';

/** Vault that receives cross-account copies in the destination account (created by its owners). */
export const CROSS_ACCOUNT_VAULT_NAME = 'dbaas-copies';
/** Actions nobody may take on a locked vault's recovery points; lifecycle expiry is AWS Backup's own. */
export const DENIED_RECOVERY_POINT_ACTIONS = ['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle'] as const;

/** Changing or deleting these would lift the vault's protection; only the deploy role may. */
export const DENIED_VAULT_POLICY_ACTIONS = [
  'backup:PutBackupVaultAccessPolicy',
  'backup:DeleteBackupVaultAccessPolicy',
  'backup:PutBackupVaultLockConfiguration',
  'backup:DeleteBackupVaultLockConfiguration',
] as const;

/** The plan note when the stack cannot turn cross-account backup on itself. */
export const CROSS_ACCOUNT_PREREQUISITE =
  'cross-account copies need cross-account backup turned on once by the AWS Organizations management ' +
  'account (AWS Backup > Settings, or aws_backup_global_settings there); set ' +
  'organizationsManagementAccount: true on an account in dbaas.config.yaml only if it is that account';

/**
 * The locked vault's access policy. Nobody deletes recovery points or shortens their lifecycle by
 * hand (AWS Config's backup-recovery-point-manual-deletion-disabled rule checks for this deny), and
 * nobody but the deploy role may rewrite or remove the policy or the lock, which would lift that
 * deny. aws:PrincipalArn of an assumed role is the role's ARN (IAM User Guide, "AWS global condition
 * context keys"), so CI sessions of the deploy role match it.
 */
export function vaultPolicyDocument(deployRoleArn: string): object {
  return {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'DenyManualRecoveryPointDeletion',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: [...DENIED_RECOVERY_POINT_ACTIONS],
        Resource: '*',
      },
      {
        Sid: 'OnlyDeployRoleChangesProtection',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: [...DENIED_VAULT_POLICY_ACTIONS],
        Resource: '*',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': deployRoleArn } },
      },
    ],
  };
}

export interface AwsBackupProps {
  readonly target: AwsTarget;
  readonly providers: AwsProviders;
  /** Encrypts the primary vault. */
  readonly keyArn: string;
  readonly database: DatabaseResource;
}

/** The AWS cron form of a policy schedule, or a SynthError pointing at the field. */
export function awsSchedule(expression: string, path: readonly (string | number)[]): string {
  const converted = toAwsCron(expression);
  if (!converted.ok) {
    throw new SynthError(ERR.SYNTH_CRON, path, `schedule ${JSON.stringify(expression)} ${converted.reason}`, expression, 'a five-field cron that AWS can run');
  }
  return converted.expression;
}

interface Lock {
  readonly mode: 'governance' | 'compliance';
  readonly minRetentionDays: number;
  readonly maxRetentionDays?: number;
  readonly changeableForDays?: number;
}

function lockFits(lock: Lock, days: number): boolean {
  return days >= lock.minRetentionDays && (lock.maxRetentionDays === undefined || days <= lock.maxRetentionDays);
}

export class AwsBackup extends Construct {
  readonly vaultName: string;
  readonly vaultArn: string;
  /** The vaults in the database's own region: its backup jobs write to them, its copy jobs start from them. */
  readonly localVaults: { readonly name: string; readonly arn: string }[] = [];
  readonly roleArn: string;
  /** Whether scheduled backups run (policy `enabled`); the missing-backup alarm needs them. */
  readonly scheduled: boolean;
  /** Retention of continuous (PITR) recovery points, when AWS Backup takes them. */
  readonly continuousRetentionDays?: number;

  private readonly target: AwsTarget;
  private readonly keyArn: string;
  /** aws_backup_global_settings is made once, however many cross-account copies there are. */
  private crossAccountEnabled = false;

  constructor(scope: Construct, id: string, props: AwsBackupProps) {
    super(scope, id);
    const { target, providers, keyArn, database } = props;
    const { db } = target;
    this.target = target;
    this.keyArn = keyArn;
    const lock: Lock | undefined = db.backup.vaultLock;

    const vault = this.vault('backup_vault', fitName('dbaas-', db.name, '', 50), keyArn, undefined, lock);
    this.vaultName = vault.name;
    this.vaultArn = vault.arn;

    const role = new IamRole(this, 'role', {
      name: fitName('dbaas-backup-', db.name, '', 64),
      description: `AWS Backup role for ${db.name} (backups, copies, restore tests)`,
      assumeRolePolicy: compactJson({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    role.overrideLogicalId('backup_role');
    for (const policy of ['AWSBackupServiceRolePolicyForBackup', 'AWSBackupServiceRolePolicyForRestores']) {
      const attachment = new IamRolePolicyAttachment(this, `role-${policy}`, {
        role: role.name,
        policyArn: `arn:${target.partition}:iam::aws:policy/service-role/${policy}`,
      });
      attachment.overrideLogicalId(`backup_role_${policy.endsWith('Backup') ? 'backup' : 'restores'}`);
    }
    this.roleArn = role.arn;

    this.scheduled = db.backup.enabled;
    if (!db.backup.enabled) {
      addNote(this, 'backup.enabled is false: no AWS Backup plan; only RDS automated backups (1 day) remain');
      return;
    }

    const copies = copyTargets(db);
    if (copies.length > 0 && database.facts.copyNote) addNote(this, database.facts.copyNote);
    const copyActions = copies.map((copy) => this.copyAction(copy, providers, lock));
    const schedule = awsSchedule(db.backup.schedule, ['backup', 'schedule']);
    const common = {
      schedule,
      scheduleExpressionTimezone: db.backup.timezone,
      startWindow: db.backup.startWindowMinutes,
      completionWindow: db.backup.completionWindowMinutes,
      recoveryPointTags: { ...target.tags },
    };
    if (lock && !lockFits(lock, db.backup.retentionDays)) {
      addNote(this, `retentionDays ${db.backup.retentionDays} is outside the vault lock's range; AWS Backup will fail those jobs`);
    }
    const rules: BackupPlanRule[] = [
      {
        ...common,
        ruleName: 'scheduled',
        targetVaultName: vault.name,
        lifecycle: { deleteAfter: db.backup.retentionDays },
        ...(copyActions.length > 0 ? { copyAction: copyActions } : {}),
      },
    ];
    if (database.continuousBackup) {
      const { rule, retentionDays } = this.continuousRule(common, vault);
      rules.push(rule);
      this.continuousRetentionDays = retentionDays;
    }

    const plan = new BackupPlan(this, 'plan', { name: fitName('dbaas-', db.name, '', 50), rule: rules });
    plan.overrideLogicalId('backup_plan');
    const selection = new BackupSelection(this, 'selection', {
      name: fitName('dbaas-', db.name, '', 50),
      planId: plan.id,
      iamRoleArn: role.arn,
      resources: [database.arn],
    });
    selection.overrideLogicalId('backup_selection');
  }

  /** A vault, its lock and its deny-deletion policy (the last two when the policy locks vaults). */
  private vault(logicalId: string, name: string, keyArn: string, provider: AwsProvider | undefined, lock: Lock | undefined) {
    const withProvider = provider ? { provider } : {};
    const vault = new BackupVault(this, logicalId, {
      name,
      kmsKeyArn: keyArn,
      ...withProvider,
      ...(this.target.production ? { lifecycle: { preventDestroy: true } } : {}),
    });
    vault.overrideLogicalId(logicalId);
    if (!provider) this.localVaults.push({ name: vault.name, arn: vault.arn });
    if (lock) {
      const lockConfig = new BackupVaultLockConfiguration(this, `${logicalId}-lock`, {
        backupVaultName: vault.name,
        minRetentionDays: lock.minRetentionDays,
        ...(lock.maxRetentionDays !== undefined ? { maxRetentionDays: lock.maxRetentionDays } : {}),
        // Governance mode is a lock without changeable_for_days; compliance becomes immutable after it.
        ...(lock.mode === 'compliance' ? { changeableForDays: lock.changeableForDays ?? 3 } : {}),
        ...withProvider,
      });
      lockConfig.overrideLogicalId(`${logicalId}_lock`);
      const policy = new BackupVaultPolicy(this, `${logicalId}-policy`, {
        backupVaultName: vault.name,
        policy: compactJson(vaultPolicyDocument(this.deployRoleArn())),
        ...withProvider,
      });
      policy.overrideLogicalId(`${logicalId}_policy`);
    }
    return vault;
  }

  private copyAction(copy: CopyTarget, providers: AwsProviders, lock: Lock | undefined): BackupPlanRuleCopyAction {
    const { target } = this;
    const { db } = target;
    const lifecycle = { deleteAfter: copy.retentionDays };
    if (copy.account !== undefined) {
      if (copy.account === target.account.accountId) {
        throw new SynthError(
          ERR.SYNTH_COPY,
          ['backup', 'copies', copy.index, 'account'],
          `copy account ${copy.account} is the database's own account`,
          copy.account,
          'another account (cross-account copy) or a region',
        );
      }
      this.enableCrossAccount(copy);
      return {
        destinationVaultArn: arn(target, 'backup', copy.region, `backup-vault:${CROSS_ACCOUNT_VAULT_NAME}`, copy.account),
        lifecycle,
      };
    }
    const local = copy.region === db.region;
    const suffix = local ? 'copy' : `copy_${underscored(copy.region)}`;
    const existing = this.node.tryFindChild(suffix);
    if (existing instanceof BackupVault) return { destinationVaultArn: existing.arn, lifecycle };
    const provider = local ? undefined : providers.forRegion(copy.region);
    const key = local
      ? undefined
      : new ManagedKey(this, `key-${suffix}`, {
          target,
          role: `copy-${copy.region}`,
          description: `dbaas copy vault key for ${db.name} in ${copy.region}`,
          provider: providers.forRegion(copy.region),
        });
    const copyLock = lock && lockFits(lock, copy.retentionDays) ? lock : undefined;
    if (lock && !copyLock) {
      addNote(this, `copy vault in ${copy.region} is not locked: its retention ${copy.retentionDays} days is outside the lock's range`);
    }
    const vault = this.vault(suffix, fitName('dbaas-', db.name, '-copy', 50), key?.arn ?? this.keyArn, provider, copyLock);
    return { destinationVaultArn: vault.arn, lifecycle };
  }

  /** validate refuses a locked vault without it (src/validate/unsupported.ts); this guards direct synth calls. */
  private deployRoleArn(): string {
    const role = this.target.account.deployRoleArn;
    if (role === undefined) {
      throw new SynthError(
        ERR.SYNTH_DEPLOY_ROLE,
        ['backup', 'vaultLock'],
        `the ${this.target.db.environment} account names no deployRoleArn, which a locked vault's policy needs`,
        undefined,
        'deployRoleArn in dbaas.config.yaml',
      );
    }
    return role;
  }

  private enableCrossAccount(copy: CopyTarget): void {
    const { target } = this;
    addNote(
      this,
      `cross-account copy to ${copy.account} (${copy.region}): that account must own a vault named ` +
        `${CROSS_ACCOUNT_VAULT_NAME} whose access policy allows backup:CopyIntoBackupVault from ` +
        `${target.account.accountId}`,
    );
    if (this.crossAccountEnabled) return;
    this.crossAccountEnabled = true;
    // UpdateGlobalSettings is refused outside the Organizations management account ("only the
    // management account can enable cross-account backup", AWS Backup devguide, "Creating backup
    // copies across AWS accounts"), so only a stack in that account may own the setting.
    if (target.account.organizationsManagementAccount === true) {
      // DescribeGlobalSettings returns every setting of the account (isMpaEnabled and others), so the
      // provider diffs the one-key map on every plan; the stack sets the key on create and leaves
      // the rest of the account's settings alone.
      const settings = new BackupGlobalSettings(this, 'global-settings', {
        globalSettings: { isCrossAccountBackupEnabled: 'true' },
        lifecycle: { ignoreChanges: ['global_settings'] },
      });
      settings.overrideLogicalId('backup_global_settings');
      return;
    }
    addNote(this, CROSS_ACCOUNT_PREREQUISITE);
  }

  /**
   * PITR through AWS Backup continuous backup, as a rule of its own: continuous recovery points live
   * at most 35 days, while the scheduled rule may keep snapshots for years.
   */
  private continuousRule(common: Omit<BackupPlanRule, 'ruleName' | 'targetVaultName'>, vault: BackupVault): { rule: BackupPlanRule; retentionDays: number } {
    const { db } = this.target;
    const retention = continuousRetentionDays(db);
    let targetVaultName = vault.name;
    if (retention.separateVault) {
      targetVaultName = this.vault('pitr_vault', fitName('dbaas-', db.name, '-pitr', 50), this.keyArn, undefined, undefined).name;
      addNote(this, `continuous backups go to an unlocked vault: the lock minimum exceeds their ${CONTINUOUS_MAX_DAYS}-day limit`);
    } else if (retention.days !== retention.asked) {
      addNote(this, `point-in-time recovery keeps ${retention.days} days (the vault lock minimum) instead of ${retention.asked}`);
    }
    return {
      retentionDays: retention.days,
      rule: { ...common, ruleName: 'continuous', targetVaultName, enableContinuousBackup: true, lifecycle: { deleteAfter: retention.days } },
    };
  }
}
