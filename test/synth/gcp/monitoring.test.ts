import { describe, expect, it } from 'vitest';
import {
  automatedBackupFailedFilter,
  automatedBackupSucceededFilter,
  backupDrJobFailedFilter,
  backupMissingQuery,
  backupSucceededMetricName,
  splitWindow,
  cloudSqlMetricFilter,
  exportsMissingCondition,
  exportsMissingQuery,
  MAX_ABSENCE_MINUTES,
  schedulerFailedFilter,
  workflowExecutionsFilter,
} from '../../../src/synth/gcp/monitoring.js';
import { exampleDb, named, only, resources, synthFeature, synthJson, withChanges } from './helpers.js';

const policy = (json: ReturnType<typeof synthJson>, part: string) => named(json, 'google_monitoring_alert_policy', `alerts_${part}_`);

describe('alert filters', () => {
  it('automated backup failed: the window status of the instance system-event entries, not their severity', () => {
    const head = [
      'logName="projects/p1/logs/cloudaudit.googleapis.com%2Fsystem_event"',
      'resource.type="cloudsql_database"',
      'resource.labels.database_id="p1:orders"',
      'protoPayload.methodName="cloudsql.instances.automatedBackup"',
    ];
    expect(automatedBackupFailedFilter('p1', 'orders')).toBe(
      [...head, '(protoPayload.metadata.windowStatus:"FAILED" OR protoPayload.metadata.windowStatus:"OVERDUE")'].join('\n'),
    );
    expect(automatedBackupFailedFilter('p1', 'orders')).not.toContain('severity');
    expect(automatedBackupSucceededFilter('p1', 'orders')).toBe([...head, 'protoPayload.metadata.windowStatus:"SUCCE"'].join('\n'));
  });

  it('Backup and DR job failed: the jobs log, FAILED, this database vault only', () => {
    expect(backupDrJobFailedFilter('p1', 'europe-west1', 'orders-vault')).toBe(
      [
        'logName:"bdr_backup_restore_jobs"',
        'jsonPayload.jobStatus="FAILED"',
        'jsonPayload.backupVaultName:"projects/p1/locations/europe-west1/backupVaults/orders-vault"',
      ].join('\n'),
    );
  });

  it('windows over the 25h alignment limit become a 25h window held for the rest', () => {
    expect(splitWindow(12)).toEqual({ windowHours: 12, durationSeconds: 0 });
    expect(splitWindow(25)).toEqual({ windowHours: 25, durationSeconds: 0 });
    expect(splitWindow(28)).toEqual({ windowHours: 25, durationSeconds: 3 * 3600 });
    expect(() => backupMissingQuery('p:i', 'm', 26)).toThrow(/25h/);
    expect(() => exportsMissingQuery('w', 'r', 26)).toThrow(/25h/);
  });

  it('missing backup: successes over the window, joined with the instance being up for a day', () => {
    const q = backupMissingQuery('p1:orders', backupSucceededMetricName('orders'), 25);
    expect(q).toContain("metric 'logging.googleapis.com/user/dbaas/orders/automated-backup-succeeded'");
    expect(q).toContain("metric 'cloudsql.googleapis.com/database/up'");
    expect(q.match(/filter resource\.database_id == 'p1:orders'/g)).toHaveLength(2);
    expect(q.match(/sliding\(25h\)/g)).toHaveLength(2);
    expect(q).toContain('| outer_join 0');
    expect(q.split('\n').at(-1)).toBe('| condition successes < 1 && up_minutes >= 1440');
    expect(backupMissingQuery('p1:o', 'm', 12).split('\n').at(-1)).toBe('| condition successes < 1 && up_minutes >= 720');
    // logs-based metric names are at most 100 characters; Cloud SQL instance names at most 63
    expect(backupSucceededMetricName('a'.repeat(63)).length).toBeLessThanOrEqual(100);
  });

  it('scheduler failed: the job AttemptFinished entries at ERROR', () => {
    expect(schedulerFailedFilter('orders-export', 'europe-west1')).toBe(
      [
        'resource.type="cloud_scheduler_job"',
        'resource.labels.job_id="orders-export"',
        'resource.labels.location="europe-west1"',
        'jsonPayload.@type="type.googleapis.com/google.cloud.scheduler.logging.AttemptFinished"',
        'severity>=ERROR',
      ].join('\n'),
    );
  });

  it('workflow executions by status', () => {
    expect(workflowExecutionsFilter('orders-export', 'europe-west1', 'FAILED')).toBe(
      'resource.type = "workflows.googleapis.com/Workflow" AND resource.labels.workflow_id = "orders-export" AND resource.labels.location = "europe-west1" AND metric.type = "workflows.googleapis.com/finished_execution_count" AND metric.labels.status = "FAILED"',
    );
  });

  it('Cloud SQL metrics of one instance', () => {
    expect(cloudSqlMetricFilter('p1:orders', 'database/cpu/utilization')).toBe(
      'resource.type = "cloudsql_database" AND resource.labels.database_id = "p1:orders" AND metric.type = "cloudsql.googleapis.com/database/cpu/utilization"',
    );
  });

  it('quotes values so a name cannot break out of the filter', () => {
    expect(schedulerFailedFilter('a"b', 'r')).toContain('resource.labels.job_id="a\\"b"');
  });

  it('exports not running: metric absence up to 23h30m', () => {
    const condition = exportsMissingCondition({ workflowName: 'w', region: 'r', missingAfterHours: 12 });
    expect(condition.conditionAbsent).toEqual({
      filter: workflowExecutionsFilter('w', 'r', 'SUCCEEDED'),
      duration: '43200s',
      aggregations: [{ alignmentPeriod: '3600s', perSeriesAligner: 'ALIGN_SUM' }],
    });
    expect(condition.conditionMonitoringQueryLanguage).toBeUndefined();
    expect(23 * 60 <= MAX_ABSENCE_MINUTES && 24 * 60 > MAX_ABSENCE_MINUTES).toBe(true);
  });

  it('exports not running: an MQL window treating missing data as failing beyond 23h30m', () => {
    const condition = exportsMissingCondition({ workflowName: 'w', region: 'r', missingAfterHours: 26 });
    expect(condition.conditionAbsent).toBeUndefined();
    expect(condition.conditionMonitoringQueryLanguage).toEqual({
      query: exportsMissingQuery('w', 'r', 25),
      duration: '3600s',
      evaluationMissingData: 'EVALUATION_MISSING_DATA_ACTIVE',
    });
    expect(exportsMissingQuery('w', 'r', 25)).toBe(
      [
        'fetch workflows.googleapis.com/Workflow',
        "| metric 'workflows.googleapis.com/finished_execution_count'",
        "| filter resource.workflow_id == 'w' && resource.location == 'r' && metric.status == 'SUCCEEDED'",
        '| group_by 25h, [successes: sum(value.finished_execution_count)]',
        '| every 30m',
        "| condition successes < 1 '1'",
      ].join('\n'),
    );
  });
});

