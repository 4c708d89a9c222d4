import { beforeAll, describe, expect, it } from 'vitest';
import {
  CROSS_ACCOUNT_PREREQUISITE,
  CROSS_ACCOUNT_VAULT_NAME,
  DENIED_RECOVERY_POINT_ACTIONS,
  DENIED_VAULT_POLICY_ACTIONS,
} from '../../../src/synth/aws/backup.js';
import { loadBuilder, SynthError, synthStack } from '../../../src/synth/index.js';
import { context, exampleEntry, resource, resources, synthJson, variant } from '../helpers.js';

beforeAll(async () => {
  await loadBuilder('aws');
});

type Rule = Record<string, any>;
const rules = (json: Awaited<ReturnType<typeof synthJson>>): Rule[] => resource(json, 'aws_backup_plan', 'backup_plan').rule as Rule[];
const rule = (json: Awaited<ReturnType<typeof synthJson>>, name: string): Rule | undefined => rules(json).find((r) => r.rule_name === name);

describe('AWS Backup plan from the policy (orders: prod-standard)', () => {
  it('schedules the policy cron in AWS form with its timezone, windows and retention', async () => {
    const json = await synthJson(exampleEntry('orders').db);
    expect(rule(json, 'scheduled')).toMatchObject({
      schedule: 'cron(0 3 * * ? *)',
      schedule_expression_timezone: 'UTC',
      start_window: 60,
      completion_window: 180,
      lifecycle: { delete_after: 35 },
      target_vault_name: '${aws_backup_vault.backup_vault.name}',
      recovery_point_tags: { team: 'payments', database: 'orders', environment: 'production', 'managed-by': 'dbaas' },
    });
    expect(rule(json, 'scheduled')).not.toHaveProperty('enable_continuous_backup');
  });

  it('carries a timezone other than UTC', async () => {
    const json = await synthJson(variant('orders', { backup: { timezone: 'Europe/Dublin', schedule: '15 2 * * 1-5' } }));
    expect(rule(json, 'scheduled')).toMatchObject({ schedule: 'cron(15 2 ? * MON-FRI *)', schedule_expression_timezone: 'Europe/Dublin' });
  });

  it('selects the database by ARN with a role holding the AWS Backup managed policies', async () => {
    const json = await synthJson(exampleEntry('orders').db);
    expect(resource(json, 'aws_backup_selection', 'backup_selection')).toMatchObject({
      resources: ['${aws_db_instance.database.arn}'],
      iam_role_arn: '${aws_iam_role.backup_role.arn}',
      plan_id: '${aws_backup_plan.backup_plan.id}',
    });
    const trust = JSON.parse(resource(json, 'aws_iam_role', 'backup_role').assume_role_policy);
    expect(trust.Statement).toEqual([{ Effect: 'Allow', Principal: { Service: 'backup.amazonaws.com' }, Action: 'sts:AssumeRole' }]);
    const attached = Object.values(resources(json, 'aws_iam_role_policy_attachment'))
      .map((a) => a.policy_arn)
      .sort();
    expect(attached).toEqual([
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup',
      'arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores',
    ]);
  });

  it('keeps the vault encrypted with the stack key and prevent_destroy in production', async () => {
    const json = await synthJson(exampleEntry('orders').db);
    expect(resource(json, 'aws_backup_vault', 'backup_vault')).toMatchObject({
      name: 'dbaas-orders',
      kms_key_arn: '${aws_kms_key.kms_key.arn}',
      lifecycle: { prevent_destroy: true },
    });
  });

  it('selects a cluster or a table by its own ARN', async () => {
    expect(resource(await synthJson(exampleEntry('ledger').db), 'aws_backup_selection', 'backup_selection').resources).toEqual([
      '${aws_rds_cluster.database.arn}',
    ]);
    expect(resource(await synthJson(exampleEntry('carts').db), 'aws_backup_selection', 'backup_selection').resources).toEqual([
      '${aws_dynamodb_table.database.arn}',
    ]);
  });
});

