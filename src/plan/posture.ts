// The backup posture of a database, as a reviewer reads it: how much can be lost, for how long
// backups are kept, what protects them and who hears when they fail. Every claim is read from the
// synthesized stack (the resources terraform will create), never from the spec's wishes: a claim
// names the resources that make it true, and says `none` or `n/a` with the reason when nothing does.
// Pure: stack JSON + resolved database in, posture out. One reader per cloud.
import { gcpConstructOf, type GcpConstruct } from '../profiles/index.js';
import { alloydbPosture } from './posture-alloydb.js';
import type { ResolvedDatabase } from '../model/resolved.js';
import { scheduleProfile } from '../schedule/profile.js';
import { toAwsCron } from '../synth/aws/cron.js';

/** One thing the posture table says, with the resources behind it. */
export interface PostureClaim {
  /** What the table shows: "35d", "eu-central-1 90d", "none", "n/a". */
  readonly text: string;
  /** Why the claim is none or n/a, or what qualifies it. Default: none. */
  readonly reason?: string;
  /** Addresses (type.name) of the resources in the stack that make the claim true; empty for none/n/a. */
  readonly resources: readonly string[];
}

/** Alert tiers (NotificationChannel spec.tier): page, notify, record. */
export type PostureTier = 'page' | 'notify' | 'record';

/** An alert, and the tiers the stack routes it to (read from its targets, actions or channels). */
export interface PostureAlert extends PostureClaim {
  readonly tiers: readonly PostureTier[];
}

export interface PostureChannel {
  /** The NotificationChannel's name. */
  readonly name: string;
  /** Its tier: which alerts reach it. */
  readonly tier: PostureTier;
  /** How it is reached: email, slack, webhook, pubsub, pagerduty. */
  readonly kinds: readonly string[];
  readonly resources: readonly string[];
}

export interface PostureExport extends PostureClaim {
  /** Cron of the export job, in `timezone`. */
  readonly schedule: string;
  readonly timezone: string;
  /** Days the export files are kept (bucket lifecycle), or null when nothing deletes them. */
  readonly retentionDays: number | null;
  readonly databases: readonly string[];
  /** The database's databases that this export leaves out. */
  readonly excluded: readonly string[];
}

export interface BackupPosture {
  readonly cloud: 'aws' | 'gcp';
  readonly region: string;
  /** The scheduled backups: the schedule as written in the spec when the stack runs exactly that, else the stack's own expression. */
  readonly schedule: PostureClaim;
  /** Timezone of the backup schedule in the stack. */
  readonly timezone: string;
  /** Worst-case hours between two scheduled backups, or null when the stack takes none. PITR lowers the effective RPO to minutes. */
  readonly rpoHours: number | null;
  /** Days scheduled backups are kept (0 when none are taken). */
  readonly retentionDays: number;
  readonly retention: PostureClaim;
  /** PITR window in days, or 0 when off. */
  readonly pitrDays: number;
  readonly pitr: PostureClaim;
  /** Offsite copies: "eu-central-1 90d", "account 999999999999 eu-west-1 365d"; empty when none. */
  readonly offsite: readonly PostureClaim[];
  /** Why there is no offsite copy, when there is none. Default: none. */
  readonly offsiteReason?: string;
  /** "compliance ≥35d", "governance ≥7d", "enforced ≥35d (Backup and DR)" or "none". */
  readonly vaultLock: PostureClaim;
  /** Logical exports to a bucket; empty when none are built. */
  readonly exports: readonly PostureExport[];
  /** Each alert built: "backup failed", "backup missing 26h", "export failed"... */
  readonly alerts: readonly PostureAlert[];
  /** Where the alerts go. */
  readonly channels: readonly PostureChannel[];
  /** The restore test schedule, or "none"/"n/a" with the reason. */
  readonly restoreTesting: PostureClaim;
  /**
   * objectives.rtoHours and how the stack checks it: "4h (slower restore alerts)" backed by the rule
   * or alert that compares measured restore times with it; "none" with the reason when nothing does.
   */
  readonly rto: PostureClaim;
  /** What a reviewer must know to read the row right (shown next to the table, never collapsed). */
  readonly caveats: readonly string[];
}

// ---------------------------------------------------------------------------------------------
// The stack JSON, as much of it as the readers need.

type Attrs = Record<string, unknown>;
export interface PostureStackJson {
  readonly resource?: Record<string, Record<string, Attrs>>;
  readonly provider?: Record<string, Attrs[]>;
}

interface Resource {
  readonly type: string;
  readonly name: string;
  readonly address: string;
  readonly attrs: Attrs;
}

