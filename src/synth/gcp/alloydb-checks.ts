// What an AlloyDB stack cannot be built from, as Problems (field = path in the resolved database),
// before anything is synthesized. The fields AlloyDB gives no effect to at all are refused at
// validate (see the README's AlloyDB section); this module checks the values the stack maps.
import { showValue, type Problem } from '../../errors.js';
import type { ResolvedDatabase } from '../../model/resolved.js';
import { alloydbWeeklySchedule } from './alloydb-schedule.js';
import { checkKmsKey, gcpChannelProblems, placedInGcp, problemList } from './shared-checks.js';
import { iamUserType } from './engine.js';
import { ERR } from '../../error-codes.js';

/** AlloyDB database_version values this stack writes (API DatabaseVersion; the provider passes the string through). */
export const ALLOYDB_MAJOR_VERSIONS = [14, 15, 16, 17] as const;
/** continuous_backup_config.recovery_window_days: 1 to 35 days. */
export const RECOVERY_WINDOW_DAYS = { min: 1, max: 35 } as const;
/** automated_backup_policy.backup_window: "must be at least 5 minutes long". */
export const MIN_BACKUP_WINDOW_MINUTES = 5;

/** POSTGRES_16 from "16" or "16.4"; undefined for a version AlloyDB does not offer. */
export function alloydbDatabaseVersion(version: string): string | undefined {
  const m = /^(\d+)(?:\.\d+)?$/.exec(version);
  const major = m ? Number(m[1]) : NaN;
  return (ALLOYDB_MAJOR_VERSIONS as readonly number[]).includes(major) ? `POSTGRES_${major}` : undefined;
}

/**
 * machine_config from the size map's class: a vCPU count ("4") or an AlloyDB machine type
 * ("n2-highmem-4", "c4a-highmem-4-lssd"), whose vCPU count must match cpu_count (provider docs).
 */
export function alloydbMachine(instanceClass: string): { cpuCount: number; machineType?: string } | undefined {
  if (/^[1-9]\d{0,2}$/.test(instanceClass)) return { cpuCount: Number(instanceClass) };
  const m = /^(?:n2|c4a)-highmem-([1-9]\d{0,2})(?:-lssd)?$/.exec(instanceClass);
  return m ? { cpuCount: Number(m[1]), machineType: instanceClass } : undefined;
}

/**
 * The AlloyDB service agent of the project, which must be able to use a customer-managed key:
 * service-<project number>@gcp-sa-alloydb.iam.gserviceaccount.com (AlloyDB "Use CMEK"). The config
 * names only the Cloud SQL agent, service-<project number>@gcp-sa-cloud-sql.iam.gserviceaccount.com,
 * so the number is read from it (both agents are per project number).
 */
export function alloydbServiceAgent(placement: ResolvedDatabase['placement']): string | undefined {
  if (placement.cloud !== 'gcp') return undefined;
  const m = /^service-(\d+)@gcp-sa-cloud-sql\.iam\.gserviceaccount\.com$/.exec(placement.cloudSqlServiceAgent ?? '');
  return m ? `service-${m[1]}@gcp-sa-alloydb.iam.gserviceaccount.com` : undefined;
}

