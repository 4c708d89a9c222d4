// The GCP restore drill: the workflow parsed as Workflows YAML (every Cloud SQL call named as in the
// Admin API, the clone deleted in every path), and the scheduler, identities and alerts as synthesized
// Terraform JSON (attribute names checked against hashicorp/terraform-provider-google v6.50.0, see README).
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DRILL_PERMISSIONS, POINT_IN_TIME_LAG_SECONDS, clonePrefix, drillDurationMetricName } from '../../../src/synth/gcp/drill.js';
import { DRILL_LOG_KEY, SQLADMIN, drillWorkflowDefinition } from '../../../src/synth/gcp/drill-workflow.js';
import { exampleDb, named, resources, synthJson, synthNotes, unescapeTerraform, withChanges, type TfJson } from './helpers.js';

type Step = Record<string, any>;

/** Every step (name, body) of a workflow definition, depth first, through try/except/switch/for. */
function allSteps(steps: Step[], out: [string, Step][] = []): [string, Step][] {
  for (const entry of steps) {
    for (const [name, body] of Object.entries(entry)) {
      out.push([name, body]);
      const nested: Step[][] = [];
      if (body.steps) nested.push(body.steps);
      if (body.try?.steps) nested.push(body.try.steps);
      if (body.try?.call) out.push([`${name}.try`, body.try]);
      if (body.except?.steps) nested.push(body.except.steps);
      if (body.for?.steps) nested.push(body.for.steps);
      for (const c of body.switch ?? []) if (c.steps) nested.push(c.steps);
      for (const n of nested) allSteps(n, out);
    }
  }
  return out;
}

const calls = (steps: [string, Step][]) => steps.filter(([, b]) => typeof b.call === 'string').map(([, b]) => b.call as string);

function drillOf(json: TfJson) {
  const wf = named(json, 'google_workflows_workflow', 'restore-drill');
  return { wf, source: parse(unescapeTerraform(wf.source_contents as string)) as Record<string, { steps: Step[] }> };
}

const API_METHODS = new Set([
  'googleapis.sqladmin.v1.instances.clone',
  'googleapis.sqladmin.v1.instances.get',
  'googleapis.sqladmin.v1.instances.patch',
  'googleapis.sqladmin.v1.instances.delete',
  'googleapis.sqladmin.v1.databases.list',
  'googleapis.sqladmin.v1.operations.get',
]);

