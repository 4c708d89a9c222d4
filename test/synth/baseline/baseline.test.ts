// Baseline stacks: which ones the config turns on, the numbers they take from the guardrails, and the
// resources each cloud's stack holds (specific properties, read from the synthesized JSON).
import { describe, expect, it } from 'vitest';
import { guardDir } from '../../../src/pipeline.js';
import type { GuardrailRegistry } from '../../../src/guard/registry.js';
import {
  baselineNameFor,
  baselineNumbers,
  baselineTargets,
  reservedNameError,
  synthBaseline,
  synthBaselines,
  type NumbersSource,
} from '../../../src/synth/baseline/index.js';
import type { DbaasConfig } from '../../../src/spec/generated.js';
import { REPO_ROOT } from '../helpers.js';

const guarded = guardDir(REPO_ROOT);
if (!guarded.ok) throw new Error('example repo does not guard');
const config = guarded.repo.config;
const source: NumbersSource = { registry: guarded.registry, overrides: guarded.guard.overrides };
const ctx = { toolVersion: '0.0.0-test' };

type Json = { resource: Record<string, Record<string, Record<string, unknown>>>; '//': { dbaas: Record<string, unknown> } };
const parse = (json: string) => JSON.parse(json) as Json;
const rules = (stack: Json) =>
  Object.values(stack.resource.aws_config_config_rule ?? {}) as {
    name: string;
    source: { owner: string; source_identifier: string };
    input_parameters?: string;
  }[];
const rule = (stack: Json, identifier: string) => rules(stack).find((r) => r.source.source_identifier === identifier);

/** The registry with one guardrail's assert edited (a copy; the loaded one stays as it is). */
function withAssert(registry: GuardrailRegistry, id: string, edit: (assert: Record<string, unknown>) => void): GuardrailRegistry {
  const guardrails = registry.guardrails.map((g) => {
    if (g.id !== id) return g;
    const assert = structuredClone(g.assert) as Record<string, unknown>;
    edit(assert);
    return { ...g, assert };
  });
  return { ...registry, guardrails, byId: new Map(guardrails.map((g) => [g.id, g])) };
}

describe('baseline targets', () => {
  it('one AWS stack per account and region, one GCP stack per project, when the config turns them on', () => {
    const names = baselineTargets(config, source).map((t) => t.name);
    expect(names).toEqual([
      'baseline-aws-development-eu-west-1',
      'baseline-aws-production-eu-central-1',
      'baseline-aws-production-eu-west-1',
      'baseline-aws-staging-eu-central-1',
      'baseline-aws-staging-eu-west-1',
      'baseline-gcp-development',
      'baseline-gcp-production',
      'baseline-gcp-staging',
    ]);
  });

  it('none without a baseline section, none for a cloud the section leaves out', () => {
    const { baseline: _, ...without } = config;
    expect(baselineTargets(without as DbaasConfig, source)).toEqual([]);
    const awsOnly = { ...config, baseline: { notify: config.baseline!.notify, aws: {} } } as DbaasConfig;
    expect(baselineTargets(awsOnly, source).every((t) => t.cloud === 'aws')).toBe(true);
    expect(baselineNameFor(awsOnly, { cloud: 'gcp', environment: 'production', region: 'europe-west1' })).toBeUndefined();
    expect(baselineNameFor(config, { cloud: 'aws', environment: 'production', region: 'eu-west-1' })).toBe('baseline-aws-production-eu-west-1');
  });

  it('a database name starting with baseline- is refused', () => {
    expect(reservedNameError('baseline-aws-production-eu-west-1')?.code).toBe('DBAAS_RESERVED_NAME');
    expect(reservedNameError('orders')).toBeUndefined();
  });
});

