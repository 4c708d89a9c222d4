import { chmod, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import {
  compareVersions,
  currentPlatform,
  defaultMirrorCandidates,
  findProviderMirror,
  findTerraformBinary,
  MIRROR_ENV,
  renderCliConfig,
  scanMirror,
  TERRAFORM_BIN_ENV,
} from '../../src/terraform/index.js';
import { cleanupTmp, makeTmp } from './helpers.js';

const PLATFORM = 'linux_amd64';

async function unpacked(root: string, ns: string, type: string, version: string, platform = PLATFORM): Promise<void> {
  const dir = path.join(root, 'registry.terraform.io', ns, type, version, platform);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `terraform-provider-${type}_v${version}_x5`), '');
}

async function packed(root: string, ns: string, type: string, version: string, platform = PLATFORM): Promise<void> {
  const dir = path.join(root, 'registry.terraform.io', ns, type);
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, `terraform-provider-${type}_${version}_${platform}.zip`), '');
}

afterAll(cleanupTmp);

describe('scanMirror', () => {
  it('finds unpacked and packed providers for the platform only', async () => {
    const root = await makeTmp();
    await unpacked(root, 'hashicorp', 'aws', '5.100.0');
    await unpacked(root, 'hashicorp', 'aws', '5.99.0', 'darwin_arm64');
    await packed(root, 'hashicorp', 'random', '3.6.0');
    await mkdir(path.join(root, 'registry.terraform.io', 'hashicorp', 'google', '6.50.0', PLATFORM), { recursive: true });
    const found = await scanMirror(root, PLATFORM);
    expect(found).toEqual([
      { source: 'registry.terraform.io/hashicorp/aws', version: '5.100.0', layout: 'unpacked' },
      { source: 'registry.terraform.io/hashicorp/random', version: '3.6.0', layout: 'packed' },
    ]);
  });

  it('returns nothing for a missing dir', async () => {
    expect(await scanMirror('/nonexistent/dbaas-mirror', PLATFORM)).toEqual([]);
  });
});

