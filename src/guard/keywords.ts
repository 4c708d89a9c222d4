// The named custom ajv keywords guardrails may use for relations JSON Schema cannot say. Each is a
// fixed predicate over the resolved database written here; a policy file only switches it on.
// GUARDRAILS.md documents them from GUARD_KEYWORDS, so the docs and the code cannot drift.
import { didYouMean } from '../suggest.js';
import type { Ajv2020, ErrorObject } from 'ajv/dist/2020.js';
import { BACKUP_DEFAULTS } from '../resolve/index.js';
import { firstOverlap, formatWeekMinute, MINUTES_PER_WEEK, scheduleProfile } from '../schedule/profile.js';
import { backupStartTimeUtc, backupWindow, cronCadence } from '../synth/gcp/schedule.js';
import { isObject } from '../json.js';

type Path = readonly (string | number)[];
export interface KeywordFailure {
  /** Path of the offending field, relative to the object the keyword sits on. */
  readonly path: Path;
  readonly message: string;
}

export interface GuardKeyword {
  readonly name: string;
  /** What the keyword's value must be, for the docs. */
  readonly value: string;
  readonly summary: string;
  /** Example pass and fail data, shown in GUARDRAILS.md and checked by the tests. */
  readonly example: { readonly schema: unknown; readonly pass: object; readonly fail: object };
  /** The keyword's own value is validated with this schema at compile time. */
  readonly metaSchema: object;
  check(data: Db, schemaValue: unknown): KeywordFailure | undefined;
}

/** The resolved database as the keywords see it: possibly partial (policy test cases are). */
interface Db {
  readonly region?: unknown;
  readonly size?: unknown;
  readonly labels?: unknown;
  readonly allowed?: { readonly regions?: unknown; readonly sizes?: unknown };
  readonly requiredLabels?: unknown;
  readonly objectives?: { readonly rpoHours?: unknown };
  readonly maintenanceWindow?: { readonly day?: unknown; readonly startTime?: unknown; readonly durationMinutes?: unknown };
  readonly backup?: {
    readonly schedule?: unknown;
    readonly timezone?: unknown;
    readonly completionWindowMinutes?: unknown;
    readonly retentionDays?: unknown;
    readonly copies?: unknown;
    readonly vaultLock?: { readonly minRetentionDays?: unknown; readonly maxRetentionDays?: unknown };
  };
}

const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const copiesOf = (db: Db): Record<string, unknown>[] => (Array.isArray(db.backup?.copies) ? db.backup.copies.filter(isObject) : []);
const hours = (h: number) => (Number.isInteger(h) ? `${h} h` : `${h.toFixed(1)} h`);

/** The schedule's longest gap, or a failure when the schedule cannot be read. */
function gapOf(db: Db): { gap: number } | KeywordFailure | undefined {
  const schedule = str(db.backup?.schedule);
  if (schedule === undefined) return undefined;
  const timezone = str(db.backup?.timezone) ?? 'UTC';
  const profile = scheduleProfile(schedule, timezone);
  if (!profile) return { path: ['backup', 'schedule'], message: `schedule ${JSON.stringify(schedule)} (${timezone}) is not a valid cron expression` };
  return { gap: profile.longestGapHours };
}

// ---- exportsClearOfBackupWindow (self-contained: GCP scheduled exports vs the backup window) ----

/** The first UTC week-minute at which a run of `runs` (lasting runMinutes) meets a window of `windows` (lasting windowMinutes). */
function firstProfileOverlap(windows: Uint8Array, windowMinutes: number, runs: Uint8Array, runMinutes: number): number | undefined {
  const blocked = new Uint8Array(MINUTES_PER_WEEK);
  for (let w = 0; w < MINUTES_PER_WEEK; w++) {
    if (!windows[w]) continue;
    for (let i = 0; i < Math.min(windowMinutes, MINUTES_PER_WEEK); i++) blocked[(w + i) % MINUTES_PER_WEEK] = 1;
  }
  const span = Math.min(runMinutes, MINUTES_PER_WEEK);
  for (let s = 0; s < MINUTES_PER_WEEK; s++) {
    if (!runs[s]) continue;
    for (let i = 0; i < span; i++) if (blocked[(s + i) % MINUTES_PER_WEEK]) return s;
  }
  return undefined;
}