describe('numbers come from the guardrails', () => {
  it('production takes backup-retention-minimum and backup-frequency-daily; staging has no retention number', () => {
    const prod = baselineNumbers(source.registry, source.overrides, 'production', 'aws');
    expect(prod.retentionDays).toBe(35);
    expect(prod.maxGapHours).toBe(25);
    expect(prod.vaultLock).toBe(true);
    expect(prod.sources).toContain('backup-retention-minimum');
    const staging = baselineNumbers(source.registry, source.overrides, 'staging', 'aws');
    expect(staging.retentionDays).toBeNull();
  });

  it('a guardrail turned off asks nothing', () => {
    const prod = baselineNumbers(
      source.registry,
      [{ guardrail: 'backup-retention-minimum', severity: 'off', reason: 'test reason here' } as never],
      'production',
      'aws',
    );
    expect(prod.retentionDays).toBeNull();
  });

  it('changing backup-retention-minimum to 42 days moves the Config rule and the Audit Manager control with it', async () => {
    const edited = withAssert(source.registry, 'backup-retention-minimum', (a) => {
      ((a.properties as any).backup.properties.retentionDays as { minimum: number }).minimum = 42;
    });
    const target = baselineTargets(config, { registry: edited, overrides: [] }).find((t) => t.name === 'baseline-aws-production-eu-west-1')!;
    const stack = parse((await synthBaseline(target, { ...ctx, config })).json);
    expect(JSON.parse(rule(stack, 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK')!.input_parameters!)).toEqual({
      requiredFrequencyUnit: 'days',
      requiredFrequencyValue: '1',
      requiredRetentionDays: '42',
    });
    expect(JSON.parse(rule(stack, 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK')!.input_parameters!)).toEqual({ requiredRetentionDays: '42' });
    const framework = Object.values(stack.resource.aws_backup_framework!)[0] as {
      control: { name: string; input_parameter?: { name: string; value: string }[] }[];
    };
    const control = framework.control.find((c) => c.name === 'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK')!;
    expect(control.input_parameter).toEqual([{ name: 'requiredRetentionDays', value: '42' }]);
    const remediation = Object.values(stack.resource.aws_config_remediation_configuration!).find(
      (r) => r.target_id === 'AWSConfigRemediation-EnableRDSInstanceBackup',
    ) as { parameter: { name: string; static_value?: string }[] };
    // RDS keeps automated backups at most 35 days.
    expect(remediation.parameter.find((p) => p.name === 'BackupRetentionPeriod')!.static_value).toBe('35');
  });

  it('changing the schedule gap to 12 hours moves the frequency and the last-recovery-point age', async () => {
    const edited = withAssert(source.registry, 'backup-frequency-daily', (a) => {
      a.backupScheduleMaxGapHours = 12;
    });
    const target = baselineTargets(config, { registry: edited, overrides: [] }).find((t) => t.name === 'baseline-aws-production-eu-west-1')!;
    const stack = parse((await synthBaseline(target, { ...ctx, config })).json);
    expect(JSON.parse(rule(stack, 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK')!.input_parameters!)).toMatchObject({
      requiredFrequencyUnit: 'hours',
      requiredFrequencyValue: '12',
    });
    for (const id of ['RDS_LAST_BACKUP_RECOVERY_POINT_CREATED', 'AURORA_LAST_BACKUP_RECOVERY_POINT_CREATED', 'DYNAMODB_LAST_BACKUP_RECOVERY_POINT_CREATED']) {
      expect(JSON.parse(rule(stack, id)!.input_parameters!)).toEqual({ recoveryPointAgeUnit: 'hours', recoveryPointAgeValue: '12' });
    }
  });
});

describe('AWS baseline stack', async () => {
  const stacks = await synthBaselines(config, source, ctx);
  const prod = parse(stacks.find((s) => s.name === 'baseline-aws-production-eu-west-1')!.json);
  const staging = stacks.find((s) => s.name === 'baseline-aws-staging-eu-west-1')!;

  it("builds the account's one CloudWatch Logs resource policy for every database's alert log (10 per account and region at most)", () => {
    const policies = Object.values(prod.resource.aws_cloudwatch_log_resource_policy ?? {}) as { policy_name: string; policy_document: string }[];
    expect(policies.map((p) => p.policy_name)).toEqual(['dbaas-alert-logs']);
    expect(JSON.parse(policies[0]!.policy_document).Statement[0]).toMatchObject({
      Effect: 'Allow',
      Principal: { Service: ['events.amazonaws.com', 'delivery.logs.amazonaws.com'] },
      Action: ['logs:CreateLogStream', 'logs:PutLogEvents'],
      Resource: 'arn:aws:logs:eu-west-1:111111111111:log-group:/aws/events/dbaas/*:*',
    });
  });

  it('has every managed rule the issue names, owned by AWS', () => {
    const ids = rules(prod)
      .map((r) => r.source.source_identifier)
      .sort();
    expect(ids).toEqual([
      'AURORA_LAST_BACKUP_RECOVERY_POINT_CREATED',
      'AURORA_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
      'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK',
      'BACKUP_RECOVERY_POINT_ENCRYPTED',
      'BACKUP_RECOVERY_POINT_MANUAL_DELETION_DISABLED',
      'BACKUP_RECOVERY_POINT_MINIMUM_RETENTION_CHECK',
      'DB_INSTANCE_BACKUP_ENABLED',
      'DYNAMODB_LAST_BACKUP_RECOVERY_POINT_CREATED',
      'DYNAMODB_PITR_ENABLED',
      'DYNAMODB_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
      'RDS_LAST_BACKUP_RECOVERY_POINT_CREATED',
      'RDS_RESOURCES_PROTECTED_BY_BACKUP_PLAN',
    ]);
    expect(rules(prod).every((r) => r.source.owner === 'AWS')).toBe(true);
    expect(JSON.parse(rule(prod, 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK')!.input_parameters!)).toEqual({
      requiredFrequencyUnit: 'days',
      requiredFrequencyValue: '1',
      requiredRetentionDays: '35',
    });
    // Without a retention parameter the rule only finds backups that are off (safe remediation).
    expect(rule(prod, 'DB_INSTANCE_BACKUP_ENABLED')!.input_parameters).toBeUndefined();
  });

  it('remediates DynamoDB PITR and RDS backups through the AWS runbooks, with the table or instance as the resource', () => {
    const rem = Object.values(prod.resource.aws_config_remediation_configuration!) as {
      target_id: string;
      config_rule_name: string;
      automatic: boolean;
      parameter: { name: string; resource_value?: string }[];
    }[];
    expect(rem.map((r) => r.target_id).sort()).toEqual(['AWSConfigRemediation-EnablePITRForDynamoDbTable', 'AWSConfigRemediation-EnableRDSInstanceBackup']);
    const pitr = rem.find((r) => r.target_id === 'AWSConfigRemediation-EnablePITRForDynamoDbTable')!;
    expect(pitr.config_rule_name).toContain('aws_config_config_rule.rule_dynamodb_pitr_enabled.name');
    expect(pitr.parameter.find((p) => p.name === 'TableName')!.resource_value).toBe('RESOURCE_ID');
  });

  it('sends NON_COMPLIANT compliance changes of its rules to the baseline e-mail, naming resource and rule', () => {
    const eventRule = Object.values(prod.resource.aws_cloudwatch_event_rule!)[0] as { event_pattern: string };
    expect(eventRule.event_pattern).toContain('Config Rules Compliance Change');
    expect(eventRule.event_pattern).toContain('NON_COMPLIANT');
    const target = Object.values(prod.resource.aws_cloudwatch_event_target!)[0] as {
      input_transformer: { input_paths: Record<string, string>; input_template: string };
    };
    expect(target.input_transformer.input_paths).toMatchObject({ rule: '$.detail.configRuleName', resource: '$.detail.resourceId' });
    expect(target.input_transformer.input_template).toContain('<resource>');
    expect(target.input_transformer.input_template).toContain('<rule>');
    const subs = Object.values(prod.resource.aws_sns_topic_subscription!) as { protocol: string; endpoint: string }[];
    expect(subs).toEqual([expect.objectContaining({ protocol: 'email', endpoint: 'dba-oncall@acme.example' })]);
  });

  it('has an Audit Manager framework and the three report plans, delivered to an encrypted private bucket', () => {
    const plans = Object.values(prod.resource.aws_backup_report_plan!) as {
      report_setting: { report_template: string };
      report_delivery_channel: { s3_bucket_name: string };
    }[];
    expect(plans.map((p) => p.report_setting.report_template).sort()).toEqual(['BACKUP_JOB_REPORT', 'CONTROL_COMPLIANCE_REPORT', 'RESTORE_JOB_REPORT']);
    const sse = Object.values(prod.resource.aws_s3_bucket_server_side_encryption_configuration!)[0] as {
      rule: { apply_server_side_encryption_by_default: { sse_algorithm: string } }[];
    };
    expect(sse.rule[0]!.apply_server_side_encryption_by_default.sse_algorithm).toBe('AES256');
    const block = Object.values(prod.resource.aws_s3_bucket_public_access_block!)[0]!;
    expect(block).toMatchObject({ block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true });
  });

  it('creates the Config recorder when the config says so, and names it as a prerequisite otherwise', async () => {
    expect(Object.keys(prod.resource.aws_config_configuration_recorder ?? {})).toHaveLength(1);
    expect(Object.keys(prod.resource.aws_config_delivery_channel ?? {})).toHaveLength(1);
    const without = { ...config, baseline: { ...config.baseline!, aws: { createConfigRecorder: false } } } as DbaasConfig;
    const target = baselineTargets(without, source).find((t) => t.name === 'baseline-aws-production-eu-west-1')!;
    const built = await synthBaseline(target, { ...ctx, config: without });
    expect(parse(built.json).resource.aws_config_configuration_recorder).toBeUndefined();
    expect(built.notes.join('\n')).toMatch(/configuration recorder/);
  });

  it('leaves out rules whose number no guardrail gives, and says so', () => {
    const json = parse(staging.json);
    expect(rule(json, 'BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK')).toBeUndefined();
    expect(rule(json, 'DB_INSTANCE_BACKUP_ENABLED')).toBeDefined();
    expect(staging.notes.join('\n')).toContain('BACKUP_PLAN_MIN_FREQUENCY_AND_MIN_RETENTION_CHECK');
  });

  it('keeps its state apart from the databases and records what it is', () => {
    const raw = JSON.parse(stacks.find((s) => s.name === 'baseline-aws-production-eu-west-1')!.json);
    expect(raw.terraform.backend.s3.key).toBe('dbaas/baseline-aws-production-eu-west-1/terraform.tfstate');
    expect(raw['//'].dbaas).toMatchObject({ baseline: 'baseline-aws-production-eu-west-1', cloud: 'aws', environment: 'production' });
  });

  it('is byte-identical when built twice', async () => {
    const again = await synthBaselines(config, source, ctx);
    expect(again.map((s) => s.json)).toEqual(stacks.map((s) => s.json));
  });
});

describe('GCP baseline stack', async () => {
  const stacks = await synthBaselines(config, source, ctx);
  const prod = parse(stacks.find((s) => s.name === 'baseline-gcp-production')!.json);

  it('defines Cloud SQL custom constraints in the organization and enforces them on the project in dry-run mode', () => {
    const constraints = Object.values(prod.resource.google_org_policy_custom_constraint!) as {
      name: string;
      parent: string;
      resource_types: string[];
      condition: string;
      action_type: string;
      method_types: string[];
    }[];
    expect(constraints.map((c) => c.name).sort()).toEqual(['custom.dbaasProductionBackupsOn', 'custom.dbaasProductionPitrOn']);
    for (const c of constraints) {
      expect(c.parent).toBe('organizations/123456789012');
      expect(c.resource_types).toEqual(['sqladmin.googleapis.com/Instance']);
      expect(c.action_type).toBe('ALLOW');
      expect(c.method_types).toEqual(['CREATE', 'UPDATE']);
    }
    expect(constraints.find((c) => c.name.endsWith('BackupsOn'))!.condition).toBe('resource.settings.backupConfiguration.enabled == true');
    expect(constraints.find((c) => c.name.endsWith('PitrOn'))!.condition).toContain('pointInTimeRecoveryEnabled == true');
    const policies = Object.values(prod.resource.google_org_policy_policy!) as { parent: string; dry_run_spec?: unknown; spec?: unknown }[];
    expect(policies).toHaveLength(2);
    for (const p of policies) {
      expect(p.parent).toBe('projects/acme-data-prod');
      expect(p.dry_run_spec).toEqual({ rules: [{ enforce: 'TRUE' }] });
      expect(p.spec).toBeUndefined();
    }
  });

  it('enforces for real when dryRun is false, and builds no constraint without an organization', async () => {
    const enforcing = { ...config, baseline: { ...config.baseline!, gcp: { organizationId: '123456789012', dryRun: false } } } as DbaasConfig;
    const t = baselineTargets(enforcing, source).find((x) => x.name === 'baseline-gcp-production')!;
    const policies = Object.values(parse((await synthBaseline(t, { ...ctx, config: enforcing })).json).resource.google_org_policy_policy!) as {
      spec?: unknown;
      dry_run_spec?: unknown;
    }[];
    expect(policies.every((p) => p.spec !== undefined && p.dry_run_spec === undefined)).toBe(true);
    const noOrg = { ...config, baseline: { ...config.baseline!, gcp: {} } } as DbaasConfig;
    const t2 = baselineTargets(noOrg, source).find((x) => x.name === 'baseline-gcp-production')!;
    expect(parse((await synthBaseline(t2, { ...ctx, config: noOrg })).json).resource.google_org_policy_custom_constraint).toBeUndefined();
  });

  it('detects Cloud SQL instances created without managed-by: dbaas and alerts the baseline e-mail', () => {
    const metric = Object.values(prod.resource.google_logging_metric!)[0] as { filter: string; metric_descriptor: { metric_kind: string; value_type: string } };
    expect(metric.filter).toContain('protoPayload.methodName="cloudsql.instances.create"');
    expect(metric.filter).toContain('NOT protoPayload.request.body.settings.userLabels."managed-by"="dbaas"');
    expect(metric.metric_descriptor).toMatchObject({ metric_kind: 'DELTA', value_type: 'INT64' });
    const alert = Object.values(prod.resource.google_monitoring_alert_policy!)[0] as {
      conditions: { condition_threshold: { filter: string } }[];
      notification_channels: string[];
      documentation: { content: string };
    };
    expect(alert.conditions[0]!.condition_threshold.filter).toContain('logging.googleapis.com/user/');
    expect(alert.notification_channels).toEqual(['${google_monitoring_notification_channel.baseline_email_0.id}']);
    // GCP's own template variable, kept literal for Terraform by the escape boundary.
    expect(alert.documentation.content).toContain('$${metric.label.instance}');
    const channel = Object.values(prod.resource.google_monitoring_notification_channel!)[0] as { type: string; labels: Record<string, string> };
    expect(channel).toMatchObject({ type: 'email', labels: { email_address: 'dba-oncall@acme.example' } });
  });
});
