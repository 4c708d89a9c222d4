// The report model over real repos: resolved, guarded and synthesized like `dbaas report` does.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportRepo } from '../../src/report/run.js';
import type { ReportDatabase, ReportJson } from '../../src/report/types.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);
const byName = (r: ReportJson, name: string): ReportDatabase => r.databases.find((d) => d.name === name)!;

describe('report model of the example repo', () => {
  let report: ReportJson;
  beforeAll(async () => {
    report = await reportRepo({ dir: tempRepo('example'), env: { DBAAS_NOW: '2026-11-21', DBAAS_CACHE: 'off' } });
  }, 120_000);

  it('covers every database, built, sorted by team then name', () => {
    expect(report.exitCode).toBe(0);
    expect(report.date).toBe('2026-11-21');
    expect(report.databases.map((d) => `${d.team}/${d.name}`)).toEqual([
      'analytics/experiments',
      'analytics/insights',
      'analytics/reports',
      'analytics/reports-clone',
      'analytics/warehouse-meta',
      'identity/audit',
      'identity/audit-restore',
      'identity/sessions',
      'identity/users',
      'payments/carts',
      'payments/ledger',
      'payments/orders',
      'payments/payouts',
    ]);
    expect(report.summary).toMatchObject({ databases: 13, teams: 3, built: 13, compliant: 13, errors: 0, baselinesBuilt: 8 });
  });

  it('carries the posture the plan table shows, and the policy the guardrails ask', () => {
    const orders = byName(report, 'orders');
    expect(orders.posture).toEqual({
      // Read from the built stack: the vault lock raises the PITR window to 35 days; restore tests run in AWS cron.
      schedule: '0 3 * * * UTC',
      rpoHours: 24,
      retentionDays: 35,
      pitrDays: 35,
      offsite: ['eu-central-1 90d'],
      vaultLock: 'compliance ≥35d',
      alerts: ['backup failed', 'copy failed', 'restore failed', 'backup missing 26h'],
      alertTiers: ['page', 'notify', 'record'],
      restoreTesting: '0 5 * * SUN UTC',
    });
    // RPO target from the stated objective; retention minimum from backup-retention-minimum.
    expect(orders.policy).toEqual({ retentionMinDays: 35, rpoTargetHours: 24, rpoSource: 'objective', rtoTargetHours: 4 });
    expect(orders.file).toBe('stacks/payments/orders.yaml');
    expect(orders.account).toBe('aws 111111111111');
    // No objective: the daily-backup guardrail's 25 h gap is the target. Staging: no guardrail asks.
    expect(byName(report, 'ledger').policy).toMatchObject({ rpoTargetHours: 25, rpoSource: 'guardrail' });
    expect(byName(report, 'audit').policy).toEqual({ retentionMinDays: null, rpoTargetHours: null, rpoSource: null, rtoTargetHours: null });
  });

  it('names the account baseline stack that covers each database', () => {
    expect(byName(report, 'orders').baseline).toEqual({ stack: 'baseline-aws-production-eu-west-1', status: 'built' });
    // GCP baselines are per project (their resources are project- or organization-level).
    expect(byName(report, 'warehouse-meta').baseline).toEqual({ stack: 'baseline-gcp-production', status: 'built' });
  });

  it('lists waivers with their expiry and the findings, waived ones marked', () => {
    const users = byName(report, 'users');
    expect(users.waivers).toEqual([
      {
        guardrail: 'offsite-copy-required',
        reason: 'data residency keeps every copy of user PII in eu-west-1 (DPA-2026-14)',
        expires: '2027-05-15',
        daysLeft: 175,
      },
    ]);
    expect(users.findings).toContainEqual(expect.objectContaining({ guardrail: 'offsite-copy-required', waived: true }));
    expect(users.controls).toMatchObject({ offsite: false, compliant: true });
    expect(report.summary.waivers).toEqual({ expired: 0, next30Days: 0, days31to90: 0, later: 3 }); // users, and insights (two)
  });

  it('counts per team how many databases meet each control', () => {
    expect(report.teams.find((t) => t.team === 'payments')!.coverage).toEqual({
      backups: 4,
      retention: 4,
      rpo: 4,
      pitr: 3,
      offsite: 3,
      vaultLock: 3,
      alerts: 4,
      restoreTesting: 3,
      compliant: 4,
    });
  });
});

describe('report model of a repo with an open guardrail error and a waiver about to expire', () => {
  it('marks the database below policy, counts the waiver as expiring within 30 days, and exits 1', async () => {
    const dir = tempRepo('example');
    const orders = join(dir, 'stacks', 'payments', 'orders.yaml');
    writeFileSync(orders, readFileSync(orders, 'utf8').replace('    policy: prod-standard\n', '    policy: prod-standard\n    retentionDays: 7\n'));
    const report = await reportRepo({ dir, env: { DBAAS_NOW: '2027-05-01', DBAAS_CACHE: 'off' } });
    const db = byName(report, 'orders');
    expect(db.posture?.retentionDays).toBe(7);
    expect(db.controls).toMatchObject({ retention: false, compliant: false, rpo: true });
    expect(db.findings).toContainEqual(
      expect.objectContaining({ guardrail: 'backup-retention-minimum', severity: 'error', waived: false, field: 'backup.retentionDays' }),
    );
    expect(report.teams.find((t) => t.team === 'payments')!.coverage).toMatchObject({ retention: 3, compliant: 3 });
    expect(byName(report, 'users').waivers[0]!.daysLeft).toBe(14);
    expect(report.summary.waivers).toMatchObject({ next30Days: 3 }); // users and insights expire on the same day
    expect(report).toMatchObject({ ok: false, exitCode: 1 });
  }, 120_000);
});

describe('report baselines follow the config', () => {
  it('without a baseline section no database is covered and none is counted; with only aws, only AWS databases are', async () => {
    const dir = tempRepo('example');
    const file = join(dir, 'dbaas.config.yaml');
    const text = readFileSync(file, 'utf8');
    const start = text.indexOf('\nbaseline:');
    const end = text.indexOf('\napply:');
    writeFileSync(file, text.slice(0, start) + text.slice(end));
    const env = { DBAAS_NOW: '2026-11-21', DBAAS_CACHE: 'off' };
    const none = await reportRepo({ dir, env });
    expect(none.summary.baselinesBuilt).toBe(0);
    expect(byName(none, 'orders').baseline).toEqual({ stack: null, status: 'not-built' });

    writeFileSync(file, `${text.slice(0, start)}\nbaseline:\n  notify: { email: [dba@acme.example] }\n  aws: {}\n${text.slice(end)}`);
    const awsOnly = await reportRepo({ dir, env });
    expect(awsOnly.summary.baselinesBuilt).toBe(5);
    expect(byName(awsOnly, 'orders').baseline).toEqual({ stack: 'baseline-aws-production-eu-west-1', status: 'built' });
    expect(byName(awsOnly, 'warehouse-meta').baseline).toEqual({ stack: null, status: 'not-built' });
  }, 120_000);
});
