import { describe, expect, it } from 'vitest';
import { alloydbWeeklySchedule, weeklyGapHours } from '../../../src/synth/gcp/alloydb-schedule.js';

describe('AlloyDB weekly schedule from a cron', () => {
  it('maps a daily cron to every day at that UTC hour', () => {
    expect(alloydbWeeklySchedule('0 20 * * *', 'UTC')).toEqual({
      ok: true,
      days: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'],
      hours: [20],
    });
  });

  it('maps a weekly cron to its days, and several hours to several start times', () => {
    expect(alloydbWeeklySchedule('0 5 * * 0', 'UTC')).toEqual({ ok: true, days: ['SUNDAY'], hours: [5] });
    expect(alloydbWeeklySchedule('0 2,14 * * 1-5', 'UTC')).toEqual({
      ok: true,
      days: ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'],
      hours: [2, 14],
    });
    // days_of_week in the provider's enum order, MONDAY to SUNDAY, whatever order the cron names them in.
    expect(alloydbWeeklySchedule('0 4 * * 0,6,1', 'UTC')).toEqual({ ok: true, days: ['MONDAY', 'SATURDAY', 'SUNDAY'], hours: [4] });
    const hourly = alloydbWeeklySchedule('0 * * * *', 'UTC');
    expect(hourly.ok && hourly.hours.length).toBe(24);
  });

  it('converts a whole-hour timezone to UTC on the winter reference week, shifting the day when it crosses midnight', () => {
    expect(alloydbWeeklySchedule('0 3 * * *', 'Europe/Brussels')).toMatchObject({ ok: true, hours: [2] });
    // Monday 23:00 in New York (UTC-5 in January) is Tuesday 04:00 UTC.
    expect(alloydbWeeklySchedule('0 23 * * 1', 'America/New_York')).toEqual({ ok: true, days: ['TUESDAY'], hours: [4] });
  });

  it('refuses a start off the whole UTC hour, and says a half-hour timezone is why', () => {
    const half = alloydbWeeklySchedule('30 1 * * *', 'UTC');
    expect(half).toMatchObject({ ok: false, expected: expect.stringContaining('minute 0') });
    expect(!half.ok && half.reason).toContain('minute 30');
    const kolkata = alloydbWeeklySchedule('0 3 * * *', 'Asia/Kolkata');
    expect(!kolkata.ok && kolkata.reason).toContain('Asia/Kolkata is not a whole number of hours from UTC');
  });

  it('refuses monthly, month-restricted and sub-hourly crons', () => {
    expect(alloydbWeeklySchedule('0 3 1 * *', 'UTC')).toMatchObject({ ok: false, reason: expect.stringContaining('days of the month') });
    expect(alloydbWeeklySchedule('0 3 * 1,7 *', 'UTC')).toMatchObject({ ok: false, reason: expect.stringContaining('some months') });
    expect(alloydbWeeklySchedule('*/30 * * * *', 'UTC')).toMatchObject({ ok: false, reason: expect.stringContaining('more often than hourly') });
  });

  it('refuses a schedule whose UTC hours differ between days after the timezone shift', () => {
    // Monday 00:00 and 12:00 in Brussels are Sunday 23:00 and Monday 11:00 UTC: not one set of hours for a set of days.
    expect(alloydbWeeklySchedule('0 0,12 * * 1', 'Europe/Brussels')).toMatchObject({ ok: false, reason: expect.stringContaining('different UTC hours') });
  });

  it('measures the longest gap of a weekly schedule', () => {
    expect(weeklyGapHours(['SUNDAY'], [5])).toBe(168);
    expect(weeklyGapHours(['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], [2])).toBe(72);
    expect(weeklyGapHours(['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'], [2, 14])).toBe(12);
  });
});
