// Cron mistakes explained in words, and the bounds ajv reports rephrased.
import { describe, expect, it } from 'vitest';
import { checkCron } from '../../src/schedule/cron.js';
import { bound } from '../../src/validate/schema-errors.js';

const reason = (expression: string) => {
  const check = checkCron(expression);
  return check.ok ? 'ok' : check.reason;
};

describe('cron errors a person understands', () => {
  it.each([
    ['0 25 * * *', /^hour 25 is out of range 0–23;/],
    ['60 3 * * *', /^minute 60 is out of range 0–59;/],
    ['0 3 0 * *', /^day of month 0 is out of range 1–31;/],
    ['0 3 * 13 *', /^month 13 is out of range 1–12;/],
    ['0 3 * * 8', /^day of week 8 is out of range 0–7;/],
    ['0 1-30 * * *', /^hour 30 is out of range 0–23;/],
    ['*/0 3 * * *', /step "\/0" in the minute field/],
  ])('%s: %s', (expression, message) => {
    expect(reason(expression)).toMatch(message);
  });

  it.each(['0 3 * * ? *', 'cron(0 3 * * ? *)', '0 3 ? * MON 2027'])('recognises AWS cron (%s) and says what to write instead', (expression) => {
    expect(reason(expression)).toMatch(/^this looks like AWS cron .* write standard 5-field cron .* dbaas converts it/);
  });

  it('still accepts what is valid', () => {
    for (const ok of ['0 3 * * *', '*/15 * * * *', '0 5 * * 0', '0 3 * * 1-5', '0 0 1 JAN *']) expect(reason(ok)).toBe('ok');
  });
});

describe('schema bounds in words, never ajv phrases', () => {
  it.each([
    ['minLength', { limit: 9 }, 'at least 9 characters'],
    ['maxLength', { limit: 1 }, 'at most 1 character'],
    ['minimum', { limit: 1 }, '1 or more'],
    ['maximum', { limit: 365 }, '365 or less'],
    ['minItems', { limit: 1 }, 'at least 1 item'],
    ['exclusiveMinimum', { limit: 0 }, 'more than 0'],
  ])('%s', (keyword, params, words) => {
    const text = bound({ keyword, params, message: 'must NOT have fewer than 9 characters' });
    expect(text).toBe(words);
    expect(text).not.toMatch(/must|NOT/);
  });
});
