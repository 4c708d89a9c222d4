// spec.restoreFrom in the built stacks: each restore sets exactly its cloud's restore arguments and
// ignores them after creation, so removing restoreFrom (or a newer backup) never replaces the
// database; the plan diff agrees, and the plan labels the restore from the stack it read.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { diffStacks, type StackJson as DiffJson } from '../../src/plan/diff.js';
import { stackRestore } from '../../src/plan/restore.js';
import { resolveDir } from '../../src/pipeline.js';
import type { ResolvedRepo } from '../../src/resolve/index.js';
import { loadBuilder, synthStack } from '../../src/synth/index.js';
import type { SynthContext } from '../../src/synth/types.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';
import type { StackJson } from './helpers.js';

let repo: ResolvedRepo;
const saved = process.env.DBAAS_NOW;
beforeAll(async () => {
  process.env.DBAAS_NOW = '2026-11-30T06:00:00Z';
  const resolution = resolveDir(tempRepo('pass-restore'));
  if (!resolution.ok) throw new Error(resolution.problems.map((p) => p.message).join('\n'));
  repo = resolution.repo;
  await loadBuilder('aws');
  await loadBuilder('gcp');
});
afterAll(() => {
  if (saved === undefined) delete process.env.DBAAS_NOW;
  else process.env.DBAAS_NOW = saved;
  cleanupTempRepos();
});

const ctx = (extra: Partial<SynthContext> = {}): SynthContext => ({ config: repo.config, toolVersion: '0.0.0-test', ...extra });
const db = (name: string) => {
  const entry = repo.entries.find((e) => e.db.name === name);
  if (!entry) throw new Error(`no ${name}`);
  return entry.db;
};
const build = (name: string, patch: Record<string, unknown> = {}, extra: Partial<SynthContext> = {}) =>
  JSON.parse(synthStack({ ...db(name), ...patch }, ctx(extra)).json) as StackJson;
const withoutRestore = (name: string) => build(name, { restoreFrom: undefined });

describe('AWS restores', () => {
  it('restores RDS to a point in time, in UTC, keeping the source database name and master user', () => {
    const instance = build('orders-pitr').resource.aws_db_instance!.database!;
    expect(instance.restore_to_point_in_time).toEqual({ source_db_instance_identifier: 'orders', restore_time: '2026-11-29T10:15:00Z' });
    expect(instance.snapshot_identifier).toBeUndefined();
    expect(instance.db_name).toBe('orders');
    expect(instance.username).toBe('dbaas_admin');
    expect(instance.lifecycle.ignore_changes).toEqual(['restore_to_point_in_time', 'snapshot_identifier']);
    // The restored database keeps the same protections as any other.
    expect(instance.storage_encrypted).toBe(true);
    expect(instance.manage_master_user_password).toBe(true);
  });

  it('restores RDS from the newest AWS Backup snapshot of the source', () => {
    const json = build('orders-backup');
    const lookup = Object.values(json.data!.aws_db_snapshot!)[0]!;
    expect(lookup).toMatchObject({ db_instance_identifier: 'orders', snapshot_type: 'awsbackup', most_recent: true });
    const instance = json.resource.aws_db_instance!.database!;
    expect(instance.snapshot_identifier).toMatch(/^\$\{data\.aws_db_snapshot\.[\w-]+\.id\}$/);
    expect(instance.restore_to_point_in_time).toBeUndefined();
    expect(instance.lifecycle.ignore_changes).toEqual(['restore_to_point_in_time', 'snapshot_identifier']);
  });

  it('builds the offline variant without the snapshot look-up (a data source would call AWS)', () => {
    const json = build('orders-backup', {}, { offlineCheck: true });
    expect(json.data?.aws_db_snapshot).toBeUndefined();
    expect(json.resource.aws_db_instance!.database!.snapshot_identifier).toBe('awsbackup:job-offline-check');
  });

  it('restores Aurora to its latest restorable time as a full copy', () => {
    const cluster = build('ledger-restore').resource.aws_rds_cluster!.database!;
    expect(cluster.restore_to_point_in_time).toEqual({ source_cluster_identifier: 'ledger', restore_type: 'full-copy', use_latest_restorable_time: true });
    expect(cluster.database_name).toBe('ledger');
    expect(cluster.lifecycle.ignore_changes).toEqual(['restore_to_point_in_time', 'snapshot_identifier']);
  });

  it('restores Aurora from the newest AWS Backup cluster snapshot', () => {
    const json = build('ledger-restore', { restoreFrom: { database: 'ledger', backup: 'latest' } });
    expect(Object.values(json.data!.aws_db_cluster_snapshot!)[0]).toMatchObject({
      db_cluster_identifier: 'ledger',
      snapshot_type: 'awsbackup',
      most_recent: true,
    });
    expect(json.resource.aws_rds_cluster!.database!.snapshot_identifier).toMatch(/^\$\{data\.aws_db_cluster_snapshot\.[\w-]+\.id\}$/);
  });

  it('restores DynamoDB from point-in-time recovery, the time converted to UTC', () => {
    const table = build('carts-restore').resource.aws_dynamodb_table!.database!;
    expect(table.restore_source_name).toBe('carts');
    expect(table.restore_date_time).toBe('2026-11-28T22:00:00Z');
    expect(table.restore_to_latest_time).toBeUndefined();
    expect(table.lifecycle.ignore_changes).toEqual(['restore_source_name', 'restore_date_time', 'restore_to_latest_time']);
    expect(table.server_side_encryption.enabled).toBe(true);
  });

  it('gives a new database no restore arguments, and ignores them all the same', () => {
    const instance = build('orders').resource.aws_db_instance!.database!;
    expect(instance.restore_to_point_in_time).toBeUndefined();
    expect(instance.snapshot_identifier).toBeUndefined();
    // ignore_changes comes from the current configuration: it must outlive restoreFrom.
    expect(instance.lifecycle.ignore_changes).toEqual(['restore_to_point_in_time', 'snapshot_identifier']);
  });
});

