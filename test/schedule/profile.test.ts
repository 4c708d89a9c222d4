import { describe, expect, it } from 'vitest';
import { CronExpressionParser } from 'cron-parser';
import { clearMaintenanceWindow, firstOverlap, formatWeekMinute, scheduleProfile, weekMinute } from '../../src/schedule/profile.js';

/** The oracle: cron-parser's own iterator over the same 400-day sample (slow, and wrong on DST days). */
function longestGapHours(expression: string, timezone: string, from = new Date(Date.UTC(2026, 0, 5))): number {
  const endDate = new Date(from.getTime() + 400 * 24 * 3600_000);
  const it = CronExpressionParser.parse(expression, { tz: timezone, currentDate: from, endDate });
  let previous: number | undefined;
  let longest = 0;
  for (let i = 0; i < 2000 && it.hasNext(); i++) {
    const next = it.next().getTime();
    if (previous !== undefined) longest = Math.max(longest, next - previous);
    previous = next;
  }
  return longest === 0 ? Number.POSITIVE_INFINITY : longest / 3600_000;
}

describe('scheduleProfile agrees with longestGapHours (cron-parser) but expands runs itself', () => {
  // Each comparison walks cron-parser's slow iterator, so the list stays short and sparse.
  const cases: [string, string][] = [
    ['0 3 * * *', 'UTC'],
    ['0 3 * * 0', 'UTC'],
    ['0 3 * * 1-5', 'UTC'],
    ['0 3 1 * *', 'UTC'],
    ['0 3 1,15 * 1', 'UTC'],
    ['15 2 * JAN,JUL *', 'UTC'],
    ['0 4 * * 0', 'Asia/Tokyo'],
    ['0 0 L * *', 'UTC'],
    ['0 0 * * 1#2', 'UTC'],
  ];
  it.each(cases)('%s in %s', (expression, timezone) => {
    const profile = scheduleProfile(expression, timezone);
    expect(profile).toBeDefined();
    expect(profile!.longestGapHours).toBeCloseTo(longestGapHours(expression, timezone), 6);
  });

  it('handles dense schedules', () => {
    expect(scheduleProfile('0 */6 * * *', 'UTC')!.longestGapHours).toBe(6);
    expect(scheduleProfile('*/5 * * * *', 'UTC')!.longestGapHours).toBeCloseTo(5 / 60, 6);
  });

  it('sees the extra hour a daylight-saving change adds to a daily schedule', () => {
    expect(scheduleProfile('0 3 * * *', 'Europe/Dublin')!.longestGapHours).toBe(25);
    expect(scheduleProfile('0 3 * * *', 'America/New_York')!.longestGapHours).toBe(25);
    expect(scheduleProfile('0 3 * * *', 'UTC')!.longestGapHours).toBe(24);
  });

  it('keeps the 03:00 run on the spring-forward day, which cron-parser 5.4 skips', () => {
    // 2026-03-29 03:00 CEST (01:00 UTC) exists, but cron-parser's iterator jumps to 03-30, so
    // cron-parser's iterator reports 47 h for a plain daily schedule in Brussels (it skips the DST day).
    expect(scheduleProfile('0 3 * * *', 'Europe/Brussels')!.longestGapHours).toBe(25);
    expect(longestGapHours('0 3 * * 0', 'Europe/Brussels')).toBeGreaterThan(168);
    expect(scheduleProfile('0 3 * * 0', 'Europe/Brussels')!.longestGapHours).toBe(169);
  });

  it('returns undefined for an expression or timezone it cannot read, instead of throwing', () => {
    expect(scheduleProfile('0 25 * * *', 'UTC')).toBeUndefined();
    expect(scheduleProfile('0 3 * *', 'UTC')).toBeUndefined();
    expect(scheduleProfile('0 3 * * *', 'Mars/Olympus_Mons')).toBeUndefined();
  });

  it('records run starts as UTC minutes of the week', () => {
    const profile = scheduleProfile('0 4 * * 0', 'Asia/Tokyo')!;
    // Sunday 04:00 in Tokyo is Saturday 19:00 UTC.
    const saturday1900 = 6 * 1440 + 19 * 60;
    expect(profile.startsByWeekMinute[saturday1900]).toBe(1);
    expect([...profile.startsByWeekMinute].filter(Boolean)).toHaveLength(1);
    expect(weekMinute(Date.UTC(2026, 0, 4, 3, 0))).toBe(3 * 60); // 2026-01-04 is a Sunday
    expect(formatWeekMinute(saturday1900)).toBe('sat 19:00 UTC');
  });
});