describe('GCP restore drill', () => {
  const db = exampleDb('warehouse-meta');
  const json = synthJson(db);
  const { wf, source } = drillOf(json);
  const main = source.main!.steps;
  const steps = allSteps(main);

  it('is built only when restoreTesting is set', () => {
    const without = synthJson(withChanges(db, { backup: { restoreTesting: undefined }, objectives: {} }));
    expect(
      resources(without, 'google_workflows_workflow')
        .map(([id]) => id)
        .filter((id) => id.includes('drill')),
    ).toEqual([]);
    expect(
      resources(without, 'google_cloud_scheduler_job')
        .map(([id]) => id)
        .filter((id) => id.includes('drill')),
    ).toEqual([]);
  });

  it('calls only Cloud SQL Admin API methods named as in the API, and each of clone, operations.get, get, databases.list, delete', () => {
    const sql = calls(steps).filter((c) => c.startsWith('googleapis.'));
    for (const c of sql) expect(API_METHODS, c).toContain(c);
    for (const m of [SQLADMIN.clone, SQLADMIN.getOperation, SQLADMIN.get, SQLADMIN.listDatabases, SQLADMIN.delete]) expect(sql).toContain(m);
    // the only other calls are the standard library's
    expect(
      calls(steps)
        .filter((c) => !c.startsWith('googleapis.'))
        .every((c) => c === 'sys.log' || c === 'sys.sleep'),
    ).toBe(true);
  });

  it('clones the source to a fresh name (names are reserved a week after delete) and polls the operation itself', () => {
    const clone = steps.find(([n]) => n === 'start_clone')![1];
    expect(clone.args.instance).toBe('${source}');
    expect(clone.args.connector_params).toEqual({ skip_polling: true });
    expect(clone.args.body.cloneContext.destinationInstanceName).toBe('${clone}');
    const init = Object.assign({}, ...main[0]!.init.assign);
    expect(init.source).toBe(db.name);
    expect(init.clone).toBe(`\${"${clonePrefix(db.name)}-" + string(int(sys.now()))}`);
    expect(steps.find(([n]) => n === 'poll_operation.try')![1].args.operation).toBe('${clone_operation.name}');
    expect(steps.find(([n]) => n === 'clone_runnable')![1].switch[0].condition).toBe('${cloned.state == "RUNNABLE"}');
  });

  it('clones at a point in time when the instance keeps transaction logs, else its current state (Backup and DR owns the backups)', () => {
    // warehouse-meta's policy locks a Backup and DR vault: no PITR on the instance.
    const cloneContext = steps.find(([n]) => n === 'start_clone')![1].args.body.cloneContext;
    expect(cloneContext.pointInTime).toBeUndefined();
    expect(synthNotes(db).some((n) => /no point-in-time recovery.*current state/.test(n))).toBe(true);
    const pitr = withChanges(db, { backup: { vaultLock: undefined, pointInTimeRecovery: { enabled: true, retentionDays: 7 } } });
    const ctx = drillOf(synthJson(pitr)).source.main!.steps;
    const start = allSteps(ctx).find(([n]) => n === 'start_clone')![1];
    expect(start.args.body.cloneContext.pointInTime).toBe(`\${time.format(started - ${POINT_IN_TIME_LAG_SECONDS})}`);
  });

  it("checks that the clone has every one of the source's databases", () => {
    const lists = steps.filter(([, b]) => b.call === SQLADMIN.listDatabases).map(([, b]) => b.args.instance);
    expect(lists.sort()).toEqual(['${clone}', '${source}']);
    const check = steps.find(([n]) => n === 'check_one')![1];
    expect(check.switch[0].condition).toBe('${not(d.name in clone_names)}');
    expect(steps.find(([n]) => n === 'databases_missing')![1].raise).toMatch(/clone lacks databases/);
  });

  it('logs the duration as a structured line the RTO metric reads', () => {
    const record = steps.find(([n]) => n === 'record_duration')![1];
    expect(record).toMatchObject({
      call: 'sys.log',
      args: { severity: 'INFO', json: { [DRILL_LOG_KEY]: 'succeeded', durationSeconds: '${int(sys.now() - started)}' } },
    });
  });

  it('deletes the clone in every path: the drill body catches every error, and cleanup runs after it unconditionally', () => {
    const names = main.map((s) => Object.keys(s)[0]);
    expect(names).toEqual(['init', 'drill', 'unprotect_clone', 'delete_clone', 'finish', 'done']);
    const drill = main[1]!.drill;
    // every error of the body is kept (no re-raise), so execution always reaches unprotect_clone
    expect(drill.except).toEqual({ as: 'e', steps: [{ keep_failure: { assign: [{ failure: '${e}' }] } }] });
    // nothing in the body jumps out of it or ends the workflow early
    const body = allSteps(drill.try.steps);
    const bodyNames = new Set(body.map(([n]) => n));
    for (const [n, b] of body) {
      if (b.next !== undefined) expect(bodyNames, `${n} jumps to ${b.next}`).toContain(b.next);
      for (const c of b.switch ?? []) if (c.next !== undefined) expect(bodyNames, `${n} jumps to ${c.next}`).toContain(c.next);
      expect(b.return, n).toBeUndefined();
    }
    // cleanup: deletion protection off (failures ignored), then delete with retries; only a 404 (no clone) is not a failure
    expect(main[2]!.unprotect_clone.try.call).toBe(SQLADMIN.patch);
    expect(main[2]!.unprotect_clone.try.args.body).toEqual({ settings: { deletionProtectionEnabled: false } });
    expect(main[2]!.unprotect_clone.except.steps.some((s: Step) => JSON.stringify(s).includes('raise'))).toBe(false);
    expect(main[3]!.delete_clone.try).toEqual({ call: SQLADMIN.delete, args: { project: '${project}', instance: '${clone}' } });
    expect(main[3]!.delete_clone.retry.max_retries).toBeGreaterThanOrEqual(10);
    expect(main[3]!.delete_clone.except.steps[0].delete_failed.switch[0].condition).toBe('${default(map.get(e, "code"), 0) != 404}');
    // and then the run fails when anything failed, so the failed-drill alert fires
    const finish = main[4]!.finish.switch;
    expect(finish.map((c: Step) => c.condition)).toEqual(['${cleanup_failure != null}', '${failure != null}']);
    expect(JSON.stringify(finish[1].steps)).toContain('"raise":"${failure}"');
  });

  it('names clones within Cloud SQL limits, also for the longest database names', () => {
    const long = 'a'.repeat(63);
    const name = `${clonePrefix(long)}-1764480000`;
    expect(name.length).toBeLessThanOrEqual(61);
    expect(name).toMatch(/^[a-z][a-z0-9-]*[a-z0-9]$/);
    expect(clonePrefix(long)).not.toBe(clonePrefix(`${'a'.repeat(62)}b`));
  });

  it('gives up on a clone that is not RUNNABLE within validationWindowHours (default 24)', () => {
    expect(Object.assign({}, ...main[0]!.init.assign).deadline).toBe(`\${sys.now() + ${24 * 3600}}`);
    const src = drillWorkflowDefinition({ project: 'p', instance: 'i', clonePrefix: 'i-drill', deadlineHours: 6 }) as { main: { steps: Step[] } };
    expect(Object.assign({}, ...src.main.steps[0]!.init.assign).deadline).toBe(`\${sys.now() + ${6 * 3600}}`);
  });

  it('runs as its own account with a custom role of only the permissions the calls need, on the source and its clones', () => {
    expect(wf).toMatchObject({
      region: 'europe-west1',
      call_log_level: 'LOG_ERRORS_ONLY',
      service_account: expect.stringMatching(/google_service_account\.restore-drill_runner_[A-Z0-9]+\.email/),
    });
    const role = named(json, 'google_project_iam_custom_role', 'restore-drill');
    expect(role.permissions).toEqual([...DRILL_PERMISSIONS]);
    expect(role.permissions).not.toContain('cloudsql.instances.create');
    const binding = named(json, 'google_project_iam_member', 'restore-drill_runner-drill');
    expect(binding.condition.expression).toBe(
      `resource.type != "sqladmin.googleapis.com/Instance" || resource.name == "projects/acme-data-prod/instances/${db.name}" || resource.name.startsWith("projects/acme-data-prod/instances/${clonePrefix(db.name)}-")`,
    );
    expect(named(json, 'google_project_iam_member', 'restore-drill_starter-invoke').role).toBe('roles/workflows.invoker');
  });

  it('is started by Cloud Scheduler on the drill schedule with an OAuth token', () => {
    const job = named(json, 'google_cloud_scheduler_job', 'restore-drill');
    expect(job).toMatchObject({ schedule: '0 6 * * 0', time_zone: 'Europe/Brussels', region: 'europe-west1' });
    expect(job.http_target.uri).toMatch(
      /^https:\/\/workflowexecutions\.googleapis\.com\/v1\/\$\{google_workflows_workflow\.restore-drill_workflow_[A-Z0-9]+\.id\}\/executions$/,
    );
    expect(job.http_target.oauth_token.scope).toBe('https://www.googleapis.com/auth/cloud-platform');
  });

  it('alerts when a drill fails, when its scheduler fails, when none succeeded in time, and when one is slower than the RTO', () => {
    const policies = resources(json, 'google_monitoring_alert_policy').filter(([id]) => id.startsWith('restore-drill_'));
    expect(policies.map(([id]) => id.replace(/_[A-Z0-9]+$/, '')).sort()).toEqual([
      'restore-drill_drill-failed',
      'restore-drill_drill-missing',
      'restore-drill_drill-rto',
      'restore-drill_drill-scheduler-failed',
    ]);
    for (const [, p] of policies) expect(p.notification_channels.length).toBeGreaterThan(0);
    const failed = policies.find(([id]) => id.includes('drill-failed'))![1];
    expect(failed.conditions[0].condition_threshold.filter).toContain('metric.labels.status = "FAILED"');
    expect(failed.conditions[0].condition_threshold.filter).toContain(`resource.labels.workflow_id = "${wf.name}"`);
    // weekly drill: 168 h gap + 24 h deadline + 2 h
    const missing = policies.find(([id]) => id.includes('drill-missing'))![1];
    expect(missing.display_name).toContain('no restore drill for 194h');
    const rto = policies.find(([id]) => id.includes('drill-rto'))![1];
    expect(rto.conditions[0].condition_threshold).toMatchObject({
      comparison: 'COMPARISON_GT',
      threshold_value: 4 * 3600,
      aggregations: [{ per_series_aligner: 'ALIGN_MEAN', alignment_period: '3600s' }],
    });
    expect(rto.conditions[0].condition_threshold.filter).toContain(`metric.type = "logging.googleapis.com/user/${drillDurationMetricName(db.name)}"`);
    expect(rto.depends_on).toEqual([expect.stringMatching(/^google_logging_metric\.restore-drill_duration-metric_/)]);
  });

  it('reads the RTO from a distribution metric of the logged durations', () => {
    const metric = named(json, 'google_logging_metric', 'restore-drill_duration-metric');
    expect(metric).toMatchObject({
      name: drillDurationMetricName(db.name),
      metric_descriptor: { metric_kind: 'DELTA', value_type: 'DISTRIBUTION', unit: 's' },
      value_extractor: 'EXTRACT(jsonPayload.durationSeconds)',
      bucket_options: { exponential_buckets: { num_finite_buckets: 32, growth_factor: 1.5, scale: 60 } },
    });
    expect(metric.filter).toContain(`jsonPayload.${DRILL_LOG_KEY}="succeeded"`);
    expect(metric.filter).toContain(`resource.labels.workflow_id="${wf.name}"`);
    // no RTO, no metric and no RTO alert
    const noRto = synthJson(withChanges(db, { objectives: {} }));
    expect(resources(noRto, 'google_logging_metric').filter(([id]) => id.includes('drill'))).toEqual([]);
  });
});