describe('alert policies in the stack', () => {
  const warehouse = synthJson(exampleDb('warehouse-meta'));

  it('alert on a failed automated backup with a log match and a notification rate limit', () => {
    const experiments = synthJson(exampleDb('experiments'));
    const p = policy(experiments, 'backup-failed');
    expect(p.conditions[0].condition_matched_log.filter).toBe(automatedBackupFailedFilter('acme-data-dev', 'experiments'));
    expect(p.alert_strategy.notification_rate_limit).toEqual({ period: '300s' });
    expect(p.severity).toBe('WARNING');
    expect(p.combiner).toBe('OR');
  });

  it('alert when no automated backup succeeded for a day plus the 4h backup window, never before the instance is a day old', () => {
    const experiments = synthJson(exampleDb('experiments'));
    const metric = only(experiments, 'google_logging_metric');
    expect(metric).toMatchObject({
      name: 'dbaas/experiments/automated-backup-succeeded',
      filter: automatedBackupSucceededFilter('acme-data-dev', 'experiments'),
    });
    expect(metric.metric_descriptor).toEqual({ metric_kind: 'DELTA', value_type: 'INT64', unit: '1' });
    const p = policy(experiments, 'backup-missing');
    expect(p.display_name).toBe('dbaas experiments: no automated backup for 28h');
    expect(p.conditions[0].condition_monitoring_query_language).toEqual({
      query: backupMissingQuery('acme-data-dev:experiments', 'dbaas/experiments/automated-backup-succeeded', 25),
      duration: '10800s',
      evaluation_missing_data: 'EVALUATION_MISSING_DATA_INACTIVE',
    });
    expect(p.depends_on).toEqual([expect.stringMatching(/^google_logging_metric\./)]);
  });

  it('with a vault, alert on failed Backup and DR jobs instead of Cloud SQL automated backups', () => {
    const p = policy(warehouse, 'backup-dr-failed');
    expect(p.conditions[0].condition_matched_log.filter).toBe(backupDrJobFailedFilter('acme-data-prod', 'europe-west1', 'warehouse-meta-vault'));
    expect(p.severity).toBe('CRITICAL');
    const ids = resources(warehouse, 'google_monitoring_alert_policy').map(([id]) => id);
    expect(ids.some((id) => id.startsWith('alerts_backup-failed_'))).toBe(false);
    expect(ids.some((id) => id.startsWith('alerts_backup-missing_'))).toBe(false);
  });

  it('alert on a failed export run and a failed scheduler start', () => {
    const failed = policy(warehouse, 'export-failed');
    expect(failed.conditions[0].condition_threshold).toMatchObject({
      filter: workflowExecutionsFilter('warehouse-meta-export', 'europe-west1', 'FAILED'),
      comparison: 'COMPARISON_GT',
      threshold_value: 0,
      duration: '0s',
    });
    const scheduler = policy(warehouse, 'scheduler-failed');
    expect(scheduler.conditions[0].condition_matched_log.filter).toBe(schedulerFailedFilter('warehouse-meta-export', 'europe-west1'));
    expect(scheduler.alert_strategy.notification_rate_limit.period).toBe('300s');
  });

  it('alert when exports stop running (26h for a daily export)', () => {
    const missing = policy(warehouse, 'exports-missing');
    expect(missing.conditions[0].condition_monitoring_query_language).toEqual({
      query: exportsMissingQuery('warehouse-meta-export', 'europe-west1', 25),
      duration: '3600s',
      evaluation_missing_data: 'EVALUATION_MISSING_DATA_ACTIVE',
    });
  });

  it('use metric absence for an export window under 23h30m', () => {
    const db = withChanges(exampleDb('warehouse-meta'), {
      backup: { exports: [{ schedule: '0 */6 * * *', retentionDays: 7 }], alerts: { onFailure: true, missingAfterHours: 12 } },
    });
    const missing = policy(synthJson(db), 'exports-missing');
    expect(missing.conditions[0].condition_absent.duration).toBe('43200s');
    expect(missing.conditions[0].condition_absent.filter).toContain('metric.labels.status = "SUCCEEDED"');
  });

  it('watch CPU, disk and memory of this instance', () => {
    const expected = {
      cpu: ['database/cpu/utilization', 0.9],
      disk: ['database/disk/utilization', 0.85],
      memory: ['database/memory/utilization', 0.9],
    } as const;
    for (const [part, [metric, threshold]] of Object.entries(expected)) {
      const condition = policy(warehouse, `health-${part}`).conditions[0].condition_threshold;
      expect(condition).toMatchObject({
        filter: cloudSqlMetricFilter('acme-data-prod:warehouse-meta', metric),
        comparison: 'COMPARISON_GT',
        threshold_value: threshold,
        duration: '900s',
      });
    }
  });

  it('skip failure alerts when the policy turns them off, and keep health alerts', () => {
    const sandbox = synthFeature('sandbox');
    const names = resources(sandbox, 'google_monitoring_alert_policy').map(([id]) => id.replace(/_[A-F0-9]+$/, ''));
    expect(names.sort()).toEqual(['alerts_backup-missing', 'alerts_health-cpu', 'alerts_health-disk', 'alerts_health-memory']);
  });

  it('one set of export alerts per export', () => {
    const ids = resources(synthFeature('ledger'), 'google_monitoring_alert_policy').map(([id]) => id.replace(/_[A-F0-9]+$/, ''));
    expect(ids.filter((id) => id.includes('export') || id.includes('scheduler')).sort()).toEqual([
      'alerts_export-failed',
      'alerts_export-failed-2',
      'alerts_exports-missing',
      'alerts_exports-missing-2',
      'alerts_scheduler-failed',
      'alerts_scheduler-failed-2',
    ]);
  });

  it('notify the channels of their tiers: production backup alerts page, every policy notifies and records', () => {
    const ref = (id: string) => `\${google_monitoring_notification_channel.${id}.id}`;
    const byChannel = (name: string) =>
      resources(warehouse, 'google_monitoring_notification_channel')
        .filter(([, c]) => c.display_name.startsWith(`${name}:`))
        .map(([id]) => ref(id));
    const [notify, page, record] = [byChannel('analytics-alerts'), byChannel('analytics-pager'), byChannel('dbaas-audit-log')];
    expect([notify.length, page.length, record.length]).toEqual([2, 1, 1]);
    for (const [id, p] of resources(warehouse, 'google_monitoring_alert_policy')) {
      const backup = /backup-(failed|missing)|backup-dr-failed/.test(id);
      expect([...p.notification_channels].sort(), id).toEqual([...(backup ? page : []), ...notify, ...record].sort());
    }
  });
});

