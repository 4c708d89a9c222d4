import { access, readFile, readlink } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  currentPlatform,
  OFFLINE_AWS_PROVIDER_ARGS,
  OFFLINE_OVERRIDE_FILE,
  offlineAwsEnv,
  offlineFindings,
  openOfflineTerraform,
  prepareOfflineCheck,
  runOfflineCheck,
} from '../../src/terraform/index.js';
import { cleanupTmp, copyFixture, makeTmp, openForTests } from './helpers.js';

const { tf, label } = await openForTests();
const available = tf.ok;
const T = 180_000;

afterAll(cleanupTmp);

describe('offline helpers', () => {
  it('offlineAwsEnv gives mock keys and unsets profile/role variables', () => {
    const env = offlineAwsEnv();
    expect(env.AWS_ACCESS_KEY_ID).toBeTruthy();
    expect(env.AWS_SECRET_ACCESS_KEY).toBeTruthy();
    expect(env.AWS_EC2_METADATA_DISABLED).toBe('true');
    for (const k of ['AWS_PROFILE', 'AWS_SESSION_TOKEN', 'AWS_ROLE_ARN', 'AWS_WEB_IDENTITY_TOKEN_FILE']) {
      expect(k in env && env[k] === undefined).toBe(true);
    }
  });

  it('offlineFindings flags what breaks an offline plan', () => {
    const r = offlineFindings({
      terraform: [{ backend: [{ s3: { bucket: 'b' } }] }],
      provider: {
        aws: [
          { region: 'eu-west-1', ...OFFLINE_AWS_PROVIDER_ARGS },
          { alias: 'copy', region: 'eu-central-1', skip_credentials_validation: true, profile: 'prod' },
        ],
        google: [{ project: 'p' }],
      },
      data: { aws_caller_identity: { me: {} } },
    });
    expect(r.backends).toEqual(['s3']);
    expect(r.findings).toEqual([
      'cdk.tf.json: provider aws.copy lacks skip_requesting_account_id = true',
      'cdk.tf.json: provider aws.copy sets profile, which needs real credentials',
      'cdk.tf.json: provider "google" is not in the offline mirror',
      'cdk.tf.json: data "aws_caller_identity" calls STS during plan',
    ]);
  });

  it('prepareOfflineCheck overrides the backend and cleans up', async () => {
    const dir = await copyFixture('pass-minimal-aws');
    const prep = await prepareOfflineCheck(dir);
    expect(prep.overrideFile).toBe(path.join(dir, OFFLINE_OVERRIDE_FILE));
    expect(JSON.parse(await readFile(prep.overrideFile, 'utf8'))).toEqual({
      terraform: { backend: { local: { path: '.terraform/dbaas-offline.tfstate' } } },
    });
    expect(prep.replacedBackends).toEqual(['s3']);
    await prep.cleanup();
    await expect(access(prep.overrideFile)).rejects.toThrow();
  });
});

describe('offline check with real terraform', () => {
  it.skipIf(!available)(`[integration] terraform: runOfflineCheck validates and plans an S3-backend stack${label}`, { timeout: T }, async () => {
    if (!tf.ok) return;
    const dir = await copyFixture('pass-minimal-aws');
    const res = await runOfflineCheck(tf.runner, dir);
    expect(res.validate.valid).toBe(true);
    expect(res.plan).toMatchObject({ add: 3, change: 0, destroy: 0 });
    expect(res.planJson?.resource_changes).toHaveLength(3);
    expect(res.replacedBackends).toEqual(['s3']);
    // The override is gone afterwards, so a later real init sees the S3 backend again.
    await expect(access(path.join(dir, OFFLINE_OVERRIDE_FILE))).rejects.toThrow();
    console.log(`runOfflineCheck timings (ms): ${JSON.stringify(res.timings)}`);
  });

  it.skipIf(!available)(`[integration] terraform: runOfflineCheck stops at validate errors${label}`, { timeout: T }, async () => {
    if (!tf.ok) return;
    const dir = await copyFixture('fail-invalid-attribute');
    const res = await runOfflineCheck(tf.runner, dir);
    expect(res.validate.valid).toBe(false);
    expect(res.validate.diagnostics.map((d) => d.detail ?? '').join('\n')).toContain('retention_days');
    expect(res.plan).toBeUndefined();
  });

  it.skipIf(!available)(`[integration] terraform: a shared plugin cache dir works with the mirror${label}`, { timeout: T }, async () => {
    const cacheDir = path.join(await makeTmp(), 'plugin-cache');
    const cached = await openOfflineTerraform({ configDir: await makeTmp(), pluginCacheDir: cacheDir });
    if (!cached.ok) throw new Error(cached.reason);
    expect(await readFile(cached.cliConfigFile, 'utf8')).toContain(`plugin_cache_dir = "${cacheDir}"`);
    // Parallel inits into one cache raced without TF_PLUGIN_CACHE_MAY_BREAK_DEPENDENCY_LOCK_FILE.
    const dirs = await Promise.all([1, 2, 3, 4].map(() => copyFixture('pass-minimal-aws')));
    await Promise.all(dirs.map((dir) => cached.runner.init(dir, { backend: false })));
    for (const dir of dirs) {
      const providerDir = path.join(dir, '.terraform/providers/registry.terraform.io/hashicorp/aws/5.100.0', currentPlatform());
      // terraform links the stack's provider dir to the cache instead of copying the 700 MB binary.
      expect(await readlink(providerDir)).toContain(cacheDir);
    }
  });
});