class Stack {
  readonly all: Resource[] = [];
  private readonly byType = new Map<string, Resource[]>();
  constructor(readonly json: PostureStackJson) {
    for (const [type, byName] of Object.entries(json.resource ?? {})) {
      const list = Object.entries(byName).map(([name, attrs]) => ({ type, name, address: `${type}.${name}`, attrs }));
      this.byType.set(type, list);
      this.all.push(...list);
    }
  }
  of(type: string): Resource[] {
    return this.byType.get(type) ?? [];
  }
  /** The resource a `${type.name.attr}` reference points at. */
  ref(value: unknown): Resource | undefined {
    const m = typeof value === 'string' ? /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z_]+\}$/.exec(value) : null;
    return m ? this.of(m[1]!).find((r) => r.name === m[2]) : undefined;
  }
  /** Does `attrs` mention resource r anywhere (a ${type.name...} reference)? */
  static mentions(attrs: unknown, r: Resource): boolean {
    return JSON.stringify(attrs).includes(`${r.type}.${r.name}.`);
  }
}

const asArray = <T>(v: T | readonly T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? [...(v as T[])] : [v as T]);
const obj = (v: unknown): Attrs =>
  v && typeof v === 'object' && !Array.isArray(v) ? (v as Attrs) : Array.isArray(v) && v[0] && typeof v[0] === 'object' ? (v[0] as Attrs) : {};
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const none = (reason?: string, text = 'none'): PostureClaim => ({ text, ...(reason ? { reason } : {}), resources: [] });
const roundHours = (h: number) => Math.round(h * 10) / 10;
/** Logical ids and terraform paths use the channel name underscored or as is. */
const nameForms = (name: string) => [name, name.replace(/[^A-Za-z0-9]/g, '_')];
const pathOf = (r: Resource) => str(obj(obj(r.attrs['//']).metadata).path) ?? r.name;
const TIER_ORDER: readonly PostureTier[] = ['page', 'notify', 'record'];
const sortTiers = (tiers: Iterable<PostureTier>): PostureTier[] => TIER_ORDER.filter((t) => new Set(tiers).has(t));
const channelTier = (c: ResolvedDatabase['channels'][number]): PostureTier => c.tier ?? 'notify';
/** The tier of an AWS alert topic, from the logical id the stack gives it (alerts, alerts_page, alerts_record). */
const awsTopicTier = (topic: Resource): PostureTier => (topic.name.endsWith('_page') ? 'page' : topic.name.endsWith('_record') ? 'record' : 'notify');

export function backupPosture(db: ResolvedDatabase, json: PostureStackJson): BackupPosture {
  if (db.cloud === 'aws') return awsPosture(db, new Stack(json));
  return GCP_POSTURE[gcpConstructOf(db.engine) ?? 'cloud-sql'](db, json);
}

/** The posture reader of each GCP construct (the engine profile names the construct). */
const GCP_POSTURE: Readonly<Record<GcpConstruct, (db: ResolvedDatabase, json: PostureStackJson) => BackupPosture>> = {
  'cloud-sql': (db, json) => gcpPosture(db, new Stack(json)),
  alloydb: (db, json) => {
    // The report's BackupPosture has no encryption field: a key that differs between the cluster and
    // its backups is said as a caveat.
    const { encryption, ...posture } = alloydbPosture(db, json);
    return encryption.text === 'mixed' ? { ...posture, caveats: [...posture.caveats, `encryption: ${encryption.reason ?? 'mixed'}`] } : posture;
  },
};

// ---------------------------------------------------------------------------------------------
// AWS: AWS Backup plan rules, vaults, lock configurations, EventBridge rules, CloudWatch alarms,
// SNS subscriptions, restore testing plans.