/**
 * The backup window a GCP stack builds, as (daily cron, timezone, minutes), the same functions synth
 * uses: Cloud SQL automated backups start at backupStartTimeUtc and may run 4 hours; with a vault
 * lock, Backup and DR's plan window (at least 6 hours, in the policy's timezone; an hourly schedule
 * may back up at any hour).
 */
function gcpBackupWindow(
  db: Db & { backup?: { vaultLock?: unknown; startWindowMinutes?: unknown } },
): { cron: string; timezone: string; minutes: number } | undefined {
  const schedule = str(db.backup?.schedule);
  if (schedule === undefined) return undefined;
  const timezone = str(db.backup?.timezone) ?? BACKUP_DEFAULTS.timezone;
  if (!scheduleProfile(schedule, timezone)) return undefined;
  if (db.backup?.vaultLock === undefined) {
    const [h, m] = backupStartTimeUtc(schedule, timezone).split(':');
    return { cron: `${Number(m)} ${Number(h)} * * *`, timezone: 'UTC', minutes: 4 * 60 };
  }
  const cadence = cronCadence(schedule);
  if (cadence.kind === 'hourly') return { cron: '0 0 * * *', timezone, minutes: 24 * 60 };
  const window = backupWindow(cadence.hour, num(db.backup?.startWindowMinutes) ?? BACKUP_DEFAULTS.startWindowMinutes);
  return { cron: `0 ${window.startHourOfDay} * * *`, timezone, minutes: (window.endHourOfDay - window.startHourOfDay) * 60 };
}

const exportsClearOfBackupWindow: GuardKeyword = {
  name: 'exportsClearOfBackupWindow',
  value: 'an integer: the minutes an export run may take',
  summary:
    'No run of a scheduled export (each backup.exports[i].schedule in its timezone, default ' +
    "backup.timezone, lasting the keyword's minutes) overlaps the backup window the GCP stack builds: " +
    "Cloud SQL's automated backup window (start_time in UTC, 4 hours), or with backup.vaultLock the " +
    'Backup and DR plan window. Cloud SQL runs one long operation at a time, and a long export blocks ' +
    'the daily automated backup. Runs are taken over a year, so daylight saving shifts count.',
  metaSchema: { type: 'integer', minimum: 1, maximum: 1440 },
  example: {
    schema: { exportsClearOfBackupWindow: 60 },
    pass: { backup: { schedule: '0 2 * * *', timezone: 'UTC', exports: [{ schedule: '0 8 * * *', retentionDays: 7 }] } },
    fail: { backup: { schedule: '0 2 * * *', timezone: 'UTC', exports: [{ schedule: '0 3 * * *', retentionDays: 7 }] } },
  },
  check(data, schemaValue) {
    const db = data as Db & { backup?: { exports?: unknown; vaultLock?: unknown; startWindowMinutes?: unknown } };
    const exports = Array.isArray(db.backup?.exports) ? db.backup.exports : [];
    if (exports.length === 0) return undefined;
    const window = gcpBackupWindow(db);
    if (!window) return undefined;
    const windowProfile = scheduleProfile(window.cron, window.timezone);
    if (!windowProfile) return undefined;
    const runMinutes = num(schemaValue) ?? 60;
    for (const [i, exp] of exports.entries()) {
      if (!isObject(exp)) continue;
      const schedule = str(exp.schedule);
      if (schedule === undefined) continue;
      const timezone = str(exp.timezone) ?? str(db.backup?.timezone) ?? BACKUP_DEFAULTS.timezone;
      const profile = scheduleProfile(schedule, timezone);
      if (!profile)
        return {
          path: ['backup', 'exports', i, 'schedule'],
          message: `export schedule ${JSON.stringify(schedule)} (${timezone}) is not a valid cron expression`,
        };
      const clash = firstProfileOverlap(windowProfile.startsByWeekMinute, window.minutes, profile.startsByWeekMinute, runMinutes);
      if (clash === undefined) continue;
      const what =
        db.backup?.vaultLock === undefined
          ? `the automated backup window (${window.cron
              .split(' ')
              .slice(0, 2)
              .reverse()
              .map((v) => v.padStart(2, '0'))
              .join(':')} UTC, 4 hours)`
          : `the Backup and DR backup window (${window.minutes / 60} hours from ${window.cron.split(' ')[1]}:00 ${window.timezone})`;
      return {
        path: ['backup', 'exports', i, 'schedule'],
        message: `export ${i + 1} starting ${formatWeekMinute(clash)} may run ${runMinutes} minutes, into ${what}`,
      };
    }
    return undefined;
  },
};

