// dbaas restore as a real process: it writes a restore spec that validates with the repo, refuses a
// restore that cannot work without writing anything, and --json returns the path and the spec.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { Ajv } from 'ajv';
import { runCli } from '../helpers/cli.js';
import { cleanupTempRepos, REPO_ROOT, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);
const env = { DBAAS_NOW: '2026-11-30T06:00:00Z' };

describe('dbaas restore (the real bin/run.js)', () => {
  it('writes stacks/<team>/<name>.yaml copying the source, and validate then accepts the repo', async () => {
    const dir = tempRepo('example');
    const result = await runCli(
      ['restore', 'orders', '--dir', dir, '--name', 'orders-restore', '--point-in-time', '2026-11-29T10:15:00Z', '--expires', '2026-12-15'],
      { env },
    );
    expect(result.exitCode, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('✓ wrote stacks/payments/orders-restore.yaml');
    expect(result.stdout).toMatch(/warning DBAAS_EXPIRES spec\.expires: database orders-restore expires on 2026-12-15 \(in 15 days\)/);
    expect(result.stdout).toContain('Next steps:');
    expect(result.stdout).toMatch(/git add stacks\/payments\/orders-restore\.yaml/);
    const spec = parse(readFileSync(join(dir, 'stacks', 'payments', 'orders-restore.yaml'), 'utf8'));
    expect(spec).toEqual({
      apiVersion: 'dbaas.dev/v1',
      kind: 'Database',
      metadata: { name: 'orders-restore', team: 'payments', labels: { 'cost-center': 'cc-1234' } },
      spec: {
        environment: 'production',
        cloud: 'aws',
        region: 'eu-west-1',
        engine: 'postgres',
        version: '16.4',
        size: 'medium',
        storageGb: 100,
        highAvailability: true,
        maintenanceWindow: { day: 'sun', startTime: '06:00' },
        databases: ['orders'],
        restoreFrom: { database: 'orders', pointInTime: '2026-11-29T10:15:00Z' },
        expires: '2026-12-15',
        backup: { policy: 'prod-standard' },
        notify: ['payments-oncall', 'payments-pager'],
      },
    });
    const validate = await runCli(['validate', '--dir', dir], { env });
    expect(validate.exitCode, validate.stdout).toBe(0);
    const plan = await runCli(['plan', '--all', '--dir', dir, '--format', 'text'], { env });
    expect(plan.stdout).toContain('restore of orders at 2026-11-29T10:15Z');
    const markdown = await runCli(['plan', '--all', '--dir', dir, '--format', 'markdown'], { env });
    expect(markdown.stdout).toContain('**Restore:** restore of orders at 2026-11-29T10:15Z');
    const json = JSON.parse((await runCli(['plan', '--all', '--dir', dir, '--format', 'json'], { env })).stdout);
    const stack = json.stacks.find((x: { name: string }) => x.name === 'orders-restore');
    expect(stack.restore).toEqual({ source: 'orders', at: '2026-11-29T10:15:00Z', label: 'restore of orders at 2026-11-29T10:15Z' });
    expect(json.stacks.find((x: { name: string }) => x.name === 'orders').restore).toBeUndefined();
  }, 120_000);

  it('--json returns the path and the spec', async () => {
    const dir = tempRepo('example');
    const result = await runCli(['restore', 'reports', '--dir', dir, '--name', 'reports-copy', '--backup', 'latest', '--json'], { env });
    expect(result.exitCode, result.stderr).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ ok: true, exitCode: 0, file: 'stacks/analytics/reports-copy.yaml', problems: [] });
    expect(parse(json.spec).spec.restoreFrom).toEqual({ database: 'reports', backup: 'latest' });
    expect(readFileSync(join(dir, json.file), 'utf8')).toBe(json.spec);
    // The documented contract (schemas/output/restore.schema.json).
    const ajv = new Ajv({ strict: false, allErrors: true });
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'output', 'restore.schema.json'), 'utf8'));
    delete schema.$schema;
    expect(ajv.validate(schema, json), JSON.stringify(ajv.errors)).toBe(true);
  }, 60_000);

  it('refuses a restore that cannot work and writes nothing (exit 2)', async () => {
    const dir = tempRepo('example');
    // carts is a DynamoDB table: aws 5.100 restores tables from point-in-time recovery only.
    const result = await runCli(['restore', 'carts', '--dir', dir, '--name', 'carts-restore', '--backup', 'latest'], { env });
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toMatch(
      /stacks\/payments\/carts-restore\.yaml:\d+:\d+: error DBAAS_RESTORE_BACKUP_DYNAMODB spec\.restoreFrom\.backup: .*restores tables only from point-in-time recovery/,
    );
    expect(result.stdout).toContain('nothing was written');
    expect(existsSync(join(dir, 'stacks', 'payments', 'carts-restore.yaml'))).toBe(false);
  }, 60_000);

  it('names the source the user meant, and a missing restore point, one line each', async () => {
    const dir = tempRepo('example');
    const result = await runCli(['restore', 'ordres', '--dir', dir, '--name', 'x-restore'], { env });
    expect(result.exitCode).toBe(2);
    const out = result.stdout + result.stderr;
    expect(out).toMatch(/error DBAAS_RESTORE_UNKNOWN_SOURCE SOURCE: no valid Database named "ordres".*\(did you mean "orders"\?\)/);
    expect(out).toMatch(/error DBAAS_RESTORE_ANSWER --point-in-time: no restore point/);
    expect(out).not.toMatch(/ {4}at /);
  }, 60_000);
});
