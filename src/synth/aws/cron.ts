// Five-field cron (minute hour day-of-month month day-of-week) to the six-field AWS form
// `cron(m h dom mon dow year)` used by AWS Backup plans and restore testing plans.
// AWS differs from cron in three ways: one of day-of-month and day-of-week must be `?`, days of the
// week count 1-7 from Sunday (cron: 0-7, 0 and 7 both Sunday), and day-of-week takes no `/` steps.

export type AwsCron = { ok: true; expression: string } | { ok: false; reason: string };

const DAY_NAMES = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] as const;
const MINUTE_HOUR = /^[0-9*,/-]+$/;
const DAY_OF_MONTH = /^[0-9*,/\-?LW]+$/;
const MONTH = /^[0-9A-Z*,/-]+$/;

/** A cron day of the week (number 0-7 or a name) as 0-6, Sunday = 0. */
function dayNumber(token: string): number | undefined {
  const byName = DAY_NAMES.indexOf(token.toUpperCase() as (typeof DAY_NAMES)[number]);
  if (byName >= 0) return byName;
  if (!/^\d$/.test(token)) return undefined;
  const n = Number(token);
  return n <= 7 ? n % 7 : undefined;
}

/** The set of days (0-6) one comma-separated item selects, e.g. `1-5`, `*\/2`, `SAT`. */
function expandDays(item: string): number[] | undefined {
  const [range = '', stepText] = item.split('/');
  const step = stepText === undefined ? 1 : Number(stepText);
  if (!Number.isInteger(step) || step < 1) return undefined;
  let from: number;
  let to: number;
  if (range === '*') {
    from = 0;
    to = 6;
  } else if (range.includes('-')) {
    const [a = '', b = ''] = range.split('-');
    const start = dayNumber(a);
    // `5-7` means Friday to Sunday: 7 is Sunday at the end of a range, not Sunday = 0.
    const end = b === '7' ? 7 : dayNumber(b);
    if (start === undefined || end === undefined || end < start) return undefined;
    from = start;
    to = end;
  } else {
    const day = dayNumber(range);
    if (day === undefined) return undefined;
    from = day;
    to = stepText === undefined ? day : 6;
  }
  const days: number[] = [];
  for (let d = from; d <= to; d += step) days.push(d % 7);
  return days;
}

/** Days 0-6 as AWS names with runs joined: [1,2,3,4,5] → MON-FRI, [0,6] → SUN,SAT. */
function renderDays(days: Set<number>): string {
  const sorted = [...days].sort((a, b) => a - b);
  const parts: string[] = [];
  for (let i = 0; i < sorted.length;) {
    let j = i;
    while (j + 1 < sorted.length && sorted[j + 1] === (sorted[j] as number) + 1) j++;
    const start = DAY_NAMES[sorted[i] as number];
    const end = DAY_NAMES[sorted[j] as number];
    parts.push(j - i >= 2 ? `${start}-${end}` : j === i ? `${start}` : `${start},${end}`);
    i = j + 1;
  }
  return parts.join(',');
}

function convertDayOfWeek(field: string): string | undefined {
  // `5L` (last Friday) and `1#2` (second Monday) stand alone in AWS.
  const special = /^([0-7]|[A-Za-z]{3})(L|#[1-5])$/.exec(field);
  if (special) {
    const day = dayNumber(special[1] as string);
    return day === undefined ? undefined : `${DAY_NAMES[day]}${special[2]}`;
  }
  const days = new Set<number>();
  for (const item of field.split(',')) {
    const expanded = expandDays(item);
    if (!expanded) return undefined;
    for (const d of expanded) days.add(d);
  }
  return days.size === 7 ? '*' : renderDays(days);
}

export function toAwsCron(expression: string): AwsCron {
  const fields = expression.trim().split(/\s+/);
  if (fields.length !== 5) {
    return { ok: false, reason: `has ${fields.length} fields; expected 5 (minute hour day-of-month month day-of-week)` };
  }
  const [minute, hour, dom, monthField, dow] = fields as [string, string, string, string, string];
  const month = monthField.toUpperCase();
  if (!MINUTE_HOUR.test(minute) || !MINUTE_HOUR.test(hour)) {
    return { ok: false, reason: 'minute and hour take only numbers, *, commas, ranges and /steps in AWS cron' };
  }
  if (!DAY_OF_MONTH.test(dom) || !MONTH.test(month)) {
    return { ok: false, reason: 'day-of-month or month uses a character AWS cron does not accept' };
  }
  const anyDom = dom === '*' || dom === '?';
  const anyDow = dow === '*' || dow === '?';
  if (anyDow) return { ok: true, expression: `cron(${minute} ${hour} ${dom === '?' ? '*' : dom} ${month} ? *)` };
  if (!anyDom) {
    return {
      ok: false,
      reason: 'sets both day-of-month and day-of-week; AWS cron takes only one of them (the other must be * in the spec)',
    };
  }
  const awsDow = convertDayOfWeek(dow);
  if (awsDow === undefined) return { ok: false, reason: `day-of-week "${dow}" cannot be expressed in AWS cron` };
  return { ok: true, expression: `cron(${minute} ${hour} ? ${month} ${awsDow} *)` };
}
