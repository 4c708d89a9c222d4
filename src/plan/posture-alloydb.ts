// The backup posture of an AlloyDB stack (synth/gcp/alloydb.ts), read from the synthesized JSON like
// every other posture: the cluster's automated_backup_policy (weekly schedule, retention),
// continuous_backup_config (PITR window), encryption_config, and the alert policies that notify a
// channel (the missing-backup window from the backup-check workflow they match). Pure. backupPosture
// (posture.ts) calls it for engines whose profile names the alloydb construct.
import type { ResolvedDatabase } from '../model/resolved.js';
import { weeklyGapHours } from '../synth/gcp/alloydb-schedule.js';
import type { BackupPosture, PostureAlert, PostureChannel, PostureClaim, PostureStackJson, PostureTier } from './posture.js';

/** BackupPosture plus the key that encrypts the cluster and both kinds of backup. */
export interface AlloyDbPosture extends BackupPosture {
  /** "customer-managed key", "Google-managed", with the key resources. */
  readonly encryption: PostureClaim;
}

type Attrs = Record<string, unknown>;
interface Resource {
  readonly type: string;
  readonly name: string;
  readonly address: string;
  readonly attrs: Attrs;
}

const obj = (v: unknown): Attrs =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Attrs) : Array.isArray(v) && v[0] && typeof v[0] === 'object' ? (v[0] as Attrs) : {};
const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : v === undefined ? [] : [v as T]);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const seconds = (v: unknown): number | undefined => {
  const m = /^(\d+)s$/.exec(str(v) ?? '');
  return m ? Number(m[1]) : undefined;
};
const none = (reason?: string, text = 'none'): PostureClaim => ({ text, ...(reason ? { reason } : {}), resources: [] });
const pad2 = (n: number) => String(n).padStart(2, '0');
const TIERS: readonly PostureTier[] = ['page', 'notify', 'record'];
const mentions = (attrs: unknown, r: Resource) => JSON.stringify(attrs ?? null).includes(`${r.type}.${r.name}.`);
const WEEK = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
/** AlloyDB's continuous backup window when the config leaves it out (provider docs: "defaults to 14 days"). */
const DEFAULT_RECOVERY_WINDOW_DAYS = 14;

function resourcesOf(json: PostureStackJson, type: string): Resource[] {
  return Object.entries(json.resource?.[type] ?? {}).map(([name, attrs]) => ({ type, name, address: `${type}.${name}`, attrs }));
}

/** "daily 20:00", "SUN 05:00", "MON-FRI 02:00, 14:00": UTC times (the posture's timezone says UTC; renderers append it). */
export function weeklyScheduleText(days: readonly string[], hours: readonly number[]): string {
  const times = hours.map((h) => `${pad2(h)}:00`).join(', ');
  const idx = days
    .map((d) => WEEK.indexOf(d))
    .filter((d) => d >= 0)
    .sort((a, b) => a - b);
  if (idx.length === 7) return `daily ${times}`;
  const short = (i: number) => WEEK[i]!.slice(0, 3);
  const run = idx.length > 2 && idx.every((d, i) => i === 0 || d === idx[i - 1]! + 1);
  return `${run ? `${short(idx[0]!)}-${short(idx[idx.length - 1]!)}` : idx.map(short).join(',')} ${times}`;
}

