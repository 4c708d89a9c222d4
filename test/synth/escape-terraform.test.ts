// The escape boundary against the real `terraform plan`: arbitrary strings (fast-check, rich in `${`,
// `%{`, `$${`, quotes, backslashes, newlines, unicode) placed where spec text reaches a stack come out
// of `plan -out` + `show -json` unchanged. Many values share one stack, so each run is one terraform
// plan: builtin terraform_data (no provider), an AWS stack (hashicorp/aws from the offline mirror),
// and the strings of a GCP stack (no google provider here: its escaped strings are planned as
// terraform_data inputs, which Terraform reads by the same template rules).
import fc from 'fast-check';
import { TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ResolvedDatabase } from '../../src/model/resolved.js';
import { stackConfig } from '../../src/synth/cdktf.js';
import { CDKTF_VERSION, loadBuilder, synthStack } from '../../src/synth/index.js';
import { openOfflineTerraform, prepareOfflineCheck, type TerraformRunner } from '../../src/terraform/index.js';
import { hostileString } from './escape-helpers.js';
import { context, exampleRepo, variant } from './helpers.js';

const base = await mkdtemp(path.join(tmpdir(), 'dbaas-escape-tf-'));
afterAll(() => rm(base, { recursive: true, force: true }));

const tf = await openOfflineTerraform({ configDir: base, pluginCacheDir: path.join(base, 'plugin-cache'), timeoutMs: 600_000 });
if (!tf.ok) console.log(`skipped: ${tf.reason}`);
const skipLabel = tf.ok ? '' : ` (skipped: ${tf.reason})`;

/** A fixed seed: the same strings every run, so a failure reproduces; the seed is in the test name. */
const SEED = 20261130;
function sample(arb: fc.Arbitrary<string>, n: number, offset = 0): string[] {
  return fc.sample(arb, { numRuns: n, seed: SEED + offset });
}

type Planned = { address: string; type: string; values: Record<string, unknown> };

async function plan(runner: TerraformRunner, name: string, json: string, offline: boolean): Promise<Planned[]> {
  const dir = path.join(base, name);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'cdk.tf.json'), json);
  if (offline) await prepareOfflineCheck(dir);
  await runner.init(dir, { reconfigure: true });
  const result = await runner.plan(dir, { out: 'check.tfplan', lock: false });
  expect(
    result.diagnostics.map((d) => `${d.severity} ${d.summary}: ${d.detail ?? ''}`),
    name,
  ).toEqual([]);
  const show = await runner.showPlanJson(dir, 'check.tfplan');
  const root = (show.planned_values as { root_module: { resources?: Planned[] } }).root_module;
  return root.resources ?? [];
}

