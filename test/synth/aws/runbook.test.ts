import { describe, expect, it } from 'vitest';
import {
  alarmDescription,
  consoleBase,
  jobFailureMessage,
  MAX_ALARM_DESCRIPTION,
  MAX_INPUT_TEMPLATE,
  resolvedLengthBound,
  TOKEN_BUDGET,
} from '../../../src/synth/aws/runbook.js';
import { awsEntries, exampleEntry, resource, resources, synthJson, variant } from '../helpers.js';

/** Terraform references in a resolved stack, each counted at the runbook's token budget. */
const boundOf = (text: string) => text.replace(/\$\{[a-z0-9_.]+\}/g, 'x'.repeat(TOKEN_BUDGET)).length;
const ref = (type: string, name: string, attr: string) => `\${${type}.${name}.${attr}}`;

describe('AWS runbooks in every alert', () => {
  it("every EventBridge message and alarm description of every example stack names this database's real vault, role, resource and console", async () => {
    let checked = 0;
    for (const { db } of awsEntries()) {
      const json = await synthJson(db);
      // Real names, read from the built stack.
      const vault = ref('aws_backup_vault', 'backup_vault', 'name');
      const role = ref('aws_iam_role', 'backup_role', 'arn');
      const nativeType = ['aws_db_instance', 'aws_rds_cluster', 'aws_dynamodb_table'].find((t) => resources(json, t).database)!;
      const native = resource(json, nativeType, 'database');
      const arn = ref(nativeType, 'database', 'arn');
      const identifier: string = native.identifier ?? native.cluster_identifier ?? native.name;
      const consoleUrl = `https://${db.region}.console.aws.amazon.com/`;

      for (const [id, target] of Object.entries(resources(json, 'aws_cloudwatch_event_target'))) {
        if (!String(target.arn).startsWith('${aws_sns_topic.')) {
          // The record log gets the raw event, untransformed.
          expect(target.arn, id).toBe(ref('aws_cloudwatch_log_group', 'alert_log', 'arn'));
          expect(target.input_transformer, id).toBeUndefined();
          continue;
        }
        const { input_paths: paths, input_template: template } = target.input_transformer;
        // A JSON string: SNS delivers readable text, not the event JSON.
        const text = JSON.parse(template) as string;
        expect(typeof text, id).toBe('string');
        expect(boundOf(template), id).toBeLessThanOrEqual(MAX_INPUT_TEMPLATE);
        // Every placeholder is one EventBridge fills in.
        for (const [, name] of text.matchAll(/<([A-Za-z0-9_]+)>/g)) expect(Object.keys(paths), `${id} <${name}>`).toContain(name);
        expect(text, id).toContain(`dbaas ${db.name} (${db.environment}, ${db.region})`);
        expect(text, id).toContain(`Console: ${consoleUrl}backup/home?region=${db.region}`);
        expect(text, id).toContain(`--iam-role-arn ${role} --region ${db.region}`);
        if (id.startsWith('backup_job_failed')) {
          expect(text, id).toContain(
            `Re-run: aws backup start-backup-job --backup-vault-name ${vault} --resource-arn ${arn} --iam-role-arn ${role} --region ${db.region}`,
          );
          expect(text, id).toContain(`aws backup list-backup-jobs --by-backup-vault-name ${vault} --by-state FAILED --region ${db.region}`);
        }
        if (id.startsWith('copy_job_failed'))
          expect(text, id).toContain(`aws backup start-copy-job --recovery-point-arn <point> --source-backup-vault-name ${vault}`);
        if (id.startsWith('restore_job_failed')) expect(text, id).toContain('aws backup describe-restore-job --restore-job-id <job>');
        checked++;
      }

      for (const [id, alarm] of Object.entries(resources(json, 'aws_cloudwatch_metric_alarm'))) {
        const description: string = alarm.alarm_description;
        expect(boundOf(description), id).toBeLessThanOrEqual(MAX_ALARM_DESCRIPTION);
        expect(description, id).toContain(`dbaas ${db.name} (${db.environment})`);
        expect(description, id).toContain(`Console: ${consoleUrl}`);
        if (id === 'backup_missing') {
          expect(description, id).toContain(
            `Re-run: aws backup start-backup-job --backup-vault-name ${vault} --resource-arn ${arn} --iam-role-arn ${role} --region ${db.region}`,
          );
        } else {
          expect(description, id).toMatch(
            new RegExp(
              `Look: aws (rds describe-db-instances --db-instance-identifier|rds describe-db-clusters --db-cluster-identifier|dynamodb describe-table --table-name) ${identifier} --region ${db.region}`,
            ),
          );
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
  });

  it('sends the record log the raw events of every job rule and of every alarm of the database', async () => {
    const json = await synthJson(exampleEntry('orders').db);
    const alarms = Object.keys(resources(json, 'aws_cloudwatch_metric_alarm')).map((n) => ref('aws_cloudwatch_metric_alarm', n, 'arn'));
    const pattern = JSON.parse(resource(json, 'aws_cloudwatch_event_rule', 'alarm_changes').event_pattern);
    expect({ ...pattern, resources: [...pattern.resources].sort() }).toEqual({
      source: ['aws.cloudwatch'],
      'detail-type': ['CloudWatch Alarm State Change'],
      resources: alarms.sort(),
    });
    const logged = Object.values(resources(json, 'aws_cloudwatch_event_target'))
      .filter((t) => t.arn === ref('aws_cloudwatch_log_group', 'alert_log', 'arn'))
      .map((t) => t.rule);
    expect(logged.sort()).toEqual(
      ['alarm_changes', 'backup_job_failed', 'copy_job_failed', 'restore_job_failed'].map((r) => ref('aws_cloudwatch_event_rule', r, 'name')).sort(),
    );
    // No resource policy per database (an account and region allow 10): the account baseline has the one (test/synth/baseline).
    expect(resources(json, 'aws_cloudwatch_log_resource_policy')).toEqual({});
    expect(resource(json, 'aws_cloudwatch_log_group', 'alert_log')).toMatchObject({ name: '/aws/events/dbaas/orders-alerts', retention_in_days: 400 });
  });

  it('keeps alarm descriptions within 1024 characters by dropping optional lines, and refuses when the required ones do not fit', () => {
    const token = '${TfToken[TOKEN.1]}';
    expect(resolvedLengthBound(`a ${token} b`)).toBe(4 + TOKEN_BUDGET);
    const fits = alarmDescription(['x'.repeat(900)], ['y'.repeat(100), 'z'.repeat(200)]);
    expect(fits).toBe(`${'x'.repeat(900)}\n${'y'.repeat(100)}`);
    expect(() => alarmDescription(['x'.repeat(1025)])).toThrow(/1024/);
    expect(() => alarmDescription([`${token}`.repeat(7)])).toThrow(/1024/);
  });

  it('uses the console of the partition', () => {
    expect(consoleBase('aws', 'eu-west-1')).toBe('https://eu-west-1.console.aws.amazon.com');
    expect(consoleBase('aws-us-gov', 'us-gov-west-1')).toBe('https://console.amazonaws-us-gov.com');
    expect(consoleBase('aws-cn', 'cn-north-1')).toBe('https://console.amazonaws.cn');
  });

  it('writes placeholders only for the paths it maps', () => {
    const t = {
      database: 'd',
      environment: 'e',
      region: 'eu-west-1',
      partition: 'aws',
      vaultName: 'v',
      roleArn: 'r',
      resourceArn: 'a',
      construct: 'rds-instance' as const,
      restoreType: 'RDS' as const,
      identifier: 'd',
    };
    for (const event of ['backup', 'copy', 'restore'] as const) {
      const { inputPaths, inputTemplate } = jobFailureMessage(event, t);
      const used = new Set([...inputTemplate.matchAll(/<([A-Za-z0-9_]+)>/g)].map((m) => m[1]));
      expect([...used].sort(), event).toEqual(Object.keys(inputPaths).sort());
      for (const path of Object.values(inputPaths)) expect(path, event).toMatch(/^\$\.(detail\.)?[A-Za-z]+$/);
    }
  });
});

describe('AWS alert tiers', () => {
  const topicsOf = (json: Awaited<ReturnType<typeof synthJson>>, rule: string) =>
    Object.values(resources(json, 'aws_cloudwatch_event_target'))
      .filter((t) => t.rule === ref('aws_cloudwatch_event_rule', rule, 'name') && String(t.arn).startsWith('${aws_sns_topic.'))
      .map((t) => t.arn)
      .sort();

  it('production: a failed or missing backup pages and notifies; copy, restore and health alerts notify only (orders)', async () => {
    const json = await synthJson(exampleEntry('orders').db);
    const [page, notify] = [ref('aws_sns_topic', 'alerts_page', 'arn'), ref('aws_sns_topic', 'alerts', 'arn')];
    expect(topicsOf(json, 'backup_job_failed')).toEqual([notify, page].sort());
    expect(topicsOf(json, 'copy_job_failed')).toEqual([notify]);
    expect(topicsOf(json, 'restore_job_failed')).toEqual([notify]);
    expect(resource(json, 'aws_cloudwatch_metric_alarm', 'backup_missing').alarm_actions).toEqual([page, notify]);
    expect(resource(json, 'aws_cloudwatch_metric_alarm', 'cpu_high').alarm_actions).toEqual([notify]);
    expect(resource(json, 'aws_sns_topic_subscription', 'alerts_page_email_payments_pager_0')).toMatchObject({
      topic_arn: page,
      endpoint: 'payments-pager@example.com',
    });
    // The page topic lets this stack's rules publish, like the notify topic.
    const policy = JSON.parse(resource(json, 'aws_sns_topic_policy', 'alerts_page_policy').policy);
    expect(policy.Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['AccountManagesTopic', 'EventBridgePublishes', 'CloudWatchPublishes']);
  });

  it('record channels get every alert (ledger lists dbaas-audit-log)', async () => {
    const json = await synthJson(exampleEntry('ledger').db);
    const record = ref('aws_sns_topic', 'alerts_record', 'arn');
    for (const rule of ['backup_job_failed', 'copy_job_failed', 'restore_job_failed']) expect(topicsOf(json, rule), rule).toContain(record);
    for (const [id, alarm] of Object.entries(resources(json, 'aws_cloudwatch_metric_alarm'))) expect(alarm.alarm_actions, id).toContain(record);
    expect(resource(json, 'aws_sns_topic_subscription', 'alerts_record_email_dbaas_audit_log_0')).toMatchObject({ topic_arn: record });
  });

  it('other environments never page: a page channel of a staging database gets no alert, and the plan says so', async () => {
    const db = variant('carts', {});
    const withPager = {
      ...db,
      channels: [...db.channels, { name: 'payments-pager', tier: 'page' as const, email: ['payments-pager@example.com'] as [string] }],
    };
    const json = await synthJson(withPager);
    const page = ref('aws_sns_topic', 'alerts_page', 'arn');
    for (const rule of ['backup_job_failed', 'copy_job_failed', 'restore_job_failed']) expect(topicsOf(json, rule), rule).not.toContain(page);
    for (const [id, alarm] of Object.entries(resources(json, 'aws_cloudwatch_metric_alarm'))) expect(alarm.alarm_actions, id).not.toContain(page);
    expect(JSON.stringify(json['//'])).toContain('staging alerts never page');
  });

  it('the tier field changes the stack: the same channel moves to another topic', async () => {
    const db = exampleEntry('carts').db;
    const asRecord = { ...db, channels: db.channels.map((c) => ({ ...c, tier: 'record' as const })) };
    const [before, after] = [await synthJson(db), await synthJson(asRecord)];
    expect(resources(before, 'aws_sns_topic').alerts_record).toBeUndefined();
    expect(resources(after, 'aws_sns_topic_subscription').alerts_record_email_payments_oncall_0).toMatchObject({
      topic_arn: ref('aws_sns_topic', 'alerts_record', 'arn'),
    });
  });
});
