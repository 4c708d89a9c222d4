// The end-to-end check with the real bin/run.js: a production database kept 7 days fails
// validate at its retentionDays line; dbaas fix repairs it keeping comments; validate then exits 0.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

const ORDERS = 'stacks/payments/orders.yaml';

/** A temp copy of the example repo where orders (production) keeps its backups 7 days. */
function shortRetentionRepo(): { dir: string; file: string; line: number } {
  const dir = tempRepo('example');
  const file = join(dir, ORDERS);
  const text = readFileSync(file, 'utf8').replace('    policy: prod-standard\n', '    policy: prod-standard\n    retentionDays: 7   # cheaper while we test\n');
  writeFileSync(file, text);
  return { dir, file, line: text.split('\n').findIndex((l) => l.includes('retentionDays: 7')) + 1 };
}

describe('dbaas validate runs the guardrails (the real bin/run.js)', () => {
  it('exits 1 for a production database kept 7 days, pointing at the retentionDays line', async () => {
    const { dir, line } = shortRetentionRepo();
    const result = await runCli(['validate', '--dir', dir]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      `${ORDERS}:${line}:20: error backup-retention-minimum [orders] backup.retentionDays: Production databases keep their backups for at least 35 days: backup.retentionDays is 7; must be >= 35`,
    );
    expect(result.stdout).toContain('dbaas fix writes: { backup: { retentionDays: 35 } }');
    expect(result.stdout).toMatch(/✗ 13 databases valid; guardrails: 2 errors/);
    const json = JSON.parse((await runCli(['validate', '--dir', dir, '--json'])).stdout);
    expect(json).toMatchObject({ ok: false, exitCode: 1 });
    expect(json.findings).toContainEqual(
      expect.objectContaining({
        code: 'DBAAS_GUARDRAIL',
        guardrail: 'backup-retention-minimum',
        severity: 'error',
        database: 'orders',
        file: ORDERS,
        line,
        column: 20,
        field: 'backup.retentionDays',
        fix: { backup: { retentionDays: 35 } },
      }),
    );
  });

  it('adds a GitHub annotation per finding when GITHUB_ACTIONS=true', async () => {
    const { dir, line } = shortRetentionRepo();
    const result = await runCli(['validate', '--dir', dir], { env: { GITHUB_ACTIONS: 'true' } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain(
      `::error file=${ORDERS},line=${line},col=20,title=backup-retention-minimum::backup.retentionDays: [orders] Production databases keep their backups for at least 35 days`,
    );
    expect(result.stdout).toMatch(
      /::warning file=stacks\/identity\/users\.yaml,line=\d+,col=\d+,title=offsite-copy-required::backup\.copies: \[users\] .*\(waived until 2027-05-15\)/,
    );
  });

  it('exits 0 on the example repo with warnings only, and lists the waived finding with its reason', async () => {
    const result = await runCli(['validate', '--json']);
    expect(result.exitCode).toBe(0);
    const json = JSON.parse(result.stdout);
    expect(json.summary).toMatchObject({ errors: 0, waived: 3 });
    expect(json.findings.find((f: { waived?: unknown; database: string }) => f.waived && f.database === 'users')).toMatchObject({
      guardrail: 'offsite-copy-required',
      database: 'users',
      waived: { expires: '2027-05-15', file: 'stacks/identity/users.yaml' },
    });
  });

  it('treats an expired waiver as an error at the waiver (exit 1)', async () => {
    const result = await runCli(['validate'], { env: { DBAAS_NOW: '2027-06-01' } });
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toMatch(
      /^stacks\/identity\/users\.yaml:\d+:16: error DBAAS_WAIVER_EXPIRED \[users\] waivers\[0\]\.expires: waiver for "offsite-copy-required" expired on 2027-05-15 \(today is 2027-06-01\)/m,
    );
    expect(result.stdout).toMatch(/error offsite-copy-required \[users\] backup\.copies/);
  });

  it('rejects a DBAAS_NOW that is not a date with exit 2', async () => {
    const result = await runCli(['validate'], { env: { DBAAS_NOW: 'next tuesday' } });
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toContain('DBAAS_NOW="next tuesday" is not a date');
  });
});

describe('dbaas fix (the real bin/run.js)', () => {
  it('--dry-run prints what would change and writes nothing', async () => {
    const { dir, file } = shortRetentionRepo();
    const before = readFileSync(file, 'utf8');
    const result = await runCli(['fix', '--dry-run', '--dir', dir]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout).toContain(`${ORDERS}\n  spec.backup.retentionDays: 7 → 35  (Database orders; backup-retention-minimum for orders)`);
    expect(result.stdout).toContain('(dry run) would change 1 field in 1 file');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('writes the fix keeping comments, and validate then exits 0', async () => {
    const { dir, file } = shortRetentionRepo();
    const before = readFileSync(file, 'utf8');
    const fix = await runCli(['fix', '--dir', dir, '--json']);
    expect(fix.exitCode).toBe(0);
    const json = JSON.parse(fix.stdout);
    expect(json).toMatchObject({ ok: true, written: true, files: [ORDERS], remaining: [] });
    expect(json.changes).toEqual([
      expect.objectContaining({ file: ORDERS, field: 'spec.backup.retentionDays', before: 7, after: 35, target: 'Database orders' }),
    ]);
    const after = readFileSync(file, 'utf8');
    // Only the value changed: every comment and every other byte survives.
    expect(after).toBe(before.replace('retentionDays: 7   # cheaper while we test', 'retentionDays: 35   # cheaper while we test'));
    expect(after).toContain('# The orders database: production RDS Postgres with PITR, an offsite copy in eu-central-1,');
    const validate = await runCli(['validate', '--dir', dir]);
    expect(validate.exitCode).toBe(0);
    expect(validate.stdout).toMatch(/✓ 13 databases valid; guardrails: 0 errors/);
  });

  it('exits 1 when an error has no automatic fix, saying what remains', async () => {
    const dir = tempRepo('example');
    const file = join(dir, ORDERS);
    writeFileSync(
      file,
      readFileSync(file, 'utf8')
        .replace('  region: eu-west-1\n', '  region: eu-central-1\n')
        .replace('    policy: prod-standard\n', '    policy: prod-standard\n    copies: [{ region: eu-central-1, retentionDays: 90 }]\n'),
    );
    const result = await runCli(['fix', '--dir', dir]);
    expect(result.exitCode).toBe(1);
    expect(result.stdout).toContain('error copy-region-differs [orders]');
    expect(result.stdout).toMatch(/✗ nothing to fix; guardrails after: [1-9]\d* errors/);
  });
});
