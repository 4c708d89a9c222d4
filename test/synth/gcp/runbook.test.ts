import { describe, expect, it } from 'vitest';
import { MAX_DOCUMENTATION_BYTES, MAX_DOCUMENTATION_CHARS, loggingRead, runbook } from '../../../src/synth/gcp/runbook.js';
import { exampleCloudSqlDatabases, exampleDb, featureDb, resources, synthFeature, synthJson, unescapeTerraform, withChanges } from './helpers.js';

const target = { database: 'orders', environment: 'production', project: 'acme-prod', region: 'europe-west1', instanceName: 'orders' };

describe('GCP runbooks in every alert policy', () => {
  it('every policy of every example stack documents what failed, the console link and commands naming its real resources', () => {
    // The example repo, and the feature repo (Slack, webhook, several exports).
    const stacks = [
      // Cloud SQL stacks (AlloyDB's runbooks are checked in alloydb.test.ts).
      ...exampleCloudSqlDatabases().map((db) => ({ db, json: synthJson(db) })),
      ...(['ledger', 'sandbox'] as const).map((n) => ({ db: featureDb(n), json: synthFeature(n) })),
    ];
    let checked = 0;
    for (const { db, json } of stacks) {
      // Names read from the built stack, not from the spec.
      const instance = resources(json, 'google_sql_database_instance')[0]![1];
      const project: string = instance.project;
      const workflows = resources(json, 'google_workflows_workflow').map(([, w]) => w.name as string);
      const jobs = resources(json, 'google_cloud_scheduler_job').map(([, j]) => j.name as string);
      const policies = resources(json, 'google_monitoring_alert_policy');
      expect(policies.length, db.name).toBeGreaterThan(0);
      for (const [id, p] of policies) {
        const doc = Array.isArray(p.documentation) ? p.documentation[0] : p.documentation;
        expect(doc.mime_type, id).toBe('text/markdown');
        const content = unescapeTerraform(doc.content as string);
        expect(content.length, id).toBeLessThanOrEqual(MAX_DOCUMENTATION_CHARS);
        expect(Buffer.byteLength(content), id).toBeLessThanOrEqual(MAX_DOCUMENTATION_BYTES);
        expect(content, id).toContain(`**dbaas ${db.name}**`);
        expect(content, id).toContain(`Console: https://console.cloud.google.com/`);
        expect(content, id).toContain(`?project=${project}`);
        expect(content, id).toMatch(/Look:\n```\ngcloud /);
        if (/_backup-(failed|missing)_/.test(id)) {
          expect(content, id).toContain(`gcloud sql backups create --instance=${instance.name} --project=${project}`);
          expect(content, id).toContain(`gcloud sql backups list --instance=${instance.name} --project=${project}`);
        } else if (id.includes('backup-dr-failed')) {
          const association = resources(json, 'google_backup_dr_backup_plan_association')[0]![1];
          const rule = resources(json, 'google_backup_dr_backup_plan')[0]![1].backup_rules[0].rule_id;
          expect(content, id).toContain(
            `gcloud backup-dr backup-plan-associations trigger-backup ${association.backup_plan_association_id} --backup-rule-id=${rule} --location=${association.location} --project=${project}`,
          );
        } else if (id.includes('scheduler-failed')) {
          expect(
            jobs.some((j) => content.includes(`gcloud scheduler jobs run ${j} --location=`)),
            id,
          ).toBe(true);
        } else if (id.includes('export') || id.startsWith('restore-drill_')) {
          // Exports and restore drills are scheduled workflows: the runbook looks at and re-runs the workflow.
          expect(
            workflows.some(
              (w) => content.includes(`gcloud workflows run ${w} --location=`) || content.includes(`gcloud workflows executions list ${w} --location=`),
            ),
            id,
          ).toBe(true);
        } else {
          expect(content, id).toContain(`gcloud sql instances describe ${instance.name} --project=${project}`);
        }
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(25);
  });

  it('a failed export can be re-run by hand exactly as the scheduler starts it', () => {
    const json = synthJson(exampleDb('warehouse-meta'));
    const workflow = resources(json, 'google_workflows_workflow')[0]![1];
    const [, failed] = resources(json, 'google_monitoring_alert_policy').find(([id]) => id.includes('exports-missing'))!;
    expect(failed.documentation.content).toContain(
      `gcloud workflows run ${workflow.name} --location=${workflow.region} --project=${workflow.project} --data='{}'`,
    );
  });

  it('refuses documentation over the limits and filters it cannot quote', () => {
    expect(() => runbook(target, 'x'.repeat(MAX_DOCUMENTATION_CHARS), 'https://console.cloud.google.com', ['gcloud x'], [])).toThrow(/8192/);
    // 4 bytes per character: within 8192 characters, over 10,240 bytes
    expect(() => runbook(target, '😀'.repeat(3000), 'https://console.cloud.google.com', ['gcloud x'], [])).toThrow(/10240 bytes/);
    expect(() => loggingRead("resource.type='x'", 'p')).toThrow(/single quote/);
    expect(loggingRead('a="1"\nb="2"', 'acme-prod')).toBe(`gcloud logging read 'a="1" b="2"' --project=acme-prod --freshness=2d --limit=10`);
  });
});

describe('GCP alert tiers', () => {
  it('a staging database never pages: its page channels get no policy', () => {
    const db = exampleDb('reports');
    const pager = { name: 'analytics-pager', tier: 'page' as const, email: ['pager@example.com'] as [string] };
    const json = synthJson(withChanges(db, { channels: [...db.channels, pager] }));
    const pagerChannel = resources(json, 'google_monitoring_notification_channel').find(([, c]) => c.display_name.startsWith('analytics-pager:'))!;
    const ref = `\${google_monitoring_notification_channel.${pagerChannel[0]}.id}`;
    const policies = resources(json, 'google_monitoring_alert_policy');
    expect(policies.length).toBeGreaterThan(0);
    for (const [id, p] of policies) expect(p.notification_channels, id).not.toContain(ref);
  });

  it('the same pager on the production database gets the backup alerts only', () => {
    const json = synthJson(exampleDb('warehouse-meta'));
    const pager = resources(json, 'google_monitoring_notification_channel').find(([, c]) => c.display_name.startsWith('analytics-pager:'))!;
    const ref = `\${google_monitoring_notification_channel.${pager[0]}.id}`;
    // warehouse-meta has a vault lock: Backup and DR owns its backups, so its job failures are the backup alert.
    const paged = resources(json, 'google_monitoring_alert_policy')
      .filter(([, p]) => p.notification_channels.includes(ref))
      .map(([id]) => id.replace(/^alerts_|_[0-9A-F]+$/g, ''));
    expect(paged).toEqual(['backup-dr-failed']);
    const unlocked = synthJson(withChanges(exampleDb('warehouse-meta'), { backup: { vaultLock: undefined } }));
    const pager2 = resources(unlocked, 'google_monitoring_notification_channel').find(([, c]) => c.display_name.startsWith('analytics-pager:'))!;
    const ref2 = `\${google_monitoring_notification_channel.${pager2[0]}.id}`;
    const paged2 = resources(unlocked, 'google_monitoring_alert_policy')
      .filter(([, p]) => p.notification_channels.includes(ref2))
      .map(([id]) => id.replace(/^alerts_|_[0-9A-F]+$/g, ''));
    expect(paged2.sort()).toEqual(['backup-failed', 'backup-missing']);
  });
});
