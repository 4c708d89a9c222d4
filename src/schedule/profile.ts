// When a backup schedule runs, in UTC, fast enough to judge thousands of databases.
//
// cron-parser's iterator costs milliseconds per step (it builds timezone-aware dates each time), so
// walking a year of runs for every distinct schedule would dominate validate. Here cron-parser only
// parses the expression; days and times are expanded with plain arithmetic, with one timezone lookup
// per day. Expressions using L or # fall back to cron-parser's iterator. Results are memoized, and
// test/schedule/profile.test.ts checks them against cron-parser's own iterator.
import { CronExpressionParser } from 'cron-parser';

export const MINUTES_PER_WEEK = 7 * 24 * 60;
/** The same sample as longestGapHours: 400 days from Monday 2026-01-05, which covers both DST changes. */
const SAMPLE_FROM = Date.UTC(2026, 0, 5);
const SAMPLE_DAYS = 400;
/** Schedules that run more often than this per day are sampled over 5 weeks instead of 400 days. */
const DENSE_RUNS_PER_DAY = 96;
const DENSE_SAMPLE_DAYS = 35;
const MAX_FALLBACK_RUNS = 2000;

export interface ScheduleProfile {
  /** The longest gap between consecutive runs in the sample, in hours; Infinity when it runs at most once. */
  readonly longestGapHours: number;
  /** 1 at each UTC minute of the week (0 = Sunday 00:00) at which a run starts. */
  readonly startsByWeekMinute: Uint8Array;
}

const profiles = new Map<string, ScheduleProfile | undefined>();

/** The schedule's profile, or undefined when the expression or timezone is not valid. */
export function scheduleProfile(expression: string, timezone = 'UTC'): ScheduleProfile | undefined {
  const key = `${expression}\u0000${timezone}`;
  if (profiles.has(key)) return profiles.get(key);
  let profile: ScheduleProfile | undefined;
  try {
    profile = computeProfile(expression, timezone);
  } catch {
    profile = undefined;
  }
  profiles.set(key, profile);
  return profile;
}

function computeProfile(expression: string, timezone: string): ScheduleProfile {
  if (expression.trim().split(/\s+/).length !== 5) throw new Error('expected five fields');
  const offsetAt = offsetFunction(timezone);
  const { fields } = CronExpressionParser.parse(expression, { tz: timezone });
  const numeric = (values: readonly unknown[]): values is number[] => values.every((v) => typeof v === 'number');
  const simple =
    numeric(fields.dayOfMonth.values) &&
    numeric(fields.dayOfWeek.values) &&
    !fields.dayOfMonth.hasLastChar &&
    !fields.dayOfWeek.hasLastChar &&
    fields.dayOfWeek.nthDay === 0;
  const runs = simple ? expandRuns(fields, offsetAt) : iterateRuns(expression, timezone);
  return summarize(runs);
}

type Fields = ReturnType<typeof CronExpressionParser.parse>['fields'];

/** Every run in the sample window as UTC milliseconds, in order. */
function* expandRuns(fields: Fields, offsetAt: (utcMs: number) => number): Generator<number> {
  const minutes = [...(fields.minute.values as number[])].sort((a, b) => a - b);
  const hours = [...(fields.hour.values as number[])].sort((a, b) => a - b);
  const months = new Set(fields.month.values as number[]);
  const doms = new Set(fields.dayOfMonth.values as number[]);
  const dows = new Set((fields.dayOfWeek.values as number[]).map((d) => d % 7));
  const domRestricted = !fields.dayOfMonth.isWildcard;
  const dowRestricted = !fields.dayOfWeek.isWildcard;
  const timesOfDay = hours.flatMap((h) => minutes.map((m) => (h * 60 + m) * 60_000));
  const days = timesOfDay.length > DENSE_RUNS_PER_DAY ? DENSE_SAMPLE_DAYS : SAMPLE_DAYS;

  for (let d = 0; d < days; d++) {
    // The local calendar day, represented as a UTC date (no timezone involved yet).
    const dayStart = SAMPLE_FROM + d * 86_400_000;
    const date = new Date(dayStart);
    if (!months.has(date.getUTCMonth() + 1)) continue;
    const domMatch = doms.has(date.getUTCDate());
    const dowMatch = dows.has(date.getUTCDay());
    // Vixie cron (and cron-parser): when both day fields are restricted, either may match.
    const dayMatches = domRestricted && dowRestricted ? domMatch || dowMatch : domMatch && dowMatch;
    if (!dayMatches) continue;
    const startOffset = offsetAt(dayStart - offsetAt(dayStart));
    const endOffset = offsetAt(dayStart + 86_399_999 - offsetAt(dayStart + 86_399_999));
    for (const t of timesOfDay) {
      const local = dayStart + t;
      if (startOffset === endOffset) yield local - startOffset;
      else yield localToUtc(local, offsetAt);
    }
  }
}

