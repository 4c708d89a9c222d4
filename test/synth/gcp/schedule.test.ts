import { describe, expect, it } from 'vitest';
import { backupStartTimeUtc, backupWindow, cadenceGapHours, cronCadence, retainedBackups } from '../../../src/synth/gcp/schedule.js';

describe('backup schedules on GCP', () => {
  it('give the UTC start time of a cron in its timezone on the winter reference date', () => {
    expect(backupStartTimeUtc('0 3 * * *', 'UTC')).toBe('03:00');
    expect(backupStartTimeUtc('30 1 * * *', 'UTC')).toBe('01:30');
    expect(backupStartTimeUtc('0 3 * * *', 'Europe/Brussels')).toBe('02:00');
    expect(backupStartTimeUtc('0 22 * * *', 'America/Los_Angeles')).toBe('06:00');
    // weekly: only the time of day is kept (Cloud SQL backs up daily)
    expect(backupStartTimeUtc('15 4 * * 0', 'UTC')).toBe('04:15');
    // hourly: the first run of the day
    expect(backupStartTimeUtc('0 */6 * * *', 'UTC')).toBe('00:00');
  });

  it('keep retentionDays daily backups, within 1–365', () => {
    expect(retainedBackups(35)).toBe(35);
    expect(retainedBackups(7, 2)).toBe(14);
    expect(retainedBackups(0.2)).toBe(1);
    expect(retainedBackups(1000)).toBe(365);
  });

  it('classify crons', () => {
    expect(cronCadence('0 3 * * *')).toEqual({ kind: 'daily', hour: 3 });
    expect(cronCadence('0 5 * * 0,6')).toEqual({ kind: 'weekly', hour: 5, days: ['SUNDAY', 'SATURDAY'] });
    expect(cronCadence('0 5 * * 7')).toEqual({ kind: 'weekly', hour: 5, days: ['SUNDAY'] });
    expect(cronCadence('0 2 1 * *')).toEqual({ kind: 'monthly', hour: 2, daysOfMonth: [1] });
    expect(cronCadence('0 */4 * * *')).toEqual({ kind: 'hourly', everyHours: 4, firstHour: 0 });
    expect(cronCadence('0 1,5 * * *')).toEqual({ kind: 'other', hour: 1, gapHours: 20 });
    expect(cronCadence('0 2 * 1 *')).toEqual({ kind: 'other', hour: 2 });
  });

  it('know the longest gap between runs', () => {
    expect(cadenceGapHours('0 3 * * *')).toBe(24);
    expect(cadenceGapHours('0 */6 * * *')).toBe(6);
    expect(cadenceGapHours('0 5 * * 1,3,5')).toBe(72); // friday → monday
    expect(cadenceGapHours('0 2 1,15 * *')).toBe(17 * 24); // 15th → 1st, counting 31-day months
    expect(cadenceGapHours('0 1,5 * * *')).toBe(20);
    expect(cadenceGapHours('0 3 1 1,7 *')).toBeGreaterThan(180 * 24); // sampled: january and july only
  });

  it('open plan windows of at least 6 hours that end by midnight', () => {
    expect(backupWindow(2, 60)).toEqual({ startHourOfDay: 2, endHourOfDay: 8 });
    expect(backupWindow(23, 60)).toEqual({ startHourOfDay: 18, endHourOfDay: 24 });
    expect(backupWindow(1, 600)).toEqual({ startHourOfDay: 1, endHourOfDay: 11 });
  });
});
