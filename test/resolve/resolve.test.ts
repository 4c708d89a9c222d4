import { describe, expect, it } from 'vitest';
import { resolveDir } from '../../src/pipeline.js';
import { locateResolved } from '../../src/resolve/index.js';
import { REPO_ROOT } from '../helpers/repo.js';

const repo = (() => {
  const result = resolveDir(REPO_ROOT);
  if (!result.ok) throw new Error('example repo must resolve');
  return result.repo;
})();
const entry = (name: string) => {
  const found = repo.entries.find((e) => e.db.name === name);
  if (!found) throw new Error(`no ${name}`);
  return found;
};

describe('resolve', () => {
  it('starts from the named policy and lets inline fields override it', () => {
    const ledger = entry('ledger').db;
    expect(ledger.backup.policyName).toBe('prod-standard');
    expect(ledger.backup.retentionDays).toBe(35);
    expect(ledger.backup.copies).toEqual([
      { region: 'eu-central-1', retentionDays: 90 },
      { account: '999999999999', retentionDays: 365 },
    ]);
    expect(entry('users').db.backup.copies).toEqual([]);
  });

  it('fills every default and maps the size through the config', () => {
    const carts = entry('carts').db;
    expect(carts).toMatchObject({
      size: 'small',
      instanceClass: 'PAY_PER_REQUEST',
      deletionProtection: false,
      publiclyAccessible: false,
      storageEncrypted: true,
      databases: [],
      backup: { timezone: 'UTC', enabled: true, pointInTimeRecovery: { enabled: false, retentionDays: 7 }, encryption: { kmsKey: 'managed' } },
      placement: { cloud: 'aws', accountId: '222222222222' },
    });
    expect(entry('orders').db).toMatchObject({ deletionProtection: true, instanceClass: 'db.r6g.large', version: '16.4' });
    expect(entry('experiments').db.databases).toEqual(['experiments']);
  });

  it('narrows allowed regions and sizes to the team rules', () => {
    expect(entry('orders').db.allowed).toEqual({ regions: ['eu-west-1', 'eu-central-1'], sizes: ['medium', 'large'] });
    expect(entry('carts').db.allowed.regions).toEqual(['eu-west-1']);
  });

  it('locates a field where it is written: the database, its named policy, or its name', () => {
    expect(locateResolved(entry('ledger'), ['backup', 'copies', 1, 'account'])).toMatchObject({ file: 'stacks/payments/ledger.yaml', line: 22 });
    expect(locateResolved(entry('orders'), ['backup', 'retentionDays'])).toMatchObject({ file: 'stacks/shared/backup-policies.yaml', line: 9 });
    expect(locateResolved(entry('orders'), ['highAvailability'])).toMatchObject({ file: 'stacks/payments/orders.yaml', line: 18 });
    expect(locateResolved(entry('orders'), ['publiclyAccessible'])).toMatchObject({ file: 'stacks/payments/orders.yaml', line: 7 });
  });
});