function awsPosture(db: ResolvedDatabase, stack: Stack): BackupPosture {
  const providers = asArray(stack.json.provider?.aws);
  const primaryProvider = providers.find((p) => p.alias === undefined);
  const region = str(primaryProvider?.region) ?? db.region;
  const regionOf = (r: Resource) => {
    const alias = str(r.attrs.provider)?.replace(/^aws\./, '');
    return str((alias ? providers.find((p) => p.alias === alias) : primaryProvider)?.region) ?? region;
  };
  const plan = stack.of('aws_backup_plan')[0];
  const selection = stack.of('aws_backup_selection').find((s) => plan && Stack.mentions(s.attrs.plan_id, plan));
  const rules = plan && selection ? asArray(plan.attrs.rule as Attrs[]) : [];
  const scheduled = rules.find((r) => r.enable_continuous_backup !== true);
  const continuous = rules.find((r) => r.enable_continuous_backup === true);
  const planResources = plan && selection ? [plan.address, selection.address] : [];
  const caveats: string[] = [];

  // Schedule and retention: the snapshot rule of the plan that selects the database.
  const expression = str(scheduled?.schedule);
  const timezone = str(scheduled?.schedule_expression_timezone) ?? 'UTC';
  const specCron = toAwsCron(db.backup.schedule);
  const runsSpec = expression !== undefined && specCron.ok && specCron.expression === expression;
  const schedule: PostureClaim = expression
    ? { text: runsSpec ? db.backup.schedule : expression, resources: planResources }
    : none(plan ? 'the backup plan selects no resource' : 'no AWS Backup plan in the stack', 'off');
  const profile = runsSpec ? scheduleProfile(db.backup.schedule, timezone) : undefined;
  const rpoHours = profile ? roundHours(profile.longestGapHours) : null;
  const retentionDays = num(obj(scheduled?.lifecycle).delete_after) ?? 0;
  const retention = scheduled
    ? retentionDays
      ? { text: `${retentionDays}d`, resources: planResources }
      : { text: 'forever', reason: 'the rule has no lifecycle', resources: planResources }
    : none('no scheduled backups');

  // PITR: AWS Backup continuous backup (RDS, Aurora) or DynamoDB's own point-in-time recovery.
  let pitrDays = 0;
  let pitr: PostureClaim = none(undefined, 'off');
  const table = stack.of('aws_dynamodb_table')[0];
  if (continuous) {
    pitrDays = num(obj(continuous.lifecycle).delete_after) ?? 35;
    pitr = { text: `${pitrDays}d`, resources: planResources };
  } else if (table && obj(table.attrs.point_in_time_recovery).enabled === true) {
    // The provider's default recovery period is 35 days.
    pitrDays = num(obj(table.attrs.point_in_time_recovery).recovery_period_in_days) ?? 35;
    pitr = { text: `${pitrDays}d`, resources: [table.address] };
  }

  // Offsite: the copy actions of the scheduled rule, to a vault of this stack (its provider's region) or an ARN.
  const offsite: PostureClaim[] = asArray(scheduled?.copy_action as Attrs[]).map((copy) => {
    const days = num(obj(copy.lifecycle).delete_after);
    const keep = days ? ` ${days}d` : '';
    const target = stack.ref(copy.destination_vault_arn);
    if (target) return { text: `${regionOf(target)}${keep}`, resources: [...planResources, target.address] };
    const arn = /^arn:aws[a-z-]*:backup:([a-z0-9-]+):(\d{12}):backup-vault:/.exec(str(copy.destination_vault_arn) ?? '');
    if (arn) return { text: `account ${arn[2]} ${arn[1]}${keep}`, resources: planResources };
    return { text: `${str(copy.destination_vault_arn) ?? 'unknown vault'}${keep}`, resources: planResources };
  });

  // Lock: the lock configuration on the vault the scheduled rule writes to.
  const targetVault = stack.ref(scheduled?.target_vault_name);
  const lock = targetVault && stack.of('aws_backup_vault_lock_configuration').find((l) => Stack.mentions(l.attrs.backup_vault_name, targetVault));
  const vaultLock: PostureClaim = lock
    ? // AWS: a lock with changeable_for_days becomes immutable (compliance) after that grace time; without it, governance.
      {
        text: `${lock.attrs.changeable_for_days !== undefined ? 'compliance' : 'governance'} ≥${num(lock.attrs.min_retention_days) ?? 1}d`,
        resources: [lock.address, targetVault.address],
      }
    : none();

  // Alerts: EventBridge rules on job state changes and CloudWatch alarms, each routed to a topic with subscribers.
  const topics = stack.of('aws_sns_topic');
  const logs = stack.of('aws_cloudwatch_log_group');
  const targetsOf = (r: Resource) => stack.of('aws_cloudwatch_event_target').filter((t) => Stack.mentions(t.attrs.rule, r));
  const routed = (r: Resource) => targetsOf(r).find((t) => topics.some((topic) => Stack.mentions(t.attrs.arn, topic)));
  // Tiers: the topics an alert publishes to, and record when a log group receives it.
  const ruleTiers = (r: Resource) =>
    sortTiers(
      targetsOf(r).flatMap((t) => [
        ...topics.filter((topic) => Stack.mentions(t.attrs.arn, topic)).map(awsTopicTier),
        ...(logs.some((l) => Stack.mentions(t.attrs.arn, l)) ? ['record' as const] : []),
      ]),
    );
  const alarmRecorded = (alarm: Resource) =>
    stack
      .of('aws_cloudwatch_event_rule')
      .some(
        (rule) =>
          str(rule.attrs.event_pattern)?.includes(`${alarm.type}.${alarm.name}.arn`) &&
          targetsOf(rule).some((t) => logs.some((l) => Stack.mentions(t.attrs.arn, l))),
      );
  const alarmTiers = (alarm: Resource) =>
    sortTiers([
      ...topics.filter((topic) => asArray(alarm.attrs.alarm_actions as string[]).some((a) => a.includes(`${topic.type}.${topic.name}.`))).map(awsTopicTier),
      ...(alarmRecorded(alarm) ? ['record' as const] : []),
    ]);
  const alerts: PostureAlert[] = [];
  const eventLabel: Record<string, string> = {
    'Backup Job State Change': 'backup failed',
    'Copy Job State Change': 'copy failed',
    'Restore Job State Change': 'restore failed',
    'Config Rules Compliance Change': 'backup missing',
  };
  for (const rule of stack.of('aws_cloudwatch_event_rule')) {
    let pattern: Attrs;
    try {
      pattern = JSON.parse(str(rule.attrs.event_pattern) ?? '{}') as Attrs;
    } catch {
      continue;
    }
    const target = routed(rule);
    if (!target) continue;
    for (const kind of asArray(pattern['detail-type'] as string[])) {
      const label = eventLabel[kind];
      if (!label) continue;
      if (label === 'backup missing') {
        const control = missingBackupControl(stack);
        if (!control) continue;
        alerts.push({
          text: control.hours ? `backup missing ${control.hours}h` : label,
          tiers: ruleTiers(rule),
          resources: [rule.address, target.address, ...control.resources],
        });
      } else alerts.push({ text: label, tiers: ruleTiers(rule), resources: [rule.address, target.address] });
    }
  }
  for (const alarm of stack.of('aws_cloudwatch_metric_alarm')) {
    // Jobs created (the stack's alarm shaped to the schedule, paging on INSUFFICIENT_DATA) or completed.
    if (alarm.attrs.namespace !== 'AWS/Backup' || !/^NumberOfBackupJobs(Created|Completed)$/.test(String(alarm.attrs.metric_name))) continue;
    const actions = [...asArray(alarm.attrs.alarm_actions as string[]), ...asArray(alarm.attrs.insufficient_data_actions as string[])];
    if (!actions.some((a) => topics.some((t) => a.includes(`${t.type}.${t.name}.`)))) continue;
    const hours = ((num(alarm.attrs.evaluation_periods) ?? 1) * (num(alarm.attrs.period) ?? 3600)) / 3600;
    alerts.push({ text: `backup missing ${roundHours(hours)}h`, tiers: alarmTiers(alarm), resources: [alarm.address] });
  }

  // Channels: SNS subscriptions (and Chatbot or forwarder resources) named after the channel.
  const deliveries = stack.all.filter((r) => r.type === 'aws_sns_topic_subscription' || r.type.startsWith('aws_chatbot_') || r.type === 'aws_lambda_function');
  const channels = db.channels.flatMap((channel): PostureChannel[] => {
    const mine = deliveries.filter((r) => nameForms(channel.name).some((n) => r.name.includes(n) || pathOf(r).includes(n)));
    if (!mine.length) return [];
    const kinds = [...new Set(mine.map(awsChannelKind))].sort();
    return [{ name: channel.name, tier: channelTier(channel), kinds, resources: mine.map((r) => r.address) }];
  });

  // Restore testing: a restore testing plan with a selection of this database.
  const testing = stack.of('aws_backup_restore_testing_plan')[0];
  const testingSelection = testing && stack.of('aws_backup_restore_testing_selection').find((s) => Stack.mentions(s.attrs.restore_testing_plan_name, testing));
  const restoreTesting: PostureClaim =
    testing && testingSelection
      ? {
          text: `${awsCronText(str(testing.attrs.schedule_expression) ?? '')}${zoneSuffix(str(testing.attrs.schedule_expression_timezone))}`,
          resources: [testing.address, testingSelection.address],
        }
      : none(db.backup.restoreTesting ? 'no restore testing plan in the stack' : undefined);

  const rto = awsRto(db, stack, routed);

  const exports: PostureExport[] = [];
  if (db.backup.exports.length) caveats.push('backup.exports: no export is built in this AWS stack');
  if (db.backup.restoreTesting && restoreTesting.text === 'none') caveats.push('restore testing is set in the spec but not built in this stack');
  return {
    cloud: 'aws',
    region,
    schedule,
    timezone,
    rpoHours,
    retentionDays,
    retention,
    pitrDays,
    pitr,
    offsite,
    ...(offsite.length ? {} : { offsiteReason: 'no copy action in the backup plan' }),
    vaultLock,
    exports,
    alerts,
    channels,
    restoreTesting,
    rto,
    caveats,
  };
}

