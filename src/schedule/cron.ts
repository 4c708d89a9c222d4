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

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

/** AWS EventBridge/Backup cron: `cron(...)`, or six fields with a `?` (AWS needs one) or a year. */
function looksLikeAwsCron(expression: string, fields: readonly string[]): boolean {
  return /^cron\(/i.test(expression.trim()) || (fields.length === 6 && (fields.includes('?') || /^\d{4}([-,/]\d{1,4})*$/.test(fields[5]!)));
}

/** The first number outside its field's range, in words ("hour 25 is out of range 0–23"). */
function outOfRange(fields: readonly string[]): string | undefined {
  for (const [i, field] of fields.entries()) {
    const { name, min, max } = FIELDS[i]!;
    for (const part of field.split(',')) {
      const [range, step] = part.split('/');
      const numbers = (range ?? '')
        .split('-')
        .filter((n) => /^\d+$/.test(n))
        .map(Number);
      for (const n of numbers) if (n < min || n > max) return `${name} ${n} is out of range ${min}–${max}`;
      if (step !== undefined && (!/^\d+$/.test(step) || Number(step) < 1)) return `the step "/${step}" in the ${name} field is not a whole number of 1 or more`;
    }
  }
  return undefined;
}

function parseCron(expression: string, timezone: string): CronCheck {
  const fields = expression.trim().split(/\s+/);
  if (looksLikeAwsCron(expression, fields)) {
    return {
      ok: false,
      reason:
        'this looks like AWS cron (a year field, "?" or cron(...)); write standard 5-field cron (minute hour ' +
        'day-of-month month day-of-week), dbaas converts it: cron(0 3 * * ? *) is "0 3 * * *"',
    };
  }
  if (fields.length !== 5) {
    return { ok: false, reason: `has ${fields.length} fields; expected 5 (minute hour day-of-month month day-of-week), such as "0 3 * * *"` };
  }
  const bad = fields.find((f) => !FIELD.test(f));
  if (bad) return { ok: false, reason: `field "${bad}" is not a cron field; expected numbers, names, * , - / ?` };
  const range = outOfRange(fields);
  if (range) return { ok: false, reason: `${range}; expected a five-field cron expression such as "0 3 * * *"` };
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

const NEVER_RUNS =
  'never runs in a year (no day of a common year matches its day of month and month); expected a schedule that runs at least once a year, such as "0 3 * * *"';

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
