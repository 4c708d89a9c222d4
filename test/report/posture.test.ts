import { describe, expect, it } from 'vitest';
import { fromPlanPosture } from '../../src/report/posture.js';

const base = { schedule: 'off', rpoHours: Number.POSITIVE_INFINITY, retentionDays: 7, pitrDays: 0, offsite: [], vaultLock: 'none', alerts: 'none', restoreTesting: 'none' };

describe('fromPlanPosture (the one adapter from the plan posture)', () => {
  it('turns "none" into null or an empty list, and an endless RPO (backups off) into null, which JSON can carry', () => {
    expect(fromPlanPosture(base)).toEqual({ schedule: 'off', rpoHours: null, retentionDays: 7, pitrDays: 0, offsite: [], vaultLock: null, alerts: [], alertTiers: [], restoreTesting: null });
  });

  it('splits the alerts and carries tiers once the plan posture has them', () => {
    const p = fromPlanPosture({ ...base, rpoHours: 24, alerts: 'failure, missing 26h', alertTiers: ['page', 'ticket'], vaultLock: 'compliance ≥35d', restoreTesting: '0 5 * * 0' });
    expect(p).toMatchObject({ rpoHours: 24, alerts: ['failure', 'missing 26h'], alertTiers: ['page', 'ticket'], vaultLock: 'compliance ≥35d', restoreTesting: '0 5 * * 0' });
  });
});
