// The one place the report reads a database's backup posture. src/plan/posture.ts is the single
// source (the plan table shows the same); when it reads the synthesized stack instead of the spec,
// only the call below changes.
import { backupPosture, type BackupPosture } from '../plan/posture.js';
import type { ResolvedEntry } from '../resolve/index.js';
import type { SynthesizedStack } from '../synth/index.js';
import type { ReportPosture } from './types.js';

const orNull = (value: string): string | null => (value === 'none' || value === '' ? null : value);

/** The posture of one built database, in the report's shape. */
export function reportPosture(entry: ResolvedEntry, _stack: SynthesizedStack): ReportPosture {
  const p = backupPosture(entry.db);
  return fromPlanPosture(p);
}

export function fromPlanPosture(p: BackupPosture & { readonly alertTiers?: readonly string[] }): ReportPosture {
  return {
    schedule: p.schedule,
    rpoHours: Number.isFinite(p.rpoHours) ? p.rpoHours : null,
    retentionDays: p.retentionDays,
    pitrDays: p.pitrDays,
    offsite: [...p.offsite],
    vaultLock: orNull(p.vaultLock),
    alerts: p.alerts === 'none' ? [] : p.alerts.split(', '),
    // Tiers are not in the plan posture yet; carried as soon as it has them.
    alertTiers: [...(p.alertTiers ?? [])],
    restoreTesting: orNull(p.restoreTesting),
  };
}
