import { Ajv } from 'ajv';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { cleanupTempRepos, FIXTURES, REPO_ROOT, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

describe('dbaas report (the real bin/run.js)', () => {
  it('--json prints the documented contract (schemas/output/report.schema.json), exit 0', async () => {
    const result = await runCli(['report', '--json', '--dir', tempRepo('example')], { env: { DBAAS_CACHE: 'off' } });
    expect(result.exitCode).toBe(0);
    const json = JSON.parse(result.stdout);
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'output', 'report.schema.json'), 'utf8'));
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    expect(validate(json), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(validate({ ...json, summary: { ...json.summary, databases: 'nine' } })).toBe(false);
    expect(json.summary.databases).toBe(13);
  }, 120_000);

  it('writes HTML, markdown and JSON from one run, atomically, and names the file on stderr', async () => {
    const dir = tempRepo('example');
    const result = await runCli([
      'report',
      '--dir',
      dir,
      '--format',
      'html',
      '--out',
      join(dir, 'r.html'),
      '--save-markdown',
      join(dir, 'r.md'),
      '--save-json',
      join(dir, 'r.json'),
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(/^✓ report of 13 databases written to .*r\.html/);
    expect(readFileSync(join(dir, 'r.html'), 'utf8')).toMatch(/^<!doctype html>[\s\S]*<svg [\s\S]*<\/html>\n$/);
    expect(readFileSync(join(dir, 'r.md'), 'utf8')).toContain('### Backup posture report, 2026-11-21');
    expect(JSON.parse(readFileSync(join(dir, 'r.json'), 'utf8')).date).toBe('2026-11-21');
  }, 120_000);

  it('still writes the report when a guardrail error is open, and exits 1', async () => {
    const dir = tempRepo('example');
    const orders = join(dir, 'stacks', 'payments', 'orders.yaml');
    writeFileSync(orders, readFileSync(orders, 'utf8').replace('    policy: prod-standard\n', '    policy: prod-standard\n    retentionDays: 7\n'));
    const result = await runCli(['report', '--dir', dir, '--format', 'markdown']);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(/\| orders \| payments \| production \| .* \| ❌ 7d \(35d\) \| [1-9] \|/);
  }, 120_000);

  it('rejects an invalid repo with exit 2 and one located line per problem, no stack trace', async () => {
    const dir = tempRepo('example');
    copyFileSync(join(FIXTURES, 'validate', 'fail-bad-cron.yaml'), join(dir, 'stacks', 'cron.yaml'));
    const result = await runCli(['report', '--dir', dir]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^stacks\/cron\.yaml:5:13: error DBAAS_INVALID_CRON spec\.schedule: got "0 25 \* \* \*"/m);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  }, 120_000);

  it('refuses an unknown format with exit 2', async () => {
    const result = await runCli(['report', '--format', 'pdf']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/^dbaas: Expected --format=pdf to be one of: html, markdown, json/);
  });
});
