import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatProblem, type Problem } from '../../src/errors.js';
import { resolveDir } from '../../src/pipeline.js';
import { UNSUPPORTED_GCP } from '../../src/validate/unsupported-gcp.js';
import { runCli } from '../helpers/cli.js';
import { cleanupTempRepos, FIXTURES, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

/** The example repo plus one fixture file, in its databases' team folder (stacks/analytics/). */
function withFixture(fixture: string): string {
  const dir = tempRepo('example');
  mkdirSync(join(dir, 'stacks', 'analytics'), { recursive: true });
  copyFileSync(join(FIXTURES, 'validate-gcp', fixture), join(dir, 'stacks', 'analytics', fixture));
  return dir;
}

/** The example repo plus one fixture file; its DBAAS_UNSUPPORTED_GCP problems. */
function refusals(fixture: string): Problem[] {
  const result = resolveDir(withFixture(fixture));
  return result.ok ? [] : result.problems.filter((p) => p.code === 'DBAAS_UNSUPPORTED_GCP');
}

const at = (problems: Problem[]) => problems.map((p) => `${p.location?.file}:${p.location?.line} ${p.field}`).sort();

describe('GCP refuses the spec fields a Cloud SQL stack cannot honour (validate, exit 2)', () => {
  it('reports every refused field of a database at its own line, with the reason and what to do instead', () => {
    const problems = refusals('fail-gcp-inline.yaml');
    const file = 'stacks/analytics/fail-gcp-inline.yaml';
    expect(at(problems)).toEqual(
      [
        `${file}:13 spec.objectives.rtoHours`,
        `${file}:14 spec.maintenanceWindow.durationMinutes`,
        `${file}:14 spec.maintenanceWindow.startTime`,
        `${file}:15 spec.table`,
        `${file}:17 spec.users[0]`,
        `${file}:17 spec.users[0].passwordSecret`,
        `${file}:23 spec.backup.copies[1]`,
        `${file}:23 spec.backup.copies[1].account`,
      ].sort(),
    );
    const rto = problems.find((p) => p.field === 'spec.objectives.rtoHours')!;
    expect(rto.message).toMatch(/restore drill.*no backup\.restoreTesting.*expected add backup\.restoreTesting/);
    expect(rto.severity).toBe('error');
    expect(problems.find((p) => p.field === 'spec.maintenanceWindow.startTime')!.expected).toBe('a whole hour, e.g. "05:00"');
    expect(problems.find((p) => p.field === 'spec.users[0]')!.message).toMatch(/deletes 'root'@'%'.*Terraform state/);
    for (const p of problems) expect(formatProblem(p)).not.toMatch(/\n| {4}at /);
  });

  it('reports a shared policy field once, in the policy, naming the GCP databases that get it', () => {
    const problems = refusals('fail-gcp-shared-policy.yaml');
    const file = 'stacks/analytics/fail-gcp-shared-policy.yaml';
    expect(at(problems)).toEqual(
      [
        `${file}:10 spec.copies[0].retentionDays`,
        `${file}:11 spec.vaultLock.maxRetentionDays`,
        // gcp-three: a start window without a vault, and a key with storage encryption off
        `${file}:48 spec.backup.startWindowMinutes`,
        `${file}:49 spec.backup.encryption`,
      ].sort(),
    );
    expect(problems.find((p) => p.field === 'spec.vaultLock.maxRetentionDays')!.message).toMatch(
      /^BackupPolicy gcp-shared is used by GCP databases gcp-one, gcp-two: /,
    );
    // gcp-two keeps 90 days itself, so only gcp-one gets a copy retention that differs
    expect(problems.find((p) => p.field === 'spec.copies[0].retentionDays')!.message).toMatch(/^BackupPolicy gcp-shared is used by GCP database gcp-one: /);
  });

  it('accepts the supported forms, and leaves AWS databases (restore tests, rtoHours, accounts) alone', () => {
    // Not only no GCP refusal: the repo with the fixture is valid as a whole.
    const supported = resolveDir(withFixture('pass-gcp-supported.yaml'));
    expect(supported.ok ? [] : supported.problems.map(formatProblem)).toEqual([]);
    // the example repo's AWS databases use prod-standard, with restoreTesting and an account-less copy
    const result = resolveDir(tempRepo('example'));
    expect(result.ok).toBe(true);
  });

  it('accepts restoreTesting on GCP (a drill is built) and rtoHours when a drill, inline or from the policy, measures it', () => {
    const result = resolveDir(withFixture('pass-gcp-drill.yaml'));
    expect(result.ok ? [] : result.problems.map((p) => `${p.code} ${p.field}: ${p.message}`)).toEqual([]);
  });

  it('makes the real dbaas validate exit 2, one line per problem (needs dist/: npm run build)', async () => {
    const result = await runCli(['validate'], { cwd: withFixture('fail-gcp-inline.yaml') });
    expect(result.exitCode).toBe(2);
    expect(result.stdout + result.stderr).toMatch(
      /^stacks\/analytics\/fail-gcp-inline\.yaml:13:\d+: error DBAAS_UNSUPPORTED_GCP spec\.objectives\.rtoHours: .*expected add backup\.restoreTesting/m,
    );
  });

  it('has one entry per refused field, each with a reason and an alternative', () => {
    const ids = UNSUPPORTED_GCP.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const rule of UNSUPPORTED_GCP) {
      expect(rule.reason.length, rule.id).toBeGreaterThan(20);
      expect(rule.instead(undefined).length, rule.id).toBeGreaterThan(5);
    }
  });
});
