// The AWS account baseline for one account and region: AWS Config managed rules for backups, safe
// automatic remediation, NON_COMPLIANT findings to the baseline's e-mail, and an AWS Backup Audit
// Manager framework with report plans. Numbers come from the guardrails (BaselineNumbers).
import { CloudwatchLogResourcePolicy } from '@cdktf/provider-aws/lib/cloudwatch-log-resource-policy/index.js';
import { BackupFramework, type BackupFrameworkControl } from '@cdktf/provider-aws/lib/backup-framework/index.js';
import { BackupReportPlan } from '@cdktf/provider-aws/lib/backup-report-plan/index.js';
import { CloudwatchEventRule } from '@cdktf/provider-aws/lib/cloudwatch-event-rule/index.js';
import { CloudwatchEventTarget } from '@cdktf/provider-aws/lib/cloudwatch-event-target/index.js';
import { ConfigConfigRule } from '@cdktf/provider-aws/lib/config-config-rule/index.js';
import { ConfigConfigurationRecorder } from '@cdktf/provider-aws/lib/config-configuration-recorder/index.js';
import { ConfigConfigurationRecorderStatus } from '@cdktf/provider-aws/lib/config-configuration-recorder-status/index.js';
import { ConfigDeliveryChannel } from '@cdktf/provider-aws/lib/config-delivery-channel/index.js';
import { ConfigOrganizationManagedRule } from '@cdktf/provider-aws/lib/config-organization-managed-rule/index.js';
import { ConfigRemediationConfiguration } from '@cdktf/provider-aws/lib/config-remediation-configuration/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { S3Bucket } from '@cdktf/provider-aws/lib/s3-bucket/index.js';
import { S3BucketPolicy } from '@cdktf/provider-aws/lib/s3-bucket-policy/index.js';
import { S3BucketPublicAccessBlock } from '@cdktf/provider-aws/lib/s3-bucket-public-access-block/index.js';
import { S3BucketServerSideEncryptionConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration/index.js';
import { SnsTopic } from '@cdktf/provider-aws/lib/sns-topic/index.js';
import { SnsTopicPolicy } from '@cdktf/provider-aws/lib/sns-topic-policy/index.js';
import { SnsTopicSubscription } from '@cdktf/provider-aws/lib/sns-topic-subscription/index.js';
import { Fn, TerraformOutput, type ITerraformDependable, type TerraformStack } from 'cdktf';
import { OFFLINE_PROVIDER_CONFIG } from '../aws/providers.js';
import { underscored } from '../naming.js';
import { addNote } from '../notes.js';
import type { SynthContext } from '../types.js';
import type { AwsBaselineTarget, BaselineNumbers } from './index.js';

/** RDS keeps automated backups at most 35 days (RDS API ModifyDBInstance, BackupRetentionPeriod 0-35). */
const RDS_MAX_BACKUP_RETENTION = 35;
/** Without a retention guardrail, remediation turns automated backups on with RDS's console default. */
const RDS_DEFAULT_BACKUP_RETENTION = 7;

export interface ConfigRuleSpec {
  /** AWS Config managed rule identifier (source_identifier). */
  readonly identifier: string;
  /** Input parameters, as AWS Config takes them: every value a string. */
  readonly parameters?: Record<string, string>;
  /** The AWS doc page that names the identifier and its parameters. */
  readonly doc: string;
}

const doc = (page: string) => `https://docs.aws.amazon.com/config/latest/developerguide/${page}.html`;

/**
 * Frequency as AWS takes it (requiredFrequencyUnit hours up to 24 or days up to 31): a gap of a day
 * or more (the daily guardrail allows 25 hours for a daylight-saving change) is whole days.
 */
export function frequencyOf(maxGapHours: number): { unit: 'hours' | 'days'; value: number } {
  if (maxGapHours >= 24) return { unit: 'days', value: Math.min(31, Math.floor(maxGapHours / 24)) };
  return { unit: 'hours', value: Math.max(1, Math.floor(maxGapHours)) };
}

/**
 * The managed rules, parameterised from the guardrails. A rule whose number no guardrail gives for
 * this environment is left out (AWS would otherwise apply its own default, e.g. 35 days, which no
 * guardrail asked for) and named in the notes. Identifiers and parameter names are from each rule's
 * page in the AWS Config developer guide (`doc`).
 */
export function configRules(numbers: BaselineNumbers): { rules: ConfigRuleSpec[]; omitted: string[] } {
  const rules: ConfigRuleSpec[] = [
    // No backupRetentionPeriod: the rule is then NON_COMPLIANT only where automated backups are off,
    // which never holds for an instance AWS Backup manages (that is what makes remediation safe, below).
    { identifier: 'DB_INSTANCE_BACKUP_ENABLED', doc: doc('db-instance-backup-enabled') },
    { identifier: 'RDS_RESOURCES_PROTECTED_BY_BACKUP_PLAN', doc: doc('rds-resources-protected-by-backup-plan') },
    { identifier: 'AURORA_RESOURCES_PROTECTED_BY_BACKUP_PLAN', doc: doc('aurora-resources-protected-by-backup-plan') },
    { identifier: 'DYNAMODB_RESOURCES_PROTECTED_BY_BACKUP_PLAN', doc: doc('dynamodb-resources-protected-by-backup-plan') },
    { identifier: 'DYNAMODB_PITR_ENABLED', doc: doc('dynamodb-pitr-enabled') },
    { identifier: 'BACKUP_RECOVERY_POINT_ENCRYPTED', doc: doc('backup-recovery-point-encrypted') },
    { identifier: 'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED', doc: doc('backup-recovery-point-manual-deletion-disabled') },
  ];
  const omitted: string[] = [];
  const { retentionDays, maxGapHours } = numbers;
  if (retentionDays !== null && maxGapHours !== null) {
    const f = frequencyOf(maxGapHours);
    rules.push({
      identifier: 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
      parameters: { requiredFrequencyUnit: f.unit, requiredFrequencyValue: String(f.value), requiredRetentionDays: String(retentionDays) },
      doc: doc('backup-plan-min-frequency-and-min-retention-check'),
    });
  } else {
    omitted.push('BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK');
  }
  if (retentionDays !== null) {
    rules.push({
      identifier: 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK',
      parameters: { requiredRetentionDays: String(retentionDays) },
      doc: doc('backup-recovery-point-minimum-retention-check'),
    });
  } else {
    omitted.push('BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK');
  }
  // The last-recovery-point rules take an age in hours (up to 744) or days: the guardrail's gap in hours.
  const last = ['RDS_LAST_BACKUP_RECOVERY_POINT_CREATED', 'AURORA_LAST_BACKUP_RECOVERY_POINT_CREATED', 'DYNAMODB_LAST_BACKUP_RECOVERY_POINT_CREATED'];
  for (const identifier of last) {
    if (maxGapHours === null) {
      omitted.push(identifier);
      continue;
    }
    rules.push({
      identifier,
      parameters: { recoveryPointAgeUnit: 'hours', recoveryPointAgeValue: String(Math.min(744, Math.ceil(maxGapHours))) },
      doc: doc(identifier.toLowerCase().replaceAll('_', '-')),
    });
  }
  return { rules, omitted };
}

/** A rule's name in the account: `dbaas-` and its identifier in the AWS page's spelling. */
export const ruleName = (identifier: string) => `dbaas-${identifier.toLowerCase().replaceAll('_', '-')}`;

/**
 * AWS Backup Audit Manager controls the guardrails mirror, with their numbers (control names and
 * parameters: AWS Backup developer guide, "Choosing your controls",
 * https://docs.aws.amazon.com/aws-backup/latest/devguide/controls-and-remediation.html).
 */
export function frameworkControls(numbers: BaselineNumbers): BackupFrameworkControl[] {
  const p = (params: Record<string, string>) => Object.entries(params).map(([name, value]) => ({ name, value }));
  const controls: BackupFrameworkControl[] = [
    { name: 'BACKUP_RECOVERY_POINT_ENCRYPTED' },
    { name: 'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED' },
    { name: 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_PLAN', scope: { complianceResourceTypes: ['RDS', 'Aurora', 'DynamoDB'] } },
  ];
  const { retentionDays, maxGapHours } = numbers;
  if (retentionDays !== null && maxGapHours !== null) {
    const f = frequencyOf(maxGapHours);
    controls.push({
      name: 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
      inputParameter: p({ requiredFrequencyUnit: f.unit, requiredFrequencyValue: String(f.value), requiredRetentionDays: String(retentionDays) }),
    });
  }
  if (retentionDays !== null)
    controls.push({ name: 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK', inputParameter: p({ requiredRetentionDays: String(retentionDays) }) });
  if (maxGapHours !== null) {
    controls.push({
      name: 'BACKUP_LAST_RECOVERY_POINT_CREATED',
      inputParameter: p({ recoveryPointAgeUnit: 'hours', recoveryPointAgeValue: String(Math.min(744, Math.ceil(maxGapHours))) }),
      scope: { complianceResourceTypes: ['RDS', 'Aurora', 'DynamoDB'] },
    });
  }
  if (numbers.vaultLock)
    controls.push({ name: 'BACKUP_RESOURCES_PROTECTED_BY_BACKUP_VAULT_LOCK', scope: { complianceResourceTypes: ['RDS', 'Aurora', 'DynamoDB'] } });
  return controls;
}

const json = (value: unknown) => JSON.stringify(value);

export function buildAwsBaseline(stack: TerraformStack, target: AwsBaselineTarget, ctx: SynthContext): void {
  const settings = ctx.config.baseline!;
  const aws = settings.aws ?? {};
  const { accountId, region, environment, numbers } = target;
  const on = (flag: boolean | undefined, fallback: boolean) => flag ?? fallback;
  const rulesOn = on(aws.configRules, true);
  const tags = { 'managed-by': 'dbaas', 'dbaas-baseline': target.name, environment };
  new AwsProvider(stack, 'aws', {
    region,
    defaultTags: [{ tags }],
    ...(ctx.offlineCheck ? OFFLINE_PROVIDER_CONFIG : { allowedAccountIds: [accountId] }),
  });
  // IAM names are global to the account; every region's stack has its own.
  const suffix = `${environment}-${region}`;
  const partition = 'aws';

  // The one CloudWatch Logs resource policy that lets EventBridge record every database's alerts in
  // its /aws/events/dbaas/<db>-alerts log group (src/synth/aws/monitoring.ts): an account and region
  // allow only 10 resource policies (CloudWatch Logs quotas), so it is per account, not per database.
  new CloudwatchLogResourcePolicy(stack, 'alert_log_policy', {
    policyName: 'dbaas-alert-logs',
    policyDocument: JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        {
          Sid: 'EventBridgeRecordsDbaasAlerts',
          Effect: 'Allow',
          Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
          Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
          Resource: `arn:${partition}:logs:${region}:${accountId}:log-group:/aws/events/dbaas/*:*`,
        },
      ],
    }),
  });

  // One encrypted, private bucket for Backup Audit Manager reports and (when created here) AWS Config.
  const bucketName = `dbaas-baseline-${accountId}-${region}`;
  const bucket = new S3Bucket(stack, 'reports_bucket', { bucket: bucketName, forceDestroy: false });
  new S3BucketServerSideEncryptionConfigurationA(stack, 'reports_bucket_sse', {
    bucket: bucket.id,
    rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: 'AES256' }, bucketKeyEnabled: true }],
  });
  new S3BucketPublicAccessBlock(stack, 'reports_bucket_public_access', {
    bucket: bucket.id,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  const bucketArn = `arn:${partition}:s3:::${bucketName}`;
  const statements: unknown[] = [
    // AWS Backup delivers reports with its service-linked role (AWS Backup developer guide, "Creating
    // report plans", https://docs.aws.amazon.com/aws-backup/latest/devguide/create-report-plan-console.html).
    {
      Sid: 'BackupReports',
      Effect: 'Allow',
      Principal: { AWS: `arn:${partition}:iam::${accountId}:role/aws-service-role/reports.backup.amazonaws.com/AWSServiceRoleForBackupReports` },
      Action: 's3:PutObject',
      Resource: `${bucketArn}/backup-reports/*`,
      Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control' } },
    },
    {
      Sid: 'TlsOnly',
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [bucketArn, `${bucketArn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  ];

  let recorderReady: ITerraformDependable[] = [];
  if (aws.createConfigRecorder) {
    // AWS Config developer guide, "Permissions for the Amazon S3 bucket for the AWS Config delivery
    // channel": https://docs.aws.amazon.com/config/latest/developerguide/s3-bucket-policy.html
    statements.push(
      {
        Sid: 'ConfigAclCheck',
        Effect: 'Allow',
        Principal: { Service: 'config.amazonaws.com' },
        Action: ['s3:GetBucketAcl', 's3:ListBucket'],
        Resource: bucketArn,
        Condition: { StringEquals: { 'AWS:SourceAccount': accountId } },
      },
      {
        Sid: 'ConfigDelivery',
        Effect: 'Allow',
        Principal: { Service: 'config.amazonaws.com' },
        Action: 's3:PutObject',
        Resource: `${bucketArn}/config/AWSLogs/${accountId}/Config/*`,
        Condition: { StringEquals: { 's3:x-amz-acl': 'bucket-owner-full-control', 'AWS:SourceAccount': accountId } },
      },
    );
    const role = new IamRole(stack, 'config_role', {
      name: `dbaas-config-${suffix}`,
      assumeRolePolicy: json({
        Version: '2012-10-17',
        Statement: [{ Effect: 'Allow', Principal: { Service: 'config.amazonaws.com' }, Action: 'sts:AssumeRole' }],
      }),
    });
    new IamRolePolicyAttachment(stack, 'config_role_policy', { role: role.name, policyArn: `arn:${partition}:iam::aws:policy/service-role/AWS_ConfigRole` });
    const recorder = new ConfigConfigurationRecorder(stack, 'config_recorder', {
      name: 'dbaas',
      roleArn: role.arn,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: false },
    });
    const channel = new ConfigDeliveryChannel(stack, 'config_delivery', {
      name: 'dbaas',
      s3BucketName: bucket.bucket,
      s3KeyPrefix: 'config',
      dependsOn: [recorder],
    });
    const status = new ConfigConfigurationRecorderStatus(stack, 'config_recorder_status', { name: recorder.name, isEnabled: true, dependsOn: [channel] });
    recorderReady = [status];
  } else {
    addNote(
      stack,
      `AWS Config must record in account ${accountId} ${region} (a configuration recorder and delivery ` +
        `channel) before the rules and the Backup Audit Manager framework evaluate anything; set ` +
        `baseline.aws.createConfigRecorder: true to create them here`,
    );
  }
  new S3BucketPolicy(stack, 'reports_bucket_policy', { bucket: bucket.id, policy: json({ Version: '2012-10-17', Statement: statements }) });

  const role = aws.organizationRole ?? 'member';
  if (role === 'member') {
    addNote(
      stack,
      `the Config rules cover account ${accountId} only; accounts dbaas.config.yaml does not list are not ` +
        `checked unless a baseline runs in the Organizations management or a delegated administrator account ` +
        `(baseline.aws.organizationRole)`,
    );
  } else {
    addNote(
      stack,
      `organization-wide Config rules are deployed from ${accountId} (${role}); AWS Config must be a ` +
        `trusted service of AWS Organizations (config-multiaccountsetup.amazonaws.com) and recording in ` +
        `every member account`,
    );
  }

  if (rulesOn) {
    const { rules, omitted } = configRules(numbers);
    if (omitted.length)
      addNote(
        stack,
        `no guardrail gives ${environment} a ${numbers.retentionDays === null ? 'retention' : 'schedule'} ` +
          `number, so these rules are left out rather than run on AWS defaults: ${omitted.join(', ')}`,
      );
    const byIdentifier = new Map<string, ConfigConfigRule>();
    for (const rule of rules) {
      const id = underscored(rule.identifier.toLowerCase());
      const made = new ConfigConfigRule(stack, `rule_${id}`, {
        name: ruleName(rule.identifier),
        description: `dbaas baseline (${environment}): ${rule.identifier}; see ${rule.doc}`,
        source: { owner: 'AWS', sourceIdentifier: rule.identifier },
        ...(rule.parameters ? { inputParameters: json(rule.parameters) } : {}),
        ...(recorderReady.length ? { dependsOn: recorderReady } : {}),
      });
      byIdentifier.set(rule.identifier, made);
      if (role !== 'member') {
        new ConfigOrganizationManagedRule(stack, `org_rule_${id}`, {
          name: `${ruleName(rule.identifier)}-org`,
          ruleIdentifier: rule.identifier,
          ...(rule.parameters ? { inputParameters: json(rule.parameters) } : {}),
        });
      }
    }

    if (on(aws.remediation, true)) remediation(stack, byIdentifier, numbers, suffix);
    if (on(aws.notifications, true)) notifications(stack, [...byIdentifier.values()], settings.notify.email, environment);
  }

  if (on(aws.auditFramework, true)) {
    const frameworkName = `dbaas_baseline_${underscored(environment)}`;
    const framework = new BackupFramework(stack, 'audit_framework', {
      name: frameworkName,
      description: `dbaas guardrails for ${environment} (${numbers.sources.join(', ') || 'no numbered guardrails'})`,
      control: frameworkControls(numbers),
      ...(recorderReady.length ? { dependsOn: recorderReady } : {}),
    });
    const delivery = { s3BucketName: bucket.bucket, s3KeyPrefix: 'backup-reports', formats: ['CSV', 'JSON'] };
    const plans: [string, string][] = [
      ['CONTROL_COMPLIANCE_REPORT', 'control_compliance'],
      ['BACKUP_JOB_REPORT', 'backup_jobs'],
      ['RESTORE_JOB_REPORT', 'restore_jobs'],
    ];
    for (const [template, id] of plans) {
      new BackupReportPlan(stack, `report_${id}`, {
        name: `dbaas_${underscored(environment)}_${id}`,
        description: `dbaas baseline ${template} for ${environment}`,
        reportDeliveryChannel: delivery,
        reportSetting:
          template === 'CONTROL_COMPLIANCE_REPORT'
            ? { reportTemplate: template, frameworkArns: [framework.arn], numberOfFrameworks: 1 }
            : { reportTemplate: template },
      });
    }
    new TerraformOutput(stack, 'audit_framework_arn', { value: framework.arn });
  }
  new TerraformOutput(stack, 'reports_bucket_name', { value: bucket.bucket });
}

/**
 * Automatic remediation where it is safe:
 * - DynamoDB PITR (AWSConfigRemediation-EnablePITRForDynamoDbTable) only turns a table's continuous
 *   backups on; nothing else may own that setting.
 * - RDS automated backups (AWSConfigRemediation-EnableRDSInstanceBackup) run only on what
 *   DB_INSTANCE_BACKUP_ENABLED (without a retention parameter) finds, i.e. instances whose automated
 *   backups are off. An instance whose backups AWS Backup manages always has them on (AWS Backup
 *   sets the retention and refuses changes made elsewhere: AWS Backup developer guide, "Amazon RDS
 *   continuous backups"), so the runbook never touches one. A retention parameter on the rule would
 *   flag those instances too, and the runbook would fail on them.
 * Runbook parameters: AWS Systems Manager Automation runbook reference,
 * https://docs.aws.amazon.com/systems-manager-automation-runbooks/latest/userguide/automation-aws-enable-pitr-for-dynamodb-table.html
 * and .../automation-aws-enable-rds-instance-backup.html
 */
function remediation(stack: TerraformStack, rules: ReadonlyMap<string, ConfigConfigRule>, numbers: BaselineNumbers, suffix: string): void {
  const role = new IamRole(stack, 'remediation_role', {
    name: `dbaas-remediation-${suffix}`,
    assumeRolePolicy: json({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ssm.amazonaws.com' }, Action: 'sts:AssumeRole' }] }),
  });
  new IamRolePolicy(stack, 'remediation_role_policy', {
    role: role.name,
    name: 'dbaas-remediation',
    policy: json({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: ['dynamodb:DescribeContinuousBackups', 'dynamodb:UpdateContinuousBackups'], Resource: '*' },
        { Effect: 'Allow', Action: ['rds:DescribeDBInstances', 'rds:ModifyDBInstance'], Resource: '*' },
        { Effect: 'Allow', Action: ['ssm:GetAutomationExecution', 'ssm:StartAutomationExecution'], Resource: '*' },
      ],
    }),
  });
  const common = { targetType: 'SSM_DOCUMENT', automatic: true, maximumAutomaticAttempts: 3, retryAttemptSeconds: 600 } as const;
  const pitr = rules.get('DYNAMODB_PITR_ENABLED');
  if (pitr) {
    new ConfigRemediationConfiguration(stack, 'remediate_dynamodb_pitr', {
      ...common,
      configRuleName: pitr.name,
      targetId: 'AWSConfigRemediation-EnablePITRForDynamoDbTable',
      parameter: [
        { name: 'AutomationAssumeRole', staticValue: role.arn },
        { name: 'TableName', resourceValue: 'RESOURCE_ID' },
      ],
    });
  }
  const backups = rules.get('DB_INSTANCE_BACKUP_ENABLED');
  if (backups) {
    const retention = Math.min(RDS_MAX_BACKUP_RETENTION, numbers.retentionDays ?? RDS_DEFAULT_BACKUP_RETENTION);
    new ConfigRemediationConfiguration(stack, 'remediate_rds_backup', {
      ...common,
      configRuleName: backups.name,
      targetId: 'AWSConfigRemediation-EnableRDSInstanceBackup',
      parameter: [
        { name: 'AutomationAssumeRole', staticValue: role.arn },
        // AWS Config's resource id for AWS::RDS::DBInstance is the DbiResourceId.
        { name: 'DbiResourceId', resourceValue: 'RESOURCE_ID' },
        { name: 'BackupRetentionPeriod', staticValue: String(retention) },
        { name: 'ApplyImmediately', staticValue: 'false' },
      ],
    });
  }
}

/** NON_COMPLIANT results of dbaas's rules, as one readable line naming the resource and the rule, to e-mail. */
function notifications(stack: TerraformStack, rules: readonly ConfigConfigRule[], emails: readonly string[], environment: string): void {
  const topic = new SnsTopic(stack, 'findings_topic', { name: `dbaas-baseline-findings-${environment}` });
  new SnsTopicPolicy(stack, 'findings_topic_policy', {
    arn: topic.arn,
    policy: Fn.jsonencode({
      Version: '2012-10-17',
      Statement: [{ Sid: 'EventBridgePublish', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' }, Action: 'sns:Publish', Resource: topic.arn }],
    }),
  });
  emails.forEach((endpoint, i) => new SnsTopicSubscription(stack, `findings_email_${i}`, { topicArn: topic.arn, protocol: 'email', endpoint }));
  // Event shape: AWS Config developer guide, "Example AWS Config rule compliance change event"
  // (https://docs.aws.amazon.com/config/latest/developerguide/monitor-config-with-cloudwatchevents.html).
  const rule = new CloudwatchEventRule(stack, 'findings_rule', {
    name: `dbaas-baseline-noncompliant-${environment}`,
    description: 'dbaas baseline: a resource became NON_COMPLIANT with a dbaas Config rule',
    eventPattern: Fn.jsonencode({
      source: ['aws.config'],
      'detail-type': ['Config Rules Compliance Change'],
      detail: {
        messageType: ['ComplianceChangeNotification'],
        configRuleName: rules.map((r) => r.name),
        newEvaluationResult: { complianceType: ['NON_COMPLIANT'] },
      },
    }),
  });
  new CloudwatchEventTarget(stack, 'findings_target', {
    rule: rule.name,
    arn: topic.arn,
    inputTransformer: {
      inputPaths: { rule: '$.detail.configRuleName', resource: '$.detail.resourceId', type: '$.detail.resourceType', account: '$.account', region: '$.region' },
      inputTemplate: '"<type> <resource> in account <account> (<region>) is NON_COMPLIANT with <rule>"',
    },
  });
}
