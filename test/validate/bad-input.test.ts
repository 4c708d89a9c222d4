import { copyFileSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem } from '../../src/errors.js';
import { resolveDir } from '../../src/pipeline.js';
import { cleanupTempRepos, FIXTURES, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

/** Where a fixture goes: its team's folder (stacks/<team>/), as the repo layout requires. */
function placeFixture(dir: string, fixture: string): string {
  const team = readFileSync(join(FIXTURES, 'validate', fixture), 'utf8').match(/^\s+team: ([a-z][a-z0-9-]*)\s*$/m)?.[1] ?? 'shared';
  mkdirSync(join(dir, 'stacks', team), { recursive: true });
  copyFileSync(join(FIXTURES, 'validate', fixture), join(dir, 'stacks', team, fixture));
  return `stacks/${team}/${fixture}`;
}

/** Drops one fixture file into a copy of the minimal valid repo and resolves it. */
function problemsWith(fixture: string) {
  const dir = tempRepo();
  placeFixture(dir, fixture);
  const result = resolveDir(dir);
  return result.ok ? [] : result.problems;
}

const cases: { fixture: string; code: string; line: number; column?: number; field?: string; message: RegExp }[] = [
  { fixture: 'fail-malformed-yaml.yaml', code: 'DBAAS_YAML_SYNTAX', line: 4, column: 9, message: /Nested mappings are not allowed.*expected valid YAML/ },
  { fixture: 'fail-alias-bomb.yaml', code: 'DBAAS_YAML_ALIAS_LIMIT', line: 1, message: /at most 100 alias/ },
  {
    fixture: 'fail-rds-name-double-hyphen.yaml',
    code: 'DBAAS_INVALID_NAME',
    line: 4,
    column: 9,
    field: 'metadata.name',
    message: /"bad--name".*RDS identifier.*no double or trailing hyphen/,
  },
  { fixture: 'fail-rds-name-trailing-hyphen.yaml', code: 'DBAAS_INVALID_NAME', line: 4, field: 'metadata.name', message: /"bad-name-"/ },
  { fixture: 'fail-name-path-traversal.yaml', code: 'DBAAS_UNSAFE_NAME', line: 4, field: 'metadata.name', message: /leave the output folder/ },
  { fixture: 'fail-cloudsql-name.yaml', code: 'DBAAS_INVALID_NAME', line: 4, field: 'metadata.name', message: /Cloud SQL instance name/ },
  { fixture: 'fail-dynamodb-name-too-short.yaml', code: 'DBAAS_INVALID_NAME', line: 4, field: 'metadata.name', message: /DynamoDB table name: 3-255/ },
  {
    fixture: 'fail-unknown-field.yaml',
    code: 'DBAAS_UNKNOWN_FIELD',
    line: 13,
    column: 5,
    field: 'spec.backup.retentionDay',
    message: /unknown field "retentionDay"/,
  },
  {
    fixture: 'fail-slack-webhook-url.yaml',
    code: 'DBAAS_PLAINTEXT_SECRET',
    line: 5,
    field: 'spec.slack.webhookSecret',
    message: /plaintext secret \(value not shown\)/,
  },
  // A tier alone delivers nowhere; a tier is one of the three.
  {
    fixture: 'fail-channel-tier-only.yaml',
    code: 'DBAAS_MISSING_FIELD',
    line: 5,
    field: 'spec',
    message: /expected at least one of email, slack, webhook, pubsub/,
  },
  { fixture: 'fail-channel-unknown-tier.yaml', code: 'DBAAS_INVALID_VALUE', line: 6, field: 'spec.tier', message: /wake-me.*page.*notify.*record/ },
  { fixture: 'fail-plaintext-password.yaml', code: 'DBAAS_PLAINTEXT_SECRET', line: 13, field: 'spec.users[0].passwordSecret', message: /expected a reference/ },
  { fixture: 'fail-bad-cron.yaml', code: 'DBAAS_INVALID_CRON', line: 5, field: 'spec.schedule', message: /"0 25 \* \* \*".*hour 25 is out of range 0–23/ },
  { fixture: 'fail-cron-four-fields.yaml', code: 'DBAAS_INVALID_CRON', line: 5, field: 'spec.schedule', message: /has 4 fields; expected 5/ },
  {
    fixture: 'fail-unknown-timezone.yaml',
    code: 'DBAAS_UNKNOWN_TIMEZONE',
    line: 6,
    field: 'spec.timezone',
    message: /"Mars\/Olympus_Mons"; expected an IANA timezone/,
  },
  {
    fixture: 'fail-unknown-reference.yaml',
    code: 'DBAAS_UNKNOWN_REFERENCE',
    line: 12,
    field: 'spec.backup.policy',
    message: /BackupPolicy "dialy" does not exist/,
  },
  {
    fixture: 'fail-engine-not-on-cloud.yaml',
    code: 'DBAAS_INVALID_VALUE',
    line: 10,
    field: 'spec.engine',
    message: /"dynamodb"; expected one of postgres, mysql, sqlserver/,
  },
  { fixture: 'fail-unknown-size.yaml', code: 'DBAAS_UNKNOWN_SIZE', line: 11, field: 'spec.size', message: /size "smal".*expected one of small/ },
  {
    fixture: 'fail-unknown-team.yaml',
    code: 'DBAAS_UNKNOWN_TEAM',
    line: 5,
    column: 9,
    field: 'metadata.team',
    message: /team "team-b" is not in dbaas\.config\.yaml teams; expected one of team-a\. The infra team adds teams\.team-b\.environments\.development/,
  },
  {
    fixture: 'fail-team-constructor.yaml',
    code: 'DBAAS_UNKNOWN_TEAM',
    line: 5,
    field: 'metadata.team',
    message: /team "constructor" is not in dbaas\.config\.yaml teams/,
  },
  {
    fixture: 'fail-team-environment.yaml',
    code: 'DBAAS_TEAM_ENVIRONMENT',
    line: 7,
    column: 16,
    field: 'spec.environment',
    message:
      /team "team-a" has no rules for environment "production" in dbaas\.config\.yaml; expected one of development\. The infra team adds teams\.team-a\.environments\.production/,
  },
  {
    fixture: 'fail-size-prototype.yaml',
    code: 'DBAAS_UNKNOWN_SIZE',
    line: 11,
    field: 'spec.size',
    message: /size "constructor" has no postgres class.*expected one of small/,
  },
  {
    fixture: 'fail-schedule-never-fires.yaml',
    code: 'DBAAS_INVALID_CRON',
    line: 12,
    field: 'spec.backup.schedule',
    message: /"0 0 30 2 \*", which never runs in a year/,
  },
];

describe('bad input is reported at its file:line:column with field, value and expectation', () => {
  it.each(cases)('$fixture → $code', ({ fixture, code, line, column, field, message }) => {
    const problems = problemsWith(fixture);
    const match = problems.find((p) => p.code === code);
    expect(match, problems.map(formatProblem).join('\n')).toBeDefined();
    expect(match!.location?.file).toMatch(new RegExp(`^stacks/[a-z0-9-]+/${fixture}$`));
    expect(match!.location?.line).toBe(line);
    if (column) expect(match!.location?.column).toBe(column);
    if (field) expect(match!.field).toBe(field);
    expect(match!.message).toMatch(message);
    // One line per problem, never a stack trace.
    expect(formatProblem(match!)).not.toMatch(/\n| {4}at /);
  });

  it('reports a channel with no destination once, not as four required fields', () => {
    expect(problemsWith('fail-channel-tier-only.yaml').map((p) => p.message)).toEqual(['expected at least one of email, slack, webhook, pubsub']);
  });

  it('names both places of a duplicate database name', () => {
    const problems = problemsWith('fail-duplicate-name.yaml');
    expect(problems).toHaveLength(1);
    const [dup] = problems;
    expect(dup?.code).toBe('DBAAS_DUPLICATE_NAME');
    // Files are read in sorted order, so the later file is the one reported.
    expect(dup?.location).toEqual({ file: 'stacks/team-a/fail-duplicate-name.yaml', line: 4, column: 9 });
    expect(dup?.message).toContain('Database "app-db" is also defined at stacks/team-a/app.yaml:5:9');
  });

  it('suggests the field the author meant', () => {
    const [typo] = problemsWith('fail-unknown-field.yaml');
    expect(typo?.suggestion).toBe('did you mean "retentionDays"?');
  });

  it('suggests the closest existing reference for each broken one', () => {
    const problems = problemsWith('fail-unknown-reference.yaml');
    expect(problems.map((p) => p.suggestion)).toEqual(['did you mean "daily"?', 'did you mean "team-a-alerts"?']);
    expect(problems[1]?.field).toBe('spec.notify[0]');
  });

  it('never prints a plaintext secret it found', () => {
    const problems = problemsWith('fail-slack-webhook-url.yaml');
    const text = problems.map(formatProblem).join('\n') + JSON.stringify(problems);
    expect(text).not.toContain('hooks.slack.com');
    expect(text).not.toContain('XXXXSECRETXXXX');
    const pw = problemsWith('fail-plaintext-password.yaml');
    expect(JSON.stringify(pw)).not.toContain('hunter2');
  });

  it('reports one problem per bad field, not schema noise on top of the specific one', () => {
    expect(problemsWith('fail-rds-name-double-hyphen.yaml')).toHaveLength(1);
    expect(problemsWith('fail-slack-webhook-url.yaml')).toHaveLength(1);
  });

  it('accepts a DynamoDB table name that RDS would refuse', () => {
    expect(problemsWith('pass-dynamodb-name.yaml')).toEqual([]);
  });

  it('reports every problem in every file in one run', () => {
    const dir = tempRepo();
    const placed = ['fail-bad-cron.yaml', 'fail-unknown-field.yaml', 'fail-malformed-yaml.yaml'].map((f) => placeFixture(dir, f));
    const result = resolveDir(dir);
    expect(result.ok).toBe(false);
    const files = new Set(result.ok ? [] : result.problems.map((p) => p.location?.file));
    expect(files).toEqual(new Set(placed));
  });

  it('keeps fixture names honest: every fail-* fixture fails, every pass-* passes', () => {
    for (const fixture of readdirSync(join(FIXTURES, 'validate'))) {
      const problems = problemsWith(fixture);
      if (fixture.startsWith('fail-')) expect(problems.length, fixture).toBeGreaterThan(0);
      else expect(problems, fixture).toEqual([]);
    }
  });
});
