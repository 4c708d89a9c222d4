// plan --terraform then apply with the real terraform, on a stack that needs no network
// (terraform_data only), and every refusal apply promises.
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlans, synthCheckout } from '../../src/apply/index.js';
import { planRepo } from '../../src/plan/index.js';
import { guardDir } from '../../src/pipeline.js';
import { readRepoFiles } from '../../src/load/repo.js';
import { planWithTerraform } from '../../src/plan/terraform.js';
import type { SynthesizedStack } from '../../src/synth/index.js';
import { findTerraformBinary } from '../../src/terraform/index.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);
process.env.DBAAS_NOW = '2026-11-21';

const terraform = await findTerraformBinary();
const reason = terraform.ok ? '' : terraform.reason;
if (!terraform.ok) console.log(`skipped: [integration] plan --terraform + apply: ${reason}`);

const stack = (marker: string | undefined): SynthesizedStack => ({
  name: 'orders',
  cloud: 'aws',
  notes: [],
  json: `${JSON.stringify({ terraform: { required_version: '>= 1.5' }, ...(marker ? { resource: { terraform_data: { marker: { input: marker } } } } : {}) }, null, 2)}\n`,
  addresses: marker ? ['terraform_data.marker'] : [],
});
const noCi = { PATH: process.env.PATH ?? '', DBAAS_NOW: '2026-11-21' };
// The real orders stack needs AWS; these tests apply a terraform_data stand-in, so the checkout's
// stack is that stand-in too (the real synthesis is checked in "trusts nothing" below).
const checkoutIs = (s: SynthesizedStack) => async () => new Map([[s.name, s.json]]);

