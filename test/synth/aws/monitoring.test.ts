import { describe, expect, it } from 'vitest';
import { requiredMissingHours } from '../../../src/synth/aws/alarm-window.js';
import {
  chatbotConfigurationName,
  classMemoryGiB,
  estimatedMaxConnections,
  FAILED_STATES,
  JOB_EVENTS,
  MAX_ALARM_WINDOW_SECONDS,
  missingBackupWindow,
} from '../../../src/synth/aws/monitoring.js';
import { CHATBOT_REGION } from '../../../src/synth/aws/providers.js';
import { awsEntries, exampleEntry, resource, resources, synthJson, variant } from '../helpers.js';

describe('failure alerts through EventBridge', () => {
  it('has one rule per job type with the exact aws.backup pattern, each targeting the topic (orders)', async () => {
    const json = await synthJson(exampleEntry('orders').db);
    const rules = resources(json, 'aws_cloudwatch_event_rule');
    expect(
      Object.keys(rules)
        .filter((k) => k.endsWith('_job_failed') || k === 'alarm_changes')
        .sort(),
    ).toEqual(['alarm_changes', 'backup_job_failed', 'copy_job_failed', 'restore_job_failed']);
    const failed = ['FAILED', 'ABORTED', 'EXPIRED'];
    const expected = {
      backup: { state: failed, backupVaultName: ['${aws_backup_vault.backup_vault.name}'] },
      copy: { state: failed, sourceBackupVaultArn: ['${aws_backup_vault.backup_vault.arn}'] },
      // Failed restore events name no vault; they report "status" (some examples say "state").
      restore: { $or: [{ status: failed }, { state: failed }] },
    };
    for (const [id, detailType] of [
      ['backup', 'Backup Job State Change'],
      ['copy', 'Copy Job State Change'],
      ['restore', 'Restore Job State Change'],
    ] as const) {
      const pattern = resource(json, 'aws_cloudwatch_event_rule', `${id}_job_failed`).event_pattern as string;
      expect(JSON.parse(pattern), id).toEqual({ source: ['aws.backup'], 'detail-type': [detailType], detail: expected[id] });
      expect(resource(json, 'aws_cloudwatch_event_target', `${id}_job_failed_to_alerts`)).toMatchObject({
        rule: `\${aws_cloudwatch_event_rule.${id}_job_failed.name}`,
        arn: '${aws_sns_topic.alerts.arn}',
      });
    }
    // Serialized with sorted keys, so the text never changes between runs.
    expect(resource(json, 'aws_cloudwatch_event_rule', 'restore_job_failed').event_pattern).toBe(
      '{"detail":{"$or":[{"status":["FAILED","ABORTED","EXPIRED"]},{"state":["FAILED","ABORTED","EXPIRED"]}]},"detail-type":["Restore Job State Change"],"source":["aws.backup"]}',
    );
    expect(JOB_EVENTS).toHaveLength(3);
    expect(FAILED_STATES).toEqual(failed);
  });

  it('scopes backup and copy failures to exactly the vaults in the database’s own region, every example stack', async () => {
    for (const { db } of awsEntries()) {
      const json = await synthJson(db);
      const local = Object.entries(resources(json, 'aws_backup_vault'))
        .filter(([, vault]) => vault.provider === undefined)
        .map(([id]) => id)
        .sort();
      expect(local, db.name).toContain('backup_vault');
      const backup = JSON.parse(resource(json, 'aws_cloudwatch_event_rule', 'backup_job_failed').event_pattern as string);
      const copy = JSON.parse(resource(json, 'aws_cloudwatch_event_rule', 'copy_job_failed').event_pattern as string);
      expect([...backup.detail.backupVaultName].sort(), db.name).toEqual(local.map((id) => `\${aws_backup_vault.${id}.name}`));
      expect([...copy.detail.sourceBackupVaultArn].sort(), db.name).toEqual(local.map((id) => `\${aws_backup_vault.${id}.arn}`));
    }
  });

  it('also watches the separate PITR vault when a lock keeps continuous backups out of the main one', async () => {
    const db = variant('orders', {
      backup: { vaultLock: { mode: 'governance', minRetentionDays: 60 }, pointInTimeRecovery: { enabled: true, retentionDays: 7 } },
    });
    const json = await synthJson(db);
    expect(Object.keys(resources(json, 'aws_backup_vault'))).toContain('pitr_vault');
    const backup = JSON.parse(resource(json, 'aws_cloudwatch_event_rule', 'backup_job_failed').event_pattern as string);
    expect(backup.detail.backupVaultName).toContain('${aws_backup_vault.pitr_vault.name}');
  });

  it('does not use aws_backup_vault_notifications in any example stack', async () => {
    for (const { db } of awsEntries()) expect(resources(await synthJson(db), 'aws_backup_vault_notifications'), db.name).toEqual({});
  });

  it('has no job-failure rules when the policy turns failure alerts off (alarm changes are still recorded)', async () => {
    // (orders' rtoHours is taken away: a restore slower than the RTO is not a failure alert and keeps its rule, test/synth/aws/objectives.test.ts)
    const json = await synthJson({ ...variant('orders', { backup: { alerts: { onFailure: false, missingAfterHours: 26 } } }), objectives: {} });
    expect(Object.keys(resources(json, 'aws_cloudwatch_event_rule'))).toEqual(['alarm_changes']);
    const policy = JSON.parse(resource(json, 'aws_sns_topic_policy', 'alerts_policy').policy);
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).not.toContain('EventBridgePublishes');
  });
});