export const GUARD_KEYWORDS: readonly GuardKeyword[] = [
  {
    name: 'copyRegionDiffers',
    value: 'true',
    summary:
      "Every backup copy that names a region names one other than the database's region (a copy next to " +
      'the primary survives nothing). A copy with only an account stays in the primary region and is ' +
      'allowed: it is a cross-account copy.',
    metaSchema: { const: true },
    example: {
      schema: { copyRegionDiffers: true },
      pass: { region: 'eu-west-1', backup: { copies: [{ region: 'eu-central-1', retentionDays: 90 }] } },
      fail: { region: 'eu-west-1', backup: { copies: [{ region: 'eu-west-1', retentionDays: 90 }] } },
    },
    check(db) {
      const region = str(db.region);
      const i = copiesOf(db).findIndex((c) => c.region !== undefined && c.region === region);
      if (i < 0) return undefined;
      return { path: ['backup', 'copies', i, 'region'], message: `copy ${i + 1} is in ${region}, the database's own region; expected another region` };
    },
  },
  {
    name: 'copyRetentionAtLeastPrimary',
    value: 'true',
    summary: 'Every backup copy is kept at least as long as the primary backups (backup.copies[].retentionDays ≥ backup.retentionDays).',
    metaSchema: { const: true },
    example: {
      schema: { copyRetentionAtLeastPrimary: true },
      pass: { backup: { retentionDays: 35, copies: [{ region: 'eu-central-1', retentionDays: 90 }] } },
      fail: { backup: { retentionDays: 35, copies: [{ region: 'eu-central-1', retentionDays: 7 }] } },
    },
    check(db) {
      const primary = num(db.backup?.retentionDays);
      if (primary === undefined) return undefined;
      const copies = copiesOf(db);
      const i = copies.findIndex((c) => (num(c.retentionDays) ?? Number.POSITIVE_INFINITY) < primary);
      if (i < 0) return undefined;
      return {
        path: ['backup', 'copies', i, 'retentionDays'],
        message: `copy ${i + 1} is kept ${String(copies[i]!.retentionDays)} days, less than the ${primary} days of the primary backups`,
      };
    },
  },
  {
    name: 'vaultLockWithinRetention',
    value: 'true',
    summary:
      'A vault lock fits the retention: backup.vaultLock.minRetentionDays ≤ backup.retentionDays ≤ ' +
      'backup.vaultLock.maxRetentionDays (when set). Otherwise AWS Backup refuses to store the recovery ' +
      'points.',
    metaSchema: { const: true },
    example: {
      schema: { vaultLockWithinRetention: true },
      pass: { backup: { retentionDays: 35, vaultLock: { mode: 'compliance', minRetentionDays: 35, maxRetentionDays: 365 } } },
      fail: { backup: { retentionDays: 7, vaultLock: { mode: 'compliance', minRetentionDays: 35 } } },
    },
    check(db) {
      const retention = num(db.backup?.retentionDays);
      const lock = db.backup?.vaultLock;
      if (retention === undefined || !isObject(lock)) return undefined;
      const min = num(lock.minRetentionDays);
      const max = num(lock.maxRetentionDays);
      if (min !== undefined && min > retention) {
        return {
          path: ['backup', 'vaultLock', 'minRetentionDays'],
          message: `vault lock keeps recovery points at least ${min} days, longer than the ${retention}-day retention`,
        };
      }
      if (max !== undefined && max < retention) {
        return {
          path: ['backup', 'vaultLock', 'maxRetentionDays'],
          message: `vault lock allows at most ${max} days, shorter than the ${retention}-day retention`,
        };
      }
      return undefined;
    },
  },
  {
    name: 'scheduleMeetsRpo',
    value: 'true',
    summary:
      'When objectives.rpoHours is stated, the backup schedule (in its timezone) never leaves a longer gap ' +
      'between two runs than the RPO. Point-in-time recovery does not count: the scheduled backup alone ' +
      'must meet the objective.',
    metaSchema: { const: true },
    example: {
      schema: { scheduleMeetsRpo: true },
      pass: { objectives: { rpoHours: 24 }, backup: { schedule: '0 3 * * *', timezone: 'UTC' } },
      fail: { objectives: { rpoHours: 12 }, backup: { schedule: '0 3 * * *', timezone: 'UTC' } },
    },
    check(db) {
      const rpo = num(db.objectives?.rpoHours);
      if (rpo === undefined) return undefined;
      const result = gapOf(db);
      if (!result || 'path' in result) return result;
      if (result.gap <= rpo) return undefined;
      return { path: ['backup', 'schedule'], message: `schedule leaves up to ${hours(result.gap)} between backups, more than the ${hours(rpo)} RPO` };
    },
  },
  {
    name: 'backupScheduleMaxGapHours',
    value: 'a number of hours (> 0)',
    summary: 'The backup schedule (in its timezone) never leaves more than this many hours between two runs, e.g. 24 for "at least daily".',
    metaSchema: { type: 'number', exclusiveMinimum: 0 },
    example: {
      schema: { backupScheduleMaxGapHours: 24 },
      pass: { backup: { schedule: '0 3 * * *' } },
      fail: { backup: { schedule: '0 3 * * 0' } },
    },
    check(db, maxGap) {
      const result = gapOf(db);
      if (!result || 'path' in result) return result;
      if (result.gap <= (maxGap as number)) return undefined;
      return {
        path: ['backup', 'schedule'],
        message: `schedule leaves up to ${hours(result.gap)} between backups; expected at most ${hours(maxGap as number)}`,
      };
    },
  },
  {
    name: 'backupWindowClearOfMaintenance',
    value: 'true',
    summary:
      'No backup window (each run of backup.schedule in backup.timezone, lasting ' +
      'backup.completionWindowMinutes, default 180) overlaps the weekly maintenance window ' +
      '(maintenanceWindow day, startTime, durationMinutes default 60, in UTC). Windows that only touch do ' +
      'not overlap. Runs are taken over a year, so daylight saving shifts count.',
    metaSchema: { const: true },
    example: {
      schema: { backupWindowClearOfMaintenance: true },
      pass: { maintenanceWindow: { day: 'sun', startTime: '06:00', durationMinutes: 60 }, backup: { schedule: '0 3 * * *', completionWindowMinutes: 180 } },
      fail: { maintenanceWindow: { day: 'sun', startTime: '05:00', durationMinutes: 60 }, backup: { schedule: '0 3 * * *', completionWindowMinutes: 180 } },
    },
    check(db) {
      const window = db.maintenanceWindow;
      const schedule = str(db.backup?.schedule);
      if (!isObject(window) || schedule === undefined) return undefined;
      const day = str(window.day);
      const startTime = str(window.startTime);
      if (day === undefined || startTime === undefined) return undefined;
      const durationMinutes = num(window.durationMinutes) ?? 60;
      const timezone = str(db.backup?.timezone) ?? BACKUP_DEFAULTS.timezone;
      const completion = num(db.backup?.completionWindowMinutes) ?? BACKUP_DEFAULTS.completionWindowMinutes;
      const profile = scheduleProfile(schedule, timezone);
      if (!profile) return { path: ['backup', 'schedule'], message: `schedule ${JSON.stringify(schedule)} (${timezone}) is not a valid cron expression` };
      const clash = firstOverlap(profile, completion, { day, startTime, durationMinutes });
      if (clash === undefined) return undefined;
      return {
        path: ['maintenanceWindow'],
        message:
          `the backup starting ${formatWeekMinute(clash)} may run ${completion} minutes, into the maintenance ` +
          `window ${day} ${startTime} UTC (${durationMinutes} minutes)`,
      };
    },
  },
  {
    name: 'regionAllowed',
    value: 'true',
    summary: "The database's region is one its team may use in its environment (allowed.regions, from dbaas.config.yaml teams and the account's regions).",
    metaSchema: { const: true },
    example: {
      schema: { regionAllowed: true },
      pass: { region: 'eu-west-1', allowed: { regions: ['eu-west-1'], sizes: ['small'] } },
      fail: { region: 'us-east-1', allowed: { regions: ['eu-west-1'], sizes: ['small'] } },
    },
    check(db) {
      const allowed = db.allowed?.regions;
      if (!Array.isArray(allowed) || allowed.includes(db.region)) return undefined;
      return {
        path: ['region'],
        message: `region ${JSON.stringify(db.region)} is not allowed here; expected one of ${allowed.join(', ') || '(none)'}${hintFor(db.region, allowed)}`,
      };
    },
  },
  {
    name: 'copyRegionsAllowed',
    value: 'true',
    summary:
      'Every backup copy that names a region names one its team may use in its environment ' +
      "(allowed.regions), like the database's own region: copies are data too.",
    metaSchema: { const: true },
    example: {
      schema: { copyRegionsAllowed: true },
      pass: {
        region: 'eu-west-1',
        allowed: { regions: ['eu-west-1', 'eu-central-1'], sizes: ['small'] },
        backup: { copies: [{ region: 'eu-central-1', retentionDays: 90 }] },
      },
      fail: {
        region: 'eu-west-1',
        allowed: { regions: ['eu-west-1', 'eu-central-1'], sizes: ['small'] },
        backup: { copies: [{ region: 'us-east-1', retentionDays: 90 }] },
      },
    },
    check(db) {
      const allowed = db.allowed?.regions;
      if (!Array.isArray(allowed)) return undefined;
      const i = copiesOf(db).findIndex((c) => c.region !== undefined && !allowed.includes(c.region));
      if (i < 0) return undefined;
      const region = copiesOf(db)[i]!.region;
      return {
        path: ['backup', 'copies', i, 'region'],
        message:
          `copy ${i + 1} goes to ${JSON.stringify(region)}, which is not allowed here; expected one of ` +
          `${allowed.join(', ') || '(none)'}${hintFor(region, allowed)}`,
      };
    },
  },
  {
    name: 'offsiteCopy',
    value: 'true',
    summary:
      "Some backup copy names a region other than the database's. On failure the message names a region to " +
      "use: one the team may use (allowed.regions) other than the database's, so the hint is always of the " +
      "database's own cloud.",
    metaSchema: { const: true },
    example: {
      schema: { offsiteCopy: true },
      pass: {
        region: 'europe-west1',
        allowed: { regions: ['europe-west1', 'europe-west4'], sizes: ['small'] },
        backup: { copies: [{ region: 'europe-west4', retentionDays: 90 }] },
      },
      fail: { region: 'europe-west1', allowed: { regions: ['europe-west1', 'europe-west4'], sizes: ['small'] }, backup: { copies: [] } },
    },
    check(db) {
      // Without a copies list (partial data) the keyword has no opinion; `required` says it is missing.
      if (!Array.isArray(db.backup?.copies)) return undefined;
      const region = str(db.region);
      if (copiesOf(db).some((c) => typeof c.region === 'string' && c.region !== region)) return undefined;
      const allowed = Array.isArray(db.allowed?.regions)
        ? (db.allowed.regions as unknown[]).filter((r): r is string => typeof r === 'string' && r !== region)
        : [];
      const hint = allowed.length
        ? `expected a copy in another region, e.g. copies: [{ region: ${allowed[0]}, retentionDays: 90 }] (allowed here: ${allowed.join(', ')})`
        : "expected a copy in another region, and none other than the database's is allowed for this team " +
          'here: ask the infra team to allow one in dbaas.config.yaml, or waive with the reason';
      return { path: ['backup', 'copies'], message: `no backup copy in a region other than ${region ?? "the database's"}; ${hint}` };
    },
  },
  {
    name: 'sizeAllowed',
    value: 'true',
    summary: "The database's size is one its team may use in its environment (allowed.sizes, from dbaas.config.yaml teams and the size map).",
    metaSchema: { const: true },
    example: {
      schema: { sizeAllowed: true },
      pass: { size: 'medium', allowed: { regions: ['eu-west-1'], sizes: ['medium', 'large'] } },
      fail: { size: 'small', allowed: { regions: ['eu-west-1'], sizes: ['medium', 'large'] } },
    },
    check(db) {
      const allowed = db.allowed?.sizes;
      if (!Array.isArray(allowed) || allowed.includes(db.size)) return undefined;
      return {
        path: ['size'],
        message: `size ${JSON.stringify(db.size)} is not allowed here; expected one of ${allowed.join(', ') || '(none)'}${hintFor(db.size, allowed)}`,
      };
    },
  },
  {
    name: 'requiredLabelsPresent',
    value: 'true',
    summary: 'Every label named in requiredLabels (dbaas.config.yaml requiredLabels) is set to a non-empty value in labels.',
    metaSchema: { const: true },
    example: {
      schema: { requiredLabelsPresent: true },
      pass: { requiredLabels: ['cost-center'], labels: { 'cost-center': 'cc-1234' } },
      fail: { requiredLabels: ['cost-center'], labels: {} },
    },
    check(db) {
      const required = Array.isArray(db.requiredLabels) ? db.requiredLabels.filter((l): l is string => typeof l === 'string') : [];
      const labels = isObject(db.labels) ? db.labels : {};
      const missing = required.filter((l) => typeof labels[l] !== 'string' || labels[l] === '');
      if (missing.length === 0) return undefined;
      return { path: ['labels'], message: `missing label${missing.length > 1 ? 's' : ''} ${missing.join(', ')}` };
    },
  },
  exportsClearOfBackupWindow,
];