/**
 * RTO on AWS: an AWS Config rule *_MEETS_RESTORE_TIME_TARGET whose NON_COMPLIANT changes an
 * EventBridge rule routes to the alerts topic (a restore slower than the RTO alerts), else the Audit
 * Manager RESTORE_TIME_FOR_RESOURCES_MEET_TARGET control alone (judged, reported, no alert).
 */
function awsRto(db: ResolvedDatabase, stack: Stack, routed: (r: Resource) => Resource | undefined): PostureClaim {
  const hoursOf = (params: unknown) => {
    const minutes = num(typeof params === 'string' ? (JSON.parse(params) as Attrs).maxRestoreTime : undefined);
    return minutes === undefined ? undefined : roundHours(minutes / 60);
  };
  for (const configRule of stack.of('aws_config_config_rule')) {
    if (!/_MEETS_RESTORE_TIME_TARGET$/.test(str(obj(configRule.attrs.source).source_identifier) ?? '')) continue;
    const hours = hoursOf(configRule.attrs.input_parameters);
    const name = str(configRule.attrs.name);
    for (const rule of stack.of('aws_cloudwatch_event_rule')) {
      let pattern: Attrs;
      try {
        pattern = JSON.parse(str(rule.attrs.event_pattern) ?? '{}') as Attrs;
      } catch {
        continue;
      }
      const names = asArray(obj(pattern.detail).configRuleName as string[]);
      if (
        !asArray(pattern['detail-type'] as string[]).includes('Config Rules Compliance Change') ||
        !(names.includes(name ?? '') || Stack.mentions(names, configRule))
      )
        continue;
      const target = routed(rule);
      if (target && hours !== undefined) return { text: `${hours}h (slower restore alerts)`, resources: [configRule.address, rule.address, target.address] };
    }
  }
  for (const framework of stack.of('aws_backup_framework')) {
    const control = asArray(framework.attrs.control as Attrs[]).find((c) => c.name === 'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET');
    const minutes = num(asArray(control?.input_parameter as Attrs[]).find((p) => p.name === 'maxRestoreTime')?.value);
    if (control && minutes !== undefined) return { text: `${roundHours(minutes / 60)}h (Audit Manager control, no alert)`, resources: [framework.address] };
  }
  return none(db.objectives?.rtoHours !== undefined ? 'no restore-time check in the stack' : undefined);
}

