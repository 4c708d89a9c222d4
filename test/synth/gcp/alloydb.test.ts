import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { RETRY_TRANSIENT } from '../../../src/synth/gcp/workflow.js';
import { SynthError } from '../../../src/synth/errors.js';
import { secretReads } from '../../../src/synth/secret-free.js';
import { ALLOYDB_UNSUPPORTED_FIELDS, alloydbProblems, alloydbServiceAgent } from '../../../src/synth/gcp/alloydb-checks.js';
import { alloyDb, alloyJson, alloyNotes, alloyText } from './alloydb-helpers.js';
import { exampleDb, only, resources } from './helpers.js';

describe('AlloyDB cluster', () => {
  const db = alloyDb();
  const json = alloyJson(db);
  const cluster = only(json, 'google_alloydb_cluster');
  const policy = cluster.automated_backup_policy;

  it('maps engine, version, placement and network', () => {
    expect(cluster.cluster_id).toBe('warehouse-meta');
    expect(cluster.location).toBe('europe-west1');
    expect(cluster.project).toBe('acme-data-prod');
    expect(cluster.database_version).toBe('POSTGRES_16');
    expect(cluster.network_config).toEqual({ network: 'projects/acme-network/global/networks/private' });
    expect(cluster.psc_config).toBeUndefined();
    expect(json.provider?.google?.[0]).toEqual({ project: 'acme-data-prod', region: 'europe-west1' });
    expect(only(alloyJson(alloyDb({ version: '15.4' })), 'google_alloydb_cluster').database_version).toBe('POSTGRES_15');
  });

  it('schedules automated backups weekly at the policy hour in UTC, in the cluster region, within the completion window', () => {
    expect(policy.enabled).toBe(true);
    expect(policy.weekly_schedule.days_of_week).toEqual(['MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY', 'SUNDAY']);
    expect(policy.weekly_schedule.start_times).toEqual([{ hours: 20, minutes: 0, seconds: 0, nanos: 0 }]);
    expect(policy.location).toBe('europe-west1');
    expect(policy.backup_window).toBe(`${db.backup.completionWindowMinutes * 60}s`);
    const weekly = only(alloyJson(alloyDb({ backup: { schedule: '0 23 * * 6', timezone: 'America/New_York' } })), 'google_alloydb_cluster')
      .automated_backup_policy.weekly_schedule;
    expect(weekly).toEqual({ days_of_week: ['SUNDAY'], start_times: [{ hours: 4, minutes: 0, seconds: 0, nanos: 0 }] });
  });

  it('writes no automated backup policy when backup.enabled is false (google 6.50 drops enabled = false), and says how to turn an existing one off', () => {
    const off = alloyDb({ backup: { enabled: false } });
    const offJson = alloyJson(off);
    const c = only(offJson, 'google_alloydb_cluster');
    expect(c.automated_backup_policy).toBeUndefined();
    expect(JSON.stringify(c)).not.toContain('weekly_schedule');
    expect(alloyNotes(off).join('\n')).toContain('gcloud alloydb clusters update warehouse-meta --region=europe-west1 --disable-automated-backup');
    // Nothing to check: no backup-check workflow, scheduler or backup alerts.
    expect(resources(offJson, 'google_workflows_workflow')).toHaveLength(0);
    expect(resources(offJson, 'google_cloud_scheduler_job')).toHaveLength(0);
    expect(resources(offJson, 'google_monitoring_alert_policy')).toHaveLength(0);
  });

  it('keeps backups for retentionDays (time-based retention, not a count)', () => {
    expect(policy.time_based_retention).toEqual({ retention_period: `${35 * 86_400}s` });
    expect(policy.quantity_based_retention).toBeUndefined();
    expect(
      only(alloyJson(alloyDb({ backup: { retentionDays: 400 } })), 'google_alloydb_cluster').automated_backup_policy.time_based_retention.retention_period,
    ).toBe('34560000s');
  });

  it('turns continuous backup on with the PITR window, and writes it off when PITR is off (AlloyDB defaults it on)', () => {
    expect(cluster.continuous_backup_config).toMatchObject({ enabled: true, recovery_window_days: 7 });
    const off = only(alloyJson(alloyDb({ backup: { pointInTimeRecovery: { enabled: false, retentionDays: 7 } } })), 'google_alloydb_cluster');
    expect(off.continuous_backup_config).toEqual({ enabled: false });
    const long = only(alloyJson(alloyDb({ backup: { pointInTimeRecovery: { enabled: true, retentionDays: 35 } } })), 'google_alloydb_cluster');
    expect(long.continuous_backup_config.recovery_window_days).toBe(35);
  });

  it('encrypts the cluster, its automated backups and its continuous backups with one customer-managed key granted to the AlloyDB agent', () => {
    const key = only(json, 'google_kms_crypto_key');
    expect(key.name).toBe('warehouse-meta-sql');
    const keyId = cluster.encryption_config.kms_key_name as string;
    expect(keyId).toMatch(/^\$\{google_kms_crypto_key\.[A-Za-z0-9_]+\.id\}$/);
    expect(policy.encryption_config).toEqual({ kms_key_name: keyId });
    expect(cluster.continuous_backup_config.encryption_config).toEqual({ kms_key_name: keyId });
    const grant = only(json, 'google_kms_crypto_key_iam_member');
    expect(grant.member).toBe('serviceAccount:service-123456789012@gcp-sa-alloydb.iam.gserviceaccount.com');
    expect(grant.role).toBe('roles/cloudkms.cryptoKeyEncrypterDecrypter');
    expect(cluster.depends_on).toEqual([expect.stringMatching(/^google_kms_crypto_key_iam_member\./)]);
  });

  it('uses a named Cloud KMS key as is, and no key at all without storage encryption', () => {
    const ref = 'projects/acme-sec/locations/europe-west1/keyRings/r/cryptoKeys/k';
    const named = alloyJson(alloyDb({ backup: { encryption: { kmsKey: ref } } }));
    expect(only(named, 'google_alloydb_cluster').encryption_config).toEqual({ kms_key_name: ref });
    expect(resources(named, 'google_kms_crypto_key')).toHaveLength(0);
    const plain = only(alloyJson(alloyDb({ storageEncrypted: false })), 'google_alloydb_cluster');
    expect(plain.encryption_config).toBeUndefined();
    expect(plain.automated_backup_policy.encryption_config).toBeUndefined();
  });

  it('derives the AlloyDB service agent from the project number of the Cloud SQL agent', () => {
    expect(alloydbServiceAgent(exampleDb('warehouse-meta').placement)).toBe('service-123456789012@gcp-sa-alloydb.iam.gserviceaccount.com');
    const placement = { ...exampleDb('warehouse-meta').placement, cloudSqlServiceAgent: undefined };
    expect(alloydbServiceAgent(placement as never)).toBeUndefined();
    expect(alloydbProblems(alloyDb({ placement: placement as never })).map((p) => p.code)).toContain('DBAAS_GCP_NO_SERVICE_AGENT');
  });

  it('protects from destroy through lifecycle (google 6.50 has no AlloyDB deletion_protection)', () => {
    expect(cluster.lifecycle).toEqual({ prevent_destroy: true });
    expect(cluster.deletion_protection).toBeUndefined();
    expect(cluster.deletion_policy).toBe('DEFAULT');
    expect(only(json, 'google_alloydb_instance').lifecycle).toEqual({ prevent_destroy: true });
    const dev = alloyJson(alloyDb({ deletionProtection: false, environment: 'development' }));
    expect(only(dev, 'google_alloydb_cluster').lifecycle).toEqual({ prevent_destroy: false });
  });

  it('sets the maintenance window day and hour', () => {
    const mw = alloyJson(alloyDb({ maintenanceWindow: { day: 'tue', startTime: '04:00', durationMinutes: 60 } }));
    expect(only(mw, 'google_alloydb_cluster').maintenance_update_policy).toEqual({
      maintenance_windows: [{ day: 'TUESDAY', start_time: { hours: 4, minutes: 0, seconds: 0, nanos: 0 } }],
    });
  });

  it('puts no password anywhere: no initial_user, no user password, no secret read', () => {
    const text = alloyText(alloyDb({ users: [{ name: 'analyst@example.com' }, { name: 'etl@acme-data-prod.iam.gserviceaccount.com' }] }));
    expect(text).not.toMatch(/password/i);
    expect(secretReads(JSON.parse(text))).toEqual([]); // the checker every stack passes through
    // ...and it would catch an initial_user password if one were ever added
    const withPassword = JSON.parse(text);
    (Object.values(withPassword.resource.google_alloydb_cluster)[0] as any).initial_user = { user: 'postgres', password: 'x' };
    expect(secretReads(withPassword).length).toBeGreaterThan(0);
    expect(text).not.toMatch(/secret_manager|secret_data/);
    expect(cluster.initial_user).toBeUndefined();
    expect(alloyNotes(db).join('\n')).toContain('gets no initial_user');
  });
});