describe('findProviderMirror', () => {
  it('takes the first candidate that holds the required provider', async () => {
    const empty = await makeTmp();
    const other = await makeTmp();
    await unpacked(other, 'hashicorp', 'random', '3.6.0');
    const good = await makeTmp();
    await unpacked(good, 'hashicorp', 'aws', '5.100.0');
    const later = await makeTmp();
    await unpacked(later, 'hashicorp', 'aws', '5.100.0');
    const r = await findProviderMirror({ env: {}, candidates: [empty, other, good, later], platform: PLATFORM });
    expect(r.ok && r.mirrorDir).toBe(good);
    expect(r.tried).toEqual([empty, other, good]);
  });

  it('honours a required version', async () => {
    const root = await makeTmp();
    await unpacked(root, 'hashicorp', 'aws', '5.99.0');
    const r = await findProviderMirror({
      env: {},
      candidates: [root],
      platform: PLATFORM,
      require: [{ source: 'hashicorp/aws', version: '5.100.0' }],
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('hashicorp/aws 5.100.0');
  });

  it('prefers the env override over discovery', async () => {
    const fromEnv = await makeTmp();
    await unpacked(fromEnv, 'hashicorp', 'aws', '5.100.0');
    const candidate = await makeTmp();
    await unpacked(candidate, 'hashicorp', 'aws', '5.100.0');
    const r = await findProviderMirror({ env: { [MIRROR_ENV]: fromEnv }, candidates: [candidate], platform: PLATFORM });
    expect(r.ok && r.mirrorDir).toBe(fromEnv);
  });

  it('fails on a bad env override instead of falling back', async () => {
    const candidate = await makeTmp();
    await unpacked(candidate, 'hashicorp', 'aws', '5.100.0');
    const r = await findProviderMirror({
      env: { [MIRROR_ENV]: '/nonexistent/mirror' },
      candidates: [candidate],
      platform: PLATFORM,
    });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(new RegExp(`^${MIRROR_ENV}=/nonexistent/mirror has no registry.terraform.io/hashicorp/aws`));
  });

  it('says where it looked when nothing is found', async () => {
    const r = await findProviderMirror({ env: {}, candidates: ['/nonexistent/a', '/nonexistent/b'], platform: PLATFORM });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('/nonexistent/a, /nonexistent/b');
  });
});

describe('defaultMirrorCandidates', () => {
  it('lists several well-known places, following XDG', () => {
    const c = defaultMirrorCandidates({ XDG_DATA_HOME: '/x/data', XDG_DATA_DIRS: '/d1:/d2' }, '/home/u');
    expect(c).toEqual(['/opt/tf-plugins', '/home/u/.terraform.d/plugins', '/x/data/terraform/plugins', '/d1/terraform/plugins', '/d2/terraform/plugins']);
    expect(defaultMirrorCandidates({}, '/home/u')).toContain('/usr/share/terraform/plugins');
  });
});

describe('findTerraformBinary', () => {
  it('reports a missing configured binary', async () => {
    const r = await findTerraformBinary({ env: { [TERRAFORM_BIN_ENV]: '/nonexistent/terraform', PATH: '' } });
    expect(r).toEqual({ ok: false, reason: `${TERRAFORM_BIN_ENV}=/nonexistent/terraform is not an executable file` });
  });

  it('reports terraform missing from PATH', async () => {
    const r = await findTerraformBinary({ env: { PATH: await makeTmp() } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/^terraform not found on PATH/);
  });

  it.skipIf(process.platform === 'win32')('finds terraform on PATH and reads its version', async () => {
    const bin = await makeTmp();
    const script = path.join(bin, 'terraform');
    await writeFile(script, '#!/bin/sh\necho \'{"terraform_version":"1.11.4","platform":"linux_amd64"}\'\n');
    await chmod(script, 0o755);
    const r = await findTerraformBinary({ env: { PATH: bin } });
    expect(r).toEqual({ ok: true, terraformBin: script, terraformVersion: '1.11.4', platform: 'linux_amd64' });
  });

  it.skipIf(process.platform === 'win32')('rejects a terraform that is too old', async () => {
    const bin = await makeTmp();
    const script = path.join(bin, 'tf-old');
    await writeFile(script, '#!/bin/sh\necho \'{"terraform_version":"0.14.11"}\'\n');
    await chmod(script, 0o755);
    const r = await findTerraformBinary({ env: { [TERRAFORM_BIN_ENV]: script, PATH: '' } });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toContain('0.14.11');
  });
});

describe('helpers', () => {
  it('compares versions numerically', () => {
    expect(compareVersions('5.100.0', '5.99.0')).toBeGreaterThan(0);
    expect(compareVersions('1.11.4', '1.11.4')).toBe(0);
    expect(compareVersions('1.12.0-beta1', '1.12.0')).toBeLessThan(0);
  });

  it('knows this platform in terraform terms', () => {
    expect(currentPlatform()).toMatch(/^[a-z0-9]+_[a-z0-9]+$/);
  });

  it('renders a mirror-only CLI config', () => {
    const text = renderCliConfig({
      mirrorDir: '/opt/tf-plugins',
      providers: ['hashicorp/aws', 'registry.terraform.io/hashicorp/aws'],
      pluginCacheDir: '/tmp/cache',
    });
    expect(text).toContain('plugin_cache_dir = "/tmp/cache"');
    expect(text).toContain('path    = "/opt/tf-plugins"');
    expect(text).toContain('include = ["registry.terraform.io/hashicorp/aws"]');
    expect(text).toContain('exclude = ["registry.terraform.io/hashicorp/aws"]');
    expect(text).toContain('disable_checkpoint = true');
    expect(renderCliConfig({ mirrorDir: '/m', providers: ['hashicorp/aws'] })).not.toContain('plugin_cache_dir');
  });
});