describe('point-in-time recovery', () => {
  it('is a continuous rule of its own, grown to the vault lock minimum (orders)', async () => {
    const json = await synthJson(exampleEntry('orders').db);
    expect(rule(json, 'continuous')).toMatchObject({
      enable_continuous_backup: true,
      lifecycle: { delete_after: 35 },
      target_vault_name: '${aws_backup_vault.backup_vault.name}',
    });
    expect(rule(json, 'continuous')).not.toHaveProperty('copy_action');
    expect(json['//'].dbaas.notes).toContain('point-in-time recovery keeps 35 days (the vault lock minimum) instead of 7');
  });

  it('keeps the asked window without a lock (audit: 3 days)', async () => {
    const json = await synthJson(exampleEntry('audit').db);
    expect(rule(json, 'continuous')).toMatchObject({ enable_continuous_backup: true, lifecycle: { delete_after: 3 } });
  });

  it('caps the window at 35 days and moves it to an unlocked vault when the lock minimum is longer', async () => {
    const json = await synthJson(variant('orders', { backup: { retentionDays: 90, vaultLock: { mode: 'compliance', minRetentionDays: 60 } } }));
    expect(rule(json, 'continuous')).toMatchObject({ lifecycle: { delete_after: 7 }, target_vault_name: '${aws_backup_vault.pitr_vault.name}' });
    expect(resources(json, 'aws_backup_vault_lock_configuration')).not.toHaveProperty('pitr_vault_lock');
  });

  it('is absent when the policy has no PITR, and never used for DynamoDB (its own PITR)', async () => {
    expect(rule(await synthJson(exampleEntry('sessions').db), 'continuous')).toBeUndefined();
    const carts = await synthJson(variant('carts', { backup: { pointInTimeRecovery: { enabled: true, retentionDays: 7 } } }));
    expect(rule(carts, 'continuous')).toBeUndefined();
    expect(resource(carts, 'aws_dynamodb_table', 'database').point_in_time_recovery.enabled).toBe(true);
  });
});

describe('offsite copies', () => {
  it('copies to a vault in the copy region, made through the aliased provider (orders)', async () => {
    const json = await synthJson(exampleEntry('orders').db);
    expect(rule(json, 'scheduled')?.copy_action).toEqual([
      { destination_vault_arn: '${aws_backup_vault.copy_eu_central_1.arn}', lifecycle: { delete_after: 90 } },
    ]);
    expect(resource(json, 'aws_backup_vault', 'copy_eu_central_1')).toMatchObject({
      name: 'dbaas-orders-copy',
      provider: 'aws.copy_eu_central_1',
      kms_key_arn: '${aws_kms_key.kms_key_copy_eu_central_1.arn}',
    });
    expect(resource(json, 'aws_kms_key', 'kms_key_copy_eu_central_1')).toMatchObject({ provider: 'aws.copy_eu_central_1', enable_key_rotation: true });
    expect(json.provider.aws).toContainEqual(expect.objectContaining({ alias: 'copy_eu_central_1', region: 'eu-central-1' }));
  });

  it('copies across accounts to the destination vault ARN, with global settings and a shared key (ledger)', async () => {
    const json = await synthJson(exampleEntry('ledger').db);
    expect(rule(json, 'scheduled')?.copy_action).toEqual([
      { destination_vault_arn: '${aws_backup_vault.copy_eu_central_1.arn}', lifecycle: { delete_after: 90 } },
      { destination_vault_arn: `arn:aws:backup:eu-west-1:999999999999:backup-vault:${CROSS_ACCOUNT_VAULT_NAME}`, lifecycle: { delete_after: 365 } },
    ]);
    // The production account is not the Organizations management account: no global settings, a note.
    expect(resources(json, 'aws_backup_global_settings')).toEqual({});
    expect(json['//'].dbaas.notes).toContain(CROSS_ACCOUNT_PREREQUISITE);
    const keyPolicy = JSON.parse(resource(json, 'aws_kms_key', 'kms_key').policy);
    expect(keyPolicy.Statement).toContainEqual(expect.objectContaining({ Sid: 'CopyAccountsUseKey', Principal: { AWS: ['arn:aws:iam::999999999999:root'] } }));
    expect(json['//'].dbaas.notes?.some((n) => n.includes('999999999999') && n.includes(CROSS_ACCOUNT_VAULT_NAME))).toBe(true);
  });

  it('turns cross-account backup on only where the config says the account is the management account', async () => {
    const base = exampleEntry('ledger').db;
    const db = { ...base, placement: { ...base.placement, organizationsManagementAccount: true } } as typeof base;
    const json = await synthJson(db);
    const settings = resource(json, 'aws_backup_global_settings', 'backup_global_settings');
    expect(settings.global_settings).toEqual({ isCrossAccountBackupEnabled: 'true' });
    // AWS returns the account's other settings too: without this the plan would never be clean.
    expect(settings.lifecycle).toEqual({ ignore_changes: ['global_settings'] });
    expect(json['//'].dbaas.notes ?? []).not.toContain(CROSS_ACCOUNT_PREREQUISITE);
  });

  it('has no copy action, copy vault or extra provider when the policy has no copies (users)', async () => {
    const json = await synthJson(exampleEntry('users').db);
    expect(rule(json, 'scheduled')).not.toHaveProperty('copy_action');
    expect(Object.keys(resources(json, 'aws_backup_vault'))).toEqual(['backup_vault']);
    expect(json.provider.aws).toHaveLength(1);
    expect(resources(json, 'aws_backup_global_settings')).toEqual({});
  });

  it('copies to a second vault through the default provider when the copy stays in the region', async () => {
    const json = await synthJson(variant('orders', { backup: { copies: [{ region: 'eu-west-1', retentionDays: 60 }] } }));
    expect(rule(json, 'scheduled')?.copy_action).toEqual([{ destination_vault_arn: '${aws_backup_vault.copy.arn}', lifecycle: { delete_after: 60 } }]);
    expect(resource(json, 'aws_backup_vault', 'copy')).toMatchObject({ kms_key_arn: '${aws_kms_key.kms_key.arn}' });
    expect(resource(json, 'aws_backup_vault', 'copy')).not.toHaveProperty('provider');
    // The primary provider and Chatbot's (payments-oncall posts to Slack): no copy-region provider.
    expect(json.provider.aws.map((p) => p.alias ?? 'primary')).toEqual(['primary', 'chatbot']);
  });

  it('refuses a cross-account copy into its own account', async () => {
    const db = variant('ledger', { backup: { copies: [{ account: '111111111111', retentionDays: 30 }] } });
    expect(() => synthStack(db, context())).toThrow(SynthError);
  });
});