describe('AlloyDB primary instance and users', () => {
  const json = alloyJson(alloyDb({ users: [{ name: 'analyst@example.com' }, { name: 'etl@acme-data-prod.iam.gserviceaccount.com' }] }));
  const instance = only(json, 'google_alloydb_instance');

  it('is the PRIMARY of the cluster, REGIONAL with high availability and ZONAL without', () => {
    expect(instance.instance_type).toBe('PRIMARY');
    expect(instance.cluster).toMatch(/^\$\{google_alloydb_cluster\.[A-Za-z0-9_]+\.name\}$/);
    expect(instance.instance_id).toBe('warehouse-meta-primary');
    expect(instance.availability_type).toBe('REGIONAL');
    expect(only(alloyJson(alloyDb({ highAvailability: false })), 'google_alloydb_instance').availability_type).toBe('ZONAL');
  });

  it('takes its vCPUs (and machine type) from the size map', () => {
    expect(instance.machine_config).toEqual({ cpu_count: 4 });
    expect(only(alloyJson(alloyDb({ instanceClass: 'c4a-highmem-8-lssd' })), 'google_alloydb_instance').machine_config).toEqual({
      cpu_count: 8,
      machine_type: 'c4a-highmem-8-lssd',
    });
  });

  it('requires TLS when requireSsl, has no public IP', () => {
    expect(instance.client_connection_config).toEqual({ ssl_config: { ssl_mode: 'ENCRYPTED_ONLY' } });
    expect(only(alloyJson(alloyDb({ requireSsl: false })), 'google_alloydb_instance').client_connection_config.ssl_config.ssl_mode).toBe(
      'ALLOW_UNENCRYPTED_AND_ENCRYPTED',
    );
    expect(instance.network_config).toEqual({ enable_public_ip: false });
  });

  it('creates IAM users (service accounts without the domain suffix) and turns on IAM authentication', () => {
    expect(instance.database_flags).toEqual({ 'alloydb.iam_authentication': 'on' });
    const users = resources(json, 'google_alloydb_user').map(([, u]) => u);
    expect(users.map((u) => [u.user_id, u.user_type])).toEqual([
      ['analyst@example.com', 'ALLOYDB_IAM_USER'],
      ['etl@acme-data-prod.iam', 'ALLOYDB_IAM_USER'],
    ]);
    expect(only(alloyJson(alloyDb({ users: [] })), 'google_alloydb_instance').database_flags).toBeUndefined();
  });

  it('names the project roles IAM users need and grants no project-wide role to them', () => {
    const withUsers = alloyDb({ users: [{ name: 'analyst@example.com' }] });
    const note = alloyNotes(withUsers).find((n) => n.startsWith('IAM database users'));
    expect(note).toContain('analyst@example.com');
    expect(note).toContain('roles/alloydb.databaseUser and roles/serviceusage.serviceUsageConsumer on project acme-data-prod');
    const grants = resources(alloyJson(withUsers), 'google_project_iam_member').map(([, m]) => String(m.member));
    expect(grants.some((m) => m.includes('analyst@example.com'))).toBe(false);
    expect(alloyNotes(alloyDb({ users: [] })).some((n) => n.startsWith('IAM database users'))).toBe(false);
  });
});

