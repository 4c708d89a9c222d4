// objectives.rtoHours on AWS: an AWS Backup Audit Manager framework whose control
// RESTORE_TIME_FOR_RESOURCES_MEET_TARGET judges this database's restores against the target. The
// control is backed by AWS Config rules such as rds-meets-restore-time-target ("NON_COMPLIANT if
// LatestRestoreExecutionTimeMinutes ... is greater than maxRestoreTime minutes", AWS Config
// developer guide), so it needs the Config recorder on in the account and region, which a stack
// cannot own (one recorder per account and region): the plan notes it.
import { type AwsRunbookTarget, slowRestoreMessage } from './runbook.js';
import { BackupFramework } from '@cdktf/provider-aws/lib/backup-framework/index.js';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
import { ConfigConfigRule } from '@cdktf/provider-aws/lib/config-config-rule/index.js';
import { Construct } from 'constructs';
import { compactJson } from '../json.js';
import { fitName, underscored } from '../naming.js';
import { addNote } from '../notes.js';
import type { AwsTarget } from './context.js';
import type { DatabaseResource } from './database.js';

export const RESTORE_TIME_CONTROL = 'RESTORE_TIME_FOR_RESOURCES_MEET_TARGET';

export const CONFIG_RECORDER_PREREQUISITE =
  'objectives.rtoHours is judged by an AWS Backup Audit Manager control, which needs AWS Config ' +
  'recording on in this account and region (AWS Config > Settings); without it the framework reports ' +
  'nothing';

/** maxRestoreTime is whole minutes; a fraction of a minute rounds up so the target is never tightened. */
export function maxRestoreMinutes(rtoHours: number): number {
  return Math.max(1, Math.ceil(rtoHours * 60));
}

/**
 * The AWS Config managed rule that compares a resource's latest restore time with maxRestoreTime
 * minutes, per restore type ("rds-meets-restore-time-target": RDS_MEETS_RESTORE_TIME_TARGET,
 * AWS::RDS::DBInstance; "aurora-meets-restore-time-target": AWS::RDS::DBCluster;
 * "dynamodb-meets-restore-time-target": AWS::DynamoDB::Table; AWS Config developer guide, managed
 * rules; parameters maxRestoreTime (int, minutes) and resourceId (optional)).
 */
export const RESTORE_TIME_RULES = {
  RDS: { identifier: 'RDS_MEETS_RESTORE_TIME_TARGET', resourceType: 'AWS::RDS::DBInstance' },
  Aurora: { identifier: 'AURORA_MEETS_RESTORE_TIME_TARGET', resourceType: 'AWS::RDS::DBCluster' },
  DynamoDB: { identifier: 'DYNAMODB_MEETS_RESTORE_TIME_TARGET', resourceType: 'AWS::DynamoDB::Table' },
} as const;

/**
 * Config publishes "Config Rules Compliance Change" events to EventBridge with detail.configRuleName
 * and detail.newEvaluationResult.complianceType (AWS Config developer guide, "Example Event Patterns
 * for AWS Config": source aws.config). A NON_COMPLIANT evaluation of this database's own restore-time
 * rule means its latest restore took longer than the RTO.
 */
export function slowRestorePattern(configRuleName: string): string {
  return compactJson({
    source: ['aws.config'],
    'detail-type': ['Config Rules Compliance Change'],
    detail: { configRuleName: [configRuleName], messageType: ['ComplianceChangeNotification'], newEvaluationResult: { complianceType: ['NON_COMPLIANT'] } },
  });
}

export interface RecoveryObjectivesProps {
  readonly target: AwsTarget;
  readonly database: DatabaseResource;
  /** Whether scheduled restore tests exist: without them only restores someone runs are judged. */
  readonly restoreTests: boolean;
}

export class RecoveryObjectives extends Construct {
  /** EventBridge rules that publish to the alerts topic (its policy must allow them). */
  readonly eventRuleArns: readonly string[];
  private readonly slowRestoreRule?: CloudwatchEventRule;
  private readonly slowRestore?: { readonly configRuleName: string; readonly rtoHours: number };

  constructor(scope: Construct, id: string, props: RecoveryObjectivesProps) {
    super(scope, id);
    this.eventRuleArns = [];
    const { target, database } = props;
    const { db } = target;
    const rto = db.objectives?.rtoHours;
    if (rto === undefined) return;
    const minutes = maxRestoreMinutes(rto);
    // Framework names take letters, digits and underscores, starting with a letter.
    const framework = new BackupFramework(this, 'framework', {
      name: underscored(fitName('dbaas_', db.name, '_objectives', 256)),
      description: `dbaas: restores of ${db.name} finish within ${rto} h (objectives.rtoHours)`,
      control: [
        {
          name: RESTORE_TIME_CONTROL,
          inputParameter: [{ name: 'maxRestoreTime', value: String(minutes) }],
          // A resource id scope takes exactly one resource type.
          scope: { complianceResourceIds: [database.identifier], complianceResourceTypes: [database.restoreType] },
        },
      ],
    });
    framework.overrideLogicalId('recovery_objectives');

    // The framework judges and reports; it does not alert. This stack's own restore-time rule (same
    // target, named so EventBridge can match it) turns a slow restore into an alert on the topic.
    const kind = RESTORE_TIME_RULES[database.restoreType];
    const configRuleName = fitName('dbaas-', db.name, '-restore-time', 128);
    const configRule = new ConfigConfigRule(this, 'restore-time-rule', {
      name: configRuleName,
      description: `dbaas: NON_COMPLIANT when the latest restore of ${db.name} took longer than ${rto} h (objectives.rtoHours)`,
      source: { owner: 'AWS', sourceIdentifier: kind.identifier },
      inputParameters: compactJson({ maxRestoreTime: String(minutes), resourceId: database.identifier }),
      scope: { complianceResourceTypes: [kind.resourceType] },
      maximumExecutionFrequency: 'One_Hour',
    });
    configRule.overrideLogicalId('restore_time_target');
    const rule = new CloudwatchEventRule(this, 'slow-restore', {
      name: fitName('dbaas-', db.name, '-restore-slower-than-rto', 64),
      description: `A restore of ${db.name} took longer than its RTO of ${rto} h (dbaas)`,
      eventPattern: slowRestorePattern(configRuleName),
      dependsOn: [configRule],
    });
    rule.overrideLogicalId('restore_slower_than_rto');
    this.slowRestoreRule = rule;
    this.slowRestore = { configRuleName, rtoHours: rto };
    this.eventRuleArns = [rule.arn];
    addNote(this, CONFIG_RECORDER_PREREQUISITE);
    if (!props.restoreTests) {
      // (no drills: the alert fires only after a restore someone runs)
      addNote(
        this,
        'objectives.rtoHours: no scheduled restore tests (backup.restoreTesting), so the restore-time control only judges restores someone runs by hand',
      );
    }
  }

  /** Routes the slow-restore rule to the alerts topic (call once the topic exists), as readable text with a runbook. */
  alertTo(topicArn: string, runbook: AwsRunbookTarget): void {
    if (!this.slowRestoreRule || !this.slowRestore) return;
    const target = new CloudwatchEventTarget(this, 'slow-restore-to-alerts', {
      rule: this.slowRestoreRule.name,
      arn: topicArn,
      targetId: 'alerts',
      inputTransformer: slowRestoreMessage(runbook, this.slowRestore.configRuleName, this.slowRestore.rtoHours),
    });
    target.overrideLogicalId('restore_slower_than_rto_to_alerts');
  }
}