describe('Cloud SQL clone', () => {
  it('clones the source instance, managing none of the databases the clone brings', () => {
    const json = build('profiles-clone');
    const instance =
      json.resource.google_sql_database_instance!['database_instance_C3F1C53D'] ?? Object.values(json.resource.google_sql_database_instance!)[0]!;
    expect(instance.clone).toEqual({ source_instance_name: 'profiles' });
    expect(instance.lifecycle.ignore_changes).toEqual(expect.arrayContaining(['clone', 'restore_backup_context']));
    expect(json.resource.google_sql_database).toBeUndefined();
    // Backups, PITR and deletion protection are the clone's own, as for any database.
    expect(instance.settings.backup_configuration.enabled).toBe(true);
  });

  it('clones at a point in time, in UTC', () => {
    const json = build('profiles-clone', { restoreFrom: { database: 'profiles', pointInTime: '2026-11-29T11:15:00+01:00' } });
    expect(Object.values(json.resource.google_sql_database_instance!)[0]!.clone).toEqual({
      source_instance_name: 'profiles',
      point_in_time: '2026-11-29T10:15:00.000Z',
    });
  });

  it('restores the newest backup run of the source', () => {
    const json = build('profiles-clone', { restoreFrom: { database: 'profiles', backup: 'latest' } });
    const run = Object.values(json.data!.google_sql_backup_run!)[0]!;
    expect(run).toMatchObject({ instance: 'profiles', most_recent: true, project: 'acme-data-dev' });
    const instance = Object.values(json.resource.google_sql_database_instance!)[0]!;
    expect(instance.clone).toBeUndefined();
    expect(instance.restore_backup_context).toMatchObject({ instance_id: 'profiles', project: 'acme-data-dev' });
    expect(instance.restore_backup_context.backup_run_id).toMatch(/^\$\{data\.google_sql_backup_run\.[\w-]+\.backup_id\}$/);
  });
});

describe('once applied, removing restoreFrom replaces nothing', () => {
  it.each(['orders-pitr', 'orders-backup', 'ledger-restore', 'carts-restore', 'profiles-clone'])('%s', (name) => {
    const before = build(name) as unknown as DiffJson;
    const after = withoutRestore(name) as unknown as DiffJson;
    const changes = diffStacks(before, after);
    expect(changes.filter((c) => c.action === 'replace' || c.action === 'delete' || c.destroysData)).toEqual([]);
    // The only attributes that change are the restore arguments and the lifecycle that ignored them.
    const database = changes.filter(
      (c) => c.type.endsWith('db_instance') || c.type.endsWith('rds_cluster') || c.type.endsWith('dynamodb_table') || c.type === 'google_sql_database_instance',
    );
    for (const c of database)
      for (const a of c.changes)
        expect(a.path).toMatch(
          /^(restore_to_point_in_time|snapshot_identifier|restore_source_name|restore_date_time|restore_to_latest_time|clone|restore_backup_context|lifecycle)/,
        );
  });
});

describe('the diff models ignore_changes as Terraform does', () => {
  it('calls the removal a replacement when the new configuration stopped ignoring the restore arguments', () => {
    const before = build('orders-pitr') as unknown as DiffJson;
    const after = withoutRestore('orders-pitr');
    delete after.resource.aws_db_instance!.database!.lifecycle;
    const [change] = diffStacks(before, after as unknown as DiffJson).filter((c) => c.type === 'aws_db_instance');
    expect(change).toMatchObject({ action: 'replace', destroysData: true, reason: 'changing restore_to_point_in_time forces replacement' });
  });
});

describe('the plan labels a restore from the stack', () => {
  it.each([
    ['orders-pitr', 'restore of orders at 2026-11-29T10:15Z'],
    ['orders-backup', 'restore of orders from its newest backup'],
    ['ledger-restore', 'restore of ledger at its latest restorable time'],
    ['carts-restore', 'restore of carts at 2026-11-28T22:00Z'],
    ['profiles-clone', 'restore of profiles at its latest restorable time'],
  ])('%s → %s', (name, label) => {
    expect(stackRestore(build(name) as unknown as DiffJson)?.label).toBe(label);
  });

  it('finds no restore in a new database', () => {
    expect(stackRestore(build('orders') as unknown as DiffJson)).toBeUndefined();
  });
});