describe('AlloyDB backup alerts', () => {
  const json = alloyJson(alloyDb());
  const byTitle = (title: string) => {
    const found = resources(json, 'google_monitoring_alert_policy')
      .map(([, p]) => p)
      .filter((p) => String(p.display_name).includes(title));
    if (found.length !== 1) throw new Error(`expected one policy titled ${title}, found ${found.length}`);
    return found[0]!;
  };
  const policies = { alerts_backup_failed: byTitle('AlloyDB backup failed'), alerts_backup_missing: byTitle('no AlloyDB backup for') };

  const workflow = only(json, 'google_workflows_workflow');
  const cluster = 'projects/acme-data-prod/locations/europe-west1/clusters/warehouse-meta';
  const hours = Math.max(26, 24 + Math.ceil(alloyDb().backup.completionWindowMinutes / 60));

  it('checks backups with an hourly workflow that lists them through the AlloyDB Admin API and matches the exact cluster', () => {
    expect(workflow.name).toBe('warehouse-meta-backup-check');
    expect(workflow.region).toBe('europe-west1');
    // The stack writes the workflow's own ${...} escaped for Terraform ($${...}); Terraform passes them on as ${...}.
    const source = parse((workflow.source_contents as string).replaceAll('$${', '${')) as { main: { steps: Record<string, any>[] }; retry_transient: unknown };
    const step = (name: string) => source.main.steps.find((s) => name in s)![name];
    const init = Object.assign({}, ...step('init').assign);
    expect(init.cluster).toBe(cluster);
    expect(init.parent).toBe('projects/acme-data-prod/locations/europe-west1');
    expect(init.max_age_seconds).toBe(hours * 3600);
    const list = step('list_page');
    expect(list.try.call).toBe('http.get');
    expect(list.try.args.url).toBe('${"https://alloydb.googleapis.com/v1/" + parent + "/backups"}');
    expect(list.try.args.auth).toEqual({ type: 'OAuth2' });
    expect(list.try.args.query.pageToken).toBe('${page_token}');
    expect(list.retry.predicate).toBe('${retry_transient}');
    expect(source.retry_transient).toEqual(RETRY_TRANSIENT);
    // Exact equality on clusterName (never a substring), newest READY AUTOMATED backup, recent FAILED ones.
    const [newest, failed] = step('scan').for.steps[0].classify.switch.map((c: { condition: string }) => c.condition);
    expect(newest).toContain('default(map.get(b, "clusterName"), "") == cluster');
    expect(newest).toContain('default(map.get(b, "type"), "") == "AUTOMATED"');
    expect(newest).toContain('default(map.get(b, "state"), "") == "READY"');
    expect(failed).toContain('default(map.get(b, "clusterName"), "") == cluster');
    expect(failed).toContain('default(map.get(b, "state"), "") == "FAILED"');
    expect(newest).not.toMatch(/text\.match_regex|text\.find|in cluster/);
    // Pages through nextPageToken, then logs one structured ERROR entry per finding.
    expect(step('next_page').switch[0].next).toBe('set_token');
    expect(step('set_token').next).toBe('list_page');
    expect(step('report_failed').switch[0].steps[0].log_failed).toEqual({
      call: 'sys.log',
      args: { severity: 'ERROR', json: { dbaas_check: 'alloydb-backup-failed', cluster: '${cluster}', backups: '${failed}' } },
    });
    expect(step('report_missing').switch[0].condition).toBe('${now - newest > max_age_seconds}');
    expect(step('report_missing').switch[0].steps[0].log_missing.args.json.dbaas_check).toBe('alloydb-backup-missing');
  });

  it('starts the check hourly from Cloud Scheduler with its own invoker, and lets the runner only read AlloyDB and write logs', () => {
    const job = only(json, 'google_cloud_scheduler_job');
    expect(job.schedule).toBe('15 * * * *');
    expect(job.time_zone).toBe('UTC');
    expect(job.http_target.uri).toMatch(/^https:\/\/workflowexecutions\.googleapis\.com\/v1\/\$\{google_workflows_workflow\.[A-Za-z0-9_]+\.id\}\/executions$/);
    const accounts = resources(json, 'google_service_account').map(([id, a]) => [id, a.account_id as string] as const);
    expect(accounts.map(([, a]) => a).sort()).toEqual(['warehouse-meta-backup-check', 'warehouse-meta-check-start']);
    const runner = accounts.find(([, a]) => a === 'warehouse-meta-backup-check')![0];
    const starter = accounts.find(([, a]) => a === 'warehouse-meta-check-start')![0];
    expect(workflow.service_account).toBe(`\${google_service_account.${runner}.email}`);
    expect(job.http_target.oauth_token.service_account_email).toBe(`\${google_service_account.${starter}.email}`);
    const grants = resources(json, 'google_project_iam_member')
      .map(([, m]) => `${m.role} ${m.member}`)
      .sort();
    expect(grants).toEqual(
      [
        `roles/alloydb.viewer \${google_service_account.${runner}.member}`,
        `roles/logging.logWriter \${google_service_account.${runner}.member}`,
        `roles/workflows.invoker \${google_service_account.${starter}.member}`,
      ].sort(),
    );
  });

  it("alerts on the check's failed and missing entries of this cluster, and when the check stops running", () => {
    const failedFilter = policies.alerts_backup_failed.conditions[0].condition_matched_log.filter as string;
    expect(failedFilter.split('\n')).toEqual([
      'resource.type="workflows.googleapis.com/Workflow"',
      'resource.labels.workflow_id="warehouse-meta-backup-check"',
      'resource.labels.location="europe-west1"',
      'severity>=ERROR',
      'jsonPayload.dbaas_check="alloydb-backup-failed"',
      `jsonPayload.cluster="${cluster}"`,
    ]);
    expect(policies.alerts_backup_failed.alert_strategy.notification_rate_limit.period).toBe('3600s');
    expect(policies.alerts_backup_failed.severity).toBe('CRITICAL');
    const missing = policies.alerts_backup_missing;
    expect(missing.display_name).toBe(`dbaas warehouse-meta: no AlloyDB backup for ${hours}h`);
    expect(missing.conditions[0].condition_matched_log.filter).toContain('jsonPayload.dbaas_check="alloydb-backup-missing"');
    expect(missing.conditions[0].condition_matched_log.filter).toContain(`jsonPayload.cluster="${cluster}"`);
    // No log-based metric and no threshold with a duration past 25 h: the workflow measures the age.
    expect(resources(json, 'google_logging_metric')).toHaveLength(0);
    expect(JSON.stringify(json)).not.toContain('condition_threshold');
    const absent = byTitle('AlloyDB backup check not running').conditions[0].condition_absent;
    expect(absent.filter).toContain('resource.labels.workflow_id = "warehouse-meta-backup-check"');
    expect(absent.filter).toContain('metric.labels.status = "SUCCEEDED"');
    expect(absent.duration).toBe('10800s');
  });

  it('widens the missing window for a weekly schedule and says so', () => {
    const weekly = alloyDb({ backup: { schedule: '0 5 * * 0' } });
    const wj = alloyJson(weekly);
    const p = resources(wj, 'google_monitoring_alert_policy')
      .map(([, x]) => x)
      .find((x) => /no AlloyDB backup/.test(x.display_name))!;
    const weeklyHours = 168 + Math.ceil(weekly.backup.completionWindowMinutes / 60);
    expect(p.display_name).toContain(`${weeklyHours}h`);
    expect(only(wj, 'google_workflows_workflow').source_contents).toContain(`- max_age_seconds: ${weeklyHours * 3600}\n`);
    expect(alloyNotes(weekly).join('\n')).toContain(`fires after ${weeklyHours}h`);
  });

  it('documents every alert with a runbook naming the cluster, its project and the commands to look and re-run', () => {
    const policies = resources(json, 'google_monitoring_alert_policy');
    expect(policies).toHaveLength(3);
    for (const [id, p] of policies) {
      const content = String(p.documentation.content).replaceAll('$${', '${');
      expect(p.documentation.mime_type, id).toBe('text/markdown');
      expect(content, id).toContain('**dbaas warehouse-meta**');
      expect(content, id).toContain('Console: https://console.cloud.google.com/alloydb/clusters?project=acme-data-prod');
      expect(content, id).toContain(`gcloud alloydb backups list --region=europe-west1 --project=acme-data-prod --filter="clusterName=${cluster}"`);
      expect(content, id).toContain('gcloud logging read');
      expect(content, id).toContain('gcloud alloydb backups create warehouse-meta-manual-');
    }
  });

  it('routes production backup alerts to page, notify and record channels', () => {
    const channels = resources(json, 'google_monitoring_notification_channel');
    expect(channels.length).toBeGreaterThan(0);
    const pager = channels.filter(([, c]) => String(c.display_name).startsWith('analytics-pager:')).map(([id]) => id);
    expect(pager.length).toBeGreaterThan(0);
    for (const id of pager) expect(JSON.stringify(policies.alerts_backup_failed.notification_channels)).toContain(id);
  });

  it('builds no failure alert without onFailure', () => {
    const quiet = alloyJson(alloyDb({ backup: { alerts: { onFailure: false, missingAfterHours: 26 } } }));
    const names = resources(quiet, 'google_monitoring_alert_policy').map(([, p]) => p.display_name as string);
    expect(names.some((n) => n.includes('failed'))).toBe(false);
    expect(names.some((n) => n.includes('no AlloyDB backup'))).toBe(true);
  });
});

