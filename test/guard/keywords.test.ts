import { describe, expect, it } from 'vitest';
import { GUARD_KEYWORDS } from '../../src/guard/keywords.js';
import { createGuardAjv } from '../../src/guard/registry.js';

const ajv = createGuardAjv();

describe('custom keywords: each documented example passes and fails as documented', () => {
  it.each(GUARD_KEYWORDS.map((k) => [k.name, k] as const))('%s', (_name, keyword) => {
    const validate = ajv.compile(keyword.example.schema as object);
    expect(validate(keyword.example.pass)).toBe(true);
    expect(validate(keyword.example.fail)).toBe(false);
    const error = validate.errors?.[0];
    expect(error?.keyword).toBe(keyword.name);
    expect(error?.message).toMatch(/\S{3,}/);
  });

  it('says nothing about data it does not apply to (partial cases, non-objects)', () => {
    for (const keyword of GUARD_KEYWORDS) {
      const validate = ajv.compile(keyword.example.schema as object);
      expect(validate({}), keyword.name).toBe(true);
      expect(validate('not an object'), keyword.name).toBe(true);
    }
  });
});

describe('custom keywords point at the offending field', () => {
  const pathOf = (schema: object, data: unknown) => {
    const validate = ajv.compile(schema);
    validate(data);
    return validate.errors?.[0]?.instancePath;
  };

  it('copyRegionDiffers names the copy in the primary region; a cross-account copy without region is fine', () => {
    const db = {
      region: 'eu-west-1',
      backup: {
        copies: [
          { account: '999999999999', retentionDays: 9 },
          { region: 'eu-west-1', retentionDays: 9 },
        ],
      },
    };
    expect(pathOf({ copyRegionDiffers: true }, db)).toBe('/backup/copies/1/region');
    expect(pathOf({ copyRegionDiffers: true }, { ...db, backup: { copies: [db.backup.copies[0]] } })).toBeUndefined();
  });

  it('copyRetentionAtLeastPrimary names the short copy', () => {
    const db = {
      backup: {
        retentionDays: 35,
        copies: [
          { region: 'a', retentionDays: 35 },
          { region: 'b', retentionDays: 34 },
        ],
      },
    };
    expect(pathOf({ copyRetentionAtLeastPrimary: true }, db)).toBe('/backup/copies/1/retentionDays');
  });

  it('vaultLockWithinRetention checks both bounds', () => {
    const lock = (min: number, max?: number) => ({
      backup: { retentionDays: 35, vaultLock: { mode: 'governance', minRetentionDays: min, ...(max ? { maxRetentionDays: max } : {}) } },
    });
    expect(pathOf({ vaultLockWithinRetention: true }, lock(35, 35))).toBeUndefined();
    expect(pathOf({ vaultLockWithinRetention: true }, lock(36))).toBe('/backup/vaultLock/minRetentionDays');
    expect(pathOf({ vaultLockWithinRetention: true }, lock(7, 30))).toBe('/backup/vaultLock/maxRetentionDays');
  });

  it('scheduleMeetsRpo and backupScheduleMaxGapHours point at the schedule and name the gap', () => {
    const validate = ajv.compile({ scheduleMeetsRpo: true });
    expect(validate({ objectives: { rpoHours: 4 }, backup: { schedule: '0 */6 * * *' } })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({
      instancePath: '/backup/schedule',
      message: expect.stringContaining('up to 6 h between backups, more than the 4 h RPO'),
    });
    expect(validate({ objectives: { rpoHours: 6 }, backup: { schedule: '0 */6 * * *' } })).toBe(true);
    expect(validate({ backup: { schedule: '0 3 * * 0' } })).toBe(true); // no RPO stated
    expect(pathOf({ backupScheduleMaxGapHours: 24 }, { backup: { schedule: '0 3 * * 1-5' } })).toBe('/backup/schedule');
  });

  it('fails closed on a schedule it cannot read', () => {
    const validate = ajv.compile({ backupScheduleMaxGapHours: 24 });
    expect(validate({ backup: { schedule: 'every day' } })).toBe(false);
    expect(validate.errors?.[0]?.message).toMatch(/not a valid cron expression/);
  });

  it('backupWindowClearOfMaintenance reads the schedule in its timezone and defaults the windows like resolve', () => {
    const validate = ajv.compile({ backupWindowClearOfMaintenance: true });
    const db = (schedule: string, timezone: string, startTime: string) => ({ maintenanceWindow: { day: 'sun', startTime }, backup: { schedule, timezone } });
    // Default completion window 180 min and maintenance duration 60 min.
    expect(validate(db('0 3 * * *', 'UTC', '05:00'))).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ instancePath: '/maintenanceWindow', message: expect.stringContaining('sun 03:00 UTC may run 180 minutes') });
    expect(validate(db('0 3 * * *', 'UTC', '06:00'))).toBe(true);
    // 04:00 in Tokyo is 19:00 UTC the day before.
    expect(validate(db('0 4 * * *', 'Asia/Tokyo', '05:00'))).toBe(true);
  });

  it('regionAllowed, sizeAllowed and requiredLabelsPresent name the field and the allowed values', () => {
    const validate = ajv.compile({ regionAllowed: true, sizeAllowed: true, requiredLabelsPresent: true });
    const ok = {
      region: 'eu-west-1',
      size: 'small',
      allowed: { regions: ['eu-west-1'], sizes: ['small'] },
      requiredLabels: ['cost-center'],
      labels: { 'cost-center': 'cc-1' },
    };
    expect(validate(ok)).toBe(true);
    expect(validate({ ...ok, region: 'us-east-1' })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ instancePath: '/region', message: 'region "us-east-1" is not allowed here; expected one of eu-west-1' });
    expect(validate({ ...ok, size: 'large' })).toBe(false);
    expect(validate.errors?.[0]?.instancePath).toBe('/size');
    expect(validate({ ...ok, labels: { 'cost-center': '' } })).toBe(false);
    expect(validate.errors?.[0]).toMatchObject({ instancePath: '/labels', message: 'missing label cost-center' });
  });

  it('prefixes the keyword position when the keyword sits below the root', () => {
    expect(pathOf({ properties: { inner: { regionAllowed: true } } }, { inner: { region: 'x', allowed: { regions: ['y'] } } })).toBe('/inner/region');
  });
});

describe('keyword values are checked when a guardrail compiles', () => {
  it.each([[{ copyRegionDiffers: false }], [{ copyRegionDiffers: 'yes' }], [{ backupScheduleMaxGapHours: 0 }], [{ backupScheduleMaxGapHours: '24' }]])(
    '%j does not compile',
    (schema) => {
      expect(() => ajv.compile(schema)).toThrow();
    },
  );

  it('an unknown keyword (a typo) does not compile: strict mode fails closed', () => {
    expect(() => ajv.compile({ properties: { backup: { properties: { retentionDays: { minimun: 30 } } } } })).toThrow(/unknown keyword: "minimun"/);
    expect(() => ajv.compile({ copyRegionDifers: true })).toThrow(/unknown keyword/);
  });

  it('refuses formats, $data and remote references instead of ignoring them', () => {
    expect(() => ajv.compile({ properties: { name: { format: 'hostname' } } })).toThrow(/unknown format/);
    expect(() => ajv.compile({ properties: { size: { const: { $data: '1/x' } } } })).not.toThrow(); // $data is off: the object is a plain constant
    expect(ajv.compile({ properties: { size: { const: { $data: '1/x' } } } })({ size: 'small' })).toBe(false);
    expect(() => ajv.compile({ $ref: 'https://example.com/schema.json' })).toThrow(/can't resolve reference/);
  });
});
