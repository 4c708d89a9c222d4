// objectives.rtoHours on AWS: a restore slower than the RTO alerts. The Audit Manager control judges
// and reports; this stack's own AWS Config restore-time rule, matched by name in an EventBridge rule,
// routes its NON_COMPLIANT evaluations to the database's alerts topic, whose policy lets that rule publish.
import { beforeAll, describe, expect, it } from 'vitest';
import { RESTORE_TIME_RULES } from '../../../src/synth/aws/objectives.js';
import { loadBuilder } from '../../../src/synth/index.js';
import { backupPosture, type PostureStackJson } from '../../../src/plan/posture.js';
import { exampleEntry, resource, resources, synthJson, variant } from '../helpers.js';

beforeAll(async () => {
  await loadBuilder('aws');
});

describe('objectives.rtoHours alerts when a restore is slower (AWS)', () => {
  it('builds a named restore-time Config rule with the RTO in minutes, for this database only (orders, RDS)', async () => {
    const json = await synthJson(variant('orders', { objectives: { rtoHours: 1.5 } }));
    const rule = resource(json, 'aws_config_config_rule', 'restore_time_target');
    expect(rule).toMatchObject({
      name: 'dbaas-orders-restore-time',
      source: { owner: 'AWS', source_identifier: 'RDS_MEETS_RESTORE_TIME_TARGET' },
      scope: { compliance_resource_types: ['AWS::RDS::DBInstance'] },
    });
    expect(JSON.parse(rule.input_parameters as string)).toEqual({ maxRestoreTime: '90', resourceId: 'orders' });
  });

  it('routes NON_COMPLIANT evaluations of exactly that rule to the alerts topic, and the topic policy allows the rule', async () => {
    const json = await synthJson(variant('orders', { objectives: { rtoHours: 4 } }));
    const rule = resource(json, 'aws_cloudwatch_event_rule', 'restore_slower_than_rto');
    expect(JSON.parse(rule.event_pattern as string)).toEqual({
      source: ['aws.config'],
      'detail-type': ['Config Rules Compliance Change'],
      detail: {
        configRuleName: ['dbaas-orders-restore-time'],
        messageType: ['ComplianceChangeNotification'],
        newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
      },
    });
    const target = resource(json, 'aws_cloudwatch_event_target', 'restore_slower_than_rto_to_alerts');
    expect(target.rule).toBe('${aws_cloudwatch_event_rule.restore_slower_than_rto.name}');
    expect(target.arn).toBe('${aws_sns_topic.alerts.arn}');
    const policy = JSON.parse(resource(json, 'aws_sns_topic_policy', 'alerts_policy').policy as string) as {
      Statement: { Sid: string; Condition?: { ArnEquals: { 'aws:SourceArn': string[] } } }[];
    };
    const events = policy.Statement.find((s) => s.Sid === 'EventBridgePublishes')!;
    expect(events.Condition!.ArnEquals['aws:SourceArn']).toContain('${aws_cloudwatch_event_rule.restore_slower_than_rto.arn}');
  });

  it('uses the Aurora and DynamoDB rules for clusters and tables', async () => {
    const ledger = await synthJson(variant('ledger', { objectives: { rtoHours: 2 } }));
    expect(resource(ledger, 'aws_config_config_rule', 'restore_time_target').source.source_identifier).toBe(RESTORE_TIME_RULES.Aurora.identifier);
    const carts = await synthJson(variant('carts', { objectives: { rtoHours: 2 } }));
    expect(resource(carts, 'aws_config_config_rule', 'restore_time_target')).toMatchObject({
      source: { source_identifier: 'DYNAMODB_MEETS_RESTORE_TIME_TARGET' },
      scope: { compliance_resource_types: ['AWS::DynamoDB::Table'] },
    });
  });

  it('builds nothing without rtoHours (users), and the topic policy then names only the job rules', async () => {
    const users = await synthJson(exampleEntry('users').db);
    expect(resources(users, 'aws_config_config_rule')).toEqual({});
    expect(JSON.stringify(resources(users, 'aws_sns_topic_policy'))).not.toContain('restore_slower_than_rto');
  });

  it('shows in the posture as the RTO with the resources that check it, and falls back to the control alone', async () => {
    const entry = exampleEntry('orders');
    const json = (await synthJson(entry.db)) as unknown as PostureStackJson & { resource: Record<string, unknown> };
    const rto = backupPosture(entry.db, json).rto;
    expect(rto.text).toBe('4h (slower restore alerts)');
    expect(rto.resources).toEqual([
      'aws_config_config_rule.restore_time_target',
      'aws_cloudwatch_event_rule.restore_slower_than_rto',
      'aws_cloudwatch_event_target.restore_slower_than_rto_to_alerts',
    ]);
    const noAlert = structuredClone(json);
    delete noAlert.resource.aws_config_config_rule;
    expect(backupPosture(entry.db, noAlert).rto).toEqual({
      text: '4h (Audit Manager control, no alert)',
      resources: ['aws_backup_framework.recovery_objectives'],
    });
    delete noAlert.resource.aws_backup_framework;
    expect(backupPosture(entry.db, noAlert).rto).toMatchObject({ text: 'none', reason: 'no restore-time check in the stack', resources: [] });
  });
});