describe('AlloyDB refusals', () => {
  const codes = (changes: Parameters<typeof alloyDb>[0]) => alloydbProblems(alloyDb(changes)).map((p) => `${p.code} ${p.field}`);

  it('refuses schedules AlloyDB cannot express, at backup.schedule, and synth throws a SynthError', () => {
    expect(codes({ backup: { schedule: '30 1 * * *' } })).toEqual(['DBAAS_ALLOYDB_SCHEDULE backup.schedule']);
    expect(codes({ backup: { schedule: '0 3 1 * *' } })).toEqual(['DBAAS_ALLOYDB_SCHEDULE backup.schedule']);
    expect(codes({ backup: { schedule: '0 3 * * *', timezone: 'Asia/Kolkata' } })).toEqual(['DBAAS_ALLOYDB_SCHEDULE backup.schedule']);
    expect(() => alloyText(alloyDb({ backup: { schedule: '30 1 * * *' } }))).toThrow(SynthError);
  });

  it('refuses a PITR window outside 1..35 days, a version or size AlloyDB does not have, a public endpoint and an off-hour maintenance window', () => {
    expect(codes({ backup: { pointInTimeRecovery: { enabled: true, retentionDays: 36 } } })).toEqual([
      'DBAAS_ALLOYDB_PITR_WINDOW backup.pointInTimeRecovery.retentionDays',
    ]);
    expect(codes({ backup: { pointInTimeRecovery: { enabled: false, retentionDays: 90 } } })).toEqual([]);
    expect(codes({ version: '12' })).toEqual(['DBAAS_ALLOYDB_VERSION version']);
    expect(codes({ instanceClass: 'db-custom-2-7680' })).toEqual(['DBAAS_ALLOYDB_MACHINE size']);
    expect(codes({ publiclyAccessible: true })).toEqual(['DBAAS_ALLOYDB_PUBLIC publiclyAccessible']);
    expect(codes({ maintenanceWindow: { day: 'sun', startTime: '05:30', durationMinutes: 60 } })).toEqual(['DBAAS_ALLOYDB_MAINTENANCE maintenanceWindow']);
  });

  it('refuses password users and AWS-style keys', () => {
    expect(codes({ users: [{ name: 'app', passwordSecret: 'gcp-secretmanager:x' }] })).toEqual(['DBAAS_GCP_USER_PASSWORD users.0.passwordSecret']);
    expect(codes({ users: [{ name: 'app' }] })).toEqual(['DBAAS_GCP_USER_AUTH users.0']);
    expect(codes({ backup: { encryption: { kmsKey: 'alias/backups' } } })).toEqual(['DBAAS_GCP_KMS_KEY backup.encryption.kmsKey']);
  });

  it('refuses an engine that is not alloydb', () => {
    expect(codes({ engine: 'postgres' as never })).toEqual(['DBAAS_GCP_ENGINE engine']);
  });

  it('synthesizes byte-identical JSON twice', () => {
    expect(alloyText(alloyDb())).toBe(alloyText(alloyDb()));
  });
});

