import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { cleanupTempRepos, FIXTURES, REPO_ROOT, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

const ORG = join(FIXTURES, 'guard', 'repos', 'pass-org');

/** A temp copy of the org fixture repo with extra guardrail fixtures in its policies/. */
function orgRepoWith(...fixtures: string[]): string {
  const dir = tempRepo(join('..', 'guard', 'repos', 'pass-org'));
  mkdirSync(join(dir, 'policies'), { recursive: true });
  for (const f of fixtures) copyFileSync(join(FIXTURES, 'guard', f), join(dir, 'policies', f.split('/').pop()!));
  return dir;
}

describe('dbaas policy test (the real bin/run.js)', () => {
  it("exits 0 on this repo: every baseline guardrail's cases behave", async () => {
    const result = await runCli(['policy', 'test'], { cwd: REPO_ROOT });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/✓ \d+ guardrails, \d+ cases behave/);
    expect(result.stdout).toContain('✓ backups-enabled (');
  });

  it("runs an org's own guardrails with --dir and exits 1 listing each misbehaving case at its line", async () => {
    const dir = orgRepoWith('fail-case-misbehaves/fail-case-misbehaves.yaml');
    const result = await runCli(['policy', 'test', '--dir', dir]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('✓ org-owner-label (2 cases)');
    expect(result.stdout).toContain('✗ fail-case-misbehaves (4 cases)');
    expect(result.stdout).toContain('policies/fail-case-misbehaves.yaml:22:9: pass case 2 gives a finding');
    expect(result.stdout).toContain('policies/fail-case-misbehaves.yaml:25:9: fail case 2 gives no finding');
    expect(result.stdout).toMatch(/✗ 3 of \d+ cases misbehave in 1 guardrails/);
    const json = JSON.parse((await runCli(['policy', 'test', '--dir', dir, '--json'])).stdout);
    expect(json).toMatchObject({ ok: false, exitCode: 1 });
    expect(json.failures.map((f: { kind: string }) => f.kind)).toEqual(['pass', 'fix', 'fail']);
  });

  it('fails closed with exit 2 naming a guardrail file that does not compile', async () => {
    const dir = orgRepoWith('policies-fail/fail-unknown-keyword.yaml');
    const result = await runCli(['policy', 'test', '--dir', dir]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(
      /^policies\/fail-unknown-keyword\.yaml:9:3: error DBAAS_GUARDRAIL_DOES_NOT_COMPILE spec\.assert: assert does not compile: strict mode: unknown keyword: "minimun"/m,
    );
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
    const validate = await runCli(['validate', '--dir', dir]);
    expect(validate.exitCode).toBe(2);
    expect(validate.stdout).toContain('policies/fail-unknown-keyword.yaml:9:3: error DBAAS_GUARDRAIL_DOES_NOT_COMPILE');
  });
});

describe('dbaas policy list and explain', () => {
  it('lists baseline and org guardrails with severities after overrides, and the override reasons', async () => {
    const result = await runCli(['policy', 'list', '--dir', ORG]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^org-owner-label\s+warning\s+repo\s+-\s+every database$/m);
    expect(result.stdout).toMatch(/^cross-account-copy\s+off\s+baseline/m);
    expect(result.stdout).toContain(
      'dbaas.config.yaml:16:5: note cross-account-copy severity off by dbaas.config.yaml: no backup account before Q3 (INFRA-88)',
    );
    const json = JSON.parse((await runCli(['policy', 'list', '--dir', ORG, '--json'])).stdout);
    const restore = json.guardrails.find((g: { id: string }) => g.id === 'restore-testing-production');
    expect(restore).toMatchObject({
      severity: 'error',
      effectiveSeverity: 'warning',
      source: 'baseline',
      fixable: true,
      override: { severity: 'warning', reason: 'restore tests start with the new runbook (INFRA-91)' },
    });
    expect(json.guardrails.length).toBeGreaterThanOrEqual(21);
  });

  it('explains a guardrail: what it requires, what it mirrors and the fix', async () => {
    const result = await runCli(['policy', 'explain', 'backups-enabled']);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain('backups-enabled (error)');
    expect(result.stdout).toContain('  - AWS Config: db-instance-backup-enabled');
    expect(result.stdout).toMatch(/dbaas fix writes:\n\s+backup:\n\s+enabled: true/);
    const json = JSON.parse((await runCli(['policy', 'explain', 'offsite-copy-required', '--json'])).stdout);
    expect(json).toMatchObject({ id: 'offsite-copy-required', severity: 'error', match: { environment: ['production'] }, tests: { pass: 3, fail: 4 } });
    expect(json.fix).toBeUndefined();
  });

  it('shows a capability match and the engines, per cloud, that have it', async () => {
    const list = await runCli(['policy', 'list']);
    expect(list.stdout).toMatch(/^require-ssl\s+error\s+baseline\s+yes\s+capability tls$/m);
    expect(list.stdout).toMatch(/^high-availability-production\s+error\s+baseline\s+yes\s+production · capability high-availability$/m);
    const text = (await runCli(['policy', 'explain', 'storage-encrypted'])).stdout;
    expect(text).toContain('Applies to: capability storage-encryption-toggle\n');
    expect(text).toMatch(/^Engines: .*postgres \(aws\), mysql \(aws\), aurora-postgresql \(aws\), aurora-mysql \(aws\)/m);
    expect(text).not.toMatch(/^Engines: .*(dynamodb|sqlserver|gcp)/m);
    const json = JSON.parse((await runCli(['policy', 'explain', 'require-ssl', '--json'])).stdout);
    expect(json).toMatchObject({ appliesTo: 'capability tls', match: { capability: ['tls'] } });
    expect(json.engines).toEqual(
      expect.arrayContaining([
        { engine: 'postgres', clouds: ['aws', 'gcp'] },
        { engine: 'sqlserver', clouds: ['gcp'] },
      ]),
    );
    expect(json.engines.map((e: { engine: string }) => e.engine)).not.toContain('dynamodb');
  });

  it('refuses a --dir that is not a folder with exit 2, not a crash', async () => {
    const result = await runCli(['policy', 'list', '--dir', join(REPO_ROOT, 'no-such-folder')]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/DBAAS_NO_REPO .*no-such-folder is not a folder/);
  });

  it('refuses an unknown id with exit 2 and a did-you-mean', async () => {
    const result = await runCli(['policy', 'explain', 'backup-enabled']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/DBAAS_UNKNOWN_GUARDRAIL no guardrail "backup-enabled".*\(did you mean "backups-enabled"\?\)/);
  });

  it('validate reports the org guardrail, the changed severity and the off override with reasons', async () => {
    const result = await runCli(['validate', '--dir', ORG]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/^stacks\/team-a\/app\.yaml:\d+:\d+: warning org-owner-label \[app-db\] labels\.owner/m);
    expect(result.stdout).toContain('severity error → warning by dbaas.config.yaml: restore tests start with the new runbook (INFRA-91)');
    expect(result.stdout).toContain('note guardrail cross-account-copy is off: no backup account before Q3 (INFRA-88)');
    // app-prod notifies only team-a-alerts (tier notify by default): the alert-tiers warning.
    expect(result.stdout).toMatch(/^stacks\/team-a\/app\.yaml:\d+:\d+: warning production-page-channel \[app-prod\] channels/m);
    const json = JSON.parse((await runCli(['validate', '--dir', ORG, '--json'])).stdout);
    expect(json.overrides).toEqual([
      expect.objectContaining({ guardrail: 'cross-account-copy', severity: 'off', file: 'dbaas.config.yaml', line: 16 }),
      expect.objectContaining({ guardrail: 'restore-testing-production', severity: 'warning' }),
    ]);
    expect(json.summary).toMatchObject({ errors: 0, warnings: 3, waived: 0 });
  });
});
