// `dbaas synth` through the real CLI (bin/run.js over dist/, built by `npm test` first).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

const outs: string[] = [];
afterAll(() => {
  cleanupTempRepos();
  for (const dir of outs) rmSync(dir, { recursive: true, force: true });
});

function tempOut(): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'dbaas-synth-cli-'));
  outs.push(dir);
  return path.join(dir, 'out');
}

const database = (name: string, body: string) => `apiVersion: dbaas.dev/v1
kind: Database
metadata:
  name: ${name}
  team: identity
  labels: { cost-center: cc-2001 }
spec:
${body}`;

describe('dbaas synth', () => {
  it('writes one stack per database of the example repo, the same bytes every run', async () => {
    const out = tempOut();
    const first = await runCli(['synth', '--out', out, '--json']);
    expect(first.stderr).toBe('');
    expect(first.exitCode).toBe(0);
    const json = JSON.parse(first.stdout);
    expect(json).toMatchObject({ ok: true, exitCode: 0, outDir: out, problems: [] });
    expect(json.stacks.map((s: { name: string }) => s.name)).toEqual([
      'audit',
      'audit-restore',
      'carts',
      'experiments',
      'insights',
      'ledger',
      'orders',
      'payouts',
      'reports',
      'reports-clone',
      'sessions',
      'users',
      'warehouse-meta',
    ]);
    const orders = readFileSync(path.join(out, 'stacks', 'orders', 'cdk.tf.json'), 'utf8');
    expect(JSON.parse(orders).resource.aws_db_instance.database.identifier).toBe('orders');

    const second = await runCli(['synth', '--out', out, '--json']);
    expect(second.exitCode).toBe(0);
    expect(JSON.parse(second.stdout).stacks).toEqual(json.stacks);
    expect(readFileSync(path.join(out, 'stacks', 'orders', 'cdk.tf.json'), 'utf8')).toBe(orders);
  });

  it('refuses with exit 2 and one line to replace a folder it did not write, even one holding a manifest.json', async () => {
    const out = tempOut();
    const { mkdirSync } = await import('node:fs');
    mkdirSync(out);
    writeFileSync(path.join(out, 'manifest.json'), '{"version":"0.21.0","stacks":{}}');
    writeFileSync(path.join(out, 'main.tf'), 'keep me');
    const result = await runCli(['synth', '--out', out]);
    expect(result.exitCode).toBe(2);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toEqual([
      expect.stringMatching(/^error DBAAS_OUT_DIR refusing to replace .*: it is not empty and dbaas synth did not write it \(no \.dbaas-synth-output\)$/),
    ]);
    expect(readdirSync(out).sort()).toEqual(['main.tf', 'manifest.json']);
    expect(readFileSync(path.join(out, 'main.tf'), 'utf8')).toBe('keep me');
  });

  it('refuses invalid specs with exit 2 and writes nothing', async () => {
    const dir = tempRepo('example');
    writeFileSync(
      path.join(dir, 'stacks', 'identity', 'broken.yaml'),
      database(
        'broken',
        '  environment: development\n  cloud: aws\n  region: eu-west-1\n  engine: postgres\n  backup: { schedule: "0 3 * * *", retentionDays: 7 }\n  bogus: true\n',
      ),
    );
    const out = tempOut();
    const result = await runCli(['synth', '--dir', dir, '--out', out]);
    expect(result.exitCode).toBe(2);
    expect(result.stdout).toMatch(/stacks\/identity\/broken\.yaml:\d+:\d+: error DBAAS_UNKNOWN_FIELD/);
    expect(result.stdout).toMatch(/nothing was written/);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses unwaived guardrail errors with exit 1 and writes nothing', async () => {
    const dir = tempRepo('example');
    writeFileSync(
      path.join(dir, 'stacks', 'identity', 'short.yaml'),
      database(
        'short',
        '  environment: production\n  cloud: aws\n  region: eu-west-1\n  engine: postgres\n  size: medium\n  backup: { schedule: "0 3 * * *", retentionDays: 7 }\n  notify: [identity-oncall]\n',
      ),
    );
    const out = tempOut();
    const result = await runCli(['synth', '--dir', dir, '--out', out, '--json']);
    expect(result.exitCode).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json.ok).toBe(false);
    expect(json.findings.some((f: { database: string; severity: string }) => f.database === 'short' && f.severity === 'error')).toBe(true);
    expect(existsSync(out)).toBe(false);
  });

  it('points at the spec line when AWS cannot run a schedule (exit 2)', async () => {
    const dir = tempRepo('example');
    writeFileSync(
      path.join(dir, 'stacks', 'identity', 'odd.yaml'),
      database(
        'odd',
        '  environment: development\n  cloud: aws\n  region: eu-west-1\n  engine: postgres\n  backup: { schedule: "0 1 1 * 1", retentionDays: 7 }\n  notify: [identity-oncall]\n',
      ),
    );
    const out = tempOut();
    const result = await runCli(['synth', '--dir', dir, '--out', out]);
    expect(result.stdout).toMatch(/stacks\/identity\/odd\.yaml:\d+:\d+: error DBAAS_SYNTH_CRON backup\.schedule: .*day-of-month and day-of-week/);
    expect(result.exitCode).toBe(2);
    expect(existsSync(out)).toBe(false);
    // The stacks already written while building were staged, and the staging folder is gone too.
    expect(readdirSync(path.dirname(out))).toEqual([]);
  });
});