describe('AlloyDB fields with no effect (to refuse at validate)', () => {
  const base = alloyText(alloyDb());
  const set: Record<string, Parameters<typeof alloyDb>[0]> = {
    storageGb: { storageGb: 999 },
    databases: { databases: ['other'] },
    table: { table: { partitionKey: { name: 'id', type: 'S' } } } as never,
    restoreFrom: { restoreFrom: { database: 'orders', pointInTime: 'latest' } },
    'objectives.rtoHours': { objectives: { rtoHours: 1 } },
    'backup.copies': { backup: { copies: [{ region: 'europe-west4', retentionDays: 35 }] } },
    'backup.vaultLock': { backup: { vaultLock: { mode: 'compliance', minRetentionDays: 35 } } },
    'backup.startWindowMinutes': { backup: { startWindowMinutes: 480 } },
    'backup.exports': { backup: { exports: [{ schedule: '0 3 * * *', timezone: 'UTC', retentionDays: 30 }] } },
    'backup.restoreTesting': { backup: { restoreTesting: { schedule: '0 6 * * 0' } } },
  };

  it('lists exactly the fields this test sets', () => {
    expect(ALLOYDB_UNSUPPORTED_FIELDS.map((f) => f.field).sort()).toEqual(Object.keys(set).sort());
  });

  for (const [field, changes] of Object.entries(set)) {
    it(`${field} leaves the stack's resources unchanged`, () => {
      // Notes may mention the field (databases does); resources and attributes must not change.
      const resourcesOnly = (text: string) => JSON.stringify(JSON.parse(text).resource);
      expect(resourcesOnly(alloyText(alloyDb(changes)))).toBe(resourcesOnly(base));
    });
  }

  it('a field that does have an effect changes the stack (the comparison can fail)', () => {
    expect(alloyText(alloyDb({ backup: { retentionDays: 14 } }))).not.toBe(base);
  });
});
