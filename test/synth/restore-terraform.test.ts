// Restores through the real terraform and hashicorp/aws 5.100 (offline: provider mirror, mock
// credentials): validate reads each stack as `dbaas synth` writes it, plan reads the offline variant
// (where the newest-snapshot look-up is a placeholder, since a data source would call AWS).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { loadBuilder } from '../../src/synth/index.js';
import { openOfflineTerraform } from '../../src/terraform/index.js';
import { variant } from './helpers.js';
import { expectTerraformAccepts } from './terraform-accepts.js';

const base = await mkdtemp(path.join(tmpdir(), 'dbaas-restore-tf-'));
afterAll(() => rm(base, { recursive: true, force: true }));

const tf = await openOfflineTerraform({ configDir: base, pluginCacheDir: path.join(base, 'plugin-cache'), timeoutMs: 600_000 });
if (!tf.ok) console.log(`skipped: ${tf.reason}`);
const skipLabel = tf.ok ? '' : ` (skipped: ${tf.reason})`;

const restores = () => [
  variant('orders', { name: 'restore-rds-pitr', databases: ['orders'], restoreFrom: { database: 'orders', pointInTime: '2026-11-29T10:15:00Z' } }),
  variant('orders', { name: 'restore-rds-backup', databases: ['orders'], restoreFrom: { database: 'orders', backup: 'latest' } }),
  variant('ledger', { name: 'restore-aurora', restoreFrom: { database: 'ledger', pointInTime: 'latest' } }),
  variant('carts', { name: 'restore-dynamodb', restoreFrom: { database: 'carts', pointInTime: '2026-11-29T10:15:00Z' } }),
];

describe('AWS restores against the real terraform and hashicorp/aws', () => {
  it.skipIf(!tf.ok)(
    `[integration] terraform validate and plan accept RDS (point in time, newest backup), Aurora and DynamoDB restores${skipLabel}`,
    async () => {
      if (!tf.ok) return;
      await loadBuilder('aws');
      const timings: string[] = [];
      for (const db of restores()) {
        timings.push(await expectTerraformAccepts(tf.runner, base, db));
      }
      console.log(['terraform restore checks:', ...timings].join('\n  '));
    },
    900_000,
  );
});