describe('vault lock', () => {
  it('compliance: changeable_for_days (default 3) and min/max retention, on every vault (orders)', async () => {
    const json = await synthJson(exampleEntry('orders').db);
    const locks = resources(json, 'aws_backup_vault_lock_configuration');
    expect(locks.backup_vault_lock).toMatchObject({
      backup_vault_name: '${aws_backup_vault.backup_vault.name}',
      changeable_for_days: 3,
      min_retention_days: 35,
      max_retention_days: 365,
    });
    expect(locks.copy_eu_central_1_lock).toMatchObject({ provider: 'aws.copy_eu_central_1', changeable_for_days: 3 });
  });

  it('compliance with an explicit grace period', async () => {
    const json = await synthJson(variant('orders', { backup: { vaultLock: { mode: 'compliance', minRetentionDays: 35, changeableForDays: 7 } } }));
    expect(resource(json, 'aws_backup_vault_lock_configuration', 'backup_vault_lock').changeable_for_days).toBe(7);
  });

  it('governance: no changeable_for_days', async () => {
    const json = await synthJson(variant('orders', { backup: { vaultLock: { mode: 'governance', minRetentionDays: 7, maxRetentionDays: undefined } } }));
    const lock = resource(json, 'aws_backup_vault_lock_configuration', 'backup_vault_lock');
    expect(lock).toMatchObject({ min_retention_days: 7 });
    expect(lock).not.toHaveProperty('changeable_for_days');
    expect(lock).not.toHaveProperty('max_retention_days');
  });

  it('comes with a vault policy that denies deleting recovery points by hand', async () => {
    const json = await synthJson(exampleEntry('orders').db);
    const policy = JSON.parse(resource(json, 'aws_backup_vault_policy', 'backup_vault_policy').policy);
    expect(policy.Statement).toEqual([
      expect.objectContaining({ Effect: 'Deny', Principal: { AWS: '*' }, Action: [...DENIED_RECOVERY_POINT_ACTIONS], Resource: '*' }),
      {
        Sid: 'OnlyDeployRoleChangesProtection',
        Effect: 'Deny',
        Principal: { AWS: '*' },
        Action: [...DENIED_VAULT_POLICY_ACTIONS],
        Resource: '*',
        Condition: { ArnNotEquals: { 'aws:PrincipalArn': 'arn:aws:iam::111111111111:role/dbaas-deploy' } },
      },
    ]);
    expect(DENIED_RECOVERY_POINT_ACTIONS).toEqual(['backup:DeleteRecoveryPoint', 'backup:UpdateRecoveryPointLifecycle']);
    expect(DENIED_VAULT_POLICY_ACTIONS).toContain('backup:PutBackupVaultAccessPolicy');
    expect(DENIED_VAULT_POLICY_ACTIONS).toContain('backup:DeleteBackupVaultLockConfiguration');
  });

  it('refuses a locked vault when the account names no deploy role (validate refuses it first)', async () => {
    const base = exampleEntry('orders').db;
    const { deployRoleArn: _role, ...placement } = base.placement as typeof base.placement & { deployRoleArn?: string };
    await expect(synthJson({ ...base, placement })).rejects.toMatchObject({ code: 'DBAAS_SYNTH_DEPLOY_ROLE' });
  });

  it('is absent, with its policy, when the policy locks nothing (audit)', async () => {
    const json = await synthJson(exampleEntry('audit').db);
    expect(resources(json, 'aws_backup_vault_lock_configuration')).toEqual({});
    expect(resources(json, 'aws_backup_vault_policy')).toEqual({});
  });

  it('leaves a copy vault unlocked (with a note) when the copy retention is outside the lock range', async () => {
    const json = await synthJson(variant('orders', { backup: { copies: [{ region: 'eu-central-1', retentionDays: 14 }] } }));
    expect(resources(json, 'aws_backup_vault_lock_configuration')).not.toHaveProperty('copy_eu_central_1_lock');
    expect(json['//'].dbaas.notes?.some((n) => n.includes('not locked'))).toBe(true);
  });
});