/** An AWS Backup Audit Manager BACKUP_LAST_RECOVERY_POINT_CREATED control, with its age in hours. */
function missingBackupControl(stack: Stack): { hours?: number; resources: string[] } | undefined {
  for (const framework of stack.of('aws_backup_framework')) {
    for (const control of asArray(framework.attrs.control as Attrs[])) {
      if (control.name !== 'BACKUP_LAST_RECOVERY_POINT_CREATED') continue;
      const params = asArray(control.input_parameter as Attrs[]);
      const value = num(params.find((p) => p.name === 'recoveryPointAgeValue')?.value);
      const unit = str(params.find((p) => p.name === 'recoveryPointAgeUnit')?.value);
      const hours = value === undefined ? undefined : unit === 'days' ? value * 24 : value;
      return { ...(hours !== undefined ? { hours } : {}), resources: [framework.address] };
    }
  }
  return undefined;
}

function awsChannelKind(r: Resource): string {
  if (r.type.startsWith('aws_chatbot_slack')) return 'slack';
  if (r.type === 'aws_lambda_function') return /slack/i.test(r.name) ? 'slack' : 'webhook';
  const protocol = str(r.attrs.protocol);
  if (protocol === 'email' || protocol === 'email-json') return 'email';
  for (const kind of ['slack', 'pagerduty', 'webhook']) if (r.name.includes(`_${kind}_`) || pathOf(r).includes(`${kind}-`)) return kind;
  return protocol ?? 'unknown';
}

/** `cron(0 5 ? * SUN *)` as `0 5 * * SUN`: the five fields a reader knows (AWS day names kept). */
function awsCronText(expression: string): string {
  const m = /^cron\((.+)\)$/.exec(expression.trim());
  if (!m) return expression;
  const [minute, hour, dom, month, dow] = m[1]!.split(/\s+/);
  return [minute, hour, dom === '?' ? '*' : dom, month, dow === '?' ? '*' : dow].join(' ');
}

const zoneSuffix = (zone: string | undefined) => (zone && zone !== 'UTC' ? ` ${zone}` : ' UTC');

