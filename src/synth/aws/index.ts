// The AWS stack for one database: providers, keys, the database, AWS Backup, monitoring and
// restore testing. What the baseline guardrails demand (encryption, deletion protection in
// production, backups, alerts, lock, copies, PITR) is what this builds from the resolved database.
import { TerraformOutput, type TerraformStack } from 'cdktf';
import type { ResolvedDatabase } from '../../model/resolved.js';
import { addNote } from '../notes.js';
import type { StackBuilder, SynthContext } from '../types.js';
import { AwsBackup } from './backup.js';
import { awsTarget, copyTargets } from './context.js';
import { createDatabase } from './database.js';
import { ManagedKey, referencedKeyArn } from './kms.js';
import { Monitoring } from './monitoring.js';
import { RecoveryObjectives } from './objectives.js';
import { AwsProviders } from './providers.js';
import { RestoreTesting } from './restore-testing.js';

export const buildAwsStack: StackBuilder = (stack: TerraformStack, db: ResolvedDatabase, ctx: SynthContext): void => {
  const target = awsTarget(db, ctx);
  const copies = db.backup.enabled ? copyTargets(db) : [];
  const copyRegions = copies.filter((c) => c.account === undefined).map((c) => c.region);
  const providers = new AwsProviders(stack, 'providers', { target, extraRegions: copyRegions });

  const ref = db.backup.encryption.kmsKey;
  const copyAccounts = copies.flatMap((c) => (c.account !== undefined ? [c.account] : []));
  let keyArn: string;
  let topicKeyArn: string;
  if (ref === 'managed') {
    keyArn = new ManagedKey(stack, 'key', {
      target,
      role: '',
      description: `dbaas key for ${db.name}: storage, master secret, backups, alerts`,
      alertPublishers: true,
      copyAccounts,
    }).arn;
    topicKeyArn = keyArn;
  } else {
    keyArn = referencedKeyArn(stack, target, ref);
    // A referenced key's policy is not ours to extend: cross-account sharing is its owner's job,
    // and alerts get a key of their own that EventBridge and CloudWatch may use.
    if (copyAccounts.length > 0) {
      addNote(stack, `cross-account copies need ${ref} shared with ${[...new Set(copyAccounts)].join(', ')} in its key policy`);
    }
    topicKeyArn = new ManagedKey(stack, 'alerts-key', {
      target,
      role: 'alerts',
      description: `dbaas alert topic key for ${db.name}`,
      alertPublishers: true,
    }).arn;
  }

  const database = createDatabase(stack, { target, keyArn });
  const backup = new AwsBackup(stack, 'backup', { target, providers, keyArn, database });
  const restoreTests = db.backup.restoreTesting !== undefined && backup.scheduled;
  const objectives = new RecoveryObjectives(stack, 'objectives', { target, database, restoreTests });
  const monitoring = new Monitoring(stack, 'monitoring', {
    target,
    topicKeyArn,
    database,
    vaultName: backup.vaultName,
    jobVaults: backup.localVaults,
    backupRoleArn: backup.roleArn,
    scheduled: backup.scheduled,
    providers,
    extraEventRuleArns: objectives.eventRuleArns,
  });
  objectives.alertTo(monitoring.topicArn, monitoring.runbook);
  if (restoreTests) {
    new RestoreTesting(stack, 'restore-testing', {
      target,
      database,
      vaultArn: backup.vaultArn,
      roleArn: backup.roleArn,
      continuous: backup.continuousRetentionDays !== undefined,
    });
  }

  new TerraformOutput(stack, 'database_arn', { value: database.arn });
  new TerraformOutput(stack, 'backup_vault_arn', { value: backup.vaultArn });
  new TerraformOutput(stack, 'alerts_topic_arn', { value: monitoring.topicArn });
};