describe('alert topic', () => {
  it('is encrypted with a key EventBridge and CloudWatch may use, and lets both publish', async () => {
    const json = await synthJson(exampleEntry('orders').db);
    expect(resource(json, 'aws_sns_topic', 'alerts')).toMatchObject({ name: 'dbaas-orders-alerts', kms_master_key_id: '${aws_kms_key.kms_key.arn}' });
    const keyPolicy = JSON.parse(resource(json, 'aws_kms_key', 'kms_key').policy);
    expect(keyPolicy.Statement).toContainEqual(
      expect.objectContaining({
        Principal: { Service: ['cloudwatch.amazonaws.com', 'events.amazonaws.com'] },
        Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      }),
    );
    const topicPolicy = JSON.parse(resource(json, 'aws_sns_topic_policy', 'alerts_policy').policy);
    const bySid = Object.fromEntries(topicPolicy.Statement.map((s: { Sid: string }) => [s.Sid, s]));
    expect(bySid.EventBridgePublishes).toMatchObject({
      Principal: { Service: 'events.amazonaws.com' },
      Action: 'sns:Publish',
      Resource: '${aws_sns_topic.alerts.arn}',
      // orders has rtoHours: its slower-than-RTO rule publishes too
      Condition: {
        ArnEquals: {
          'aws:SourceArn': [
            '${aws_cloudwatch_event_rule.backup_job_failed.arn}',
            '${aws_cloudwatch_event_rule.copy_job_failed.arn}',
            '${aws_cloudwatch_event_rule.restore_job_failed.arn}',
            '${aws_cloudwatch_event_rule.restore_slower_than_rto.arn}',
          ],
        },
      },
    });
    expect(bySid.CloudWatchPublishes).toMatchObject({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: 'sns:Publish' });
  });

  it("subscribes every e-mail address of every channel to its tier's topic (users: identity-oncall has two, identity-pager pages)", async () => {
    const json = await synthJson(exampleEntry('users').db);
    const subs = Object.values(resources(json, 'aws_sns_topic_subscription'));
    expect(subs.map((s) => [s.protocol, s.endpoint, s.topic_arn]).sort()).toEqual([
      ['email', 'identity-lead@example.com', '${aws_sns_topic.alerts.arn}'],
      ['email', 'identity-oncall@example.com', '${aws_sns_topic.alerts.arn}'],
      ['email', 'identity-pager@example.com', '${aws_sns_topic.alerts_page.arn}'],
    ]);
  });

  it("delivers Slack through AWS Chatbot with the channel's ids, no https subscription and no secret read (orders)", async () => {
    const json = await synthJson(exampleEntry('orders').db);
    expect(resource(json, 'aws_chatbot_slack_channel_configuration', 'alerts_slack_payments_oncall')).toMatchObject({
      configuration_name: 'dbaas-orders-payments-oncall',
      slack_team_id: 'T01PAYMNTS9',
      slack_channel_id: 'C04ONCALL7Q',
      sns_topic_arns: ['${aws_sns_topic.alerts.arn}'],
      iam_role_arn: '${aws_iam_role.chatbot_role.arn}',
      guardrail_policy_arns: ['arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess'],
      user_authorization_required: true,
      provider: 'aws.chatbot',
    });
    expect(JSON.parse(resource(json, 'aws_iam_role', 'chatbot_role').assume_role_policy).Statement[0].Principal).toEqual({ Service: 'chatbot.amazonaws.com' });
    expect(json.provider.aws).toContainEqual(expect.objectContaining({ alias: 'chatbot', region: CHATBOT_REGION }));
    const subs = Object.values(resources(json, 'aws_sns_topic_subscription'));
    expect(subs.filter((sub) => sub.protocol === 'https')).toEqual([]);
    expect(json.data?.aws_secretsmanager_secret_version ?? {}).toEqual({});
    expect(json['//'].dbaas.notes?.some((n) => n.includes('T01PAYMNTS9') && n.includes('authorised once'))).toBe(true);
  });

  it('refuses a webhook-only Slack channel at synth too (validate refuses it first)', async () => {
    const db = variant('sessions', { channels: [{ name: 'ops', slack: { webhookSecret: 'secretsmanager:ops/slack' } }] });
    await expect(synthJson(db)).rejects.toMatchObject({ code: 'DBAAS_SYNTH_CHANNEL', path: ['channels', 'ops', 'slack'] });
  });

  it('keeps Chatbot configuration names within its alphabet', () => {
    expect(chatbotConfigurationName('orders.v2', 'ops')).toBe('dbaas-orders_v2-ops');
    expect(chatbotConfigurationName('x'.repeat(200), 'ops').length).toBeLessThanOrEqual(128);
  });

  it('refuses a webhook at synth too (its URL would be kept in state; validate refuses it first), and reads no secret', async () => {
    for (const urlSecret of ['ssm:/ops/webhook-url', 'secretsmanager:ops/hook', 'vault:ops/hook']) {
      const db = variant('sessions', { channels: [{ name: 'ops', webhook: { urlSecret } }] });
      await expect(synthJson(db)).rejects.toMatchObject({ code: 'DBAAS_SYNTH_CHANNEL', path: ['channels', 'ops', 'webhook'] });
    }
  });
});

