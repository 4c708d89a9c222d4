// The backup posture of a database, as a reviewer reads it: how much can be lost, for how long
// backups are kept, and what protects them.
import type { ResolvedDatabase } from '../model/resolved.js';
import { scheduleProfile } from '../schedule/profile.js';

export interface BackupPosture {
  readonly schedule: string;
  /** Worst-case hours between two scheduled backups; PITR lowers the effective RPO to minutes. */
  readonly rpoHours: number;
  readonly retentionDays: number;
  /** PITR window in days, or 0 when off. */
  readonly pitrDays: number;
  /** Offsite copies: "eu-central-1 90d", "account 999999999999 365d". */
  readonly offsite: readonly string[];
  /** "compliance ≥35d", or "none". */
  readonly vaultLock: string;
  /** "failure, missing 26h", or "none". */
  readonly alerts: string;
  /** The restore test schedule, or "none". */
  readonly restoreTesting: string;
}

export function backupPosture(db: ResolvedDatabase): BackupPosture {
  const b = db.backup;
  const zone = b.timezone === 'UTC' ? '' : ` ${b.timezone}`;
  const alerts = [b.alerts.onFailure ? 'failure' : '', b.alerts.missingAfterHours ? `missing ${b.alerts.missingAfterHours}h` : ''].filter(Boolean);
  return {
    schedule: b.enabled ? `${b.schedule}${zone}` : 'off',
    rpoHours: b.enabled ? Math.round((scheduleProfile(b.schedule, b.timezone)?.longestGapHours ?? Number.POSITIVE_INFINITY) * 10) / 10 : Number.POSITIVE_INFINITY,
    retentionDays: b.retentionDays,
    pitrDays: b.pointInTimeRecovery.enabled ? b.pointInTimeRecovery.retentionDays : 0,
    offsite: b.copies.map((c) => `${c.account ? `account ${c.account}${c.region ? ` ${c.region}` : ''}` : c.region} ${c.retentionDays}d`),
    vaultLock: b.vaultLock ? `${b.vaultLock.mode} ≥${b.vaultLock.minRetentionDays}d` : 'none',
    alerts: alerts.length ? alerts.join(', ') : 'none',
    restoreTesting: b.restoreTesting ? b.restoreTesting.schedule : 'none',
  };
}
