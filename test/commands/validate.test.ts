import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { cleanupTempRepos, FIXTURES, REPO_ROOT, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

describe('dbaas validate (the real bin/run.js)', () => {
  it('accepts the embedded example repo with exit 0', async () => {
    const result = await runCli(['validate'], { cwd: REPO_ROOT });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toMatch(/13 databases valid/);
  });

  it('prints JSON that parses, in the documented shape', async () => {
    const result = await runCli(['validate', '--json', '--dir', REPO_ROOT]);
    expect(result.exitCode).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ ok: true, exitCode: 0 });
    expect(json.databases).toHaveLength(13);
    expect(json.databases).toContain('orders');
  });

  it('rejects a broken copy with exit 2 and one located line per problem, no stack trace', async () => {
    const dir = tempRepo('example');
    mkdirSync(join(dir, 'stacks', 'team-a'));
    copyFileSync(join(FIXTURES, 'validate', 'fail-unknown-field.yaml'), join(dir, 'stacks', 'team-a', 'typo.yaml'));
    copyFileSync(join(FIXTURES, 'validate', 'fail-bad-cron.yaml'), join(dir, 'stacks', 'identity', 'cron.yaml'));
    const result = await runCli(['validate', '--dir', dir]);
    expect(result.exitCode).toBe(2);
    const lines = result.stdout.split('\n').filter((l) => l.includes(' error '));
    expect(lines).toEqual([
      expect.stringMatching(/^stacks\/identity\/cron\.yaml:5:13: error DBAAS_INVALID_CRON spec\.schedule: got "0 25 \* \* \*"/),
      expect.stringMatching(
        /^stacks\/team-a\/typo\.yaml:13:5: error DBAAS_UNKNOWN_FIELD spec\.backup\.retentionDay: unknown field .*\(did you mean "retentionDays"\?\)$/,
      ),
    ]);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  it('adds GitHub annotations when GITHUB_ACTIONS=true', async () => {
    const dir = tempRepo('example');
    mkdirSync(join(dir, 'stacks', 'team-a'));
    copyFileSync(join(FIXTURES, 'validate', 'fail-unknown-field.yaml'), join(dir, 'stacks', 'team-a', 'typo.yaml'));
    const result = await runCli(['validate', '--dir', dir], { env: { GITHUB_ACTIONS: 'true' } });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toContain('::error file=stacks/team-a/typo.yaml,line=13,col=5,title=DBAAS_UNKNOWN_FIELD::spec.backup.retentionDay: unknown field');
  });

  it('treats a usage mistake as exit 2', async () => {
    const result = await runCli(['validate', '--no-such-flag']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/Nonexistent flag: --no-such-flag/);
  });

  it('reports an incomplete config with exit 2, naming each missing part', async () => {
    const dir = tempRepo();
    writeFileSync(join(dir, 'dbaas.config.yaml'), 'apiVersion: dbaas.dev/v1\nkind: Config\nclouds: {}\n');
    const result = await runCli(['validate', '--dir', dir, '--json']);
    expect(result.exitCode).toBe(2);
    const json = JSON.parse(result.stdout);
    expect(json.ok).toBe(false);
    expect(json.problems.map((p: { code: string; field?: string; message: string }) => `${p.code} ${p.field}: ${p.message}`)).toEqual([
      'DBAAS_MISSING_FIELD state: missing required field "state"',
      'DBAAS_MISSING_FIELD clouds: is empty; expected at least one of aws, gcp',
    ]);
  });
});