describe('backup-missing alarm', () => {
  it('counts created jobs and pages on INSUFFICIENT_DATA, so a new database waits for its first job (orders, 26 h)', async () => {
    const json = await synthJson(exampleEntry('orders').db);
    const alarm = resource(json, 'aws_cloudwatch_metric_alarm', 'backup_missing');
    expect(alarm).toMatchObject({
      namespace: 'AWS/Backup',
      metric_name: 'NumberOfBackupJobsCreated',
      dimensions: { BackupVaultName: '${aws_backup_vault.backup_vault.name}' },
      statistic: 'Sum',
      comparison_operator: 'LessThanThreshold',
      threshold: 1,
      treat_missing_data: 'missing',
      period: 3600,
      evaluation_periods: 26,
      datapoints_to_alarm: 26,
      // production: the page topic and the notify topic
      alarm_actions: ['${aws_sns_topic.alerts_page.arn}', '${aws_sns_topic.alerts.arn}'],
      insufficient_data_actions: ['${aws_sns_topic.alerts_page.arn}', '${aws_sns_topic.alerts.arn}'],
    });
    expect(alarm.period * alarm.evaluation_periods).toBe(26 * 3600);
  });

  it("never watches less than the schedule's longest gap plus an hourly period", () => {
    expect(requiredMissingHours('0 3 * * *', 'UTC')).toBe(25);
    expect(requiredMissingHours('0 */6 * * *', 'UTC')).toBe(7);
    // Europe/Dublin: the spring-forward night makes one gap 23 h, the autumn one 25 h.
    expect(requiredMissingHours('0 3 * * *', 'Europe/Dublin')).toBe(26);
    expect(requiredMissingHours('0 3 * * 0', 'UTC')).toBe(169);
  });

  it.each([
    [1, undefined, 1, false, false],
    [26, 25, 26, false, false],
    [26, 30, 30, true, false],
    [168, 25, 168, false, false],
    [744, 25, 168, false, true],
  ])('asked %i h, schedule needs %s → %i hourly periods (raised %s, capped %s)', (asked, required, hours, raised, capped) => {
    expect(missingBackupWindow(asked, required)).toEqual({ hours, raised, capped });
  });

  it('builds no alarm when runs are further apart than CloudWatch can watch, and says so', async () => {
    expect(missingBackupWindow(26, 169)).toMatchObject({ hours: 0 });
    const json = await synthJson(variant('orders', { backup: { schedule: '0 3 * * 0', alerts: { onFailure: true, missingAfterHours: 200 } } }));
    expect(resources(json, 'aws_cloudwatch_metric_alarm')).not.toHaveProperty('backup_missing');
    expect(json['//'].dbaas.notes?.some((n) => n.includes('no backup-missing alarm'))).toBe(true);
  });

  it('raises a defaulted window to the schedule and notes it (every 2 days, 26 h asked)', async () => {
    const json = await synthJson(variant('orders', { backup: { schedule: '0 3 */2 * *' } }));
    const alarm = resource(json, 'aws_cloudwatch_metric_alarm', 'backup_missing');
    expect(alarm.evaluation_periods).toBeGreaterThan(26);
    expect(json['//'].dbaas.notes?.some((n) => n.includes(`watches ${alarm.evaluation_periods} hours, not 26`))).toBe(true);
  });

  it('says so in a note when the window is cut to CloudWatch’s 7 days', async () => {
    const json = await synthJson(variant('orders', { backup: { alerts: { onFailure: true, missingAfterHours: 744 } } }));
    expect(resource(json, 'aws_cloudwatch_metric_alarm', 'backup_missing').evaluation_periods).toBe(168);
    expect(json['//'].dbaas.notes?.some((n) => n.includes('168 hours, not 744'))).toBe(true);
  });

  it('every alarm of every example stack has a valid period and a window within 7 days', async () => {
    let count = 0;
    for (const { db } of awsEntries()) {
      for (const [name, alarm] of Object.entries(resources(await synthJson(db), 'aws_cloudwatch_metric_alarm'))) {
        const periods: number[] = alarm.metric_query
          ? alarm.metric_query.flatMap((q: { metric?: { period: number } }) => (q.metric ? [q.metric.period] : []))
          : [alarm.period];
        for (const period of periods) {
          expect(period % 60 === 0 || period === 10 || period === 30, `${db.name}.${name}`).toBe(true);
          expect(period * alarm.evaluation_periods, `${db.name}.${name}`).toBeLessThanOrEqual(MAX_ALARM_WINDOW_SECONDS);
        }
        expect(alarm.datapoints_to_alarm ?? alarm.evaluation_periods).toBeLessThanOrEqual(alarm.evaluation_periods);
        count++;
      }
    }
    expect(count).toBeGreaterThan(15);
  });
});

