// Cron expressions in specs: five fields, evaluated in an IANA timezone.
import { CronExpressionParser } from 'cron-parser';
import { scheduleProfile } from './profile.js';

export type CronCheck = { ok: true } | { ok: false; reason: string };

const FIELD = /^[0-9A-Za-z*,/\-?#LW]+$/;

const checked = new Map<string, CronCheck>();

/** Whether a cron expression is valid in a timezone; memoized, since thousands of specs share a few schedules. */
export function checkCron(expression: string, timezone = 'UTC'): CronCheck {
  const key = `${expression}\u0000${timezone}`;
  let result = checked.get(key);
  if (!result) checked.set(key, (result = parseCron(expression, timezone)));
  return result;
}

function parseCron(expression: string, timezone: string): CronCheck {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return { ok: false, reason: `has ${fields.length} fields; expected 5 (minute hour day-of-month month day-of-week)` };
  }
  const bad = fields.find((f) => !FIELD.test(f));
  if (bad) return { ok: false, reason: `field "${bad}" is not a cron field; expected numbers, names, * , - / ?` };
  try {
    CronExpressionParser.parse(expression, { tz: timezone });
  } catch (error) {
    const message = (error as Error).message;
    // cron-parser's words for a day of the month that none of the named months has (30 2, 31 4).
    if (/invalid explicit day of month/i.test(message)) return { ok: false, reason: NEVER_RUNS };
    return { ok: false, reason: `${message}; expected a five-field cron expression such as "0 3 * * *"` };
  }
  // A schedule that parses can still never run ("0 0 31 2,4 *"), or only in leap years ("0 0 29 2 *"):
  // a backup that never happens, in any environment. The profile samples 400 days, every month of a
  // common year.
  const profile = scheduleProfile(expression, timezone);
  if (profile && !profile.startsByWeekMinute.includes(1)) return { ok: false, reason: NEVER_RUNS };
  return { ok: true };
}

const NEVER_RUNS = 'never runs in a year (no day of a common year matches its day of month and month); expected a schedule that runs at least once a year, such as "0 3 * * *"';

export function isTimezone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return true;
  } catch {
    return false;
  }
}

/** The next `count` firing times after `from`, as UTC dates. */
export function nextRuns(expression: string, timezone: string, from: Date, count: number): Date[] {
  const it = CronExpressionParser.parse(expression, { tz: timezone, currentDate: from });
  return Array.from({ length: count }, () => it.next().toDate());
}
