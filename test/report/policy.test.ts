// The policy a database is held to comes from the guardrails that apply to it, and from nothing else.
import { describe, expect, it } from 'vitest';
import type { GuardrailOverride } from '../../src/guard/types.js';
import { guardDir } from '../../src/pipeline.js';
import { policyTargets } from '../../src/report/policy.js';
import { REPO_ROOT } from '../helpers/repo.js';

const guarded = guardDir(REPO_ROOT, { env: { DBAAS_NOW: '2026-11-21' } });
if (!guarded.ok) throw new Error('the example repo must validate');
const db = (name: string) => guarded.repo.entries.find((e) => e.db.name === name)!.db;
const off = (guardrail: string): GuardrailOverride => ({
  guardrail,
  severity: 'off',
  reason: 'test',
  location: { file: 'dbaas.config.yaml', line: 1, column: 1 },
});

describe('policyTargets', () => {
  it('reads retention from backup-retention-minimum and the RPO from backup-frequency-daily for production', () => {
    expect(policyTargets(db('ledger'), guarded.registry, [])).toEqual({
      retentionMinDays: 35,
      rpoTargetHours: 25,
      rpoSource: 'guardrail',
      rtoTargetHours: null,
    });
  });

  it('prefers the stated objectives.rpoHours, and carries objectives.rtoHours', () => {
    expect(policyTargets(db('orders'), guarded.registry, [])).toMatchObject({ rpoTargetHours: 24, rpoSource: 'objective', rtoTargetHours: 4 });
  });

  it('asks nothing of a database no guardrail matches, or when the guardrail is turned off', () => {
    expect(policyTargets(db('audit'), guarded.registry, [])).toMatchObject({ retentionMinDays: null, rpoTargetHours: null });
    expect(policyTargets(db('ledger'), guarded.registry, [off('backup-retention-minimum'), off('backup-frequency-daily')])).toMatchObject({
      retentionMinDays: null,
      rpoTargetHours: null,
      rpoSource: null,
    });
  });

  it('follows the number written in the guardrail (one source of truth)', () => {
    const registry = {
      ...guarded.registry,
      guardrails: guarded.registry.guardrails.map((g) =>
        g.id === 'backup-retention-minimum' ? { ...g, assert: { properties: { backup: { properties: { retentionDays: { minimum: 60 } } } } } } : g,
      ),
    };
    expect(policyTargets(db('ledger'), registry, []).retentionMinDays).toBe(60);
  });
});