describe('health alarms', () => {
  it('RDS: CPU, free storage (10% of allocated) and connections per instance (orders)', async () => {
    const json = await synthJson(exampleEntry('orders').db);
    const alarms = resources(json, 'aws_cloudwatch_metric_alarm');
    expect(alarms.cpu_high).toMatchObject({
      metric_name: 'CPUUtilization',
      threshold: 80,
      comparison_operator: 'GreaterThanThreshold',
      dimensions: { DBInstanceIdentifier: 'orders' },
    });
    expect(alarms.storage_low).toMatchObject({ metric_name: 'FreeStorageSpace', threshold: 10737418240, comparison_operator: 'LessThanThreshold' });
    expect(alarms.connections_high).toMatchObject({
      metric_name: 'DatabaseConnections',
      threshold: Math.floor(estimatedMaxConnections('postgres', 'db.r6g.large')! * 0.8),
    });
  });

  it('Aurora: per cluster (ledger)', async () => {
    const json = await synthJson(exampleEntry('ledger').db);
    const alarms = resources(json, 'aws_cloudwatch_metric_alarm');
    for (const name of ['cpu_high', 'connections_high', 'memory_low']) expect(alarms[name]?.dimensions, name).toEqual({ DBClusterIdentifier: 'ledger' });
    expect(alarms).not.toHaveProperty('storage_low');
  });

  it('DynamoDB: read plus write throttle events (carts)', async () => {
    const json = await synthJson(exampleEntry('carts').db);
    const alarm = resource(json, 'aws_cloudwatch_metric_alarm', 'throttled_requests');
    expect(alarm).toMatchObject({ comparison_operator: 'GreaterThanThreshold', threshold: 0, treat_missing_data: 'notBreaching' });
    expect(alarm.metric_query).toEqual([
      { id: 'throttles', expression: 'reads + writes', label: 'Throttle events', return_data: true },
      { id: 'reads', metric: { metric_name: 'ReadThrottleEvents', namespace: 'AWS/DynamoDB', dimensions: { TableName: 'carts' }, period: 300, stat: 'Sum' } },
      { id: 'writes', metric: { metric_name: 'WriteThrottleEvents', namespace: 'AWS/DynamoDB', dimensions: { TableName: 'carts' }, period: 300, stat: 'Sum' } },
    ]);
  });

  it.each([
    ['db.t4g.medium', 4],
    ['db.r6g.large', 16],
    ['db.r6g.2xlarge', 64],
    ['db.m5.xlarge', 16],
    ['db.serverless', undefined],
  ])('memory of %s is %s GiB', (instanceClass, gib) => {
    expect(classMemoryGiB(instanceClass)).toBe(gib);
  });
});