/** The slow path for L and # expressions: cron-parser's own iterator. */
function* iterateRuns(expression: string, timezone: string): Generator<number> {
  const endDate = new Date(SAMPLE_FROM + SAMPLE_DAYS * 86_400_000);
  const it = CronExpressionParser.parse(expression, { tz: timezone, currentDate: new Date(SAMPLE_FROM - 1), endDate });
  for (let i = 0; i < MAX_FALLBACK_RUNS && it.hasNext(); i++) yield it.next().getTime();
}

function summarize(runs: Iterable<number>): ScheduleProfile {
  const startsByWeekMinute = new Uint8Array(MINUTES_PER_WEEK);
  let previous: number | undefined;
  let longest = 0;
  for (const run of runs) {
    if (previous !== undefined && run > previous) longest = Math.max(longest, run - previous);
    if (previous === undefined || run > previous) previous = run;
    startsByWeekMinute[weekMinute(run)] = 1;
  }
  return { longestGapHours: longest === 0 ? Number.POSITIVE_INFINITY : longest / 3_600_000, startsByWeekMinute };
}

/** UTC minute of the week, 0 = Sunday 00:00. */
export function weekMinute(utcMs: number): number {
  const date = new Date(utcMs);
  return date.getUTCDay() * 1440 + date.getUTCHours() * 60 + date.getUTCMinutes();
}

function localToUtc(local: number, offsetAt: (utcMs: number) => number): number {
  const guess = local - offsetAt(local);
  return local - offsetAt(guess);
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** A function giving the timezone's offset from UTC (ms) at a UTC instant. */
function offsetFunction(timezone: string): (utcMs: number) => number {
  if (timezone === 'UTC' || timezone === 'Etc/UTC') return () => 0;
  let format = formatters.get(timezone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: timezone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timezone, format);
  }
  const f = format;
  return (utcMs) => {
    const parts: Record<string, number> = {};
    for (const part of f.formatToParts(utcMs)) if (part.type !== 'literal') parts[part.type] = Number(part.value);
    const asUtc = Date.UTC(parts.year!, parts.month! - 1, parts.day, parts.hour, parts.minute, parts.second);
    return asUtc - Math.floor(utcMs / 1000) * 1000;
  };
}

export interface WeeklyWindow {
  readonly day: 'sun' | 'mon' | 'tue' | 'wed' | 'thu' | 'fri' | 'sat';
  /** HH:MM, UTC. */
  readonly startTime: string;
  readonly durationMinutes: number;
}

const DAYS: readonly WeeklyWindow['day'][] = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * The first run (as a UTC minute of the week) whose window [start, start + runMinutes) overlaps the
 * weekly window, or undefined when none does. Both windows wrap around the end of the week.
 */
const overlaps = new WeakMap<ScheduleProfile, Map<string, number | undefined>>();

