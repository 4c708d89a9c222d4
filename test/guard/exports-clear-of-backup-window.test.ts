import { describe, expect, it } from 'vitest';
import { createGuardAjv } from '../../src/guard/registry.js';

const ajv = createGuardAjv();
const validate = ajv.compile({ exportsClearOfBackupWindow: 120 });
const check = (backup: object) => {
  const ok = validate({ backup });
  return ok ? undefined : { path: validate.errors?.[0]?.instancePath, message: validate.errors?.[0]?.message };
};

describe('exportsClearOfBackupWindow', () => {
  it('uses the Cloud SQL window the stack builds: start_time (UTC on the winter reference date) for 4 hours', () => {
    // backups 02:00-06:00 UTC; a 120-minute export may start at 00:00 (ends 02:00, touching) or 06:00
    expect(check({ schedule: '0 2 * * *', exports: [{ schedule: '0 0 * * *' }] })).toBeUndefined();
    expect(check({ schedule: '0 2 * * *', exports: [{ schedule: '0 6 * * *' }] })).toBeUndefined();
    expect(check({ schedule: '0 2 * * *', exports: [{ schedule: '1 0 * * *' }] })?.path).toBe('/backup/exports/0/schedule');
    expect(check({ schedule: '0 2 * * *', exports: [{ schedule: '59 5 * * *' }] })?.message).toMatch(/into the automated backup window \(02:00 UTC, 4 hours\)/);
    // a weekly policy still backs up daily on Cloud SQL, so a weekday export clashes too
    expect(check({ schedule: '0 2 * * 0', exports: [{ schedule: '0 3 * * 3' }] })).toBeDefined();
  });

  it('counts daylight saving: an export in Brussels moves an hour against a UTC window', () => {
    // 07:00 Brussels is 06:00 UTC in winter (clear) and 05:00 UTC in summer (inside 02:00-06:00)
    expect(check({ schedule: '0 2 * * *', timezone: 'UTC', exports: [{ schedule: '0 7 * * *', timezone: 'Europe/Brussels' }] })).toBeDefined();
    expect(check({ schedule: '0 2 * * *', timezone: 'UTC', exports: [{ schedule: '0 8 * * *', timezone: 'Europe/Brussels' }] })).toBeUndefined();
  });

  it("with a vault lock uses the Backup and DR plan window (at least 6 hours, in the policy's timezone)", () => {
    const vaultLock = { mode: 'governance', minRetentionDays: 7 };
    expect(check({ schedule: '0 2 * * *', vaultLock, exports: [{ schedule: '0 7 * * *' }] })?.message).toMatch(
      /Backup and DR backup window \(6 hours from 2:00 UTC\)/,
    );
    expect(check({ schedule: '0 2 * * *', vaultLock, exports: [{ schedule: '0 8 * * *' }] })).toBeUndefined();
    // an hourly plan may back up at any hour: no export fits
    expect(check({ schedule: '0 */6 * * *', vaultLock, exports: [{ schedule: '0 8 * * *' }] })).toBeDefined();
  });

  it('names the export that clashes, and says nothing without exports or a schedule', () => {
    expect(check({ schedule: '0 2 * * *', exports: [{ schedule: '0 12 * * *' }, { schedule: '0 3 * * *' }] })?.path).toBe('/backup/exports/1/schedule');
    expect(check({ schedule: '0 2 * * *' })).toBeUndefined();
    expect(check({ exports: [{ schedule: '0 3 * * *' }] })).toBeUndefined();
  });
});
