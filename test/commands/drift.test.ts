// dbaas drift as a real process: usage errors, and the offline check of an example stack.
import { afterAll, describe, expect, it } from 'vitest';
import { discoverOfflineTerraform } from '../../src/terraform/index.js';
import { runCli } from '../helpers/cli.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

describe('dbaas drift (the real bin/run.js)', () => {
  it('refuses an unknown --only name with exit 2 and a did-you-mean, before any terraform', async () => {
    const dir = tempRepo('example');
    const result = await runCli(['drift', '--dir', dir, '--only', 'order']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/error DBAAS_UNKNOWN_DATABASE --only: no database named "order" in this repo.*did you mean "orders"\?/);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('documents its exit codes in --help', async () => {
    const result = await runCli(['drift', '--help']);
    expect(result.stdout).toMatch(/0\s+no drift/);
    expect(result.stdout).toMatch(/1\s+drift found, or a stack could not be checked/);
  });
});

const offline = await discoverOfflineTerraform();
if (!offline.ok) console.log(`skipped: [integration] dbaas drift --offline: ${offline.reason}`);

describe.skipIf(!offline.ok)(`[integration] dbaas drift --offline${offline.ok ? '' : ` (skipped: ${offline.reason})`}`, () => {
  it('[integration] reads a never-applied example stack as drift of every resource, exit 1, in JSON', async () => {
    const dir = tempRepo('example');
    const result = await runCli(['drift', '--dir', dir, '--only', 'carts', '--offline', '--json']);
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.counts).toEqual({ checked: 1, clean: 0, drifted: 1, failed: 0 });
    const stack = report.stacks[0];
    expect(stack).toMatchObject({ name: 'carts', cloud: 'aws', status: 'drifted' });
    expect(stack.resources.length).toBeGreaterThan(10);
    expect(stack.resources.every((r: { action: string }) => r.action === 'create')).toBe(true);
    expect(stack.resources.map((r: { address: string }) => r.address)).toContain('aws_dynamodb_table.database');
  });
});
