import { readdir, readlink, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OFFLINE_OVERRIDE_FILE, prepareOfflineCheck, TerraformError, TerraformRunner } from '../../src/terraform/index.js';
import { cleanupTmp, copyFixture, makeTmp, openForTests } from './helpers.js';

const { tf, label } = await openForTests();
const available = tf.ok;
const runner = tf.ok ? tf.runner : undefined;
const T = 180_000;

afterAll(cleanupTmp);

/** Narrows to the runner; only called inside tests that skip when it is missing. */
function r(): TerraformRunner {
  if (!runner) throw new Error('terraform not available');
  return runner;
}

/** Pids whose working directory is `dir` (Linux). */
async function processesIn(dir: string): Promise<number[]> {
  const pids: number[] = [];
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const cwd = await readlink(`/proc/${name}/cwd`).catch(() => '');
    if (cwd === dir) pids.push(Number(name));
  }
  return pids;
}

async function caught(p: Promise<unknown>): Promise<TerraformError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TerraformError) return e;
    throw e;
  }
  throw new Error('expected a TerraformError');
}

describe('TerraformRunner against the offline mirror', () => {
  it.skipIf(!available)(`[integration] terraform: init, validate, plan and show pass-minimal-aws${label}`, { timeout: T }, async () => {
    const dir = await copyFixture('pass-minimal-aws');
    const prep = await prepareOfflineCheck(dir);
    expect(prep.replacedBackends).toEqual(['s3']);
    expect(prep.findings).toEqual([]);

    const init = await r().init(dir);
    expect(init.stdout).toContain('Terraform has been successfully initialized');

    const v = await r().validate(dir);
    expect(v).toMatchObject({ valid: true, errorCount: 0 });

    const plan = await r().plan(dir, { out: 'stack.tfplan', lockTimeout: 5_000 });
    expect(plan).toMatchObject({ exitCode: 2, hasChanges: true, add: 3, change: 0, destroy: 0, import: 0 });
    expect(plan.planFile).toBe(path.join(dir, 'stack.tfplan'));

    const show = await r().showPlanJson(dir, 'stack.tfplan');
    const changes = (show.resource_changes ?? []).map((c) => [c.type, c.change.actions.join(',')]).sort();
    expect(changes).toEqual([
      ['aws_backup_vault', 'create'],
      ['aws_kms_key', 'create'],
      ['aws_sns_topic', 'create'],
    ]);
    const kms = show.resource_changes?.find((c) => c.type === 'aws_kms_key');
    expect(kms?.change.after).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    // default_tags reach every resource's tags_all.
    const topic = show.resource_changes?.find((c) => c.type === 'aws_sns_topic');
    expect(topic?.change.after).toMatchObject({ tags_all: { 'dbaas:team': 'payments' } });
    console.log(`pass-minimal-aws: init ${init.durationMs} ms, validate ${v.durationMs} ms, plan ${plan.durationMs} ms`);
  });

  it.skipIf(!available)(`[integration] terraform: validate names the bad attribute in fail-invalid-attribute${label}`, { timeout: T }, async () => {
    const dir = await copyFixture('fail-invalid-attribute');
    // validate needs no backend at all.
    await r().init(dir, { backend: false });
    const v = await r().validate(dir);
    expect(v.valid).toBe(false);
    expect(v.errorCount).toBe(1);
    const [d] = v.diagnostics;
    // In .tf.json files terraform reports unknown arguments as extraneous properties.
    expect(d).toMatchObject({
      severity: 'error',
      summary: 'Extraneous JSON object property',
      detail: 'No argument or block type is named "retention_days".',
      range: { filename: 'cdk.tf.json', start: { line: 40 } },
      snippet: { context: 'resource.aws_backup_vault.vault' },
    });
  });

  it.skipIf(!available)(`[integration] terraform: plan without a backend-capable init is a TerraformError${label}`, { timeout: T }, async () => {
    const dir = await copyFixture('pass-minimal-aws');
    await r().init(dir, { backend: false });
    const err = await caught(r().plan(dir, { out: 'x.tfplan' }));
    expect(err.code).toBe('EXIT_NONZERO');
    expect(err.exitCode).toBe(1);
    expect(err.stackDir).toBe(dir);
    expect(err.args.slice(0, 3)).toEqual(['plan', '-input=false', '-no-color']);
    expect(err.message).toContain('Backend initialization required');
    expect(err.stderrTail).toContain('s3');
    expect(err.stderrTail.split('\n').length).toBeLessThanOrEqual(20);
  });

  it.skipIf(!available)(`[integration] terraform: init errors carry the stderr tail${label}`, { timeout: T }, async () => {
    const dir = await makeTmp();
    await writeFile(
      path.join(dir, 'main.tf.json'),
      JSON.stringify({ terraform: { required_providers: { google: { source: 'hashicorp/google', version: '6.50.0' } } } }),
    );
    const err = await caught(r().init(dir, { backend: false }));
    expect(err.code).toBe('EXIT_NONZERO');
    // direct installation is excluded only for mirrored providers; google is simply unreachable offline.
    expect(err.stderrTail).toMatch(/hashicorp\/google/);
  });

  it.skipIf(!available)(`[integration] terraform: apply runs a saved plan and reports outputs${label}`, { timeout: T }, async () => {
    const dir = await makeTmp();
    await writeFile(
      path.join(dir, 'cdk.tf.json'),
      JSON.stringify({
        resource: { terraform_data: { marker: { input: 'dbaas' } } },
        output: { marker: { value: '${terraform_data.marker.output}' } },
      }),
    );
    await r().init(dir);
    const plan = await r().plan(dir, { out: 'a.tfplan' });
    expect(plan.add).toBe(1);
    const applied = await r().apply(dir, 'a.tfplan');
    expect(applied).toMatchObject({ add: 1, change: 0, destroy: 0 });
    expect(applied.outputs.marker?.value).toBe('dbaas');
    const again = await r().plan(dir, { out: 'b.tfplan' });
    expect(again).toMatchObject({ exitCode: 0, hasChanges: false, add: 0 });

    // A plan made under the offline override must not be applied by accident.
    await writeFile(path.join(dir, OFFLINE_OVERRIDE_FILE), '{}');
    const err = await caught(r().apply(dir, 'b.tfplan'));
    expect(err.code).toBe('OFFLINE_OVERRIDE_PRESENT');
  });

  it.skipIf(!available)(`[integration] terraform: timeouts and aborts become TerraformErrors${label}`, { timeout: T }, async () => {
    const dir = await copyFixture('pass-minimal-aws');
    await r().init(dir, { backend: false });
    const timedOut = await caught(r().validate(dir, { timeoutMs: 50 }));
    expect(timedOut.code).toBe('TIMEOUT');

    const ac = new AbortController();
    const p = r().validate(dir, { signal: ac.signal });
    setTimeout(() => ac.abort(), 100);
    expect((await caught(p)).code).toBe('ABORTED');

    const pre = new AbortController();
    pre.abort();
    expect((await caught(r().validate(dir, { signal: pre.signal }))).code).toBe('ABORTED');
  });

  it.skipIf(!available || process.platform !== 'linux')(
    `[integration] terraform: a forced kill takes the provider plugin with it${label}`,
    { timeout: T },
    async () => {
      const dir = await copyFixture('pass-minimal-aws');
      await r().init(dir, { backend: false });
      // validate ignores SIGINT until done, so a short grace period forces SIGKILL mid-run.
      const hard = new TerraformRunner({ terraformBin: r().terraformBin, cliConfigFile: r().cliConfigFile, killGraceMs: 200 });
      const err = await caught(hard.validate(dir, { timeoutMs: 1_000 }));
      expect(err.code).toBe('TIMEOUT');
      await new Promise((res) => setTimeout(res, 300));
      expect(await processesIn(dir)).toEqual([]);
    },
  );
});