const pointer = (path: Path) => path.map((s) => `/${String(s).replace(/~/g, '~0').replace(/\//g, '~1')}`).join('');

/** Registers every custom keyword on an ajv instance. */
export function addGuardKeywords(ajv: Ajv2020): void {
  for (const keyword of GUARD_KEYWORDS) {
    ajv.addKeyword({
      keyword: keyword.name,
      metaSchema: keyword.metaSchema,
      errors: true,
      validate: function validate(this: unknown, schemaValue: unknown, data: unknown, _parentSchema?: unknown, cxt?: { instancePath: string }): boolean {
        const self = validate as unknown as { errors?: Partial<ErrorObject>[] };
        if (!isObject(data)) return true; // a keyword on a non-object says nothing, like "properties"
        const failure = keyword.check(data, schemaValue);
        if (!failure) return true;
        self.errors = [
          {
            keyword: keyword.name,
            instancePath: `${cxt?.instancePath ?? ''}${pointer(failure.path)}`,
            params: { path: failure.path },
            message: failure.message,
          },
        ];
        return false;
      },
    });
  }
}

/** " (did you mean "eu-west-1"?)" for a typo of an allowed value; nothing for a real other choice. */
function hintFor(value: unknown, allowed: readonly string[]): string {
  if (typeof value !== 'string') return '';
  const hint = didYouMean(value, allowed);
  return hint ? ` (${hint})` : '';
}