describe('restore testing', () => {
  it('tests the latest snapshot on the policy schedule (orders, weekly)', async () => {
    const json = await synthJson(exampleEntry('orders').db);
    expect(resource(json, 'aws_backup_restore_testing_plan', 'restore_testing_plan')).toMatchObject({
      name: 'dbaas_orders',
      schedule_expression: 'cron(0 5 ? * SUN *)',
      schedule_expression_timezone: 'UTC',
      recovery_point_selection: [
        {
          algorithm: 'LATEST_WITHIN_WINDOW',
          include_vaults: ['${aws_backup_vault.backup_vault.arn}'],
          recovery_point_types: ['CONTINUOUS', 'SNAPSHOT'],
          selection_window_days: 7,
        },
      ],
    });
    expect(resource(json, 'aws_backup_restore_testing_selection', 'restore_testing_selection')).toMatchObject({
      restore_testing_plan_name: '${aws_backup_restore_testing_plan.restore_testing_plan.name}',
      protected_resource_type: 'RDS',
      protected_resource_arns: ['${aws_db_instance.database.arn}'],
      iam_role_arn: '${aws_iam_role.backup_role.arn}',
      validation_window_hours: 24,
      // No default VPC needed: the restore lands in the account's subnet group and security groups.
      restore_metadata_overrides: { dbSubnetGroupName: 'dbaas-production', vpcSecurityGroupIds: '["sg-0a1b2c3d4e5f60718"]' },
    });
  });

  it('names Aurora as the resource type for a cluster, with the same placement overrides (ledger)', async () => {
    const json = await synthJson(exampleEntry('ledger').db);
    const selection = resource(json, 'aws_backup_restore_testing_selection', 'restore_testing_selection');
    expect(selection.protected_resource_type).toBe('Aurora');
    expect(selection.restore_metadata_overrides).toEqual({ dbSubnetGroupName: 'dbaas-production', vpcSecurityGroupIds: '["sg-0a1b2c3d4e5f60718"]' });
  });

  it('defaults the subnet group to dbaas-<environment> and leaves security groups out when the config has none', async () => {
    const base = exampleEntry('orders').db;
    const {
      subnetGroup: _s,
      securityGroupIds: _g,
      ...placement
    } = base.placement as typeof base.placement & { subnetGroup?: string; securityGroupIds?: string[] };
    const json = await synthJson({ ...base, placement });
    expect(resource(json, 'aws_backup_restore_testing_selection', 'restore_testing_selection').restore_metadata_overrides).toEqual({
      dbSubnetGroupName: 'dbaas-production',
    });
  });

  it('sets no overrides for DynamoDB, whose restore needs no network', async () => {
    const json = await synthJson(variant('carts', { backup: { restoreTesting: { schedule: '0 5 * * 0' } } }));
    expect(resource(json, 'aws_backup_restore_testing_selection', 'restore_testing_selection')).not.toHaveProperty('restore_metadata_overrides');
  });

  it('is absent when the policy has no restoreTesting (sessions)', async () => {
    const json = await synthJson(exampleEntry('sessions').db);
    expect(resources(json, 'aws_backup_restore_testing_plan')).toEqual({});
  });
});

