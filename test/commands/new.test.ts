// dbaas new as a real process (no terminal: every answer from flags), and its terminal questions.
import { existsSync, mkdirSync, readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { runCli } from '../helpers/cli.js';
import { cleanupTempRepos, REPO_ROOT, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

const FLAGS = [
  '--name',
  'invoices',
  '--team',
  'payments',
  '--cloud',
  'aws',
  '--engine',
  'postgres',
  '--environment',
  'production',
  '--region',
  'eu-west-1',
  '--size',
  'medium',
  '--policy',
  'prod-standard',
  '--notify',
  'payments-oncall',
  '--label',
  'cost-center=cc-1234',
];

describe('dbaas new (the real bin/run.js, no terminal)', () => {
  it('writes stacks/<team>/<name>.yaml with a $schema line that resolves, and validate then accepts the repo', async () => {
    const dir = tempRepo('example');
    // An infra repo with dbaas installed, as npm leaves it.
    mkdirSync(join(dir, 'node_modules'));
    symlinkSync(REPO_ROOT, join(dir, 'node_modules', 'dbaas'));
    const result = await runCli(['new', '--dir', dir, ...FLAGS]);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout).toContain('✓ wrote stacks/payments/invoices.yaml');
    expect(result.stdout).toContain('Next steps:');
    const text = readFileSync(join(dir, 'stacks', 'payments', 'invoices.yaml'), 'utf8');
    const schemaRef = /^# yaml-language-server: \$schema=(.+)$/m.exec(text)![1]!;
    expect(schemaRef).toBe('../../node_modules/dbaas/schemas/database.schema.json');
    expect(existsSync(join(dir, 'stacks', 'payments', schemaRef))).toBe(true);
    expect(parse(text)).toMatchObject({
      kind: 'Database',
      metadata: { name: 'invoices', team: 'payments', labels: { 'cost-center': 'cc-1234' } },
      spec: { cloud: 'aws', region: 'eu-west-1', backup: { policy: 'prod-standard' }, notify: ['payments-oncall'] },
    });
    expect((await runCli(['validate', '--dir', dir])).exitCode).toBe(0);
  });

  it('names every missing answer with its flag and choices, and writes nothing (exit 2)', async () => {
    const dir = tempRepo('example');
    const result = await runCli(['new', '--dir', dir, '--name', 'invoices', '--team', 'payments', '--environment', 'staging', '--cloud', 'aws']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain(
      'error DBAAS_NEW_MISSING --engine: no answer, and no terminal to ask on; expected --engine (one of aurora-mysql, aurora-postgresql, dynamodb, mariadb, mysql, postgres)',
    );
    // The team's rules: payments may use eu-west-1 and small/medium in staging.
    expect(result.stderr).toContain('expected --region (one of eu-west-1)');
    expect(result.stderr).toContain('--label cost-center=VALUE');
    expect(existsSync(join(dir, 'stacks', 'payments', 'invoices.yaml'))).toBe(false);
  });

  it('suggests the closest team, policy and channel for a typo', async () => {
    const dir = tempRepo('example');
    const flags = FLAGS.map((f) => (f === 'payments' ? 'paymnts' : f === 'prod-standard' ? 'prod-standrd' : f === 'payments-oncall' ? 'payment-oncall' : f));
    const result = await runCli(['new', '--dir', dir, ...flags]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/--team: "paymnts" is not allowed here: expected one of analytics, identity, payments \(did you mean "payments"\?\)/);
    expect(result.stderr).toMatch(/--policy: no BackupPolicy named "prod-standrd".*did you mean "prod-standard"/);
    expect(result.stderr).toMatch(/--notify: no NotificationChannel named "payment-oncall".*did you mean "payments-oncall"/);
  });

  it('refuses a name that exists, and writes the file with guardrail errors listed (exit 1) so dbaas fix can mend it', async () => {
    const dir = tempRepo('example');
    const taken = await runCli(['new', '--dir', dir, ...FLAGS.map((f) => (f === 'invoices' ? 'orders' : f))]);
    expect(taken.exitCode).toBe(2);
    expect(taken.stderr).toContain('a database of that name exists already');

    const inline = FLAGS.slice(0, FLAGS.indexOf('--policy')).concat(['--label', 'cost-center=cc-1234']);
    const result = await runCli(['new', '--dir', dir, ...inline, '--json']);
    expect(result.exitCode).toBe(1);
    const json = JSON.parse(result.stdout);
    expect(json).toMatchObject({ ok: false, exitCode: 1, file: 'stacks/payments/invoices.yaml' });
    expect(json.findings.some((f: { severity: string; waived: boolean }) => f.severity === 'error' && !f.waived)).toBe(true);
    expect(readFileSync(join(dir, json.file), 'utf8')).toContain('retentionDays: 35');
  });
});

describe('the terminal questions', () => {
  it('choose returns the option picked with the arrow keys', async () => {
    const { choose } = await import('../../src/cli/prompts.js');
    const input = new PassThrough();
    const output = new PassThrough();
    output.resume();
    const answer = choose('Team', ['analytics', 'identity', 'payments'], { input, output });
    setTimeout(() => input.write('\u001b[B\u001b[B\r'), 50);
    expect(await answer).toBe('payments');
  });
});
