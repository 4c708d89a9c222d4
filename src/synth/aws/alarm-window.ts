// How many hours the missing-backup alarm must watch so a healthy schedule never pages. Pure (no
// cdktf import): validate uses it to refuse a stated missingAfterHours the schedule cannot honour.
import { scheduleProfile } from '../../schedule/profile.js';

/** CloudWatch: period × evaluation_periods may not exceed 7 days; the alarm uses 1-hour periods. */
export const MAX_ALARM_HOURS = 7 * 24;

/**
 * The longest time two healthy backups can complete apart, in whole hours, plus one: the longest gap
 * between scheduled starts, plus the start window (a job may start that late) and the completion
 * window (and run that long) — one backup finishing right at its start, the next at the end of its
 * windows. The extra hour covers the alarm's hourly buckets, which a completion may straddle.
 * Undefined when the schedule does not parse (validate reports that) or runs at most once.
 */
export function requiredMissingHours(schedule: string, timezone: string, startWindowMinutes: number, completionWindowMinutes: number): number | undefined {
  const profile = scheduleProfile(schedule, timezone);
  if (!profile || !Number.isFinite(profile.longestGapHours)) return undefined;
  return Math.ceil(profile.longestGapHours + (startWindowMinutes + completionWindowMinutes) / 60) + 1;
}
