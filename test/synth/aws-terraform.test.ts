// The real check: every AWS stack of the example repo goes through terraform init, validate and
// plan, offline (provider mirror, mock credentials, local state override from src/terraform).
// validate reads the stack exactly as `dbaas synth` writes it; plan reads the offline variant
// (providers skip credential checks, secret look-ups are placeholders), which is all it changes.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ResolvedDatabase } from '../../src/model/resolved.js';
import { synthAll } from '../helpers/synth.js';
import { loadBuilder, synthStack } from '../../src/synth/index.js';
import { openOfflineTerraform, prepareOfflineCheck, type TerraformRunner } from '../../src/terraform/index.js';
import { awsEntries, context, variant } from './helpers.js';

const base = await mkdtemp(path.join(tmpdir(), 'dbaas-synth-tf-'));
afterAll(() => rm(base, { recursive: true, force: true }));

const tf = await openOfflineTerraform({ configDir: base, pluginCacheDir: path.join(base, 'plugin-cache'), timeoutMs: 600_000 });
if (!tf.ok) console.log(`skipped: ${tf.reason}`);
const skipLabel = tf.ok ? '' : ` (skipped: ${tf.reason})`;

/** Stacks checked at once: terraform itself is multi-threaded, and these machines have 2 cores. */
const PARALLEL = 2;

/**
 * One init at a time: concurrent inits filling the same plugin cache race on its entries
 * ("file exists"). validate and plan only read it and run side by side.
 */
let initQueue: Promise<unknown> = Promise.resolve();
function serially<T>(fn: () => Promise<T>): Promise<T> {
  const run = initQueue.then(fn, fn);
  initQueue = run.catch(() => undefined);
  return run;
}

interface Timing {
  name: string;
  initMs: number;
  validateMs: number;
  planMs: number;
  add: number;
}

async function checkStack(runner: TerraformRunner, name: string, real: string, offline: string): Promise<Timing> {
  const dir = path.join(base, name);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'cdk.tf.json');
  await writeFile(file, offline);
  const prep = await prepareOfflineCheck(dir);
  expect(prep.findings, name).toEqual([]);
  expect(prep.replacedBackends, name).toEqual(['s3']);
  const init = await serially(() => runner.init(dir, { reconfigure: true }));
  await writeFile(file, real);
  const validate = await runner.validate(dir);
  expect(
    validate.diagnostics.filter((d) => d.severity === 'error'),
    name,
  ).toEqual([]);
  expect(validate.valid, name).toBe(true);
  // No deprecated argument or block either: warnings today are errors in the next provider major.
  expect(
    validate.diagnostics.map((d) => `${d.summary}: ${d.detail ?? ''}`),
    name,
  ).toEqual([]);
  await writeFile(file, offline);
  const plan = await runner.plan(dir, { out: 'check.tfplan', lock: false });
  expect(
    plan.diagnostics.map((d) => `${d.severity} ${d.summary}: ${d.detail ?? ''}`),
    name,
  ).toEqual([]);
  expect(plan.add, name).toBeGreaterThan(10);
  expect(plan.destroy, name).toBe(0);
  return { name, initMs: init.durationMs, validateMs: validate.durationMs, planMs: plan.durationMs, add: plan.add };
}

async function checkAll(runner: TerraformRunner, stacks: { name: string; real: string; offline: string }[]): Promise<void> {
  const started = performance.now();
  const timings: Timing[] = [];
  const queue = [...stacks];
  await Promise.all(
    Array.from({ length: PARALLEL }, async () => {
      for (let job = queue.shift(); job; job = queue.shift()) timings.push(await checkStack(runner, job.name, job.real, job.offline));
    }),
  );
  const wallMs = performance.now() - started;
  const per = (t: Timing) => `${t.name}: init ${Math.round(t.initMs)} ms, validate ${Math.round(t.validateMs)} ms, plan ${Math.round(t.planMs)} ms (+${t.add})`;
  console.log(
    [
      `terraform checks: ${timings.length} stacks in ${Math.round(wallMs)} ms with ${PARALLEL} at a time (${Math.round(wallMs / timings.length)} ms per stack)`,
      ...timings.sort((a, b) => a.name.localeCompare(b.name)).map(per),
    ].join('\n  '),
  );
  expect(timings.map((t) => t.name).sort()).toEqual(stacks.map((s) => s.name).sort());
}

/** Features the example repo does not use, each in a stack of its own. */
function variants(): ResolvedDatabase[] {
  return [
    variant('sessions', {
      name: 'variant-referenced-key',
      backup: { encryption: { kmsKey: 'alias/backups' }, vaultLock: { mode: 'governance', minRetentionDays: 7 } },
      channels: [{ name: 'ops', email: ['ops@example.com'], slack: { workspaceId: 'T01OPSTEAM1', channelId: 'C01OPSALRT2' } }],
      objectives: { rtoHours: 2.5 },
    }),
    variant('carts', {
      name: 'variant-dynamodb-prod',
      environment: 'production',
      deletionProtection: true,
      instanceClass: 'PROVISIONED:10:20',
      backup: {
        pointInTimeRecovery: { enabled: true, retentionDays: 14 },
        copies: [
          { region: 'eu-central-1', retentionDays: 30 },
          { account: '999999999999', retentionDays: 90 },
        ],
      },
    }),
    variant('orders', {
      name: 'variant-long-lock',
      backup: {
        retentionDays: 90,
        vaultLock: { mode: 'compliance', minRetentionDays: 60, changeableForDays: 7 },
        copies: [{ region: 'eu-west-1', retentionDays: 90 }],
        alerts: { onFailure: true, missingAfterHours: 744 },
      },
    }),
    variant('sessions', { name: 'variant-backups-off', backup: { enabled: false } }),
    // The management account owns aws_backup_global_settings; an Aurora cluster's restore test lands
    // in the account's subnet group; no half hour clear of hourly runs leaves backup_window to RDS.
    variant('ledger', { name: 'variant-management-account', placement: { organizationsManagementAccount: true }, objectives: { rtoHours: 1 } }),
    variant('sessions', {
      name: 'variant-hourly',
      backup: { schedule: '0 * * * *', completionWindowMinutes: 120, alerts: { onFailure: false, missingAfterHours: 2 } },
    }),
  ];
}

describe('AWS stacks against the real terraform and hashicorp/aws', () => {
  it.skipIf(!tf.ok)(
    `[integration] terraform init, validate and plan accept every AWS stack of the example repo${skipLabel}`,
    async () => {
      if (!tf.ok) return;
      const entries = awsEntries();
      const real = await synthAll(entries, context());
      const offline = await synthAll(entries, context({ offlineCheck: true }));
      expect(real.problems).toEqual([]);
      expect(offline.stacks.map((s) => s.name)).toEqual(real.stacks.map((s) => s.name));
      expect(real.stacks).toHaveLength(8);
      await checkAll(
        tf.runner,
        real.stacks.map((s, i) => ({ name: s.name, real: s.json, offline: offline.stacks[i]!.json })),
      );
    },
    900_000,
  );

  it.skipIf(!tf.ok)(
    `[integration] terraform init, validate and plan accept the features the example repo does not use${skipLabel}`,
    async () => {
      if (!tf.ok) return;
      await loadBuilder('aws');
      const stacks = variants().map((db) => ({
        name: db.name,
        real: synthStack(db, context()).json,
        offline: synthStack(db, context({ offlineCheck: true })).json,
      }));
      await checkAll(tf.runner, stacks);
    },
    900_000,
  );
});
