// The alloydb profile, and the profile interface it needed: a GCP engine names its construct, and the
// GCP builder, checks, refusals, posture and plan diff follow the profile (no engine name in them).
import { describe, expect, it } from 'vitest';
import { backupPosture } from '../../src/plan/posture.js';
import { diffStacks, type StackJson } from '../../src/plan/diff.js';
import { capabilitiesOf } from '../../src/profiles/capabilities.js';
import { engineOn, enginesOn, gcpConstructOf, gcpFacts } from '../../src/profiles/index.js';
import { gcpProblems } from '../../src/synth/gcp/checks.js';
import { buildGcpStack } from '../../src/synth/gcp/index.js';
import { CLOUD_SQL_ENGINES, isCloudSqlEngine } from '../../src/synth/gcp/engine.js';
import { alloyDb } from '../synth/gcp/alloydb-helpers.js';
import { context, newStack, stackText } from '../synth/gcp/helpers.js';

const built = (db: ReturnType<typeof alloyDb>) => {
  const stack = newStack(db.name);
  buildGcpStack(stack, db, context());
  return JSON.parse(stackText(stack)) as StackJson & { resource: Record<string, Record<string, Record<string, unknown>>> };
};

describe('the alloydb engine profile', () => {
  it('runs on GCP only, with the capabilities AlloyDB has (no instance storage, no encryption toggle)', () => {
    expect(enginesOn('gcp')).toContain('alloydb');
    expect(enginesOn('aws')).not.toContain('alloydb');
    expect([...capabilitiesOf('alloydb', 'gcp')!].sort()).toEqual(['high-availability', 'maintenance-window', 'network-endpoint', 'pitr', 'sql', 'tls']);
    expect(capabilitiesOf('alloydb', 'aws')!.size).toBe(0);
  });

  it('names its own construct, so Cloud SQL code never sees it', () => {
    expect(gcpConstructOf('alloydb')).toBe('alloydb');
    expect(gcpConstructOf('postgres')).toBe('cloud-sql');
    expect(gcpConstructOf('dynamodb')).toBeUndefined();
    expect(isCloudSqlEngine('alloydb')).toBe(false);
    expect(CLOUD_SQL_ENGINES).toEqual(['postgres', 'mysql', 'sqlserver']);
    expect(() => gcpFacts('alloydb')).toThrow(/no Cloud SQL profile/);
    expect(engineOn('alloydb', 'gcp')!.facts.iamAuthFlag).toBe('alloydb.iam_authentication');
  });

  it('is built by the GCP builder through its construct, and checked by its own checks', () => {
    const json = built(alloyDb());
    expect(Object.keys(json.resource)).toEqual(expect.arrayContaining(['google_alloydb_cluster', 'google_alloydb_instance']));
    expect(json.resource.google_sql_database_instance).toBeUndefined();
    expect(gcpProblems(alloyDb({ backup: { schedule: '30 1 * * *' } })).map((p) => p.code)).toEqual(['DBAAS_ALLOYDB_SCHEDULE']);
    expect(gcpProblems(alloyDb())).toEqual([]);
  });

  it('has its posture read by the AlloyDB reader, within the report contract', () => {
    const posture = backupPosture(alloyDb(), built(alloyDb()));
    expect(posture.schedule.resources[0]).toMatch(/^google_alloydb_cluster\./);
    expect(posture.pitr.text).toBe('7d');
    expect('encryption' in posture).toBe(false); // BackupPosture has no such field (additionalProperties: false)
  });

  it('makes the plan say a cluster replacement destroys data, from its ForceNew attributes', () => {
    const before = built(alloyDb());
    const after = built(alloyDb());
    const [name] = Object.keys(after.resource.google_alloydb_cluster!);
    after.resource.google_alloydb_cluster![name!]!.location = 'europe-west4';
    const change = diffStacks(before, after).find((c) => c.type === 'google_alloydb_cluster')!;
    expect(change.action).toBe('replace');
    expect(change.destroysData).toBe(true);
    const labelsOnly = built(alloyDb());
    labelsOnly.resource.google_alloydb_cluster![name!]!.labels = { team: 'other' };
    expect(diffStacks(before, labelsOnly).find((c) => c.type === 'google_alloydb_cluster')!.action).toBe('update');
  });
});
