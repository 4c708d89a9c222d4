// AlloyDB automated backup schedules. google 6.50 `automated_backup_policy.weekly_schedule` is the
// only recurrence: a set of week days times a set of start times, "assumed to be in UTC and to be an
// exact hour (e.g., 04:00:00)" (hashicorp/terraform-provider-google v6.50.0,
// google/services/alloydb/resource_alloydb_cluster.go; minutes, seconds and nanos: "Currently, only
// the value 0 is supported"). A cron says more than that, so a cron maps only when its runs in UTC
// are exactly such a product; anything else is refused with what to write instead, never rounded.
import { CronExpressionParser } from 'cron-parser';
import { REFERENCE_DATE } from './schedule.js';

/** Indexed by Date.getUTCDay() (Sunday = 0). */
export const ALLOYDB_DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;
export type AlloyDbDay = (typeof ALLOYDB_DAYS)[number];
/**
 * The order days_of_week is written in: the provider's enum order, MONDAY to SUNDAY (v6.50.0
 * resource_alloydb_cluster.go, weekly_schedule.days_of_week ValidateEnum), as the API returns them,
 * so the plan shows no reordering diff.
 */
export const ALLOYDB_WEEK_ORDER: readonly AlloyDbDay[] = ['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY'];

export type WeeklyScheduleResult =
  | { readonly ok: true; readonly days: readonly AlloyDbDay[]; readonly hours: readonly number[] }
  | { readonly ok: false; readonly reason: string; readonly expected: string };

const WEEK_MS = 7 * 86_400_000;
/** More runs than this in a week means a run more often than hourly: not expressible. */
const MAX_RUNS = 7 * 24;

const refuse = (reason: string, expected: string): WeeklyScheduleResult => ({ ok: false, reason, expected });

/**
 * The weekly_schedule for a backup cron in a timezone: its runs in the reference week (from
 * REFERENCE_DATE, a winter Monday, as for Cloud SQL: in summer a daylight-saving timezone sees the
 * backup an hour later local time) converted to UTC. Refused when the cron restricts months or days
 * of the month (AlloyDB has weekly schedules only), starts off the whole UTC hour, runs more often
 * than hourly, or does not run at the same UTC hours on every day it runs (after the timezone shift).
 */
export function alloydbWeeklySchedule(cron: string, timezone: string): WeeklyScheduleResult {
  const fields = CronExpressionParser.parse(cron, { tz: 'UTC' }).fields;
  if (!fields.month.isWildcard)
    return refuse(`cron ${cron} runs in some months only; AlloyDB schedules are weekly`, 'a daily or weekly cron such as "0 3 * * *" or "0 3 * * 0"');
  if (!(fields.dayOfMonth.isWildcard || fields.dayOfMonth.hasQuestionMarkChar)) {
    return refuse(`cron ${cron} runs on days of the month; AlloyDB schedules are weekly`, 'a daily or weekly cron such as "0 3 * * *" or "0 3 * * 0"');
  }
  const end = REFERENCE_DATE.getTime() + WEEK_MS;
  const it = CronExpressionParser.parse(cron, { tz: timezone, currentDate: new Date(REFERENCE_DATE.getTime() - 1) });
  const runs: Date[] = [];
  while (runs.length <= MAX_RUNS) {
    const next = it.next().toDate();
    if (next.getTime() >= end) break;
    runs.push(next);
  }
  if (runs.length === 0) return refuse(`cron ${cron} does not run in a week`, 'a daily or weekly cron');
  if (runs.length > MAX_RUNS)
    return refuse(`cron ${cron} runs more often than hourly; AlloyDB starts backups on whole hours`, 'at most one run an hour, on the hour');
  const offHour = runs.find((r) => r.getUTCMinutes() !== 0 || r.getUTCSeconds() !== 0);
  if (offHour) {
    const zone = timezone === 'UTC' ? '' : ` (${timezone} is not a whole number of hours from UTC)`;
    return refuse(
      `cron ${cron} starts at minute ${offHour.getUTCMinutes()} in UTC${zone}; AlloyDB starts backups on the whole UTC hour`,
      'minute 0 of an hour in UTC, e.g. "0 3 * * *"',
    );
  }
  const days = ALLOYDB_WEEK_ORDER.filter((d) => runs.some((r) => r.getUTCDay() === ALLOYDB_DAYS.indexOf(d)));
  const hours = [...new Set(runs.map((r) => r.getUTCHours()))].sort((a, b) => a - b);
  const key = (day: number, hour: number) => day * 24 + hour;
  const seen = new Set(runs.map((r) => key(r.getUTCDay(), r.getUTCHours())));
  const product = days.every((d) => hours.every((h) => seen.has(key(ALLOYDB_DAYS.indexOf(d), h))));
  if (!product || seen.size !== days.length * hours.length) {
    return refuse(
      `cron ${cron} in ${timezone} runs at different UTC hours on different days; AlloyDB runs the same start times on every backup day`,
      'a cron in UTC (timezone: UTC) with the same hours on every day it runs',
    );
  }
  return { ok: true, days, hours };
}

/** The longest gap between two runs of a weekly schedule, in hours (168 for one run a week). */
export function weeklyGapHours(days: readonly string[], hours: readonly number[]): number {
  const points = days
    .map((d) => ALLOYDB_DAYS.indexOf(d as AlloyDbDay))
    .filter((d) => d >= 0)
    .flatMap((d) => hours.map((h) => d * 24 + h))
    .sort((a, b) => a - b);
  if (points.length === 0) return 0;
  return Math.max(...points.map((p, i) => (i + 1 < points.length ? points[i + 1]! - p : WEEK_MS / 3_600_000 - p + points[0]!)));
}
