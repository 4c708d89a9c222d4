// The one place the report reads a database's backup posture: src/plan/posture.ts, the same reading
// of the synthesized stack the plan table shows, in the report's shape. A claim with no resource
// behind it (none, n/a) is null or left out, never shown as protection.
import { backupPosture, type BackupPosture, type PostureStackJson } from '../plan/posture.js';
import type { ResolvedEntry } from '../resolve/index.js';
import type { SynthesizedStack } from '../synth/index.js';
import type { ReportPosture } from './types.js';

/** The posture of one built database, in the report's shape. */
export function reportPosture(entry: ResolvedEntry, stack: SynthesizedStack): ReportPosture {
  return fromPlanPosture(backupPosture(entry.db, JSON.parse(stack.json) as PostureStackJson));
}

export function fromPlanPosture(p: BackupPosture): ReportPosture {
  const built = (c: { text: string; resources: readonly string[] }): string | null => (c.resources.length ? c.text : null);
  return {
    schedule: p.schedule.resources.length ? `${p.schedule.text} ${p.timezone}` : 'off',
    rpoHours: p.rpoHours,
    retentionDays: p.retentionDays,
    pitrDays: p.pitrDays,
    offsite: p.offsite.filter((c) => c.resources.length).map((c) => c.text),
    vaultLock: built(p.vaultLock),
    alerts: p.alerts.filter((c) => c.resources.length).map((c) => c.text),
    // The tiers the built alerts reach (page, notify, record), read from their routes in the stack.
    alertTiers: (['page', 'notify', 'record'] as const).filter((t) => p.alerts.some((c) => c.resources.length && c.tiers.includes(t))),
    restoreTesting: built(p.restoreTesting),
  };
}