// ---------------------------------------------------------------------------------------------
// GCP: the Cloud SQL instance's backup_configuration, or the Backup and DR plan that takes it over;
// monitoring alert policies; notification channels; export schedulers, workflows and buckets.

function gcpPosture(db: ResolvedDatabase, stack: Stack): BackupPosture {
  const instance = stack.of('google_sql_database_instance')[0];
  const settings = obj(instance?.attrs.settings);
  const backupConfig = obj(settings.backup_configuration);
  const region = str(instance?.attrs.region) ?? db.region;
  const caveats: string[] = [];
  const drPlan = stack.of('google_backup_dr_backup_plan')[0];
  const association = drPlan && stack.of('google_backup_dr_backup_plan_association').find((a) => Stack.mentions(a.attrs.backup_plan, drPlan));
  const vault = drPlan && stack.ref(drPlan.attrs.backup_vault);

  let schedule: PostureClaim;
  let timezone = 'UTC';
  let rpoHours: number | null = null;
  let retentionDays = 0;
  let retention: PostureClaim;
  let pitrDays = 0;
  let pitr: PostureClaim;
  let offsite: PostureClaim[] = [];
  let offsiteReason: string | undefined;
  let vaultLock: PostureClaim = none();

  if (drPlan && association && instance) {
    // Enhanced backups: Backup and DR owns the instance's backups once the plan is attached, so the
    // instance's backup_configuration (PITR, location) is not what protects it. See Google's page
    // "Enhanced backups for Cloud SQL" (cloud.google.com/sql/docs/mysql/backup-recovery/enhanced-backups).
    const rule = asArray(drPlan.attrs.backup_rules as Attrs[])[0] ?? {};
    const std = obj(rule.standard_schedule);
    const window = obj(std.backup_window);
    const drResources = [drPlan.address, association.address];
    timezone = str(std.time_zone) ?? 'UTC';
    rpoHours = recurrenceGapHours(std);
    schedule = {
      text:
        `${(str(std.recurrence_type) ?? 'scheduled').toLowerCase()} ` +
        `${pad2(num(window.start_hour_of_day) ?? 0)}:00–${pad2(num(window.end_hour_of_day) ?? 24)}:00 ` +
        `(Backup and DR)`,
      resources: drResources,
    };
    retentionDays = num(rule.backup_retention_days) ?? 0;
    retention = { text: `${retentionDays}d`, resources: drResources };
    pitr = none('Backup and DR takes over the instance backups: its transaction-log settings are not what protects the database', 'n/a');
    offsiteReason = `the Backup and DR vault is in ${str(vault?.attrs.location) ?? region}; google 6.50 vaults take no second location`;
    const enforced = /^(\d+)s$/.exec(str(vault?.attrs.backup_minimum_enforced_retention_duration) ?? '');
    if (vault && enforced)
      vaultLock = { text: `enforced ≥${Math.round(Number(enforced[1]) / 86_400)}d (Backup and DR)`, resources: [vault.address, drPlan.address] };
    caveats.push(
      "Backup and DR (enhanced backups) takes over this instance's backups: the schedule, retention and " +
        "lock shown are the backup plan's; point-in-time recovery and the backup location of the instance " +
        'settings do not apply',
    );
  } else if (instance && backupConfig.enabled === true) {
    const start = str(backupConfig.start_time) ?? '00:00';
    // Cloud SQL takes one automated backup a day in a 4-hour window from start_time (UTC).
    schedule = { text: `daily ${start}–${addHours(start, 4)}`, resources: [instance.address] };
    rpoHours = 24;
    const retained = obj(backupConfig.backup_retention_settings);
    retentionDays = num(retained.retained_backups) ?? 7; // Cloud SQL keeps 7 by default.
    retention = { text: `${retentionDays}d`, reason: `${retentionDays} daily backups`, resources: [instance.address] };
    const logs = backupConfig.point_in_time_recovery_enabled === true || backupConfig.binary_log_enabled === true;
    pitrDays = logs ? (num(backupConfig.transaction_log_retention_days) ?? 7) : 0;
    pitr = logs ? { text: `${pitrDays}d`, resources: [instance.address] } : none(undefined, 'off');
    const location = str(backupConfig.location);
    if (location && location !== region) offsite = [{ text: `${location} (backup location) ${retentionDays}d`, resources: [instance.address] }];
    else offsiteReason = 'backups stay in the instance region';
  } else {
    schedule = none(instance ? 'automated backups are off on the instance' : 'no Cloud SQL instance in the stack', 'off');
    retention = none('no scheduled backups');
    pitr = none(undefined, 'off');
  }

  // Alerts: every alert policy that notifies a channel, by its role.
  const policies = stack.of('google_monitoring_alert_policy').filter((p) => asArray(p.attrs.notification_channels as string[]).length > 0);
  const notificationChannels = stack.of('google_monitoring_notification_channel');
  const channelResources = (channel: ResolvedDatabase['channels'][number]) =>
    notificationChannels.filter(
      (r) => str(r.attrs.display_name)?.startsWith(`${channel.name}:`) || nameForms(channel.name).some((n) => pathOf(r).includes(`/${n}-`)),
    );
  // Tiers: the tiers of the channels a policy notifies, and record: Cloud Monitoring keeps every
  // policy's incidents (https://cloud.google.com/monitoring/alerts/incidents-events).
  const policyTiers = (p: Resource) =>
    sortTiers(['record', ...db.channels.filter((c) => channelResources(c).some((r) => Stack.mentions(p.attrs.notification_channels, r))).map(channelTier)]);
  const alerts: PostureAlert[] = [];
  for (const p of policies) {
    const label = gcpAlertLabel(p);
    if (label) alerts.push({ text: label, tiers: policyTiers(p), resources: [p.address] });
  }

  // Channels: notification channels, named "<channel>: ..." by the stack.
  const channels = db.channels.flatMap((channel): PostureChannel[] => {
    const mine = channelResources(channel);
    const used = mine.filter((r) => policies.some((p) => Stack.mentions(p.attrs.notification_channels, r)));
    if (!used.length) return [];
    const kinds = [...new Set(used.map((r) => gcpChannelKind(str(r.attrs.type) ?? '')))].sort();
    return [{ name: channel.name, tier: channelTier(channel), kinds, resources: used.map((r) => r.address) }];
  });

  // Exports: a scheduler job starting a workflow that exports to a bucket.
  const exports: PostureExport[] = [];
  for (const job of stack.of('google_cloud_scheduler_job')) {
    const workflow = stack.of('google_workflows_workflow').find((w) => Stack.mentions(obj(job.attrs.http_target).uri, w));
    // A restore drill's workflow clones; an export's exports.
    if (!workflow || !str(workflow.attrs.source_contents)?.includes('googleapis.sqladmin.v1.instances.export')) continue;
    const source = str(workflow.attrs.source_contents) ?? '';
    const bucketName = /- bucket: (\S+)/.exec(source)?.[1];
    const bucket = stack.of('google_storage_bucket').find((b) => b.attrs.name === bucketName);
    const list = /- databases:\n((?:\s+- [^\n]+\n)+)/.exec(source)?.[1] ?? '';
    const databases = [...list.matchAll(/- ([^\n]+)/g)].map((m) => m[1]!.trim());
    const deleteAge = bucket && asArray(bucket.attrs.lifecycle_rule as Attrs[]).find((r) => obj(r.action).type === 'Delete');
    const days = deleteAge ? (num(obj(deleteAge.condition).age) ?? null) : null;
    const cron = str(job.attrs.schedule) ?? '';
    const zone = str(job.attrs.time_zone) ?? 'UTC';
    const excluded = db.databases.filter((d) => !databases.includes(d));
    exports.push({
      text: `${cron}${zoneSuffix(zone)}, kept ${days === null ? 'forever' : `${days}d`}${excluded.length ? `, excludes ${excluded.join(', ')}` : ''}`,
      resources: [job.address, workflow.address, ...(bucket ? [bucket.address] : [])],
      schedule: cron,
      timezone: zone,
      retentionDays: days,
      databases,
      excluded,
    });
  }

  // Restore drills: a scheduler job starting a workflow that clones the instance (synth/gcp/drill.ts).
  let restoreTesting: PostureClaim = none(db.backup.restoreTesting ? 'no restore drill in the stack' : undefined);
  let drillWorkflow: Resource | undefined;
  for (const job of stack.of('google_cloud_scheduler_job')) {
    const workflow = stack.of('google_workflows_workflow').find((w) => Stack.mentions(obj(job.attrs.http_target).uri, w));
    if (!workflow || !str(workflow.attrs.source_contents)?.includes('googleapis.sqladmin.v1.instances.clone')) continue;
    drillWorkflow = workflow;
    restoreTesting = {
      text: `${str(job.attrs.schedule) ?? ''}${zoneSuffix(str(job.attrs.time_zone))} (clone drill)`,
      resources: [job.address, workflow.address],
    };
  }
  if (db.backup.restoreTesting && !drillWorkflow) caveats.push('restore testing is set in the spec but no drill is built in this stack');
  // RTO: an alert policy on the logs-based metric of the drill's recorded durations.
  let rto: PostureClaim = none(db.objectives?.rtoHours !== undefined ? 'no drill-duration alert in the stack' : undefined);
  for (const metric of stack.of('google_logging_metric')) {
    if (
      !drillWorkflow ||
      obj(metric.attrs.metric_descriptor).value_type !== 'DISTRIBUTION' ||
      !str(metric.attrs.filter)?.includes(`"${str(drillWorkflow.attrs.name)}"`)
    )
      continue;
    const alert = policies.find((p) =>
      asArray(p.attrs.conditions as Attrs[]).some((c) =>
        str(obj(c.condition_threshold).filter)?.includes(`logging.googleapis.com/user/${str(metric.attrs.name)}"`),
      ),
    );
    const seconds =
      alert &&
      asArray(alert.attrs.conditions as Attrs[])
        .map((c) => num(obj(c.condition_threshold).threshold_value))
        .find((v) => v !== undefined);
    if (alert && seconds !== undefined)
      rto = { text: `${roundHours(seconds / 3600)}h (slower drill alerts)`, resources: [alert.address, metric.address, drillWorkflow.address] };
  }
  return {
    cloud: 'gcp',
    region,
    schedule,
    timezone,
    rpoHours,
    retentionDays,
    retention,
    pitrDays,
    pitr,
    offsite,
    ...(offsite.length ? {} : { offsiteReason: offsiteReason ?? 'no copy' }),
    vaultLock,
    exports,
    alerts,
    channels,
    restoreTesting,
    rto,
    caveats,
  };
}

