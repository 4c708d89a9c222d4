// Backup schedules on GCP. Cloud SQL takes one automated backup a day in a 4-hour window opening at
// a fixed UTC time; Backup and DR plans take cron-like recurrences in their own timezone.
import { CronExpressionParser } from 'cron-parser';
import { nextRuns } from '../../schedule/cron.js';

/**
 * A fixed winter Monday: UTC times are computed for this date so the output never depends on
 * when synth runs. In summer a timezone with daylight saving sees the backup an hour later.
 */
export const REFERENCE_DATE = new Date(Date.UTC(2026, 0, 5));

const pad = (n: number) => String(n).padStart(2, '0');

/**
 * Cloud SQL `start_time` (HH:MM, UTC) for a cron in a timezone: the time of day of the schedule's
 * first run on or after REFERENCE_DATE. Cloud SQL backs up daily whatever the cron says, so a weekly
 * or monthly schedule only sets the time of day (backups become more frequent, never less), and an
 * hourly one keeps its first run of the day (point-in-time recovery covers the hours between).
 */
export function backupStartTimeUtc(cron: string, timezone: string): string {
  return remember(startTimes, `${cron}\u0000${timezone}`, () => computeStartTime(cron, timezone));
}

// cron-parser is slow per call (bench/README.md) and thousands of stacks share a few schedules.
const startTimes = new Map<string, string>();
const cadences = new Map<string, Cadence>();
function remember<T>(cache: Map<string, T>, key: string, make: () => T): T {
  let value = cache.get(key);
  if (value === undefined) cache.set(key, (value = make()));
  return value;
}

function computeStartTime(cron: string, timezone: string): string {
  const [first] = nextRuns(cron, timezone, new Date(REFERENCE_DATE.getTime() - 1), 1);
  if (!first) throw new Error(`cron ${cron} never runs`);
  return `${pad(first.getUTCHours())}:${pad(first.getUTCMinutes())}`;
}

/** Cloud SQL keeps between 1 and 365 automated backups. */
export const RETAINED_BACKUPS = { min: 1, max: 365 } as const;

/**
 * How many automated backups to keep (retention_unit COUNT) so that `retentionDays` of backups
 * exist: Cloud SQL takes `backupsPerDay` (always 1 for automated backups), clamped to 1–365.
 */
export function retainedBackups(retentionDays: number, backupsPerDay = 1): number {
  const wanted = Math.ceil(retentionDays * backupsPerDay);
  return Math.min(RETAINED_BACKUPS.max, Math.max(RETAINED_BACKUPS.min, wanted));
}

export type Cadence =
  | { readonly kind: 'hourly'; readonly everyHours: number; readonly firstHour: number }
  | { readonly kind: 'daily'; readonly hour: number }
  | { readonly kind: 'weekly'; readonly hour: number; readonly days: readonly string[] }
  | { readonly kind: 'monthly'; readonly hour: number; readonly daysOfMonth: readonly number[] }
  /** Anything else (e.g. restricted to some months): treated as daily at `hour` where a recurrence is needed. */
  | { readonly kind: 'other'; readonly hour: number; readonly gapHours?: number };

const DAY_NAMES = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;

/**
 * What a cron means as a recurrence. Schedules that fit none of hourly (every n hours, n dividing
 * 24), daily, weekly or monthly, e.g. month-restricted ones, fall back to daily at the first hour.
 */
export function cronCadence(cron: string): Cadence {
  return remember(cadences, cron, () => computeCadence(cron));
}

function computeCadence(cron: string): Cadence {
  const f = CronExpressionParser.parse(cron, { tz: 'UTC' }).fields;
  const hours = [...f.hour.values];
  const everyDom = f.dayOfMonth.isWildcard || f.dayOfMonth.hasQuestionMarkChar;
  const everyDow = f.dayOfWeek.isWildcard || f.dayOfWeek.hasQuestionMarkChar;
  const firstHour = hours[0] ?? 0;
  if (!f.month.isWildcard) return { kind: 'other', hour: firstHour };
  if (hours.length > 1 && everyDom && everyDow) {
    const step = (hours[1] ?? 0) - firstHour;
    const even = step > 0 && 24 % step === 0 && hours.length === 24 / step && hours.every((h, i) => h === firstHour + i * step);
    if (even) return { kind: 'hourly', everyHours: step, firstHour };
    // Several runs a day at uneven hours: the longest gap is within a day (minutes are ignored).
    const gapHours = Math.max(...hours.map((h, i) => (i + 1 < hours.length ? (hours[i + 1] as number) - h : 24 - h + firstHour)));
    return { kind: 'other', hour: firstHour, gapHours };
  }
  if (everyDom && everyDow) return { kind: 'daily', hour: firstHour };
  if (everyDom) {
    const days = [...new Set(f.dayOfWeek.values.map((d) => DAY_NAMES[Number(d) % 7] as string))];
    return { kind: 'weekly', hour: firstHour, days: DAY_NAMES.filter((d) => days.includes(d)) };
  }
  if (everyDow && !f.dayOfMonth.hasLastChar)
    return { kind: 'monthly', hour: firstHour, daysOfMonth: f.dayOfMonth.values.map(Number).filter((d) => d >= 1 && d <= 31) };
  return { kind: 'other', hour: firstHour };
}

/**
 * The longest gap between two runs, in hours, computed from the cadence (a month counts as 31
 * days) rather than by walking the calendar: cron-parser is slow over long ranges and skips a
 * daily run on some daylight-saving days. Hours that differ by a DST shift are within 1 hour of this.
 */
export function cadenceGapHours(cron: string): number {
  const cadence = cronCadence(cron);
  const circularGap = (points: readonly number[], period: number) =>
    points.length === 0
      ? period
      : Math.max(...points.map((p, i) => (i + 1 < points.length ? (points[i + 1] as number) - p : period - p + (points[0] as number))));
  switch (cadence.kind) {
    case 'hourly':
      return cadence.everyHours;
    case 'daily':
      return 24;
    case 'weekly':
      return (
        24 *
        circularGap(
          cadence.days.map((d) => DAY_NAMES.indexOf(d as (typeof DAY_NAMES)[number])),
          7,
        )
      );
    case 'monthly':
      return 24 * circularGap(cadence.daysOfMonth, 31);
    case 'other':
      return cadence.gapHours ?? sampledGapHours(cron);
  }
}

/** Walks a year of runs in UTC (for the rare schedules no cadence describes). */
function sampledGapHours(cron: string): number {
  const it = CronExpressionParser.parse(cron, { tz: 'UTC', currentDate: REFERENCE_DATE });
  let previous = it.next().getTime();
  let longest = 0;
  for (let i = 0; i < 800; i++) {
    const next = it.next().getTime();
    longest = Math.max(longest, next - previous);
    previous = next;
    if (next - REFERENCE_DATE.getTime() > 400 * 86_400_000) break;
  }
  return longest / 3_600_000;
}

/** The shortest backup window Backup and DR accepts, in hours. */
export const MIN_BACKUP_WINDOW_HOURS = 6;

/**
 * Backup window hours for a plan rule: at least 6 hours from the start hour. A window that would run
 * past midnight ends at 24 and opens earlier instead (plan windows cannot wrap around midnight).
 */
export function backupWindow(startHour: number, startWindowMinutes: number): { startHourOfDay: number; endHourOfDay: number } {
  const hours = Math.min(24, Math.max(MIN_BACKUP_WINDOW_HOURS, Math.ceil(startWindowMinutes / 60)));
  const start = Math.min(startHour, 24 - hours);
  return { startHourOfDay: start, endHourOfDay: start + hours };
}
