// Every claim of the posture table is backed by the resource that makes it true, in every example
// stack and every stack of a generated bench repo; and a stack missing that resource claims nothing.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COMBOS, generateRepo } from '../../bench/generate.mjs';
import type { ResolvedDatabase } from '../../src/model/resolved.js';
import { resolveDir } from '../../src/pipeline.js';
import { backupPosture, type BackupPosture, type PostureClaim, type PostureStackJson } from '../../src/plan/posture.js';
import { synthAll } from '../helpers/synth.js';
import { REPO_ROOT } from '../helpers/repo.js';

type Json = PostureStackJson & { resource: Record<string, Record<string, Record<string, unknown>>> };
interface Built {
  readonly db: ResolvedDatabase;
  readonly json: Json;
}

async function buildRepo(dir: string): Promise<Built[]> {
  const resolved = resolveDir(dir);
  if (!resolved.ok) throw new Error(resolved.problems.map((p) => p.message).join('\n'));
  const { stacks, problems } = await synthAll(resolved.repo.entries, { config: resolved.repo.config, toolVersion: 'test' });
  expect(problems).toEqual([]);
  const byName = new Map(resolved.repo.entries.map((e) => [e.db.name, e.db]));
  return stacks.map((s) => ({ db: byName.get(s.name)!, json: JSON.parse(s.json) as Json }));
}

const EMPTY = new Set(['none', 'off', 'n/a']);
const attrsOf = (json: Json, address: string) => {
  const [type, name] = address.split('.') as [string, string];
  return json.resource[type]?.[name];
};
const typesOf = (c: PostureClaim) => c.resources.map((a) => a.split('.')[0]);

/** What resource type each kind of claim needs, per cloud. */
const NEEDS: Record<'aws' | 'gcp', Record<string, readonly string[]>> = {
  aws: {
    schedule: ['aws_backup_plan', 'aws_backup_selection'],
    retention: ['aws_backup_plan'],
    pitr: ['aws_backup_plan|aws_dynamodb_table'],
    offsite: ['aws_backup_plan'],
    vaultLock: ['aws_backup_vault_lock_configuration'],
    restoreTesting: ['aws_backup_restore_testing_plan', 'aws_backup_restore_testing_selection'],
    // a restore-time rule routed to the topic, or the Audit Manager control alone
    rto: ['aws_config_config_rule|aws_backup_framework'],
  },
  gcp: {
    schedule: ['google_sql_database_instance|google_backup_dr_backup_plan|google_alloydb_cluster'],
    retention: ['google_sql_database_instance|google_backup_dr_backup_plan|google_alloydb_cluster'],
    pitr: ['google_sql_database_instance|google_alloydb_cluster'],
    offsite: ['google_sql_database_instance'],
    vaultLock: ['google_backup_dr_backup_vault'],
    restoreTesting: ['google_cloud_scheduler_job', 'google_workflows_workflow'],
    rto: ['google_monitoring_alert_policy', 'google_logging_metric', 'google_workflows_workflow'],
  },
};