/** Differences, with every non-ASCII character written as \\u, so a failure shows what differs. */
function differences(expected: Record<string, unknown>, actual: Record<string, unknown>): string[] {
  const show = (v: unknown) => JSON.stringify(v)?.replace(/[^\x20-\x7e]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  const keys = [...new Set([...Object.keys(expected), ...Object.keys(actual)])];
  return keys.filter((k) => expected[k] !== actual[k]).map((k) => `${show(k)}: expected ${show(expected[k])}, planned ${show(actual[k])}`);
}

const sorted = (xs: string[]) => Object.fromEntries([...xs].sort().map((x, i) => [i, x]));

describe('the escape boundary against the real terraform plan', () => {
  it.skipIf(!tf.ok)(
    `[integration] arbitrary strings as values, keys, list items and around references come out unchanged (seed ${SEED})${skipLabel}`,
    async () => {
      if (!tf.ok) return;
      const values = sample(hostileString, 300);
      const keys = [
        ...new Set(
          sample(
            hostileString.filter((s) => s.length > 0),
            100,
            1,
          ),
        ),
      ];
      const around = sample(hostileString, 200, 2);
      const root = new Construct(undefined as never, '');
      root.node.setContext('cdktfVersion', CDKTF_VERSION);
      const stack = new TerraformStack(root, 'escape');
      const ref = new TerraformResource(stack, 'ref', { terraformResourceType: 'terraform_data' });
      ref.addOverride('input', 'REF');
      const refValue = ref.getStringAttribute('input');
      const data = new TerraformResource(stack, 'values', { terraformResourceType: 'terraform_data' });
      data.addOverride('input', {
        values: Object.fromEntries(values.map((v, i) => [`v${i}`, v])),
        keys: Object.fromEntries(keys.map((k, i) => [k, `k${i}`])),
        list: values.slice(0, 50),
        // Literal text on both sides of a live reference, which must still resolve.
        around: Object.fromEntries(around.map((v, i) => [`a${i}`, i % 2 ? `${v}${refValue}${around[i - 1]}` : `${v}${refValue}`])),
      });
      const planned = await plan(tf.runner, 'builtin', JSON.stringify(stackConfig(stack, CDKTF_VERSION)), false);
      const input = planned.find((r) => r.address === 'terraform_data.values')!.values.input as {
        values: Record<string, string>;
        keys: Record<string, string>;
        list: string[];
        around: Record<string, string>;
      };
      expect(differences(Object.fromEntries(values.map((v, i) => [`v${i}`, v])), input.values)).toEqual([]);
      expect(input.keys).toEqual(Object.fromEntries(keys.map((k, i) => [k, `k${i}`])));
      expect(input.list).toEqual(values.slice(0, 50));
      expect(differences(Object.fromEntries(around.map((v, i) => [`a${i}`, i % 2 ? `${v}REF${around[i - 1]}` : `${v}REF`])), input.around)).toEqual([]);
    },
    600_000,
  );

  it.skipIf(!tf.ok)(
    `[integration] AWS: label values (recovery point tags, the same map as default_tags) and channel emails (SNS endpoints) come out unchanged (seed ${SEED})${skipLabel}`,
    async () => {
      if (!tf.ok) return;
      await loadBuilder('aws');
      // Label values are at most 63 characters (schema); label keys have a pattern, still escaped.
      const labels = sample(
        hostileString.map((s) => s.slice(0, 63)),
        40,
        3,
      );
      const emails = sample(
        hostileString.filter((s) => s.length > 0),
        40,
        4,
      );
      const db: ResolvedDatabase = variant('sessions', {
        name: 'escape-aws',
        labels: Object.fromEntries(labels.map((v, i) => [`l${i}`, v])),
        channels: [{ name: 'hostile', email: emails as [string, ...string[]] }],
      });
      const planned = await plan(tf.runner, 'aws', synthStack(db, context({ offlineCheck: true })).json, true);
      // Recovery point tags are the label map also written as the provider's default_tags (tags_all is
      // unknown until apply, so not in planned values).
      const rule = (planned.find((r) => r.type === 'aws_backup_plan')!.values.rule as { recovery_point_tags: Record<string, string> }[])[0]!;
      const tags = Object.fromEntries(Object.entries(rule.recovery_point_tags).filter(([k]) => /^l\d+$/.test(k)));
      expect(differences(Object.fromEntries(labels.map((v, i) => [`l${i}`, v])), tags)).toEqual([]);
      const endpoints = planned.filter((r) => r.type === 'aws_sns_topic_subscription' && r.values.protocol === 'email').map((r) => r.values.endpoint);
      expect(differences(sorted(emails), sorted(endpoints as string[]))).toEqual([]);
    },
    600_000,
  );

  it.skipIf(!tf.ok)(
    `[integration] GCP: channel emails (address and display name) read back unchanged from the stack's strings (seed ${SEED})${skipLabel}`,
    async () => {
      if (!tf.ok) return;
      await loadBuilder('gcp');
      const gcp = exampleRepo().entries.find((e) => e.db.cloud === 'gcp')!.db;
      const emails = sample(
        hostileString.filter((s) => s.length > 0),
        40,
        5,
      );
      const db = { ...structuredClone(gcp), name: 'escape-gcp', channels: [{ name: 'hostile', email: emails }] } as ResolvedDatabase;
      const stack = JSON.parse(synthStack(db, context()).json) as { resource: Record<string, Record<string, Record<string, unknown>>> };
      const channels = Object.values(stack.resource.google_monitoring_notification_channel ?? {}).filter((c) => c.type === 'email');
      expect(channels).toHaveLength(emails.length);
      // The stack's strings exactly as written, planned as terraform_data inputs.
      const probe = {
        resource: {
          terraform_data: Object.fromEntries(
            channels.map((c, i) => [`c${i}`, { input: { address: (c.labels as Record<string, string>).email_address, display: c.display_name } }]),
          ),
        },
      };
      const planned = await plan(tf.runner, 'gcp', JSON.stringify(probe), false);
      const read = planned.map((r) => r.values.input as { address: string; display: string });
      expect(differences(sorted(emails), sorted(read.map((r) => r.address)))).toEqual([]);
      expect(read.map((r) => r.display).sort()).toEqual(emails.map((e) => `hostile: ${e}`).sort());
    },
    600_000,
  );
});
