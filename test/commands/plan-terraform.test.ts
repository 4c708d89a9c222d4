// dbaas plan --terraform through the real CLI, on one real AWS stack, with the offline provider
// mirror: the terraform counts join the report, the manifest is written, and apply refuses an
// offline plan.
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { discoverOfflineTerraform } from '../../src/terraform/index.js';
import { runCli } from '../helpers/cli.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

const offline = await discoverOfflineTerraform();
const reason = offline.ok ? '' : offline.reason;
if (!offline.ok) console.log(`skipped: [integration] plan --terraform --offline: ${reason}`);

describe.skipIf(!offline.ok)(`[integration] dbaas plan --terraform --offline${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it('[integration] plans the stack with the real terraform, saves plan and manifest, and apply refuses the offline plan', async () => {
    const dir = tempRepo('example');
    // One AWS database keeps this to one terraform run.
    for (const f of [
      'payments/orders.yaml',
      'payments/ledger.yaml',
      'payments/payouts.yaml',
      'identity/users.yaml',
      'identity/sessions.yaml',
      'identity/audit.yaml',
      'analytics/warehouse-meta.yaml',
      'analytics/reports.yaml',
      'analytics/insights.yaml',
      'analytics/experiments.yaml',
      'identity/audit-restore.yaml',
      'analytics/reports-clone.yaml',
    ]) {
      rmSync(join(dir, 'stacks', f));
    }
    // ...and no account baselines (test/synth/baseline/aws-terraform.test.ts runs those through terraform).
    const config = join(dir, 'dbaas.config.yaml');
    const text = readFileSync(config, 'utf8');
    writeFileSync(config, text.slice(0, text.indexOf('\nbaseline:')) + text.slice(text.indexOf('\napply:')));
    const plans = join(dir, 'plans');
    const env: Record<string, string> = offline.ok ? { DBAAS_TF_PROVIDER_MIRROR: offline.mirrorDir } : {};
    const result = await runCli(['plan', '--dir', dir, '--all', '--terraform', '--offline', '--plans', plans, '--format', 'json'], { env });
    expect(result.exitCode, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout);
    const [carts] = report.stacks;
    expect(carts.name).toBe('carts');
    expect(carts.terraform).toMatchObject({ ok: true, change: 0, destroy: 0, planFile: 'stacks/carts/plan.tfplan' });
    // Terraform's count of resources equals the config diff's.
    expect(carts.terraform.add).toBe(carts.counts.add);
    expect(report.terraform).toMatchObject({ add: carts.counts.add, failed: 0 });
    expect(result.stderr).toMatch(/terraform plan carts: \+\d+ ~0 -0/);
    const manifest = JSON.parse(readFileSync(join(plans, 'manifest.json'), 'utf8'));
    expect(manifest.stacks.carts).toMatchObject({ offline: true, add: carts.counts.add, planFile: 'plan.tfplan' });

    const apply = await runCli(['apply', '--dir', dir, '--plans', plans], { env });
    expect(apply.exitCode).toBe(1);
    expect(apply.stdout).toMatch(/refused {2}carts: the plan was made offline with mock credentials/);
  });
});
