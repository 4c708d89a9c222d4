import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { exportWindowHours } from '../../../src/synth/gcp/exports.js';
import { exampleDb, featureDb, named, only, resources, synthFeature, synthJson, unescapeTerraform, withChanges, type TfJson } from './helpers.js';

function workflowOf(json: TfJson, part = 'export_workflow') {
  const wf = named(json, 'google_workflows_workflow', part);
  return { wf, source: parse(unescapeTerraform(wf.source_contents as string)) };
}

describe('scheduled exports', () => {
  const warehouse = synthJson(exampleDb('warehouse-meta'));

  it('are only generated when the policy has exports', () => {
    for (const type of ['google_storage_bucket', 'google_workflows_workflow', 'google_cloud_scheduler_job', 'google_service_account']) {
      expect(resources(synthJson(exampleDb('reports')), type)).toHaveLength(0);
    }
  });

  it('write to a locked-down bucket in the copy region with lifecycle and retention', () => {
    const bucket = only(warehouse, 'google_storage_bucket');
    expect(bucket).toMatchObject({
      name: 'acme-data-prod-warehouse-meta-exports',
      location: 'europe-west4',
      uniform_bucket_level_access: true,
      public_access_prevention: 'enforced',
      force_destroy: false,
      retention_policy: { retention_period: 30 * 86_400, is_locked: true },
      lifecycle_rule: [{ action: { type: 'Delete' }, condition: { age: 30 } }],
    });
    // GCS refuses versioning together with a retention policy; see README.
    expect(bucket.versioning).toEqual({ enabled: false });
    expect(bucket.lifecycle.prevent_destroy).toBe(true);
  });

  it('use the instance region without copies, and an unlocked retention policy without a compliance lock', () => {
    const db = withChanges(exampleDb('warehouse-meta'), { backup: { copies: [], vaultLock: undefined } });
    const bucket = only(synthJson(db), 'google_storage_bucket');
    expect(bucket.location).toBe('europe-west1');
    expect(bucket.retention_policy.is_locked).toBe(false);
  });

  it("let the instance's own service account (which writes export files) write the bucket", () => {
    const grant = only(warehouse, 'google_storage_bucket_iam_member');
    expect(grant.role).toBe('roles/storage.objectAdmin');
    expect(grant.member).toMatch(/^serviceAccount:\$\{google_sql_database_instance\.[^.]+\.service_account_email_address\}$/);
    expect(grant.member).not.toContain('gcp-sa-cloud-sql');
    expect(grant.bucket).toMatch(/^\$\{google_storage_bucket\.[^.]+\.name\}$/);
  });

  it('run a workflow exporting every database except the excluded ones', () => {
    const { wf, source } = workflowOf(warehouse);
    const assign = source.main.steps[0].init.assign;
    expect(assign).toContainEqual({ databases: ['reporting', 'events'] });
    expect(JSON.stringify(source)).not.toContain('scratch');
    expect(assign).toContainEqual({ bucket: 'acme-data-prod-warehouse-meta-exports' });
    expect(assign).toContainEqual({ project: 'acme-data-prod' });
    expect(wf).toMatchObject({ name: 'warehouse-meta-export', region: 'europe-west1', call_log_level: 'LOG_ERRORS_ONLY', deletion_protection: true });
    expect(wf.service_account).toMatch(/^\$\{google_service_account\.exports_runner_[A-F0-9]+\.email\}$/);
  });

  it('escape the workflow expressions so Terraform does not read them', () => {
    const { wf } = workflowOf(warehouse);
    expect(wf.source_contents).toContain('$${database}');
    expect((wf.source_contents as string).replace(/\$\$\{/g, '')).not.toContain('${');
  });

  it('resolve glob exclusions per export', () => {
    const ledger = synthFeature('ledger');
    expect(workflowOf(ledger, 'export_workflow').source.main.steps[0].init.assign).toContainEqual({ databases: ['ledger', 'ledger_archive'] });
    expect(workflowOf(ledger, 'export-2_workflow').source.main.steps[0].init.assign).toContainEqual({ databases: ['ledger', 'tmp_import'] });
    expect(
      resources(ledger, 'google_storage_bucket')
        .map(([, b]) => b.name)
        .sort(),
    ).toEqual(['core-prod-ledger-exports', 'core-prod-ledger-exports-2']);
  });

  it('start on the export schedule and timezone, posting to the Workflow Executions API with OAuth and retries', () => {
    const job = named(warehouse, 'google_cloud_scheduler_job', 'exports_'); // (its restore drill has its own job)
    expect(job).toMatchObject({ name: 'warehouse-meta-export', region: 'europe-west1', schedule: '0 3 * * *', time_zone: 'Europe/Brussels' });
    expect(job.retry_config).toEqual({ retry_count: 3, min_backoff_duration: '60s', max_backoff_duration: '600s', max_doublings: 3, max_retry_duration: '0s' });
    expect(job.http_target.http_method).toBe('POST');
    expect(job.http_target.uri).toMatch(
      /^https:\/\/workflowexecutions\.googleapis\.com\/v1\/\$\{google_workflows_workflow\.exports_export_workflow_[A-F0-9]+\.id\}\/executions$/,
    );
    expect(job.http_target.oauth_token.scope).toBe('https://www.googleapis.com/auth/cloud-platform');
    expect(job.http_target.oauth_token.service_account_email).toMatch(/^\$\{google_service_account\.exports_starter_[A-F0-9]+\.email\}$/);
    expect(JSON.parse(Buffer.from(job.http_target.body, 'base64').toString('utf8'))).toEqual({ argument: '{}', callLogLevel: 'LOG_ERRORS_ONLY' });
  });

  it('default the export timezone to the policy timezone', () => {
    const ledger = synthFeature('ledger');
    expect(named(ledger, 'google_cloud_scheduler_job', 'export_schedule').time_zone).toBe('America/New_York');
    expect(named(ledger, 'google_cloud_scheduler_job', 'export-2_schedule')).toMatchObject({ time_zone: 'Europe/Dublin', schedule: '0 6 1 * *' });
  });

  it('give the workflow only export on this instance, and the scheduler only workflow invocation', () => {
    const role = named(warehouse, 'google_project_iam_custom_role', 'export-role');
    expect(role.permissions).toEqual(['cloudsql.instances.export', 'cloudsql.instances.get']);
    // (the Backup and DR vault agent's role is not an export grant)
    const members = resources(warehouse, 'google_project_iam_member')
      .filter(([id]) => id.startsWith('exports_'))
      .map(([, m]) => m); // (the vault agent's and the restore drill's grants are not export grants)
    const exportGrant = members.find((m) => String(m.role).includes('google_project_iam_custom_role.exports_'));
    expect(exportGrant?.condition.expression).toBe(
      'resource.type != "sqladmin.googleapis.com/Instance" || resource.name == "projects/acme-data-prod/instances/warehouse-meta"',
    );
    expect(exportGrant?.member).toMatch(/exports_runner_/);
    expect(
      members
        .map((m) => m.role)
        .filter((r) => String(r).startsWith('roles/'))
        .sort(),
    ).toEqual(['roles/logging.logWriter', 'roles/workflows.invoker']);
    expect(members.find((m) => m.role === 'roles/workflows.invoker')?.member).toMatch(/exports_starter_/);
    expect(members.find((m) => m.role === 'roles/logging.logWriter')?.member).toMatch(/exports_runner_/);
    expect(
      resources(warehouse, 'google_service_account')
        .filter(([id]) => id.startsWith('exports_'))
        .map(([, sa]) => sa.account_id)
        .sort(),
    ).toEqual(['warehouse-meta-export', 'warehouse-meta-export-start']);
  });

  it('share one pair of service accounts across several exports', () => {
    expect(resources(synthFeature('ledger'), 'google_service_account')).toHaveLength(2);
    expect(resources(synthFeature('ledger'), 'google_workflows_workflow')).toHaveLength(2);
  });

  it('alert after the longest gap of the export schedule when that beats missingAfterHours', () => {
    const exp = featureDb('ledger').backup.exports;
    expect(exportWindowHours(exp[0]!, 12)).toBe(26); // daily
    expect(exportWindowHours(exp[1]!, 12)).toBe(31 * 24 + 2); // monthly
    expect(exportWindowHours({ schedule: '0 */6 * * *', retentionDays: 1 }, 12)).toBe(12);
  });
});