/** Checks one posture against its stack; returns every broken claim (empty = all backed). */
function unbacked(b: Built, p: BackupPosture): string[] {
  const errors: string[] = [];
  const check = (kind: string, c: PostureClaim) => {
    const empty = EMPTY.has(c.text);
    if (empty) {
      if (c.resources.length) errors.push(`${b.db.name} ${kind}: "${c.text}" names resources`);
      return;
    }
    if (!c.resources.length) errors.push(`${b.db.name} ${kind}: "${c.text}" has no resource behind it`);
    for (const a of c.resources) if (!attrsOf(b.json, a)) errors.push(`${b.db.name} ${kind}: ${a} is not in the stack`);
    for (const need of NEEDS[p.cloud][kind] ?? []) {
      if (!typesOf(c).some((t) => need.split('|').includes(t!))) errors.push(`${b.db.name} ${kind}: "${c.text}" without a ${need}`);
    }
  };
  check('schedule', p.schedule);
  check('retention', p.retention);
  check('pitr', p.pitr);
  check('vaultLock', p.vaultLock);
  check('restoreTesting', p.restoreTesting);
  check('rto', p.rto);
  // An RTO claim rests on something that compares a measured restore time with the stated hours.
  if (p.rto.resources.length) {
    const hours = b.db.objectives?.rtoHours;
    const attrs = JSON.stringify(p.rto.resources.map((a) => attrsOf(b.json, a)));
    const compared =
      p.cloud === 'aws'
        ? attrs.includes(`maxRestoreTime`) && attrs.includes(String(Math.ceil((hours ?? NaN) * 60)))
        : attrs.includes(`"threshold_value":${(hours ?? NaN) * 3600}`);
    if (!compared) errors.push(`${b.db.name} rto "${p.rto.text}" compares nothing with rtoHours ${hours}`);
  }
  p.offsite.forEach((c) => check('offsite', c));
  p.exports.forEach((c) => {
    check('export', c);
    for (const t of ['google_cloud_scheduler_job', 'google_workflows_workflow', 'google_storage_bucket'])
      if (!typesOf(c).includes(t)) errors.push(`${b.db.name} export without ${t}`);
  });
  p.alerts.forEach((c) => {
    check('alert', c);
    const types = typesOf(c);
    const ok =
      p.cloud === 'aws'
        ? (types.includes('aws_cloudwatch_event_rule') && types.includes('aws_cloudwatch_event_target')) || types.includes('aws_cloudwatch_metric_alarm')
        : types.includes('google_monitoring_alert_policy');
    if (!ok) errors.push(`${b.db.name} alert "${c.text}" is not an alarm or rule routed to a channel`);
    // A missing-backup claim rests on something that watches completed backups.
    if (/backup missing/.test(c.text)) {
      const watched = c.resources.some((a) => {
        const attrs = JSON.stringify(attrsOf(b.json, a) ?? {});
        return /NumberOfBackupJobsCompleted|BACKUP_LAST_RECOVERY_POINT_CREATED|automatedBackup|backup/i.test(attrs) && !/export/i.test(a);
      });
      if (!watched) errors.push(`${b.db.name} "${c.text}" watches no backup`);
    }
  });
  for (const ch of p.channels) {
    if (!ch.resources.length) errors.push(`${b.db.name} channel ${ch.name} has no resource`);
    for (const a of ch.resources) if (!attrsOf(b.json, a)) errors.push(`${b.db.name} channel ${ch.name}: ${a} missing`);
  }
  // Numbers shown must be the numbers in the resources.
  if (p.cloud === 'aws' && p.retention.resources.length) {
    const plan = attrsOf(b.json, p.retention.resources[0]!) as { rule: { lifecycle?: { delete_after?: number }; enable_continuous_backup?: boolean }[] };
    const days = plan.rule.find((r) => !r.enable_continuous_backup)?.lifecycle?.delete_after;
    if (days !== p.retentionDays) errors.push(`${b.db.name} retention ${p.retentionDays} but the plan keeps ${days}`);
  }
  if (p.cloud === 'gcp' && p.schedule.resources.some((a) => a.startsWith('google_sql_database_instance'))) {
    const inst = attrsOf(b.json, p.schedule.resources[0]!) as {
      settings: { backup_configuration: { enabled: boolean; backup_retention_settings?: { retained_backups: number } } };
    };
    if (!inst.settings.backup_configuration.enabled) errors.push(`${b.db.name} schedule claimed with backups off`);
    if (inst.settings.backup_configuration.backup_retention_settings?.retained_backups !== p.retentionDays)
      errors.push(`${b.db.name} GCP retention differs from retained_backups`);
  }
  return errors;
}

