import { readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { fixRepo } from '../../src/guard/fix.js';
import { isBlocking } from '../../src/guard/types.js';
import { guardDir } from '../../src/pipeline.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';
import { guardExample, TODAY } from './helpers.js';

afterAll(cleanupTempRepos);

const ORDERS = 'stacks/payments/orders.yaml';
const USERS = 'stacks/identity/users.yaml';
const POLICIES = 'stacks/shared/backup-policies.yaml';
const opts = { dryRun: true, env: TODAY };

describe('where dbaas fix writes', () => {
  it('changes a field the Database sets itself in the Database file', () => {
    const start = guardExample({ [ORDERS]: (t) => t.replace('  highAvailability: true\n', '  highAvailability: false   # cheaper\n') });
    const result = fixRepo(start, opts);
    expect(result.changes).toEqual([
      {
        file: ORDERS,
        field: 'spec.highAvailability',
        target: 'Database orders',
        before: false,
        after: true,
        guardrails: ['high-availability-production'],
        databases: ['orders'],
      },
    ]);
    expect(result.after.ok && result.after.guard.findings.filter(isBlocking)).toEqual([]);
    expect(result.written).toBe(false);
  });

  it('fixes a shared BackupPolicy once when every database inheriting the field has the finding', () => {
    const start = guardExample({
      [POLICIES]: (t) =>
        t.replace(
          '  restoreTesting: { schedule: "0 5 * * 0" }\n---\napiVersion: dbaas.dev/v1\nkind: BackupPolicy\nmetadata:\n  name: gcp-prod',
          '---\napiVersion: dbaas.dev/v1\nkind: BackupPolicy\nmetadata:\n  name: gcp-prod',
        ),
    });
    const result = fixRepo(start, opts);
    expect(result.changes).toEqual([
      expect.objectContaining({
        file: POLICIES,
        field: 'spec.restoreTesting',
        target: 'BackupPolicy prod-standard',
        before: undefined,
        after: { schedule: '0 5 * * 0' },
        databases: ['users', 'ledger', 'orders', 'payouts'],
      }),
    ]);
  });

  it('writes an inline override into the Database when other users of the policy do not need the fix', () => {
    // Only orders is in production with a 24 h RPO; tighten it so only orders fails... via its own PITR switch-off instead:
    const start = guardExample({
      [ORDERS]: (t) => t.replace('    policy: prod-standard\n', '    policy: prod-standard\n    pointInTimeRecovery: { enabled: false, retentionDays: 14 }\n'),
    });
    const result = fixRepo(start, opts);
    expect(result.changes).toEqual([expect.objectContaining({ file: ORDERS, field: 'spec.backup.pointInTimeRecovery.enabled', before: false, after: true })]);
    // users moves to nonprod-daily, whose other users are not in production: every production-only
    // fix lands inline in users.yaml, starting from the policy's value (PITR keeps retentionDays 3).
    const moved = guardExample({
      [USERS]: (t) => t.replace('    policy: prod-standard\n', '    policy: nonprod-daily\n'),
      [POLICIES]: (t) =>
        t.replace(
          '  schedule: "30 1 * * *"\n  retentionDays: 7\n',
          '  schedule: "30 1 * * *"\n  retentionDays: 7\n  pointInTimeRecovery: { enabled: false, retentionDays: 3 }\n',
        ),
    });
    const fixed = fixRepo(moved, opts);
    expect(new Set(fixed.changes.map((c) => c.file))).toEqual(new Set([USERS]));
    expect(fixed.changes.map((c) => [c.field, c.after])).toEqual(
      expect.arrayContaining([
        ['spec.backup.retentionDays', 35],
        ['spec.backup.pointInTimeRecovery', { enabled: true, retentionDays: 3 }],
        ['spec.backup.vaultLock', { mode: 'governance', minRetentionDays: 7 }],
        ['spec.backup.restoreTesting', { schedule: '0 5 * * 0' }],
      ]),
    );
    expect(fixed.after.ok && fixed.after.guard.findings.filter(isBlocking)).toEqual([]);
    const siblings = fixed.after.ok ? fixed.after.repo.entries.filter((e) => e.policy?.name === 'nonprod-daily' && e.db.name !== 'users') : [];
    expect(siblings.map((e) => e.db.backup.retentionDays)).toEqual([7, 7, 7, 7, 7, 7]); // incl. the restores audit-restore and reports-clone
  });

  it('fixes the policy itself when its only inheritor of a field needs it', () => {
    const start = guardExample({
      [POLICIES]: (t) =>
        t.replace(
          '  alerts: { onFailure: true, missingAfterHours: 26 }\n  restoreTesting',
          '  alerts: { onFailure: false, missingAfterHours: 25 }\n  restoreTesting',
        ),
      [ORDERS]: (t) => t.replace('    policy: prod-standard\n', '    policy: prod-standard\n    alerts: { onFailure: true }\n'),
      'stacks/payments/ledger.yaml': (t) => t.replace('    policy: prod-standard\n', '    policy: prod-standard\n    alerts: { onFailure: true }\n'),
      'stacks/payments/payouts.yaml': (t) => t.replace('    policy: prod-standard\n', '    policy: prod-standard\n    alerts: { onFailure: true }\n'),
    });
    expect(fixRepo(start, opts).changes).toEqual([
      expect.objectContaining({
        file: POLICIES,
        field: 'spec.alerts.onFailure',
        target: 'BackupPolicy prod-standard',
        before: false,
        after: true,
        databases: ['users'],
      }),
    ]);
  });

  it('leaves waived findings and (by default) warnings alone', () => {
    const start = guardExample();
    expect(fixRepo(start, opts).changes).toEqual([]);
    const withWarnings = fixRepo(start, { ...opts, includeWarnings: true });
    expect(withWarnings.changes.map((c) => [c.file, c.field, c.after])).toEqual([
      ['stacks/analytics/experiments.yaml', 'spec.backup.pointInTimeRecovery', { enabled: true, retentionDays: 7 }],
      ['stacks/payments/carts.yaml', 'spec.backup.pointInTimeRecovery', { enabled: true, retentionDays: 7 }],
    ]);
  });
});

describe('writing', () => {
  it('writes the fixed files, keeps their comments, and validate then has no error', () => {
    const dir = tempRepo('example');
    const file = join(dir, ORDERS);
    writeFileSync(
      file,
      readFileSync(file, 'utf8').replace('    policy: prod-standard\n', '    policy: prod-standard\n    retentionDays: 7   # cheaper, for now\n'),
    );
    const start = guardDir(dir, { env: TODAY });
    expect(
      start.ok &&
        start.guard.findings
          .filter(isBlocking)
          .map((f) => f.guardrail)
          .sort(),
    ).toEqual(['backup-retention-minimum', 'vault-lock-within-retention']);
    if (!start.ok) return;
    const result = fixRepo(start, { env: TODAY });
    expect(result.written).toBe(true);
    expect(result.files).toEqual([ORDERS]);
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('    retentionDays: 35   # cheaper, for now\n');
    expect(text).toContain('# The orders database: production RDS Postgres with PITR');
    const after = guardDir(dir, { env: TODAY });
    expect(after.ok && after.guard.findings.filter(isBlocking)).toEqual([]);
    expect(readdirSync(join(dir, 'stacks', 'payments')).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('with dryRun writes nothing', () => {
    const dir = tempRepo('example');
    const file = join(dir, ORDERS);
    const broken = readFileSync(file, 'utf8').replace('  highAvailability: true\n', '  highAvailability: false\n');
    writeFileSync(file, broken);
    const start = guardDir(dir, { env: TODAY });
    if (!start.ok) throw new Error('expected a valid repo');
    const result = fixRepo(start, { dryRun: true, env: TODAY });
    expect(result.changes).toHaveLength(1);
    expect(result.written).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(broken);
  });
});