export function firstOverlap(profile: ScheduleProfile, runMinutes: number, window: Omit<WeeklyWindow, 'day'> & { readonly day: string }): number | undefined {
  // Thousands of databases share a handful of schedules and windows: compute each pair once.
  let known = overlaps.get(profile);
  if (!known) overlaps.set(profile, (known = new Map<string, number | undefined>()));
  const key = `${runMinutes}|${window.day}|${window.startTime}|${window.durationMinutes}`;
  if (known.has(key)) return known.get(key);
  const result = computeOverlap(profile, runMinutes, window);
  known.set(key, result);
  return result;
}

function computeOverlap(profile: ScheduleProfile, runMinutes: number, window: Omit<WeeklyWindow, 'day'> & { readonly day: string }): number | undefined {
  const day = DAYS.indexOf(window.day as WeeklyWindow['day']);
  const [h, m] = window.startTime.split(':').map(Number);
  if (day < 0 || h === undefined || m === undefined || Number.isNaN(h) || Number.isNaN(m)) return undefined;
  const blocked = new Uint8Array(MINUTES_PER_WEEK);
  const start = day * 1440 + h * 60 + m;
  for (let i = 0; i < Math.min(window.durationMinutes, MINUTES_PER_WEEK); i++) blocked[(start + i) % MINUTES_PER_WEEK] = 1;
  // prefix[i] = blocked minutes in [0, i) over two laps, so any wrapped range is one subtraction.
  const prefix = new Uint32Array(2 * MINUTES_PER_WEEK + 1);
  for (let i = 0; i < 2 * MINUTES_PER_WEEK; i++) prefix[i + 1] = prefix[i]! + blocked[i % MINUTES_PER_WEEK]!;
  const span = Math.min(runMinutes, MINUTES_PER_WEEK);
  for (let s = 0; s < MINUTES_PER_WEEK; s++) {
    if (!profile.startsByWeekMinute[s]) continue;
    if (prefix[s + span]! - prefix[s]! > 0) return s;
  }
  return undefined;
}

/** "sun 03:00" for a UTC minute of the week. */
export function formatWeekMinute(minute: number): string {
  const day = DAYS[Math.floor(minute / 1440)] ?? '?';
  const inDay = minute % 1440;
  return `${day} ${String(Math.floor(inDay / 60)).padStart(2, '0')}:${String(inDay % 60).padStart(2, '0')} UTC`;
}

const clearWindows = new Map<string, WeeklyWindow>();

/**
 * The first whole hour from Sunday 05:00 UTC on (then through the week) at which a window of
 * `durationMinutes` overlaps no backup run [start, start + runMinutes): a default maintenance
 * window that never collides with the backups. Memoized per schedule.
 */
export function clearMaintenanceWindow(expression: string, timezone: string, runMinutes: number, durationMinutes = 60): WeeklyWindow {
  const key = `${expression}\u0000${timezone}\u0000${runMinutes}\u0000${durationMinutes}`;
  const known = clearWindows.get(key);
  if (known) return known;
  const fallback: WeeklyWindow = { day: 'sun', startTime: '05:00', durationMinutes };
  const profile = scheduleProfile(expression, timezone);
  let found = fallback;
  if (profile) {
    const busy = new Uint8Array(MINUTES_PER_WEEK);
    for (let s = 0; s < MINUTES_PER_WEEK; s++) {
      if (!profile.startsByWeekMinute[s]) continue;
      for (let i = 0; i < Math.min(runMinutes, MINUTES_PER_WEEK); i++) busy[(s + i) % MINUTES_PER_WEEK] = 1;
    }
    for (let hour = 5; hour < 5 + 7 * 24; hour++) {
      const start = (hour * 60) % MINUTES_PER_WEEK;
      let clear = true;
      for (let i = 0; i < durationMinutes && clear; i++) if (busy[(start + i) % MINUTES_PER_WEEK]) clear = false;
      if (clear) {
        const inDay = start % 1440;
        found = { day: DAYS[Math.floor(start / 1440)]!, startTime: `${String(Math.floor(inDay / 60)).padStart(2, '0')}:00`, durationMinutes };
        break;
      }
    }
  }
  clearWindows.set(key, found);
  return found;
}
