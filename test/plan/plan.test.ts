import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { planRepo } from '../../src/plan/index.js';
import { commitAll, git, initRepo } from '../helpers/git.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);
process.env.DBAAS_NOW = '2026-11-21';

const edit = (file: string, from: string, to: string) => {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
  writeFileSync(file, text.replace(from, to));
};

describe('dbaas plan against a real git base', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempRepo('example');
    await initRepo(dir);
  });

  it('plans nothing when the working tree equals the base', async () => {
    const { report } = await planRepo({ dir });
    expect(report.base?.ref).toBe('HEAD');
    expect(report.stacks).toEqual([]);
    expect(report.counts.stacksChanged).toBe(0);
    expect(report.exitCode).toBe(0);
  });

  it('shows only the touched stack, with its attribute changes and posture', async () => {
    edit(join(dir, 'stacks/payments/orders.yaml'), 'storageGb: 100', 'storageGb: 150');
    try {
      const { report } = await planRepo({ dir });
      expect(report.stacks.map((s) => [s.name, s.action, s.touchedBy])).toEqual([['orders', 'update', ['spec stacks/payments/orders.yaml']]]);
      const [orders] = report.stacks;
      const db = orders!.resources.find((r) => r.type === 'aws_db_instance');
      expect(db?.action).toBe('update');
      expect(db?.changes).toContainEqual({ path: 'allocated_storage', before: 100, after: 150 });
      expect(orders!.posture.before?.retentionDays).toBe(35);
      expect(report.exitCode).toBe(0);
    } finally {
      await git(dir, 'checkout', '--', '.');
    }
  });

  it('touches every user of a changed shared policy and shows the posture change', async () => {
    edit(
      join(dir, 'stacks/shared/backup-policies.yaml'),
      '  retentionDays: 35\n  pointInTimeRecovery: { enabled: true, retentionDays: 7 }\n  copies:\n    - region: eu-central-1',
      '  retentionDays: 42\n  pointInTimeRecovery: { enabled: true, retentionDays: 7 }\n  copies:\n    - region: eu-central-1',
    );
    try {
      const { report } = await planRepo({ dir });
      expect(report.stacks.map((s) => s.name)).toEqual(['ledger', 'orders', 'payouts', 'users']);
      for (const s of report.stacks) {
        expect(s.touchedBy).toContain('BackupPolicy prod-standard');
        expect([s.posture.before?.retentionDays, s.posture.after?.retentionDays]).toEqual([35, 42]);
      }
    } finally {
      await git(dir, 'checkout', '--', '.');
    }
  });

  it('refuses a deleted database (exit 1) unless --allow-destroy', async () => {
    rmSync(join(dir, 'stacks/payments/carts.yaml'));
    try {
      const refused = await planRepo({ dir });
      expect(refused.report.stacks.map((s) => [s.name, s.action])).toEqual([['carts', 'delete']]);
      expect(refused.report.destroys).toContainEqual(
        expect.objectContaining({ stack: 'carts', address: expect.stringMatching(/^aws_dynamodb_table\./), reason: 'database removed' }),
      );
      expect(refused.report.exitCode).toBe(1);
      expect(refused.report.refusals.join()).toMatch(/without --allow-destroy/);
      const allowed = await planRepo({ dir, allowDestroy: true });
      expect(allowed.report.exitCode).toBe(0);
      expect(allowed.report.destroys.length).toBe(refused.report.destroys.length);
    } finally {
      await git(dir, 'checkout', '--', '.');
    }
  });

  it('compares against --base and plans new databases added since', async () => {
    const first = (await git(dir, 'rev-parse', 'HEAD')).trim();
    const copy = readFileSync(join(dir, 'stacks/identity/sessions.yaml'), 'utf8').replace('name: sessions', 'name: sessions-eu');
    writeFileSync(join(dir, 'stacks/identity/sessions-eu.yaml'), copy);
    await commitAll(dir, 'add sessions-eu');
    const { report } = await planRepo({ dir, base: first });
    expect(report.base?.commit).toBe(first);
    expect(report.stacks.map((s) => [s.name, s.action])).toEqual([['sessions-eu', 'create']]);
    expect(report.stacks[0]!.counts.add).toBeGreaterThan(5);
    await expect(planRepo({ dir, base: 'no-such-branch' })).rejects.toThrow(/names no commit/);
  });
});

describe('dbaas plan without git', () => {
  it('plans every database as new', async () => {
    const dir = tempRepo('example');
    const { report } = await planRepo({ dir });
    expect(report.base).toBeNull();
    expect(report.stacks.filter((s) => s.kind !== 'baseline')).toHaveLength(13);
    // and every account baseline the example config turns on (test/plan/baseline.test.ts)
    expect(report.stacks.filter((s) => s.kind === 'baseline')).toHaveLength(8);
    expect(report.stacks.every((s) => s.action === 'create')).toBe(true);
  });
});
