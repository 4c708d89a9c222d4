import { describe, expect, it } from 'vitest';
import { planSchedule } from '../../../src/synth/gcp/vault.js';
import { exampleDb, featureDb, only, resources, synthFeature, synthJson, withChanges } from './helpers.js';

describe('locked backups', () => {
  const warehouse = synthJson(exampleDb('warehouse-meta'));

  it('are only generated with a vault lock', () => {
    for (const type of ['google_backup_dr_backup_vault', 'google_backup_dr_backup_plan', 'google_backup_dr_backup_plan_association']) {
      expect(resources(synthJson(exampleDb('reports')), type)).toHaveLength(0);
    }
  });

  it('enforce the minimum retention in a vault in the instance region', () => {
    const vault = only(warehouse, 'google_backup_dr_backup_vault');
    expect(vault).toMatchObject({
      backup_vault_id: 'warehouse-meta-vault',
      location: 'europe-west1',
      backup_minimum_enforced_retention_duration: `${35 * 86_400}s`,
      backup_retention_inheritance: 'INHERIT_VAULT_RETENTION',
      force_delete: false,
    });
    expect(vault.lifecycle.prevent_destroy).toBe(true);
  });

  it('lock after the grace period in compliance mode, computed once by Terraform', () => {
    const vault = only(warehouse, 'google_backup_dr_backup_vault');
    expect(vault.effective_time).toBe('${timeadd(timestamp(), "72h")}');
    expect(vault.lifecycle.ignore_changes).toEqual(['effective_time']);
    const governance = only(synthFeature('ledger'), 'google_backup_dr_backup_vault');
    expect(governance.effective_time).toBeUndefined();
    expect(governance.backup_minimum_enforced_retention_duration).toBe(`${30 * 86_400}s`);
  });

  it('back up the Cloud SQL instance on the policy schedule and attach the plan to it', () => {
    const plan = only(warehouse, 'google_backup_dr_backup_plan');
    expect(plan.resource_type).toBe('sqladmin.googleapis.com/Instance');
    expect(plan.backup_vault).toMatch(/^\$\{google_backup_dr_backup_vault\.[^.]+\.name\}$/);
    expect(plan.backup_rules).toEqual([
      {
        rule_id: 'scheduled',
        backup_retention_days: 35,
        standard_schedule: { recurrence_type: 'DAILY', time_zone: 'UTC', backup_window: { start_hour_of_day: 18, end_hour_of_day: 24 } },
      },
    ]);
    const association = only(warehouse, 'google_backup_dr_backup_plan_association');
    expect(association).toMatchObject({
      resource_type: 'sqladmin.googleapis.com/Instance',
      resource: 'projects/acme-data-prod/instances/warehouse-meta',
      location: 'europe-west1',
    });
    expect(association.backup_plan).toMatch(/^\$\{google_backup_dr_backup_plan\.[^.]+\.name\}$/);
    expect(association.depends_on[0]).toMatch(/^google_sql_database_instance\./);
  });

  it("grant the vault's service agent the Cloud SQL operator role and the instance key before attaching", () => {
    const agent = /^serviceAccount:\$\{google_backup_dr_backup_vault\.[^.]+\.service_account\}$/;
    const projectGrant = resources(warehouse, 'google_project_iam_member')
      .map(([id, m]) => [id, m] as const)
      .find(([, m]) => m.role === 'roles/backupdr.cloudSqlOperator');
    expect(projectGrant?.[1]).toMatchObject({ project: 'acme-data-prod' });
    expect(projectGrant?.[1].member).toMatch(agent);
    const keyGrant = resources(warehouse, 'google_kms_crypto_key_iam_member')
      .map(([id, g]) => [id, g] as const)
      .find(([, g]) => agent.test(g.member));
    expect(keyGrant?.[1]).toMatchObject({ role: 'roles/cloudkms.cryptoKeyEncrypterDecrypter' });
    expect(keyGrant?.[1].crypto_key_id).toMatch(/^\$\{google_kms_crypto_key\.[^.]+\.id\}$/);
    const association = only(warehouse, 'google_backup_dr_backup_plan_association');
    expect(association.depends_on).toEqual(
      expect.arrayContaining([`google_project_iam_member.${projectGrant?.[0]}`, `google_kms_crypto_key_iam_member.${keyGrant?.[0]}`]),
    );
    // without a customer key there is no key grant for the vault agent
    const plain = synthJson(withChanges(exampleDb('warehouse-meta'), { storageEncrypted: false }));
    expect(resources(plain, 'google_kms_crypto_key_iam_member')).toHaveLength(0);
    expect(resources(plain, 'google_project_iam_member').some(([, m]) => m.role === 'roles/backupdr.cloudSqlOperator')).toBe(true);
  });

  it('keep backups at least as long as the vault minimum', () => {
    const db = withChanges(exampleDb('warehouse-meta'), { backup: { retentionDays: 10 } });
    expect(only(synthJson(db), 'google_backup_dr_backup_plan').backup_rules[0].backup_retention_days).toBe(35);
  });

  it('turn weekly, monthly and hourly crons into plan recurrences in the policy timezone', () => {
    expect(planSchedule(featureDb('ledger'))).toEqual({
      recurrenceType: 'WEEKLY',
      daysOfWeek: ['MONDAY', 'WEDNESDAY', 'FRIDAY'],
      timeZone: 'America/New_York',
      backupWindow: { startHourOfDay: 18, endHourOfDay: 24 },
    });
    const monthly = withChanges(featureDb('ledger'), { backup: { schedule: '0 1 1,15 * *', timezone: 'UTC' } });
    expect(planSchedule(monthly)).toMatchObject({ recurrenceType: 'MONTHLY', daysOfMonth: [1, 15], backupWindow: { startHourOfDay: 1, endHourOfDay: 7 } });
    const hourly = withChanges(featureDb('ledger'), { backup: { schedule: '0 */6 * * *' } });
    expect(planSchedule(hourly)).toMatchObject({ recurrenceType: 'HOURLY', hourlyFrequency: 6 });
  });
});
