import { describe, expect, it } from 'vitest';
import type { BackupPosture } from '../../src/plan/posture.js';
import { fromPlanPosture } from '../../src/report/posture.js';

const none = { text: 'none', resources: [] };
const base: BackupPosture = {
  cloud: 'aws',
  region: 'eu-west-1',
  schedule: none,
  timezone: 'UTC',
  rpoHours: null,
  retentionDays: 0,
  retention: none,
  pitrDays: 0,
  pitr: none,
  offsite: [],
  vaultLock: none,
  exports: [],
  alerts: [],
  channels: [],
  restoreTesting: { text: 'n/a', reason: 'no restore test is built', resources: [] },
  rto: none,
  caveats: [],
};

describe('fromPlanPosture (the one adapter from the plan posture, read from the stack)', () => {
  it('claims nothing a resource does not back: none and n/a become null or empty', () => {
    expect(fromPlanPosture(base)).toEqual({
      schedule: 'off',
      rpoHours: null,
      retentionDays: 0,
      pitrDays: 0,
      offsite: [],
      vaultLock: null,
      alerts: [],
      alertTiers: [],
      restoreTesting: null,
    });
  });

  it('carries each built claim with its text', () => {
    const built = (text: string) => ({ text, resources: ['aws_backup_plan.plan'] });
    const p = fromPlanPosture({
      ...base,
      schedule: built('0 3 * * *'),
      rpoHours: 24,
      retentionDays: 35,
      pitrDays: 7,
      offsite: [built('eu-central-1 90d'), { text: 'account 9 365d', resources: [] }],
      vaultLock: built('compliance ≥35d'),
      alerts: [
        { ...built('backup failed'), tiers: ['page', 'notify', 'record'] },
        { ...built('backup missing 26h'), tiers: ['notify', 'record'] },
      ],
      restoreTesting: built('0 5 * * SUN'),
    });
    expect(p).toEqual({
      schedule: '0 3 * * * UTC',
      rpoHours: 24,
      retentionDays: 35,
      pitrDays: 7,
      offsite: ['eu-central-1 90d'],
      vaultLock: 'compliance ≥35d',
      alerts: ['backup failed', 'backup missing 26h'],
      alertTiers: ['page', 'notify', 'record'],
      restoreTesting: '0 5 * * SUN',
    });
  });
});