describe('firstOverlap: backup windows against the weekly maintenance window', () => {
  const daily3 = scheduleProfile('0 3 * * *', 'UTC')!;
  it('finds the Sunday run whose 3-hour window reaches into sun 05:00', () => {
    expect(firstOverlap(daily3, 180, { day: 'sun', startTime: '05:00', durationMinutes: 60 })).toBe(3 * 60);
  });
  it('treats windows that only touch as clear', () => {
    expect(firstOverlap(daily3, 180, { day: 'sun', startTime: '06:00', durationMinutes: 60 })).toBeUndefined();
    expect(firstOverlap(daily3, 180, { day: 'sun', startTime: '02:00', durationMinutes: 60 })).toBeUndefined();
  });
  it('wraps around the end of the week (Saturday night into Sunday)', () => {
    const satLate = scheduleProfile('0 23 * * 6', 'UTC')!;
    expect(firstOverlap(satLate, 120, { day: 'sun', startTime: '00:30', durationMinutes: 30 })).toBe(6 * 1440 + 23 * 60);
    const sunNight = scheduleProfile('30 23 * * 0', 'UTC')!;
    expect(firstOverlap(sunNight, 120, { day: 'mon', startTime: '01:00', durationMinutes: 30 })).toBe(23 * 60 + 30);
  });
  it('counts only the season where daylight saving moves the run into the window', () => {
    // 05:00 Brussels: 04:00 UTC in winter, 03:00 UTC in summer.
    const brussels = scheduleProfile('0 5 * * *', 'Europe/Brussels')!;
    expect(firstOverlap(brussels, 60, { day: 'sun', startTime: '04:30', durationMinutes: 30 })).toBe(4 * 60);
    expect(firstOverlap(brussels, 60, { day: 'sun', startTime: '05:00', durationMinutes: 30 })).toBeUndefined();
  });
});

describe('clearMaintenanceWindow', () => {
  it('starts Sunday 05:00 when that hour is clear, and moves past a backup window that is not', () => {
    expect(clearMaintenanceWindow('30 1 * * *', 'UTC', 180)).toEqual({ day: 'sun', startTime: '05:00', durationMinutes: 60 });
    // 03:00 + 180 minutes runs to 06:00: the first clear whole hour is 06:00.
    expect(clearMaintenanceWindow('0 3 * * *', 'UTC', 180)).toEqual({ day: 'sun', startTime: '06:00', durationMinutes: 60 });
    // An hourly schedule with 60-minute runs is never clear: the documented fallback stands.
    expect(clearMaintenanceWindow('0 * * * *', 'UTC', 60)).toEqual({ day: 'sun', startTime: '05:00', durationMinutes: 60 });
  });

  it('never overlaps the backups it was derived from', () => {
    for (const [cron, tz, minutes] of [
      ['0 3 * * *', 'Europe/Brussels', 240],
      ['15 4 * * 0', 'UTC', 600],
      ['0 */6 * * *', 'UTC', 60],
    ] as const) {
      const window = clearMaintenanceWindow(cron, tz, minutes);
      expect(firstOverlap(scheduleProfile(cron, tz)!, minutes, window), `${cron} ${tz}`).toBeUndefined();
    }
  });
});
