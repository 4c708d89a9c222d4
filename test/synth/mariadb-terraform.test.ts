// RDS for MariaDB through the real terraform and hashicorp/aws 5.100 (offline: provider mirror, mock
// credentials): the example's payouts stack, a pinned 10.11 minor without PITR, and a point-in-time
// restore. validate reads each stack as `dbaas synth` writes it, plan reads the offline variant.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadBuilder, synthStack } from '../../src/synth/index.js';
import { openOfflineTerraform } from '../../src/terraform/index.js';
import { context, exampleEntry, variant } from './helpers.js';
import { expectTerraformAccepts } from './terraform-accepts.js';

const base = await mkdtemp(path.join(tmpdir(), 'dbaas-mariadb-tf-'));
afterAll(() => rm(base, { recursive: true, force: true }));

const tf = await openOfflineTerraform({ configDir: base, pluginCacheDir: path.join(base, 'plugin-cache'), timeoutMs: 600_000 });
if (!tf.ok) console.log(`skipped: ${tf.reason}`);
const skipLabel = tf.ok ? '' : ` (skipped: ${tf.reason})`;

const stacks = () => [
  exampleEntry('payouts').db,
  variant('payouts', {
    name: 'mariadb-10-11-no-pitr',
    version: '10.11.9',
    highAvailability: false,
    backup: { pointInTimeRecovery: { enabled: false, retentionDays: 7 }, vaultLock: undefined, copies: [] },
  }),
  variant('payouts', { name: 'mariadb-restore', restoreFrom: { database: 'payouts', pointInTime: '2026-11-29T10:15:00Z' } }),
];

describe('RDS for MariaDB against the real terraform and hashicorp/aws', () => {
  it.skipIf(!tf.ok)(
    `[integration] terraform init, validate and plan accept the MariaDB stacks${skipLabel}`,
    async () => {
      if (!tf.ok) return;
      await loadBuilder('aws');
      const timings: string[] = [];
      for (const db of stacks()) {
        expect(JSON.parse(synthStack(db, context()).json).resource.aws_db_instance.database.engine, db.name).toBe('mariadb');
        timings.push(await expectTerraformAccepts(tf.runner, base, db));
      }
      console.log(['terraform MariaDB checks:', ...timings].join('\n  '));
    },
    900_000,
  );
});