describe.skipIf(!terraform.ok)(`[integration] plan --terraform then apply with the real terraform${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let dir: string;
  let plansDir: string;
  beforeAll(() => {
    dir = tempRepo('example');
    plansDir = join(dir, '.dbaas', 'plans');
  });

  it('[integration] applies a reviewed plan exactly, then refuses a destroy until --allow-destroy', async () => {
    const planned = await planWithTerraform([stack('v1')], readRepoFiles(dir), { plansDir, parallelism: 1 });
    expect(planned.get('orders')).toMatchObject({ ok: true, add: 1, change: 0, destroy: 0 });
    const manifest = JSON.parse(readFileSync(join(plansDir, 'manifest.json'), 'utf8'));
    expect(manifest.stacks.orders).toMatchObject({ add: 1, offline: false, planFile: 'plan.tfplan' });

    const applied = await applyPlans({ dir, plansDir, synth: checkoutIs(stack('v1')), env: noCi });
    expect(applied).toMatchObject({ exitCode: 0, refused: [], failed: [], applied: [{ stack: 'orders', add: 1, change: 0, destroy: 0 }] });
    const state = JSON.parse(readFileSync(join(plansDir, 'stacks', 'orders', 'terraform.tfstate'), 'utf8'));
    expect(state.resources.map((r: { type: string }) => r.type)).toEqual(['terraform_data']);

    const destroying = await planWithTerraform([stack(undefined)], readRepoFiles(dir), { plansDir, parallelism: 1 });
    expect(destroying.get('orders')?.error).toBeUndefined();
    expect(destroying.get('orders')).toMatchObject({ ok: true, add: 0, destroy: 1 });
    const refused = await applyPlans({ dir, plansDir, synth: checkoutIs(stack(undefined)), env: noCi });
    expect(refused.exitCode).toBe(1);
    expect(refused.refused).toEqual([{ stack: 'orders', reason: expect.stringMatching(/destroys 1 resource.*--allow-destroy/) }]);
    const allowed = await applyPlans({ dir, plansDir, synth: checkoutIs(stack(undefined)), env: noCi, allowDestroy: true });
    expect(allowed.applied).toEqual([{ stack: 'orders', add: 0, change: 0, destroy: 1 }]);
  });

  it('[integration] refuses a plan made before the specs changed', async () => {
    await planWithTerraform([stack('v2')], readRepoFiles(dir), { plansDir, parallelism: 1 });
    const file = join(dir, 'stacks', 'payments', 'orders.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('storageGb: 100', 'storageGb: 120'));
    try {
      const result = await applyPlans({ dir, plansDir, synth: checkoutIs(stack('v2')), env: noCi });
      expect(result.exitCode).toBe(1);
      expect(result.applied).toEqual([]);
      expect(result.refused[0]?.reason).toMatch(/changed since the plan was made/);
    } finally {
      writeFileSync(file, original);
    }
  });

  it('[integration] refuses when guardrail errors exist, even with a fresh plan', async () => {
    const file = join(dir, 'stacks', 'payments', 'orders.yaml');
    const original = readFileSync(file, 'utf8');
    writeFileSync(file, original.replace('  backup:\n    policy: prod-standard', '  backup:\n    policy: prod-standard\n    retentionDays: 7'));
    try {
      await planWithTerraform([stack('v3')], readRepoFiles(dir), { plansDir, parallelism: 1 });
      const result = await applyPlans({ dir, plansDir, synth: checkoutIs(stack('v3')), env: noCi });
      expect(result.exitCode).toBe(1);
      expect(result.refused[0]?.reason).toMatch(/guardrail error/);
      expect(result.refused[0]?.reason).not.toMatch(/changed since/);
    } finally {
      writeFileSync(file, original);
    }
  });

  it('[integration] refuses in CI off the protected branch, a tampered plan, and a held lock', async () => {
    await planWithTerraform([stack('v4')], readRepoFiles(dir), { plansDir, parallelism: 1 });
    const offBranch = await applyPlans({ dir, plansDir, synth: checkoutIs(stack('v4')), env: { ...noCi, CI: 'true', GITHUB_REF_NAME: 'feature/x' } });
    expect(offBranch.refused[0]?.reason).toMatch(/CI may apply only from main; this run is on feature\/x/);

    const stackDir = join(plansDir, 'stacks', 'orders');
    const release = await lockfile.lock(stackDir, { realpath: false });
    try {
      const locked = await applyPlans({ dir, plansDir, synth: checkoutIs(stack('v4')), env: noCi });
      expect(locked.refused).toEqual([{ stack: 'orders', reason: 'another apply holds this stack (lock file present)' }]);
    } finally {
      await release();
    }

    const planFile = join(stackDir, 'plan.tfplan');
    writeFileSync(planFile, Buffer.concat([readFileSync(planFile), Buffer.from('x')]));
    const tampered = await applyPlans({ dir, plansDir, synth: checkoutIs(stack('v4')), env: noCi });
    expect(tampered.refused[0]?.reason).toMatch(/not the one reviewed/);
  });

  describe('[integration] trusts nothing in the manifest it did not check', () => {
    const manifestFile = () => join(plansDir, 'manifest.json');
    const forge = (edit: (m: { stacks: Record<string, Record<string, unknown>> }) => void) => {
      const m = JSON.parse(readFileSync(manifestFile(), 'utf8'));
      edit(m);
      writeFileSync(manifestFile(), JSON.stringify(m));
    };

    it('[integration] refuses a plan whose stack is not what the checkout synthesizes (real synthesis)', async () => {
      await planWithTerraform([stack('v5')], readRepoFiles(dir), { plansDir, parallelism: 1 });
      const result = await applyPlans({ dir, plansDir, env: noCi });
      expect(result.exitCode).toBe(1);
      expect(result.refused).toEqual([{ stack: 'orders', reason: expect.stringMatching(/stack hash mismatch/) }]);
    });

    it('[integration] refuses a stack that is not a database of the checkout', async () => {
      await planWithTerraform([{ ...stack('v6'), name: 'not-a-db' }], readRepoFiles(dir), { plansDir, parallelism: 1 });
      const result = await applyPlans({ dir, plansDir, env: noCi, synth: checkoutIs({ ...stack('v6'), name: 'not-a-db' }) });
      expect(result.refused).toEqual([{ stack: 'not-a-db', reason: '"not-a-db" is not a database of this checkout' }]);
      expect(result.applied).toEqual([]);
    });

    it('[integration] refuses plan folders and files outside --plans: .., absolute paths, symbolic links', async () => {
      await planWithTerraform([stack('v7')], readRepoFiles(dir), { plansDir, parallelism: 1 });
      const outside = mkdtempSync(join(tmpdir(), 'dbaas-outside-'));
      try {
        const attempt = async (edit: (e: Record<string, unknown>) => void) => {
          const original = readFileSync(manifestFile(), 'utf8');
          forge((m) => edit(m.stacks.orders!));
          try {
            return (await applyPlans({ dir, plansDir, env: noCi, synth: checkoutIs(stack('v7')) })).refused[0]?.reason;
          } finally {
            writeFileSync(manifestFile(), original);
          }
        };
        expect(await attempt((e) => (e.dir = '../../outside'))).toMatch(/folder "..\/..\/outside" is not a plain relative path under --plans/);
        expect(await attempt((e) => (e.dir = outside))).toMatch(/is not a plain relative path/);
        expect(await attempt((e) => (e.planFile = '../../../../etc/passwd'))).toMatch(/plan file .* is not a plain relative path/);
        mkdirSync(join(plansDir, 'stacks'), { recursive: true });
        symlinkSync(outside, join(plansDir, 'stacks', 'escape'));
        expect(await attempt((e) => (e.dir = 'stacks/escape'))).toMatch(/leads outside --plans \(symbolic link\)/);
      } finally {
        rmSync(join(plansDir, 'stacks', 'escape'), { force: true });
        rmSync(outside, { recursive: true, force: true });
      }
    });

    it('[integration] refuses a malformed manifest entry and rejects a manifest that is not JSON (exit 2, no stack trace)', async () => {
      await planWithTerraform([stack('v10')], readRepoFiles(dir), { plansDir, parallelism: 1 });
      const original = readFileSync(manifestFile(), 'utf8');
      try {
        forge((m) => {
          m.stacks.orders!.planFile = 42;
        });
        const result = await applyPlans({ dir, plansDir, env: noCi, synth: checkoutIs(stack('v10')) });
        expect(result.refused).toEqual([{ stack: 'orders', reason: 'its manifest entry lacks dir, planFile, planSha256, stackSha256 as strings' }]);
        writeFileSync(manifestFile(), '{ not json');
        await expect(applyPlans({ dir, plansDir, env: noCi })).rejects.toMatchObject({
          exitCode: 2,
          message: expect.stringMatching(/manifest.json is not JSON/),
        });
      } finally {
        writeFileSync(manifestFile(), original);
      }
    });

    it('[integration] recomputes destroys from terraform show of the plan file, not the manifest', async () => {
      await planWithTerraform([stack('v8')], readRepoFiles(dir), { plansDir, parallelism: 1 });
      await applyPlans({ dir, plansDir, env: noCi, synth: checkoutIs(stack('v8')) });
      await planWithTerraform([stack(undefined)], readRepoFiles(dir), { plansDir, parallelism: 1 });
      forge((m) => {
        m.stacks.orders!.destroy = 0;
      });
      const result = await applyPlans({ dir, plansDir, env: noCi, synth: checkoutIs(stack(undefined)) });
      expect(result.refused).toEqual([{ stack: 'orders', reason: expect.stringMatching(/the plan destroys 1 resource\(s\)/) }]);
      expect(result.applied).toEqual([]);
    });

    it('[integration] refuses a stack folder holding another terraform file (an override could swap the backend)', async () => {
      await planWithTerraform([stack('v9')], readRepoFiles(dir), { plansDir, parallelism: 1 });
      const extra = join(plansDir, 'stacks', 'orders', 'zz_override.tf.json');
      writeFileSync(extra, JSON.stringify({ terraform: { backend: { local: { path: '/tmp/elsewhere.tfstate' } } } }));
      try {
        const result = await applyPlans({ dir, plansDir, env: noCi, synth: checkoutIs(stack('v9')) });
        expect(result.refused).toEqual([{ stack: 'orders', reason: expect.stringMatching(/other terraform files \(zz_override.tf.json\)/) }]);
      } finally {
        rmSync(extra);
      }
    });
  });
});

describe('the checkout synthesis apply compares with', () => {
  it('builds byte for byte the stacks plan --terraform saves', async () => {
    const dir = tempRepo('example');
    const { stacks } = await planRepo({ dir, all: true, keepStacks: true });
    const guarded = guardDir(dir);
    if (!guarded.ok) throw new Error('example repo does not guard');
    const built = await synthCheckout(guarded.repo, ['orders', 'users', 'not-a-db']);
    expect([...built.keys()].sort()).toEqual(['orders', 'users']);
    expect(built.get('orders')).toBe(stacks.get('orders')?.json);
    expect(built.get('users')).toBe(stacks.get('users')?.json);
  });
});
