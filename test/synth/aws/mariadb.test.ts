// RDS for MariaDB, added through its engine profile only: the example's payouts database gets the
// same backup posture as RDS for MySQL (AWS Backup, continuous backup, copies, lock, alerts,
// restore testing, restores), with MariaDB's engine, parameter group family and TLS parameter.
import { describe, expect, it } from 'vitest';
import { capabilitiesOf } from '../../../src/profiles/capabilities.js';
import { parameterFamily } from '../../../src/synth/aws/database.js';
import { exampleEntry, resource, resources, synthJson, variant } from '../helpers.js';

describe('RDS for MariaDB (payouts)', () => {
  it('is an RDS instance of engine mariadb with the mariadb11.4 family and require_secure_transport on', async () => {
    const json = await synthJson(exampleEntry('payouts').db);
    const db = resource(json, 'aws_db_instance', 'database');
    expect(db).toMatchObject({
      engine: 'mariadb',
      engine_version: '11.4',
      auto_minor_version_upgrade: true,
      storage_encrypted: true,
      publicly_accessible: false,
      multi_az: true,
      deletion_protection: true,
      db_name: 'payouts',
      manage_master_user_password: true,
    });
    const params = resource(json, 'aws_db_parameter_group', 'parameter_group');
    expect(params.family).toBe('mariadb11.4');
    expect(params.parameter).toEqual([{ name: 'require_secure_transport', value: '1' }]);
  });

  it('families and minor pinning follow the X.Y majors of MariaDB', async () => {
    expect(parameterFamily('mariadb', '10.11')).toBe('mariadb10.11');
    expect(parameterFamily('mariadb', '10.11.9')).toBe('mariadb10.11');
    const pinned = await synthJson(variant('payouts', { version: '10.11.9' }));
    expect(resource(pinned, 'aws_db_instance', 'database').auto_minor_version_upgrade).toBe(false);
    const off = await synthJson(variant('payouts', { requireSsl: false }));
    expect(resource(off, 'aws_db_parameter_group', 'parameter_group').parameter).toEqual([]);
  });

  it('is backed up like RDS for MySQL: scheduled and continuous rules, offsite copy, locked vault, restore testing', async () => {
    const json = await synthJson(exampleEntry('payouts').db);
    const plan = resource(json, 'aws_backup_plan', 'backup_plan');
    const rules = plan.rule as Record<string, any>[];
    expect(rules.map((r) => r.rule_name)).toEqual(['scheduled', 'continuous']);
    expect(rules[1]).toMatchObject({ enable_continuous_backup: true });
    expect(rules[0]!.copy_action).toHaveLength(1);
    expect(Object.keys(resources(json, 'aws_backup_vault_lock_configuration'))).not.toHaveLength(0);
    expect(resource(json, 'aws_backup_selection', 'backup_selection').resources).toEqual(['${aws_db_instance.database.arn}']);
    expect(resource(json, 'aws_backup_restore_testing_selection', 'restore_testing_selection')).toMatchObject({
      protected_resource_type: 'RDS',
      restore_metadata_overrides: { dbSubnetGroupName: 'dbaas-production' },
    });
    expect(resource(json, 'aws_config_config_rule', 'restore_time_target').scope).toMatchObject({ compliance_resource_types: ['AWS::RDS::DBInstance'] });
  });

  it('alarms on the instance: CPU, connections (the MySQL formula), free storage, by DBInstanceIdentifier', async () => {
    const json = await synthJson(exampleEntry('payouts').db);
    const alarms = resources(json, 'aws_cloudwatch_metric_alarm');
    for (const id of ['cpu_high', 'connections_high', 'storage_low']) expect(alarms[id]?.dimensions, id).toEqual({ DBInstanceIdentifier: 'payouts' });
    // db.r6g.large: 16 GiB / 12582880 bytes per connection = 1365, alarm at 80%.
    expect(alarms.connections_high?.threshold).toBe(Math.floor(Math.floor((16 * 1024 ** 3) / 12582880) * 0.8));
    expect(alarms.memory_low).toBeUndefined();
  });

  it('restores from its own point in time as an RDS instance restore', async () => {
    const json = await synthJson(variant('payouts', { name: 'payouts-restore', restoreFrom: { database: 'payouts', pointInTime: '2026-11-29T10:15:00Z' } }));
    expect(resource(json, 'aws_db_instance', 'database').restore_to_point_in_time).toMatchObject({
      source_db_instance_identifier: 'payouts',
      restore_time: '2026-11-29T10:15:00Z',
    });
  });

  it('has the capabilities of an RDS instance, so every guardrail matching them judges it', () => {
    expect([...capabilitiesOf('mariadb', 'aws')!].sort()).toEqual([...capabilitiesOf('mysql', 'aws')!].sort());
    expect(capabilitiesOf('mariadb', 'gcp')!.size).toBe(0);
  });
});