describe('the posture is read from the built stack', () => {
  let example: Built[];
  let bench: Built[];
  let benchDir: string;

  beforeAll(async () => {
    example = await buildRepo(REPO_ROOT);
    benchDir = mkdtempSync(join(tmpdir(), 'dbaas-posture-bench-'));
    await generateRepo(benchDir, 60, { git: false });
    bench = await buildRepo(benchDir);
  }, 240_000);
  afterAll(() => rmSync(benchDir, { recursive: true, force: true }));

  it('backs every claim with its resource in every example stack', () => {
    expect(example.length).toBe(13);
    const errors = example.flatMap((b) => unbacked(b, backupPosture(b.db, b.json)));
    expect(errors).toEqual([]);
  });

  it('backs every claim with its resource in every stack of a generated repo (all engines, both clouds)', () => {
    expect(bench.length).toBe(60);
    expect(new Set(bench.map((b) => `${b.db.cloud}/${b.db.engine}`)).size).toBe(COMBOS.length);
    const errors = bench.flatMap((b) => unbacked(b, backupPosture(b.db, b.json)));
    expect(errors).toEqual([]);
  });

  it('claims nothing the stack does not build (Backup and DR takeover), and claims the GCP drill and RTO it builds', () => {
    const get = (name: string) => {
      const b = example.find((x) => x.db.name === name)!;
      return backupPosture(b.db, b.json);
    };
    const meta = get('warehouse-meta');
    expect(meta.restoreTesting.text).toBe('0 6 * * 0 Europe/Brussels (clone drill)');
    expect(meta.rto.text).toBe('4h (slower drill alerts)');
    // the drill is not an export, and its alerts are named as drill alerts
    expect(meta.exports).toHaveLength(1);
    expect(meta.alerts.map((a) => a.text)).toEqual(
      expect.arrayContaining(['restore drill failed', 'restore drill scheduler failed', 'restore drill missing 194h', 'restore slower than RTO']),
    );
    expect(
      meta.alerts
        .map((a) => a.text)
        .filter((t) => /export/.test(t))
        .sort(),
    ).toEqual(['export failed', 'export scheduler failed', expect.stringMatching(/^exports missing/)]);
    const w0 = example.find((x) => x.db.name === 'warehouse-meta')!;
    const noDrill = structuredClone(w0.json);
    for (const [type, byName] of Object.entries(noDrill.resource))
      for (const name of Object.keys(byName)) if (name.startsWith('restore-drill_')) delete noDrill.resource[type]![name];
    expect(backupPosture(w0.db, noDrill).restoreTesting).toMatchObject({ text: 'none', reason: 'no restore drill in the stack', resources: [] });
    expect(backupPosture(w0.db, noDrill).rto).toMatchObject({ text: 'none', reason: 'no drill-duration alert in the stack', resources: [] });
    // Backup and DR owns the backups: PITR and the backup location do not protect it.
    expect(meta.pitr.text).toBe('n/a');
    expect(meta.offsite).toEqual([]);
    expect(meta.schedule.text).toMatch(/Backup and DR/);
    expect(meta.caveats.join(' ')).toMatch(/takes over/);
    expect(meta.exports).toEqual([expect.objectContaining({ schedule: '0 3 * * *', timezone: 'Europe/Brussels', retentionDays: 30, excluded: ['scratch'] })]);
    // A missing-backup alert is claimed only where one is built.
    for (const name of ['experiments', 'reports']) {
      const b = example.find((x) => x.db.name === name)!;
      const built = Object.keys(b.json.resource.google_monitoring_alert_policy ?? {}).some((k) => /missing/.test(k) && !/export/.test(k));
      expect(get(name).alerts.some((a) => /backup missing/.test(a.text))).toBe(built);
    }
    const orders = get('orders');
    expect(orders).toMatchObject({ cloud: 'aws', region: 'eu-west-1', timezone: 'UTC', rpoHours: 24, retentionDays: 35 });
    expect(orders.offsite.map((o) => o.text)).toEqual(['eu-central-1 90d']);
    expect(orders.channels).toEqual([
      expect.objectContaining({ name: 'payments-oncall', kinds: ['email', 'slack'] }),
      expect.objectContaining({ name: 'payments-pager', kinds: ['email'] }),
    ]);
    expect(get('ledger').offsite.map((o) => o.text)).toEqual(['eu-central-1 90d', 'account 999999999999 eu-west-1 365d']);
  });

  it('shows the tier each alert reaches: production backup alerts page where a page channel exists, every alert is recorded', () => {
    const checked = [...example, ...bench].flatMap((b) => {
      const p = backupPosture(b.db, b.json);
      const hasPage = b.db.channels.some((c) => (c.tier ?? 'notify') === 'page');
      const hasNotify = b.db.channels.some((c) => (c.tier ?? 'notify') === 'notify');
      return p.alerts.map((a) => {
        const backup = /^(backup failed|backup missing|Backup and DR job failed)/.test(a.text);
        const expected = [
          ...(b.db.environment === 'production' && backup && hasPage ? ['page'] : []),
          ...(hasNotify || b.db.cloud === 'aws' ? ['notify'] : []),
          'record',
        ];
        expect(a.tiers, `${b.db.name} ${a.text}`).toEqual(expected);
        return a;
      });
    });
    expect(checked.some((a) => a.tiers.includes('page'))).toBe(true);
    const orders = backupPosture(example.find((x) => x.db.name === 'orders')!.db, example.find((x) => x.db.name === 'orders')!.json);
    expect(orders.channels.map((c) => [c.name, c.tier])).toEqual([
      ['payments-oncall', 'notify'],
      ['payments-pager', 'page'],
    ]);
  });

  it('drops a claim when its resource is taken out of the stack', () => {
    const b = example.find((x) => x.db.name === 'orders')!;
    const without = (type: string): Json => {
      const copy = structuredClone(b.json);
      delete copy.resource[type];
      return copy;
    };
    expect(backupPosture(b.db, without('aws_backup_vault_lock_configuration')).vaultLock.text).toBe('none');
    expect(backupPosture(b.db, without('aws_backup_restore_testing_selection')).restoreTesting.text).toBe('none');
    expect(backupPosture(b.db, without('aws_cloudwatch_metric_alarm')).alerts.map((a) => a.text)).not.toContain('backup missing 26h');
    expect(backupPosture(b.db, without('aws_cloudwatch_event_target')).alerts.map((a) => a.text)).not.toContain('backup failed');
    const noDelivery = structuredClone(b.json);
    delete noDelivery.resource.aws_sns_topic_subscription;
    delete noDelivery.resource.aws_chatbot_slack_channel_configuration; // Slack reaches orders through Chatbot
    expect(backupPosture(b.db, noDelivery).channels).toEqual([]);
    const noSelection = backupPosture(b.db, without('aws_backup_selection'));
    expect([noSelection.schedule.text, noSelection.rpoHours, noSelection.retentionDays, noSelection.offsite]).toEqual(['off', null, 0, []]);
    const w = example.find((x) => x.db.name === 'warehouse-meta')!;
    const noScheduler = structuredClone(w.json);
    delete noScheduler.resource.google_cloud_scheduler_job;
    expect(backupPosture(w.db, noScheduler).exports).toEqual([]);
  });
});
