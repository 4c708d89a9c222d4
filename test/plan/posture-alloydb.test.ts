import { describe, expect, it } from 'vitest';
import { alloydbPosture, weeklyScheduleText } from '../../src/plan/posture-alloydb.js';
import type { PostureStackJson } from '../../src/plan/posture.js';
import { alloyDb, alloyText } from '../synth/gcp/alloydb-helpers.js';

const postureOf = (db: ReturnType<typeof alloyDb>, edit?: (json: any) => void) => {
  const json = JSON.parse(alloyText(db)) as PostureStackJson;
  edit?.(json);
  return alloydbPosture(db, json);
};
const clusterOf = (json: any) => Object.values(json.resource.google_alloydb_cluster)[0] as any;

describe('AlloyDB posture, read from the stack', () => {
  const db = alloyDb();
  const posture = postureOf(db);

  it('reads the schedule, RPO, retention and PITR window from the cluster', () => {
    expect(posture.schedule.text).toBe('daily 20:00');
    expect(posture.schedule.resources[0]).toMatch(/^google_alloydb_cluster\./);
    expect(posture.rpoHours).toBe(24);
    expect(posture.retentionDays).toBe(35);
    expect(posture.retention.text).toBe('35d');
    expect(posture.pitrDays).toBe(7);
    expect(posture.pitr.text).toBe('7d');
  });

  it('reads a weekly schedule and its 168-hour RPO', () => {
    const weekly = postureOf(alloyDb({ backup: { schedule: '0 5 * * 0' } }));
    expect(weekly.schedule.text).toBe('SUN 05:00');
    expect(weekly.rpoHours).toBe(168);
    expect(weeklyScheduleText(['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY'], [2, 14])).toBe('MON-FRI 02:00, 14:00');
  });

  it('says what the stack says, not the spec: an edited stack changes the claims', () => {
    const edited = postureOf(db, (json) => {
      const c = clusterOf(json);
      c.automated_backup_policy.time_based_retention.retention_period = `${10 * 86_400}s`;
      delete c.continuous_backup_config.recovery_window_days;
    });
    expect(edited.retentionDays).toBe(10);
    expect(edited.pitrDays).toBe(14); // AlloyDB's default window when none is written
    const off = postureOf(db, (json) => {
      clusterOf(json).automated_backup_policy.enabled = false;
      clusterOf(json).continuous_backup_config = { enabled: false };
    });
    expect(off.schedule.text).toBe('off');
    expect(off.schedule.reason).toMatch(/no automated backup policy in the stack.*nothing enforces them/);
    expect(off.rpoHours).toBeNull();
    expect(off.pitr.text).toBe('off');
  });

  it('reads the encryption of the cluster and both kinds of backup', () => {
    expect(posture.encryption.text).toBe('customer-managed key');
    expect(posture.encryption.resources.some((r) => r.startsWith('google_kms_crypto_key.'))).toBe(true);
    expect(postureOf(alloyDb({ storageEncrypted: false })).encryption.text).toBe('Google-managed');
    const mixed = postureOf(db, (json) => delete clusterOf(json).automated_backup_policy.encryption_config);
    expect(mixed.encryption.text).toBe('mixed');
  });

  it('lists the backup alerts with their window and the tiers they reach', () => {
    const texts = posture.alerts.map((a) => a.text);
    const hours = Math.max(26, 24 + Math.ceil(db.backup.completionWindowMinutes / 60));
    expect(texts).toEqual(['backup failed', `backup missing ${hours}h`, 'backup check not running']);
    for (const alert of posture.alerts.slice(0, 2)) expect(alert.tiers).toEqual(['page', 'notify', 'record']);
    // The check itself not running notifies (it is not a failed backup).
    expect(posture.alerts[2]!.tiers).toEqual(['notify', 'record']);
    // The missing window is read from the workflow the alert matches: an edited workflow changes the claim.
    const edited = postureOf(db, (json) => {
      const wf = Object.values(json.resource.google_workflows_workflow)[0] as { source_contents: string };
      wf.source_contents = wf.source_contents.replace(/- max_age_seconds: \d+/, '- max_age_seconds: 36000');
    });
    expect(edited.alerts.map((a) => a.text)).toContain('backup missing 10h');
    expect(posture.channels.map((c) => c.name)).toContain('analytics-pager');
  });

  it('says backups are off and unchecked when backup.enabled is false (the stack writes no policy)', () => {
    const off = postureOf(alloyDb({ backup: { enabled: false } }));
    expect(off.schedule.text).toBe('off');
    expect(off.rpoHours).toBeNull();
    expect(off.retentionDays).toBe(0);
    expect(off.alerts).toEqual([]);
  });

  it('has no offsite copy, lock, exports or drill, and says why', () => {
    expect(posture.offsite).toEqual([]);
    expect(posture.offsiteReason).toContain('cluster region');
    expect(posture.vaultLock.text).toBe('none');
    expect(posture.exports).toEqual([]);
    expect(posture.restoreTesting.text).toBe('none');
  });
});