export function alloydbProblems(db: ResolvedDatabase): Problem[] {
  const { problems, add } = problemList();
  if (!placedInGcp(db, add)) return problems;
  if ((db.engine as string) !== 'alloydb') {
    add(ERR.GCP_ENGINE, 'engine', db.engine, `engine ${showValue(db.engine)} is not AlloyDB`, 'alloydb');
    return problems;
  }
  if (!alloydbDatabaseVersion(db.version)) {
    add(
      ERR.ALLOYDB_VERSION,
      'version',
      db.version,
      `AlloyDB for PostgreSQL has no version ${showValue(db.version)}`,
      `one of ${ALLOYDB_MAJOR_VERSIONS.join(', ')}`,
    );
  }
  if (!alloydbMachine(db.instanceClass)) {
    add(
      ERR.ALLOYDB_MACHINE,
      'size',
      db.instanceClass,
      `size ${db.size} maps to ${showValue(db.instanceClass)}, which is not an AlloyDB machine`,
      'a vCPU count ("4") or a machine type such as n2-highmem-4 in the config size map for alloydb',
    );
  }
  const schedule = alloydbWeeklySchedule(db.backup.schedule, db.backup.timezone);
  if (!schedule.ok) add(ERR.ALLOYDB_SCHEDULE, 'backup.schedule', db.backup.schedule, schedule.reason, schedule.expected);
  const pitr = db.backup.pointInTimeRecovery;
  if (pitr.enabled && (pitr.retentionDays < RECOVERY_WINDOW_DAYS.min || pitr.retentionDays > RECOVERY_WINDOW_DAYS.max)) {
    add(
      ERR.ALLOYDB_PITR_WINDOW,
      'backup.pointInTimeRecovery.retentionDays',
      pitr.retentionDays,
      'AlloyDB keeps a point-in-time recovery window of 1 to 35 days',
      `${RECOVERY_WINDOW_DAYS.min} to ${RECOVERY_WINDOW_DAYS.max}`,
    );
  }
  if (db.backup.completionWindowMinutes < MIN_BACKUP_WINDOW_MINUTES) {
    add(
      ERR.ALLOYDB_BACKUP_WINDOW,
      'backup.completionWindowMinutes',
      db.backup.completionWindowMinutes,
      'an AlloyDB backup window is at least 5 minutes',
      `${MIN_BACKUP_WINDOW_MINUTES} or more`,
    );
  }
  if (db.publiclyAccessible) {
    add(ERR.ALLOYDB_PUBLIC, 'publiclyAccessible', true, 'this AlloyDB stack has a private IP only (as Cloud SQL stacks)', 'false');
  }
  const mw = db.maintenanceWindow;
  if (!/^\d{2}:00$/.test(mw.startTime) || mw.durationMinutes !== 60) {
    add(
      ERR.ALLOYDB_MAINTENANCE,
      'maintenanceWindow',
      mw,
      'AlloyDB maintenance starts on a whole hour and "within 1 hour of this time"',
      'startTime HH:00 and durationMinutes 60',
    );
  }
  const kmsKey = db.backup.encryption.kmsKey;
  checkKmsKey(db, add);
  if (db.storageEncrypted && !alloydbServiceAgent(db.placement)) {
    add(
      ERR.GCP_NO_SERVICE_AGENT,
      'backup.encryption.kmsKey',
      kmsKey,
      `a customer-managed key needs the AlloyDB service agent of project ${db.placement.projectId}, read from the project number in cloudSqlServiceAgent`,
      'cloudSqlServiceAgent: service-<project number>@gcp-sa-cloud-sql.iam.gserviceaccount.com under clouds.gcp.projects in dbaas.config.yaml',
    );
  }
  db.users.forEach((user, i) => {
    if (user.passwordSecret !== undefined) {
      add(
        ERR.GCP_USER_PASSWORD,
        `users.${i}.passwordSecret`,
        user.passwordSecret,
        'an AlloyDB stack reads no password: google_alloydb_user.password is kept in Terraform state',
        'an IAM e-mail as the name, or the user created outside Terraform',
      );
    } else if (!iamUserType(user.name)) {
      add(
        ERR.GCP_USER_AUTH,
        `users.${i}`,
        user.name,
        `user ${showValue(user.name)} cannot sign in with IAM`,
        'an IAM e-mail as the name, or the user created outside Terraform',
      );
    }
  });
  problems.push(...gcpChannelProblems(db));
  return problems;
}

/** Spec fields an AlloyDB stack gives no effect to, refused at validate: kept in the engine profile. */
export { ALLOYDB_UNSUPPORTED_FIELDS } from '../../profiles/engines/alloydb.js';
