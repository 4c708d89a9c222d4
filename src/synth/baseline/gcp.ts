// The GCP baseline for one project: Organization Policy custom constraints on Cloud SQL (when the
// config names the organization) enforced on the project, and detection of Cloud SQL instances
// created without dbaas's `managed-by: dbaas` label (src/synth/gcp/labels.ts sets it on every
// instance dbaas builds). Attributes checked against hashicorp/terraform-provider-google v6.50.0.
import { LoggingMetric } from '@cdktf/provider-google/lib/logging-metric/index.js';
import { MonitoringAlertPolicy } from '@cdktf/provider-google/lib/monitoring-alert-policy/index.js';
import { MonitoringNotificationChannel } from '@cdktf/provider-google/lib/monitoring-notification-channel/index.js';
import { OrgPolicyCustomConstraint } from '@cdktf/provider-google/lib/org-policy-custom-constraint/index.js';
import { OrgPolicyPolicy } from '@cdktf/provider-google/lib/org-policy-policy/index.js';
import { GoogleProvider } from '@cdktf/provider-google/lib/provider/index.js';
import type { TerraformStack } from 'cdktf';
import { addNote } from '../notes.js';
import type { SynthContext } from '../types.js';
import type { GcpBaselineTarget } from './index.js';

export interface CustomConstraintSpec {
  /** The part after `custom.` (letters and digits only). */
  readonly id: string;
  readonly displayName: string;
  /** CEL over the Cloud SQL Admin API's DatabaseInstance resource; the instance is allowed when it holds. */
  readonly condition: string;
}

const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/**
 * Custom constraints on sqladmin.googleapis.com/Instance ("Add custom organization policies",
 * https://cloud.google.com/sql/docs/postgres/org-policy/custom-org-policy, lists the resource). CEL
 * field names are the Cloud SQL Admin API's DatabaseInstance (settings.backupConfiguration.enabled,
 * settings.backupConfiguration.pointInTimeRecoveryEnabled, databaseVersion such as POSTGRES_16 or
 * SQLSERVER_2022_STANDARD: https://cloud.google.com/sql/docs/postgres/admin-api/rest/v1beta4/instances).
 * That page's table of supported fields was not readable here: the dry-run default lets an apply
 * show a refused field before anything is enforced. MySQL's PITR is binary logging, not asked for here.
 */
export function customConstraints(target: GcpBaselineTarget): CustomConstraintSpec[] {
  const env = capital(target.environment);
  const out: CustomConstraintSpec[] = [
    {
      id: `dbaas${env}BackupsOn`,
      displayName: `dbaas (${target.environment}): Cloud SQL automated backups on`,
      condition: 'resource.settings.backupConfiguration.enabled == true',
    },
  ];
  if (target.numbers.pitr) {
    out.push({
      id: `dbaas${env}PitrOn`,
      displayName: `dbaas (${target.environment}): Cloud SQL PITR on for PostgreSQL and SQL Server`,
      condition:
        "!(resource.databaseVersion.startsWith('POSTGRES') || " +
        "resource.databaseVersion.startsWith('SQLSERVER')) || " +
        'resource.settings.backupConfiguration.pointInTimeRecoveryEnabled == true',
    });
  }
  return out;
}

/** The label-less create filter (Cloud Audit Logs, Admin Activity, method cloudsql.instances.create). */
export const UNMANAGED_CREATE_FILTER = [
  'protoPayload.serviceName="cloudsql.googleapis.com"',
  'protoPayload.methodName="cloudsql.instances.create"',
  'NOT protoPayload.request.body.settings.userLabels."managed-by"="dbaas"',
].join(' AND ');

export function buildGcpBaseline(stack: TerraformStack, target: GcpBaselineTarget, ctx: SynthContext): void {
  const settings = ctx.config.baseline!;
  const gcp = settings.gcp ?? {};
  const { projectId, environment } = target;
  new GoogleProvider(stack, 'google', { project: projectId, region: target.region });

  if (gcp.organizationId) {
    const dryRun = gcp.dryRun ?? true;
    for (const c of customConstraints(target)) {
      const constraint = new OrgPolicyCustomConstraint(stack, `constraint_${c.id}`, {
        parent: `organizations/${gcp.organizationId}`,
        name: `custom.${c.id}`,
        displayName: c.displayName,
        description: `dbaas baseline for ${projectId}: ${c.displayName}`,
        actionType: 'ALLOW',
        condition: c.condition,
        methodTypes: ['CREATE', 'UPDATE'],
        resourceTypes: ['sqladmin.googleapis.com/Instance'],
      });
      // google_org_policy_policy: spec enforces; dry_run_spec only logs violations (dry-run mode).
      new OrgPolicyPolicy(stack, `policy_${c.id}`, {
        name: `projects/${projectId}/policies/${constraint.name}`,
        parent: `projects/${projectId}`,
        ...(dryRun ? { dryRunSpec: { rules: [{ enforce: 'TRUE' }] } } : { spec: { rules: [{ enforce: 'TRUE' }] } }),
      });
    }
    addNote(
      stack,
      `the deploy identity needs roles/orgpolicy.policyAdmin on organization ${gcp.organizationId}; ` +
        `constraints run in ${dryRun ? 'dry-run mode (violations are logged, nothing is refused)' : 'enforcing mode'}`,
    );
  } else {
    addNote(stack, 'no baseline.gcp.organizationId: no Cloud SQL organization policy constraints; unmanaged instances are only detected');
  }

  if (gcp.detection ?? true) {
    const metric = new LoggingMetric(stack, 'unmanaged_instances', {
      name: `dbaas-unmanaged-cloudsql-${environment}`,
      description: 'Cloud SQL instances created without the managed-by: dbaas label',
      filter: UNMANAGED_CREATE_FILTER,
      metricDescriptor: {
        metricKind: 'DELTA',
        valueType: 'INT64',
        unit: '1',
        labels: [{ key: 'instance', valueType: 'STRING', description: 'the instance resource name' }],
      },
      labelExtractors: { instance: 'EXTRACT(protoPayload.resourceName)' },
    });
    const channels = settings.notify.email.map(
      (address, i) =>
        new MonitoringNotificationChannel(stack, `baseline_email_${i}`, {
          displayName: `dbaas baseline ${environment}: ${address}`,
          type: 'email',
          labels: { email_address: address },
        }),
    );
    new MonitoringAlertPolicy(stack, 'unmanaged_instances_alert', {
      displayName: `dbaas: Cloud SQL instance created outside dbaas (${projectId})`,
      combiner: 'OR',
      conditions: [
        {
          displayName: 'cloudsql.instances.create without managed-by: dbaas',
          conditionThreshold: {
            filter: `metric.type="logging.googleapis.com/user/${metric.name}"`,
            comparison: 'COMPARISON_GT',
            thresholdValue: 0,
            duration: '0s',
            aggregations: [{ alignmentPeriod: '300s', perSeriesAligner: 'ALIGN_SUM' }],
          },
        },
      ],
      // Cloud Monitoring fills ${metric.label.instance} in (escape.ts keeps it literal for Terraform).
      documentation: {
        mimeType: 'text/markdown',
        content:
          'Cloud SQL instance ${metric.label.instance} was created without the managed-by: dbaas label: it has ' +
          'no dbaas guardrails. Bring it under a Database spec or delete it.',
      },
      notificationChannels: channels.map((c) => c.id),
    });
  }
}
