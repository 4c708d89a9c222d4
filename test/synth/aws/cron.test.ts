import { describe, expect, it } from 'vitest';
import { toAwsCron } from '../../../src/synth/aws/cron.js';

describe('toAwsCron', () => {
  it.each([
    ['0 3 * * *', 'cron(0 3 * * ? *)', 'daily: day-of-week becomes ?'],
    ['30 1 * * *', 'cron(30 1 * * ? *)', 'minutes kept'],
    ['0 5 * * 0', 'cron(0 5 ? * SUN *)', 'Sunday as 0'],
    ['0 5 * * 7', 'cron(0 5 ? * SUN *)', 'Sunday as 7'],
    ['0 5 * * 1-5', 'cron(0 5 ? * MON-FRI *)', 'weekday range shifts to AWS numbering'],
    ['0 5 * * mon-fri', 'cron(0 5 ? * MON-FRI *)', 'names, any case'],
    ['0 5 * * 5-7', 'cron(0 5 ? * SUN,FRI,SAT *)', 'a range ending on 7 wraps to Sunday'],
    ['0 5 * * 0,6', 'cron(0 5 ? * SUN,SAT *)', 'list'],
    ['0 5 * * */2', 'cron(0 5 ? * SUN,TUE,THU,SAT *)', 'steps expand (AWS has no / in day-of-week)'],
    ['0 5 * * 0-6', 'cron(0 5 ? * * *)', 'every day collapses to *'],
    ['0 5 * * 5L', 'cron(0 5 ? * FRIL *)', 'last Friday'],
    ['0 5 * * 1#2', 'cron(0 5 ? * MON#2 *)', 'second Monday'],
    ['0 */6 * * *', 'cron(0 */6 * * ? *)', 'hour steps pass through'],
    ['15 2 1 * *', 'cron(15 2 1 * ? *)', 'monthly on the 1st'],
    ['0 4 L * *', 'cron(0 4 L * ? *)', 'last day of month'],
    ['0 4 1 jan,jul *', 'cron(0 4 1 JAN,JUL ? *)', 'month names upper-cased'],
    ['0 4 ? * 1', 'cron(0 4 ? * MON *)', 'explicit ? kept'],
  ])('%s → %s (%s)', (input, expected) => {
    expect(toAwsCron(input)).toEqual({ ok: true, expression: expected });
  });

  it.each([
    ['0 3 1 * 1', /both day-of-month and day-of-week/],
    ['0 3 * *', /has 4 fields/],
    ['0 3 * * * *', /has 6 fields/],
    ['0 3 * * 8', /day-of-week "8"/],
    ['0 3 * * 5-2', /day-of-week "5-2"/],
  ])('refuses %s', (input, reason) => {
    const result = toAwsCron(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.reason).toMatch(reason);
  });
});
