// What the guardrails ask of one database, read from the guardrails themselves (one source of
// truth: if backup-retention-minimum says 35 days, the report's policy line says 35 too).
import { matches } from '../guard/engine.js';
import type { GuardrailRegistry } from '../guard/registry.js';
import type { GuardrailOverride } from '../guard/types.js';
import type { ResolvedDatabase } from '../model/resolved.js';
import { isObject } from '../json.js';

const at = (value: unknown, ...path: string[]): unknown => path.reduce<unknown>((v, key) => (isObject(v) ? v[key] : undefined), value);

export interface PolicyTargets {
  readonly retentionMinDays: number | null;
  readonly rpoTargetHours: number | null;
  readonly rpoSource: 'objective' | 'guardrail' | null;
  readonly rtoTargetHours: number | null;
}

/**
 * Retention: the highest `minimum` on backup.retentionDays among the guardrails that apply.
 * RPO: the database's stated objectives.rpoHours, else the smallest backupScheduleMaxGapHours
 * among the guardrails that apply. Guardrails turned off by an override ask nothing.
 */
export function policyTargets(db: ResolvedDatabase, registry: GuardrailRegistry, overrides: readonly GuardrailOverride[]): PolicyTargets {
  const off = new Set(overrides.filter((o) => o.severity === 'off').map((o) => o.guardrail));
  let retention: number | null = null;
  let gap: number | null = null;
  for (const g of registry.guardrails) {
    if (off.has(g.id) || !matches(g.match, db)) continue;
    const min = at(g.assert, 'properties', 'backup', 'properties', 'retentionDays', 'minimum');
    if (typeof min === 'number') retention = Math.max(retention ?? min, min);
    const maxGap = g.assert.backupScheduleMaxGapHours;
    if (typeof maxGap === 'number') gap = Math.min(gap ?? maxGap, maxGap);
  }
  const objective = db.objectives?.rpoHours;
  return {
    retentionMinDays: retention,
    rpoTargetHours: objective ?? gap,
    rpoSource: objective !== undefined ? 'objective' : gap !== null ? 'guardrail' : null,
    rtoTargetHours: db.objectives?.rtoHours ?? null,
  };
}
