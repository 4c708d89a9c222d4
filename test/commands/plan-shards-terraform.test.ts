// plan --shard with the real terraform (offline, AWS): each shard plans and saves only its stacks,
// with its own manifest, and the merged report equals the unsharded one (but for the plans folder,
// which is each runner's own).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverOfflineTerraform } from '../../src/terraform/index.js';
import { runCli } from '../helpers/cli.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

const offline = await discoverOfflineTerraform();
const reason = offline.ok ? '' : offline.reason;
if (!offline.ok) console.log(`skipped: [integration] plan --shard --terraform --offline: ${reason}`);

describe.skipIf(!offline.ok)(`[integration] dbaas plan --shard --terraform --offline${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it("[integration] saves each shard's plans and manifest, and merges to the unsharded report", async () => {
    const dir = tempRepo('example');
    const env: Record<string, string> = offline.ok ? { DBAAS_TF_PROVIDER_MIRROR: offline.mirrorDir } : {};
    const only = ['--only', 'carts,sessions'];
    const plan = (extra: string[]) => runCli(['plan', '--dir', dir, '--all', ...only, '--terraform', '--offline', '--format', 'json', ...extra], { env });
    const whole = await plan(['--plans', join(dir, 'plans-whole'), '--out', join(dir, 'whole.json')]);
    expect(whole.exitCode, whole.stderr).toBe(0);
    const files: string[] = [];
    const mine: string[][] = [];
    for (const k of [1, 2]) {
      const plans = join(dir, `plans-${k}`);
      const file = join(dir, `shard-${k}.json`);
      const result = await plan(['--shard', `${k}/2`, '--plans', plans, '--out', file]);
      expect(result.exitCode, result.stderr).toBe(0);
      const report = JSON.parse(readFileSync(file, 'utf8'));
      const names = report.stacks.map((s: { name: string }) => s.name);
      expect(names).toHaveLength(1);
      // The manifest holds this shard's stacks, and the saved plan is there.
      const manifest = JSON.parse(readFileSync(join(plans, 'manifest.json'), 'utf8'));
      expect(Object.keys(manifest.stacks)).toEqual(names);
      expect(readFileSync(join(plans, 'stacks', names[0], 'plan.tfplan')).length).toBeGreaterThan(0);
      expect(report.terraform).toMatchObject({ failed: 0, add: report.stacks[0].counts.add });
      files.push(file);
      mine.push(names);
    }
    expect(mine.flat().sort()).toEqual(['carts', 'sessions']);
    const merged = await runCli(['plan', 'merge', ...files, '--format', 'json'], { env });
    expect(merged.exitCode, merged.stderr).toBe(0);
    const a = JSON.parse(merged.stdout);
    const b = JSON.parse(readFileSync(join(dir, 'whole.json'), 'utf8'));
    // The plans folder is each runner's own: the merge names the first shard's.
    expect(a.terraform.plansDir).toBe(join(dir, 'plans-1'));
    expect(b.terraform.plansDir).toBe(join(dir, 'plans-whole'));
    for (const key of Object.keys(b)) {
      if (key === 'terraform') expect({ ...a.terraform, plansDir: '' }).toEqual({ ...b.terraform, plansDir: '' });
      else expect(a[key], key).toEqual(b[key]);
    }
    expect(Object.keys(a)).toEqual(Object.keys(b));
  }, 300_000);
});
