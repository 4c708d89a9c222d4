// How many hours the missing-backup alarm must watch so a healthy schedule never pages. Pure (no
// cdktf import): validate uses it to refuse a stated missingAfterHours the schedule cannot honour.
import { scheduleProfile } from '../../schedule/profile.js';

/** CloudWatch: period × evaluation_periods may not exceed 7 days; the alarm uses 1-hour periods. */
export const MAX_ALARM_HOURS = 7 * 24;

/**
 * The alarm counts backup jobs *created*, which AWS Backup does at each scheduled time, so healthy
 * runs are exactly the schedule's gaps apart (completions drift by up to the start and completion
 * windows; jobs that never complete are the failure alerts' job). The watch must span the longest gap
 * between runs, plus one hour for the alarm's hourly periods, which a run may straddle.
 * Undefined when the schedule does not parse (validate reports that) or runs at most once.
 */
export function requiredMissingHours(schedule: string, timezone: string): number | undefined {
  const profile = scheduleProfile(schedule, timezone);
  if (!profile || !Number.isFinite(profile.longestGapHours)) return undefined;
  return Math.ceil(profile.longestGapHours) + 1;
}
