import { describe, expect, it } from 'vitest';
import { fitName } from '../../src/synth/naming.js';
import { resources, synthJson, variant } from './helpers.js';

describe('fitName', () => {
  it('keeps short names as they are', () => {
    expect(fitName('dbaas-', 'orders', '-alerts', 256)).toBe('dbaas-orders-alerts');
  });

  it('cuts long names to the limit with a stable hash, keeping prefix and suffix', () => {
    const long = 'a'.repeat(63);
    const name = fitName('dbaas-backup-', long, '', 64);
    expect(name).toHaveLength(64);
    expect(name.startsWith('dbaas-backup-aaa')).toBe(true);
    expect(fitName('dbaas-backup-', long, '', 64)).toBe(name);
    expect(fitName('dbaas-backup-', `${'a'.repeat(62)}b`, '', 64)).not.toBe(name);
    expect(fitName('dbaas-', long, '-backup-job-failed', 64).endsWith('-backup-job-failed')).toBe(true);
  });
});

describe('a database with the longest allowed name', () => {
  it('stays within every AWS name limit', async () => {
    const name = `orders-${'x'.repeat(56)}`;
    expect(name).toHaveLength(63);
    const json = await synthJson(variant('orders', { name }));
    const limits: [string, string, number][] = [
      ['aws_iam_role', 'name', 64],
      ['aws_backup_vault', 'name', 50],
      ['aws_backup_plan', 'name', 50],
      ['aws_backup_selection', 'name', 50],
      ['aws_cloudwatch_event_rule', 'name', 64],
      ['aws_backup_restore_testing_plan', 'name', 50],
      ['aws_backup_restore_testing_selection', 'name', 50],
      ['aws_cloudwatch_metric_alarm', 'alarm_name', 255],
    ];
    for (const [type, attribute, max] of limits) {
      const all = Object.values(resources(json, type));
      expect(all.length, type).toBeGreaterThan(0);
      for (const r of all) expect((r[attribute] as string).length, `${type}.${attribute}`).toBeLessThanOrEqual(max);
    }
    for (const r of Object.values(resources(json, 'aws_backup_restore_testing_plan'))) expect(r.name).toMatch(/^[A-Za-z0-9_]+$/);
  });
});