describe('objectives.rtoHours', () => {
  it("becomes an Audit Manager framework judging this database's restore time in minutes (orders, 1.5 h)", async () => {
    const json = await synthJson(variant('orders', { objectives: { rtoHours: 1.5 } }));
    const framework = resource(json, 'aws_backup_framework', 'recovery_objectives');
    expect(framework.name).toBe('dbaas_orders_objectives');
    expect(framework.control).toEqual([
      {
        name: 'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET',
        input_parameter: [{ name: 'maxRestoreTime', value: '90' }],
        scope: { compliance_resource_ids: ['orders'], compliance_resource_types: ['RDS'] },
      },
    ]);
    expect(json['//'].dbaas.notes?.some((n) => n.includes('AWS Config recording'))).toBe(true);
  });

  it('rounds a fraction of a minute up and scopes a cluster as Aurora (ledger)', async () => {
    const json = await synthJson(variant('ledger', { objectives: { rtoHours: 0.01 } }));
    const control = resource(json, 'aws_backup_framework', 'recovery_objectives').control[0];
    expect(control.input_parameter).toEqual([{ name: 'maxRestoreTime', value: '1' }]);
    expect(control.scope.compliance_resource_types).toEqual(['Aurora']);
  });

  it('notes that only manual restores are judged when nothing restores on a schedule (sessions)', async () => {
    const json = await synthJson(variant('sessions', { objectives: { rtoHours: 4 } }));
    expect(resource(json, 'aws_backup_framework', 'recovery_objectives')).toBeDefined();
    expect(json['//'].dbaas.notes?.some((n) => n.includes('only judges restores someone runs by hand'))).toBe(true);
  });

  it("gives the example's rtoHours 4 its effect (orders), and is absent without rtoHours (users)", async () => {
    const orders = await synthJson(exampleEntry('orders').db);
    expect(resource(orders, 'aws_backup_framework', 'recovery_objectives').control[0].input_parameter).toEqual([{ name: 'maxRestoreTime', value: '240' }]);
    const users = await synthJson(exampleEntry('users').db);
    expect(resources(users, 'aws_backup_framework')).toEqual({});
  });
});

describe('backups disabled', () => {
  it('keeps the vault and role but makes no plan, selection or missing-backup alarm', async () => {
    const json = await synthJson(variant('sessions', { backup: { enabled: false } }));
    expect(resources(json, 'aws_backup_plan')).toEqual({});
    expect(resources(json, 'aws_backup_selection')).toEqual({});
    expect(resources(json, 'aws_cloudwatch_metric_alarm')).not.toHaveProperty('backup_missing');
    expect(resources(json, 'aws_backup_vault')).toHaveProperty('backup_vault');
  });
});

describe('schedules AWS cannot run', () => {
  it('throw a SynthError at backup.schedule', () => {
    const db = variant('orders', { backup: { schedule: '0 3 1 * 1' } });
    let error: unknown;
    try {
      synthStack(db, context());
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(SynthError);
    expect(error).toMatchObject({ code: 'DBAAS_SYNTH_CRON', path: ['backup', 'schedule'], value: '0 3 1 * 1' });
  });
});