export function alloydbPosture(db: ResolvedDatabase, json: PostureStackJson): AlloyDbPosture {
  const cluster = resourcesOf(json, 'google_alloydb_cluster')[0];
  const region = str(cluster?.attrs.location) ?? db.region;
  const caveats: string[] = [];
  const at = cluster ? [cluster.address] : [];

  // Schedule and retention: the automated backup policy (off unless enabled, per the provider docs).
  const policy = obj(cluster?.attrs.automated_backup_policy);
  const weekly = obj(policy.weekly_schedule);
  const days = list<string>(weekly.days_of_week);
  const hours = list<Attrs>(weekly.start_times).map((t) => num(t.hours) ?? 0);
  const scheduled = cluster !== undefined && policy.enabled === true && days.length > 0 && hours.length > 0;
  const schedule: PostureClaim = scheduled
    ? { text: weeklyScheduleText(days, hours), resources: at }
    : none(
        cluster
          ? 'no automated backup policy in the stack: AlloyDB takes no scheduled backups of a new cluster, and nothing enforces them'
          : 'no AlloyDB cluster in the stack',
        'off',
      );
  const rpoHours = scheduled ? weeklyGapHours(days, hours) : null;
  let retentionDays = 0;
  let retention: PostureClaim = none('no scheduled backups');
  if (scheduled) {
    const period = seconds(obj(policy.time_based_retention).retention_period);
    const count = num(obj(policy.quantity_based_retention).count);
    if (period !== undefined) {
      retentionDays = Math.floor(period / 86_400);
      retention = { text: `${retentionDays}d`, resources: at };
    } else if (count !== undefined) {
      retentionDays = Math.floor((count * (rpoHours ?? 24)) / 24);
      retention = { text: `${count} backups`, reason: `about ${retentionDays} days at this schedule`, resources: at };
    } else {
      retention = { text: 'provider default', reason: 'no retention in the automated backup policy', resources: at };
    }
  }

  // PITR: continuous backup is on unless written off, with a 14-day default window.
  const continuous = obj(cluster?.attrs.continuous_backup_config);
  const pitrOn = cluster !== undefined && continuous.enabled !== false;
  const pitrDays = pitrOn ? (num(continuous.recovery_window_days) ?? DEFAULT_RECOVERY_WINDOW_DAYS) : 0;
  const pitr: PostureClaim = pitrOn
    ? { text: `${pitrDays}d`, ...(continuous.recovery_window_days === undefined ? { reason: 'AlloyDB default window' } : {}), resources: at }
    : none(undefined, 'off');

  // Encryption: the same key on the cluster, its automated backups and its continuous backups.
  const keyOf = (v: unknown) => str(obj(v).kms_key_name);
  const keys = [
    keyOf(cluster?.attrs.encryption_config),
    keyOf(policy.encryption_config),
    pitrOn ? keyOf(continuous.encryption_config) : keyOf(cluster?.attrs.encryption_config),
  ];
  const keyResource = resourcesOf(json, 'google_kms_crypto_key').find((k) => keys[0] !== undefined && keys[0].includes(`${k.type}.${k.name}.`));
  let encryption: PostureClaim;
  if (!cluster) encryption = none('no AlloyDB cluster in the stack');
  else if (keys[0] && keys.every((k) => k === keys[0]))
    encryption = { text: 'customer-managed key', resources: [...at, ...(keyResource ? [keyResource.address] : [])] };
  else if (keys.every((k) => k === undefined)) encryption = { text: 'Google-managed', resources: at };
  else encryption = { text: 'mixed', reason: 'the cluster and its backups use different keys', resources: at };

  // Alerts: alert policies that notify a channel, by their role.
  const policies = resourcesOf(json, 'google_monitoring_alert_policy').filter((p) => list<string>(p.attrs.notification_channels).length > 0);
  const notificationChannels = resourcesOf(json, 'google_monitoring_notification_channel');
  const channelRefs = (channel: ResolvedDatabase['channels'][number]) => ({
    resources: notificationChannels.filter((r) => str(r.attrs.display_name)?.startsWith(`${channel.name}:`)),
    external: [channel.slack?.gcpChannel, channel.webhook?.gcpChannel].filter((x): x is string => x !== undefined),
  });
  const reaches = (p: Resource, channel: ResolvedDatabase['channels'][number]) => {
    const refs = channelRefs(channel);
    const targets = list<string>(p.attrs.notification_channels);
    return refs.resources.some((r) => mentions(targets, r)) || refs.external.some((id) => targets.includes(id));
  };
  const tiersOf = (p: Resource) => {
    const set = new Set<PostureTier>(['record', ...db.channels.filter((c) => reaches(p, c)).map((c) => c.tier ?? 'notify')]);
    return TIERS.filter((t) => set.has(t));
  };
  const alerts: PostureAlert[] = [];
  for (const p of policies) {
    const title = str(p.attrs.display_name) ?? '';
    if (/AlloyDB backup failed/.test(title)) alerts.push({ text: 'backup failed', tiers: tiersOf(p), resources: [p.address] });
    else if (/no AlloyDB backup/.test(title)) {
      // The window is the backup-check workflow's max_age_seconds; the filter names the workflow.
      const filter = str(obj(list<Attrs>(p.attrs.conditions)[0]?.condition_matched_log).filter) ?? '';
      const workflow = resourcesOf(json, 'google_workflows_workflow').find((w) =>
        filter.includes(`resource.labels.workflow_id=${JSON.stringify(str(w.attrs.name))}`),
      );
      const maxAge = num(/^\s*- max_age_seconds: (\d+)$/m.exec(str(workflow?.attrs.source_contents) ?? '')?.[1]);
      if (workflow && maxAge !== undefined)
        alerts.push({ text: `backup missing ${Math.round(maxAge / 360) / 10}h`, tiers: tiersOf(p), resources: [p.address, workflow.address] });
    } else if (/AlloyDB backup check not running/.test(title)) alerts.push({ text: 'backup check not running', tiers: tiersOf(p), resources: [p.address] });
  }
  const channels = db.channels.flatMap((channel): PostureChannel[] => {
    const used = channelRefs(channel).resources.filter((r) => policies.some((p) => mentions(p.attrs.notification_channels, r)));
    const external = channelRefs(channel).external.filter((id) => policies.some((p) => list<string>(p.attrs.notification_channels).includes(id)));
    if (!used.length && !external.length) return [];
    const kinds = [
      ...new Set([...used.map((r) => str(r.attrs.type) ?? 'unknown'), ...(external.length ? [channel.slack?.gcpChannel ? 'slack' : 'webhook'] : [])]),
    ].sort();
    return [{ name: channel.name, tier: channel.tier ?? 'notify', kinds, resources: used.map((r) => r.address) }];
  });

  if (scheduled && db.backup.timezone !== 'UTC')
    caveats.push(
      `AlloyDB start times are UTC hours: the ${db.backup.timezone} schedule was converted on a winter ` +
        `date, so with daylight saving the backup runs an hour later local time in summer`,
    );
  return {
    cloud: 'gcp',
    region,
    schedule,
    timezone: 'UTC',
    rpoHours,
    retentionDays,
    retention,
    pitrDays,
    pitr,
    offsite: [],
    offsiteReason:
      `AlloyDB stores automated backups in the cluster region (${str(policy.location) ?? region}); ` +
      `cross-region copies need a secondary cluster, which this stack does not build`,
    vaultLock: none('AlloyDB backups have no retention lock in google 6.50'),
    exports: [],
    alerts,
    channels,
    restoreTesting: none(db.backup.restoreTesting ? 'no restore drill is built for AlloyDB' : undefined),
    rto: none(db.objectives?.rtoHours !== undefined ? 'nothing measures an AlloyDB restore time in this stack' : undefined),
    caveats,
    encryption,
  };
}