describe('TerraformRunner without terraform', () => {
  it('a missing binary is a SPAWN_FAILED TerraformError, not a crash', async () => {
    const dir = await makeTmp();
    const runner = new TerraformRunner({ terraformBin: '/nonexistent/terraform', cliConfigFile: path.join(dir, 'x.tfrc') });
    const err = await caught(runner.init(dir));
    expect(err).toBeInstanceOf(TerraformError);
    expect(err.code).toBe('SPAWN_FAILED');
    expect(err.args[0]).toBe('init');
    expect(err.stackDir).toBe(dir);
  });

  it('builds the automation environment', async () => {
    const dir = await makeTmp();
    const runner = new TerraformRunner({
      terraformBin: 'terraform',
      cliConfigFile: path.join(dir, 'cli.tfrc'),
      env: { AWS_PROFILE: undefined, EXTRA: 'x' },
    });
    const saved = { args: process.env.TF_CLI_ARGS_plan, profile: process.env.AWS_PROFILE };
    process.env.TF_CLI_ARGS_plan = '-no-color';
    process.env.AWS_PROFILE = 'someone';
    try {
      const env = runner.env();
      expect(env).toMatchObject({
        TF_IN_AUTOMATION: '1',
        TF_INPUT: '0',
        CHECKPOINT_DISABLE: '1',
        TF_CLI_CONFIG_FILE: path.join(dir, 'cli.tfrc'),
        EXTRA: 'x',
      });
      expect(env.TF_CLI_ARGS_plan).toBeUndefined();
      expect(env.AWS_PROFILE).toBeUndefined();
    } finally {
      if (saved.args === undefined) delete process.env.TF_CLI_ARGS_plan;
      else process.env.TF_CLI_ARGS_plan = saved.args;
      if (saved.profile === undefined) delete process.env.AWS_PROFILE;
      else process.env.AWS_PROFILE = saved.profile;
    }
  });
});
