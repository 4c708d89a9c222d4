import { describe, expect, it } from 'vitest';
import { databaseLabels, labelKey, labelValue } from '../../../src/synth/gcp/labels.js';
import { exampleDb, exampleGcpDatabases, featureDb, synthFeature, synthJson, withChanges, type TfJson } from './helpers.js';

/** Resource types that take labels in google 6.50, and where. */
const LABELLED: Record<string, (r: Record<string, any>) => Record<string, string> | undefined> = {
  google_sql_database_instance: (r) => r.settings?.user_labels,
  google_storage_bucket: (r) => r.labels,
  google_workflows_workflow: (r) => r.labels,
  google_kms_crypto_key: (r) => r.labels,
  google_backup_dr_backup_vault: (r) => r.labels,
  google_monitoring_notification_channel: (r) => r.user_labels,
  google_monitoring_alert_policy: (r) => r.user_labels,
};

function labelledResources(json: TfJson): [string, Record<string, string> | undefined][] {
  return Object.entries(json.resource ?? {}).flatMap(([type, byId]) =>
    LABELLED[type] ? Object.entries(byId).map(([id, r]) => [`${type}.${id}`, LABELLED[type]!(r)] as [string, Record<string, string> | undefined]) : [],
  );
}

describe('labels', () => {
  it('sanitize values and keys deterministically to GCP rules', () => {
    expect(labelValue('CC 42/Finance')).toBe('cc_42_finance');
    expect(labelValue('x'.repeat(80))).toHaveLength(63);
    expect(labelKey('9lives')).toBe('l_9lives');
    expect(labelKey('Team.Name')).toBe('team_name');
  });

  it('carry team, database, environment and managed-by, which spec labels cannot override', () => {
    const db = withChanges(exampleDb('warehouse-meta'), { labels: { 'managed-by': 'someone', team: 'x', zeta: 'Z', alpha: 'A' } });
    const labels = databaseLabels(db);
    expect(labels).toEqual({ alpha: 'a', database: 'warehouse-meta', environment: 'production', 'managed-by': 'dbaas', team: 'analytics', zeta: 'z' });
    expect(Object.keys(labels)).toEqual([...Object.keys(labels)].sort());
  });

  it('are on every labelled resource of every example stack', () => {
    for (const db of exampleGcpDatabases()) {
      const json = synthJson(db);
      const labelled = labelledResources(json);
      expect(labelled.length).toBeGreaterThan(3);
      for (const [id, labels] of labelled) {
        expect(labels, id).toEqual(databaseLabels(db));
        expect(labels, id).toMatchObject({
          team: 'analytics',
          database: db.name,
          environment: db.environment,
          'managed-by': 'dbaas',
          'cost-center': 'cc-3100',
        });
      }
    }
  });

  it('sanitize spec label values on resources', () => {
    for (const [id, labels] of labelledResources(synthFeature('ledger'))) {
      expect(labels, id).toMatchObject({ 'cost-center': 'cc_42_finance', owner: 'alice_smith', team: 'core' });
      for (const [k, v] of Object.entries(labels ?? {})) {
        expect(k).toMatch(/^[a-z][a-z0-9_-]{0,62}$/);
        expect(v).toMatch(/^[a-z0-9_-]{0,63}$/);
      }
    }
    expect(featureDb('ledger').labels).toMatchObject({ 'cost-center': 'CC 42/Finance' });
  });
});
