// spec.restoreFrom and spec.expires at validate: a repo of working restores passes (with a warning
// for the clone that expires), and each refusal fixture (test/fixtures/validate-restore/fail-*.yaml,
// dropped into that repo) is reported at its file:line:column with the reason. The clock is fixed.
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/errors.js';
import { resolveDir } from '../../src/pipeline.js';
import { cleanupTempRepos, FIXTURES, tempRepo } from '../helpers/repo.js';

const NOW = '2026-11-30T06:00:00Z';
let saved: string | undefined;
beforeAll(() => {
  saved = process.env.DBAAS_NOW;
  process.env.DBAAS_NOW = NOW;
});
afterAll(() => {
  if (saved === undefined) delete process.env.DBAAS_NOW;
  else process.env.DBAAS_NOW = saved;
  cleanupTempRepos();
});

const DIR = join(FIXTURES, 'validate-restore');

function problemsWith(fixture?: string, now = NOW) {
  const dir = tempRepo('pass-restore');
  if (fixture) copyFileSync(join(DIR, fixture), join(dir, 'stacks', 'team-a', fixture));
  process.env.DBAAS_NOW = now;
  try {
    const result = resolveDir(dir);
    return { ok: result.ok, problems: result.ok ? result.repo.problems : result.problems };
  } finally {
    process.env.DBAAS_NOW = NOW;
  }
}

describe('restores that can work pass validate', () => {
  it('resolves every restore of the fixture repo, warning only about the expiring clone', () => {
    const { ok, problems } = problemsWith();
    expect(problems.map(formatProblem), problems.map(formatProblem).join('\n')).toHaveLength(1);
    expect(ok).toBe(true);
    expect(problems[0]).toMatchObject({
      code: 'DBAAS_EXPIRES',
      severity: 'warning',
      field: 'spec.expires',
      location: { file: 'stacks/team-a/restores.yaml', line: 12 },
    });
    expect(problems[0]!.message).toMatch(/expires on 2026-12-15 \(in 15 days\)/);
  });

  it('refuses the clone once its end date has passed', () => {
    const { ok, problems } = problemsWith(undefined, '2026-12-16T00:00:00Z');
    expect(ok).toBe(false);
    const expired = problems.find((p) => p.code === 'DBAAS_EXPIRED');
    expect(expired).toMatchObject({ severity: 'error', field: 'spec.expires', location: { file: 'stacks/team-a/restores.yaml', line: 12 } });
    expect(expired!.message).toMatch(/expired on 2026-12-15 \(1 day ago\)/);
    // The point in time is now out of the source's 7-day window too, and says how to get out of it.
    expect(problems.find((p) => p.code === 'DBAAS_RESTORE_BEFORE_WINDOW')?.message).toMatch(/remove spec\.restoreFrom/);
  });
});

const cases: { fixture: string; code: string; line: number; field: string; message: RegExp }[] = [
  {
    fixture: 'fail-restore-unknown-source.yaml',
    code: 'DBAAS_RESTORE_UNKNOWN_SOURCE',
    line: 10,
    field: 'spec.restoreFrom.database',
    message: /no valid Database named "ordres".*expected one of its databases \(carts, carts-restore, invoices, /,
  },
  {
    fixture: 'fail-restore-other-cloud.yaml',
    code: 'DBAAS_RESTORE_OTHER_CLOUD',
    line: 10,
    field: 'spec.restoreFrom.database',
    message: /source orders is on aws and profiles-x on gcp/,
  },
  {
    fixture: 'fail-restore-other-engine.yaml',
    code: 'DBAAS_RESTORE_OTHER_ENGINE',
    line: 10,
    field: 'spec.restoreFrom.database',
    message: /source ledger runs aurora-postgresql and .* postgres; expected the same engine/,
  },
  {
    fixture: 'fail-restore-future.yaml',
    code: 'DBAAS_RESTORE_FUTURE',
    line: 10,
    field: 'spec.restoreFrom.pointInTime',
    message: /2026-12-01T00:00:00Z is in the future \(now is 2026-11-30T06:00:00.000Z\)/,
  },
  {
    fixture: 'fail-restore-before-window.yaml',
    code: 'DBAAS_RESTORE_BEFORE_WINDOW',
    line: 10,
    field: 'spec.restoreFrom.pointInTime',
    message: /before ledger's point-in-time window \(3 days: from 2026-11-27T06:00:00.000Z\)/,
  },
  {
    fixture: 'fail-restore-no-pitr.yaml',
    code: 'DBAAS_RESTORE_NO_PITR',
    line: 10,
    field: 'spec.restoreFrom.pointInTime',
    message: /source invoices has point-in-time recovery off/,
  },
  { fixture: 'fail-restore-self.yaml', code: 'DBAAS_RESTORE_SELF', line: 10, field: 'spec.restoreFrom.database', message: /cannot restore over itself/ },
  {
    fixture: 'fail-restore-other-account.yaml',
    code: 'DBAAS_RESTORE_OTHER_PLACE',
    line: 10,
    field: 'spec.restoreFrom.database',
    message: /source orders-prod is in account 111111111111 \(production\), eu-west-1 .* in account 333333333333 \(development\).*same account and region/,
  },
  {
    fixture: 'fail-restore-dynamodb-backup.yaml',
    code: 'DBAAS_RESTORE_BACKUP_DYNAMODB',
    line: 12,
    field: 'spec.restoreFrom.backup',
    message: /restores tables only from point-in-time recovery/,
  },
  {
    fixture: 'fail-restore-databases.yaml',
    code: 'DBAAS_RESTORE_DATABASES',
    line: 9,
    field: 'spec.restoreFrom',
    message: /holds its databases \(orders\).*expected spec\.databases: \[orders\]/,
  },
  {
    fixture: 'fail-restore-no-backups.yaml',
    code: 'DBAAS_RESTORE_NO_BACKUPS',
    line: 23,
    field: 'spec.restoreFrom.backup',
    message: /source nobackups takes no backups/,
  },
  {
    fixture: 'fail-restore-bad-time.yaml',
    code: 'DBAAS_INVALID_FORMAT',
    line: 10,
    field: 'spec.restoreFrom.pointInTime',
    message: /got "yesterday"; expected RFC 3339 time/,
  },
  { fixture: 'fail-restore-both.yaml', code: 'DBAAS_OUT_OF_RANGE', line: 10, field: 'spec.restoreFrom', message: /expected at most 2 fields/ },
];

describe('restores that cannot work are refused with the reason, at file:line', () => {
  it.each(cases)('$fixture → $code', ({ fixture, code, line, field, message }) => {
    const { ok, problems } = problemsWith(fixture);
    expect(ok).toBe(false);
    const match = problems.find((p) => p.code === code && p.location?.file === `stacks/team-a/${fixture}`);
    expect(match, problems.map(formatProblem).join('\n')).toBeDefined();
    expect(match!.location?.line).toBe(line);
    expect(match!.field).toBe(field);
    expect(match!.message).toMatch(message);
    expect(formatProblem(match!)).not.toMatch(/\n| {4}at /);
  });

  it('suggests the source the author meant', () => {
    const { problems } = problemsWith('fail-restore-unknown-source.yaml');
    expect(problems.find((p) => p.code === 'DBAAS_RESTORE_UNKNOWN_SOURCE')?.suggestion).toBe('did you mean "orders"?');
  });

  it('has a case for every fail-* fixture', () => {
    const fixtures = readdirSync(DIR)
      .filter((f) => f.startsWith('fail-'))
      .sort();
    expect(fixtures).toEqual(cases.map((c) => c.fixture).sort());
  });
});