describe('notification channels', () => {
  it('make an email channel per address and a Pub/Sub channel with the topic', () => {
    const channels = resources(synthJson(exampleDb('warehouse-meta')), 'google_monitoring_notification_channel').map(([, c]) => c);
    expect(channels.map((c) => [c.type, c.labels])).toEqual([
      ['email', { email_address: 'analytics@example.com' }],
      ['pubsub', { topic: 'projects/acme-data-prod/topics/dbaas-alerts' }],
      ['email', { email_address: 'analytics-pager@example.com' }],
      ['email', { email_address: 'dbaas-audit@example.com' }],
    ]);
  });

  it('notify the Slack and webhook channels created outside dbaas by id, and build no channel that holds a secret', () => {
    const ledger = synthFeature('ledger');
    const channels = resources(ledger, 'google_monitoring_notification_channel');
    expect(channels.map(([, c]) => c.type).sort()).toEqual(['email', 'email']);
    expect(channels.some(([, c]) => c.sensitive_labels !== undefined || c.labels?.url !== undefined)).toBe(false);
    expect(ledger.data?.google_secret_manager_secret_version).toBeUndefined();
    const emails = channels.filter(([, c]) => c.type === 'email');
    expect(emails.map(([, c]) => c.labels.email_address)).toEqual(['oncall@example.com', 'lead@example.com']);
    for (const [, policy] of resources(ledger, 'google_monitoring_alert_policy')) {
      expect(policy.notification_channels).toEqual(
        expect.arrayContaining(['projects/core-prod/notificationChannels/5021334455667788990', 'projects/core-prod/notificationChannels/731122334455']),
      );
      expect(policy.notification_channels).toHaveLength(4);
    }
  });
});