const pad2 = (n: number) => String(n).padStart(2, '0');
function addHours(hhmm: string, hours: number): string {
  const [h = 0, m = 0] = hhmm.split(':').map(Number);
  return `${pad2((h + hours) % 24)}:${pad2(m)}`;
}

const WEEK_DAYS = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'];
/** Longest gap between two runs of a Backup and DR standard schedule. */
function recurrenceGapHours(std: Attrs): number | null {
  switch (std.recurrence_type) {
    case 'HOURLY':
      return num(std.hourly_frequency) ?? 1;
    case 'DAILY':
      return 24;
    case 'WEEKLY': {
      const days = asArray(std.days_of_week as string[])
        .map((d) => WEEK_DAYS.indexOf(d))
        .filter((d) => d >= 0)
        .sort((a, b) => a - b);
      if (!days.length) return 168;
      const gaps = days.map((d, i) => ((days[(i + 1) % days.length]! - d + 7) % 7 || 7) * 24);
      return Math.max(...gaps);
    }
    case 'MONTHLY':
      return 31 * 24;
    case 'YEARLY':
      return 366 * 24;
    default:
      return null;
  }
}

/** The role of an alert policy, from the name the stack gives it. */
function gcpAlertLabel(p: Resource): string | undefined {
  const role = `${pathOf(p).split('/').pop() ?? ''} ${str(p.attrs.display_name) ?? ''}`.toLowerCase();
  const missing = /(missing|absent|no backup|not running)/.test(role);
  if (/drill/.test(role)) {
    if (/rto/.test(role)) return 'restore slower than RTO';
    if (missing) return `restore drill missing${/for (\d+)h/.exec(role) ? ` ${/for (\d+)h/.exec(role)![1]}h` : ''}`;
    return /scheduler/.test(role) ? 'restore drill scheduler failed' : 'restore drill failed';
  }
  const hours = missingHours(p);
  if (/scheduler/.test(role)) return 'export scheduler failed';
  if (/export/.test(role)) return missing ? `exports missing${hours ? ` ${hours}h` : ''}` : 'export failed';
  if (/(backup-?dr|backup and dr|job)/.test(role) && /fail/.test(role)) return 'Backup and DR job failed';
  if (/backup/.test(role)) return missing ? `backup missing${hours ? ` ${hours}h` : ''}` : 'backup failed';
  return undefined;
}

/** The window of an absence condition, in hours. */
function missingHours(p: Resource): number | undefined {
  for (const c of asArray(p.attrs.conditions as Attrs[])) {
    const absent = obj(c.condition_absent);
    const d = /^(\d+)s$/.exec(str(absent.duration) ?? '');
    if (d) return roundHours(Number(d[1]) / 3600);
    const mql = str(obj(c.condition_monitoring_query_language).query) ?? '';
    const w = /group_by\s+(\d+)([hm])/.exec(mql) ?? /window\s+(\d+)([hm])/.exec(mql);
    if (w) return w[2] === 'h' ? Number(w[1]) : roundHours(Number(w[1]) / 60);
  }
  return undefined;
}

function gcpChannelKind(type: string): string {
  if (type === 'webhook_tokenauth' || type === 'webhook_basicauth') return 'webhook';
  return type || 'unknown';
}
