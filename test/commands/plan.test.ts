import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { initRepo } from '../helpers/git.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

describe('dbaas plan (the real bin/run.js)', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempRepo('example');
    await initRepo(dir);
    rmSync(join(dir, 'stacks', 'payments', 'carts.yaml'));
  });

  it('refuses a deleted database with exit 1 and says so at the top', async () => {
    const result = await runCli(['plan', '--dir', dir]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout.split('\n')[0]).toMatch(/^dbaas plan against HEAD \([0-9a-f]{8}\): 1 stack\(s\) changed, 0 to add, 0 to change, \d+ to destroy/);
    expect(result.stdout).toMatch(/!! DESTROYS DATA \(refused without --allow-destroy\):\n {3}carts: /);
    expect(result.stdout).toMatch(/^ {3}carts: aws_dynamodb_table\.\S+ \(database removed\)$/m);
    expect(result.stderr).toBe('');
  });

  it('accepts it with --allow-destroy, and writes JSON that parses to --out', async () => {
    const out = join(dir, 'out', 'plan.json');
    const result = await runCli(['plan', '--dir', dir, '--allow-destroy', '--format', 'json', '--out', out]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('');
    const report = JSON.parse(readFileSync(out, 'utf8'));
    expect(report).toMatchObject({ schemaVersion: 1, allowDestroy: true, exitCode: 0, stacks: [{ name: 'carts', action: 'delete' }] });
  });

  it('writes SARIF and, in GitHub Actions, annotations and a job summary', async () => {
    const summary = join(dir, 'step-summary.md');
    // --full: findings for every database, not only the touched (deleted) one.
    const result = await runCli(['plan', '--dir', dir, '--full', '--allow-destroy', '--format', 'sarif'], {
      env: { GITHUB_ACTIONS: 'true', GITHUB_STEP_SUMMARY: summary },
    });
    expect(result.exitCode).toBe(0);
    expect(JSON.parse(result.stdout).version).toBe('2.1.0');
    expect(result.stderr).toMatch(/^::warning file=stacks\/[^,]+,line=\d+,col=\d+,title=[a-z-]+::/m);
    expect(readFileSync(summary, 'utf8')).toMatch(/^<!-- dbaas-plan -->\n### ✅ dbaas plan: 1 stack changed/);
  });

  it('treats an unknown --base as a usage error (exit 2)', async () => {
    const result = await runCli(['plan', '--dir', dir, '--base', 'nope']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--base: --base "nope" names no commit/);
  });
});
