// The real check for every AWS baseline stack of the example repo: terraform init, validate and plan,
// offline (provider mirror, mock credentials, local state override from src/terraform), plus the
// variant without a Config recorder and the organization-wide one.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { guardDir } from '../../../src/pipeline.js';
import { synthBaselines } from '../../../src/synth/baseline/index.js';
import type { DbaasConfig } from '../../../src/spec/generated.js';
import { openOfflineTerraform, prepareOfflineCheck } from '../../../src/terraform/index.js';
import { REPO_ROOT } from '../helpers.js';

const base = await mkdtemp(path.join(tmpdir(), 'dbaas-baseline-tf-'));
afterAll(() => rm(base, { recursive: true, force: true }));
const tf = await openOfflineTerraform({ configDir: base, pluginCacheDir: path.join(base, 'plugin-cache'), timeoutMs: 600_000 });
if (!tf.ok) console.log(`skipped: ${tf.reason}`);
const skipLabel = tf.ok ? '' : ` (skipped: ${tf.reason})`;

const guarded = guardDir(REPO_ROOT);
if (!guarded.ok) throw new Error('example repo does not guard');
const source = { registry: guarded.registry, overrides: guarded.guard.overrides };

async function check(name: string, real: string, offline: string): Promise<number> {
  if (!tf.ok) throw new Error('no terraform');
  const dir = path.join(base, name);
  await mkdir(dir, { recursive: true });
  const file = path.join(dir, 'cdk.tf.json');
  await writeFile(file, offline);
  const prep = await prepareOfflineCheck(dir);
  expect(prep.findings, name).toEqual([]);
  await tf.runner.init(dir, { reconfigure: true });
  await writeFile(file, real);
  const validate = await tf.runner.validate(dir);
  expect(
    validate.diagnostics.map((d) => `${d.severity} ${d.summary}: ${d.detail ?? ''}`),
    name,
  ).toEqual([]);
  expect(validate.valid, name).toBe(true);
  await writeFile(file, offline);
  const plan = await tf.runner.plan(dir, { out: 'check.tfplan', lock: false });
  expect(
    plan.diagnostics.map((d) => `${d.severity} ${d.summary}: ${d.detail ?? ''}`),
    name,
  ).toEqual([]);
  expect(plan.destroy, name).toBe(0);
  return plan.add;
}

async function checkConfig(config: DbaasConfig, only?: string): Promise<string[]> {
  const real = (await synthBaselines(config, source, { toolVersion: '0.0.0-test' })).filter((s) => s.cloud === 'aws' && (!only || s.name === only));
  const offline = (await synthBaselines(config, source, { toolVersion: '0.0.0-test', offlineCheck: true })).filter(
    (s) => s.cloud === 'aws' && (!only || s.name === only),
  );
  const lines: string[] = [];
  for (const [i, s] of real.entries()) {
    const started = performance.now();
    const add = await check(s.name, s.json, offline[i]!.json);
    expect(add, s.name).toBeGreaterThan(15);
    lines.push(`${s.name}: +${add} in ${Math.round(performance.now() - started)} ms`);
  }
  return lines;
}

describe('AWS baseline stacks against the real terraform and hashicorp/aws', () => {
  it.skipIf(!tf.ok)(
    `[integration] terraform init, validate and plan accept every AWS baseline stack of the example repo${skipLabel}`,
    async () => {
      const lines = await checkConfig(guarded.repo.config);
      expect(lines).toHaveLength(5);
      console.log(`baseline terraform checks:\n  ${lines.join('\n  ')}`);
    },
    900_000,
  );

  it.skipIf(!tf.ok)(
    `[integration] ...and the variants: no recorder, organization management account${skipLabel}`,
    async () => {
      const config = guarded.repo.config;
      const variant = { ...config, baseline: { ...config.baseline!, aws: { createConfigRecorder: false, organizationRole: 'management' as const } } };
      const lines = await checkConfig(variant, 'baseline-aws-development-eu-west-1');
      expect(lines).toHaveLength(1);
    },
    900_000,
  );
});
