import { describe, expect, it } from 'vitest';
import { CAPABILITIES, capabilitiesOf } from '../../src/profiles/capabilities.js';
import { CLOUDS, DATA_RESOURCES, ENGINES, engineOn, enginesOn, nameRuleOf } from '../../src/profiles/index.js';
import { DATA_BEARING_TYPES } from '../../src/plan/diff.js';
import type { DbaasConfig } from '../../src/spec/generated.js';

describe('engine profiles', () => {
  it('name every engine once, each offered by at least one cloud', () => {
    const names = ENGINES.map((e) => e.name);
    expect(new Set(names).size).toBe(names.length);
    for (const e of ENGINES)
      expect(
        Object.keys(CLOUDS).some((c) => e[c as 'aws' | 'gcp']),
        e.name,
      ).toBe(true);
  });

  it('list only known capabilities', () => {
    for (const e of ENGINES)
      for (const c of ['aws', 'gcp'] as const) for (const cap of e[c]?.capabilities ?? []) expect(CAPABILITIES, `${e.name} on ${c}`).toContain(cap);
  });

  it('capabilitiesOf keeps the seed table: per cloud, the union without one, undefined for an unknown engine', () => {
    const rds = ['sql', 'tls', 'network-endpoint', 'storage-encryption-toggle', 'maintenance-window', 'high-availability', 'instance-storage', 'pitr'];
    const cloudSql = ['sql', 'tls', 'network-endpoint', 'maintenance-window', 'high-availability', 'instance-storage', 'pitr'];
    expect([...capabilitiesOf('postgres', 'aws')!].sort()).toEqual([...rds].sort());
    expect([...capabilitiesOf('mysql', 'gcp')!].sort()).toEqual([...cloudSql, 'binlog-pitr'].sort());
    expect([...capabilitiesOf('aurora-mysql', 'aws')!]).not.toContain('instance-storage');
    expect([...capabilitiesOf('dynamodb')!].sort()).toEqual(['pitr', 'table-pitr']);
    expect(capabilitiesOf('dynamodb', 'gcp')!.size).toBe(0);
    expect([...capabilitiesOf('mysql')!]).toEqual(expect.arrayContaining(['storage-encryption-toggle', 'binlog-pitr']));
    expect(capabilitiesOf('oracle')).toBeUndefined();
  });

  it('give every AWS engine with TLS a TLS-only parameter, and every AWS Backup continuous engine PITR', () => {
    for (const e of ENGINES) {
      if (!e.aws) continue;
      if (e.aws.capabilities.includes('tls')) expect(e.aws.facts.tlsParameter, e.name).toBeDefined();
      if (e.aws.facts.construct !== 'dynamodb-table') expect(e.aws.facts.maxConnections, e.name).toBeDefined();
      expect(e.aws.facts.continuousBackup || e.aws.capabilities.includes('table-pitr'), e.name).toBe(true);
    }
  });

  it('list the engines per cloud in registry order', () => {
    expect(enginesOn('aws').slice(0, 5)).toEqual(['postgres', 'mysql', 'aurora-postgresql', 'aurora-mysql', 'dynamodb']);
    expect(enginesOn('gcp').slice(0, 3)).toEqual(['postgres', 'mysql', 'sqlserver']);
    expect(engineOn('dynamodb', 'gcp')).toBeUndefined();
  });

  it('pick the name rule of the engine on its cloud, else the cloud', () => {
    expect(nameRuleOf('aws', 'dynamodb').test('Carts.v2')).toBe(true);
    expect(nameRuleOf('aws', 'postgres').test('Carts.v2')).toBe(false);
    expect(nameRuleOf('gcp', 'postgres').expected).toMatch(/Cloud SQL/);
    // An unknown cloud is judged by the AWS rule rather than by none.
    expect(nameRuleOf(undefined, undefined).test('a--b')).toBe(false);
  });
});

describe('data-bearing resources', () => {
  it("are the engines' databases and the clouds' vaults, plans and keys", () => {
    expect([...DATA_BEARING_TYPES].sort()).toEqual(
      [
        'aws_db_instance',
        'aws_rds_cluster',
        'aws_rds_cluster_instance',
        'aws_dynamodb_table',
        'aws_backup_vault',
        'aws_backup_plan',
        'aws_backup_selection',
        'aws_backup_vault_lock_configuration',
        'aws_kms_key',
        'google_sql_database_instance',
        'google_sql_database',
        'google_storage_bucket',
        'google_backup_dr_backup_vault',
        'google_backup_dr_backup_plan',
        'google_backup_dr_backup_plan_association',
        'google_kms_crypto_key',
        'google_alloydb_cluster',
        'google_alloydb_instance',
      ].sort(),
    );
    expect(DATA_RESOURCES.google_alloydb_cluster).toEqual(expect.arrayContaining(['cluster_id', 'location', 'encryption_config']));
    expect(DATA_RESOURCES.aws_db_instance).toContain('storage_encrypted');
    expect(DATA_RESOURCES.aws_backup_vault).toEqual(['name', 'kms_key_arn']);
  });
});

describe('cloud profiles', () => {
  const regions = { aws: ['eu-west-1', 'us-gov-west-1', 'ap-southeast-2'], gcp: ['europe-west1', 'us-central1', 'asia-southeast2'] };

  it("each region format takes its cloud's regions and refuses the other cloud's", () => {
    for (const [name, cloud] of Object.entries(CLOUDS)) {
      const pattern = new RegExp(cloud.region.pattern);
      const other = name === 'aws' ? 'gcp' : 'aws';
      for (const r of regions[name as 'aws' | 'gcp']) expect(pattern.test(r), `${name} ${r}`).toBe(true);
      for (const r of regions[other]) expect(pattern.test(r), `${name} refuses ${r}`).toBe(false);
    }
  });

  it('place state per database under the configured prefix (dbaas by default), and name no backend without state.<cloud>', () => {
    const config = (state: object) => ({ state }) as unknown as DbaasConfig;
    expect(CLOUDS.aws.stateBackend('orders', config({ aws: { bucket: 'b', region: 'eu-west-1' } }))).toEqual({
      type: 's3',
      bucket: 'b',
      region: 'eu-west-1',
      key: 'dbaas/orders/terraform.tfstate',
      lock: { useLockfile: true },
    });
    expect(CLOUDS.aws.stateBackend('orders', config({ aws: { bucket: 'b', region: 'eu-west-1', keyPrefix: 'p', dynamodbTable: 't' } }))).toMatchObject({
      key: 'p/orders/terraform.tfstate',
      lock: { dynamodbTable: 't' },
    });
    expect(CLOUDS.gcp.stateBackend('reports', config({ gcp: { bucket: 'g' } }))).toEqual({ type: 'gcs', bucket: 'g', prefix: 'dbaas/reports' });
    expect(CLOUDS.aws.stateBackend('orders', config({ gcp: { bucket: 'g' } }))).toBeUndefined();
    expect(CLOUDS.gcp.stateBackend('reports', config({ aws: { bucket: 'b', region: 'eu-west-1' } }))).toBeUndefined();
  });
});
