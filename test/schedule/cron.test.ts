// A schedule that never runs in a year is invalid wherever it is used (every environment), not a
// guardrail finding that only production sees.
import { describe, expect, it } from 'vitest';
import { checkCron } from '../../src/schedule/cron.js';
import { resolveFiles } from '../../src/pipeline.js';
import { readRepoFiles } from '../../src/load/repo.js';
import { join } from 'node:path';
import { FIXTURES } from '../helpers/repo.js';

describe('checkCron', () => {
  it.each(['0 0 30 2 *', '0 0 31 4 *', '0 0 31 2,4 *', '0 0 31 4,6,9,11 *', '0 0 29 2 *', '0 0 31 2-4/2 *'])(
    'refuses %s, which never runs in a common year',
    (expression) => {
      expect(checkCron(expression, 'UTC')).toEqual({
        ok: false,
        reason: expect.stringMatching(/^never runs in a year .*; expected a schedule that runs at least once a year/),
      });
      expect(checkCron(expression, 'Europe/Dublin').ok).toBe(false);
    },
  );

  it.each(['0 3 * * *', '0 0 31 * *', '0 0 28 2 *', '0 0 L 2 *', '0 0 1 1 *', '0 0 30 1-3 *', '*/5 * * * *', '0 0 29 2 1'])(
    'accepts %s, which runs every year',
    (expression) => {
      expect(checkCron(expression, 'UTC')).toEqual({ ok: true });
    },
  );
});

describe('a never-running schedule in each environment', () => {
  const minimal = readRepoFiles(join(FIXTURES, 'repos', 'pass-minimal'));
  it.each(['development', 'staging', 'production'])('is DBAAS_INVALID_CRON in %s', (environment) => {
    const files = {
      ...minimal,
      config: { ...minimal.config!, text: minimal.config!.text.replaceAll('development:', `${environment}:`) },
      specs: minimal.specs.map((f) => ({
        ...f,
        text: f.text.replace('environment: development', `environment: ${environment}`).replace('schedule: "0 3 * * *"', 'schedule: "0 0 31 2,4 *"'),
      })),
    };
    const result = resolveFiles(files);
    expect(result.ok).toBe(false);
    expect(result.ok ? [] : result.problems.map((p) => [p.code, p.field, p.value])).toEqual([['DBAAS_INVALID_CRON', 'spec.schedule', '0 0 31 2,4 *']]);
  });
});
