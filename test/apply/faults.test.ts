// Apply under faults with the real terraform: 20 offline-appliable stacks (terraform_data, local
// state), one failing through a local-exec provisioner. The others still apply (or stop with
// --fail-fast), the failure carries terraform's own error lines, and a re-run applies only what is left.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { APPLIED_FILE, applyPlans, REPORT_FILE } from '../../src/apply/index.js';
import { readRepoFiles } from '../../src/load/repo.js';
import { planWithTerraform } from '../../src/plan/terraform.js';
import { findTerraformBinary } from '../../src/terraform/index.js';
import { cleanupTempRepos } from '../helpers/repo.js';
import { checkoutOf, repoWithDatabases, standin } from './standin.js';

afterAll(cleanupTempRepos);
process.env.DBAAS_NOW = '2026-11-21';

const terraform = await findTerraformBinary();
const reason = terraform.ok ? '' : terraform.reason;
if (!terraform.ok) console.log(`skipped: [integration] apply under faults: ${reason}`);

const noCi = { PATH: process.env.PATH ?? '', DBAAS_NOW: '2026-11-21' };
const NAMES = Array.from({ length: 20 }, (_, i) => `f${String(i + 1).padStart(2, '0')}`);
const FAILING = 'f07';

describe.skipIf(!terraform.ok)(`[integration] apply under faults with the real terraform${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let dir: string;
  beforeAll(() => {
    dir = repoWithDatabases(NAMES);
  });

  it("[integration] one of 20 stacks fails: the other 19 apply, the report has terraform's error, a re-run applies nothing twice", async () => {
    const plansDir = join(dir, 'plans-continue');
    const stacks = NAMES.map((n) => standin(n, { fail: n === FAILING }));
    const planned = await planWithTerraform(stacks, readRepoFiles(dir), { plansDir, parallelism: 4 });
    expect([...planned.values()].every((p) => p.ok)).toBe(true);

    const first = await applyPlans({ dir, plansDir, env: noCi, synth: checkoutOf(stacks), parallelism: 4 });
    expect(first.exitCode).toBe(1);
    expect(first.applied.map((a) => a.stack)).toEqual(NAMES.filter((n) => n !== FAILING));
    expect(first.failed).toHaveLength(1);
    expect(first.failed[0]).toMatchObject({ stack: FAILING, error: expect.stringMatching(/terraform apply EXIT_NONZERO \(exit 1\)/) });
    // Terraform's own lines: the provisioner's diagnostic and the command's output.
    expect(first.failed[0]!.terraform.join('\n')).toMatch(/local-exec provisioner error/);
    expect(first.failed[0]!.terraform.join('\n')).toMatch(/boom: f07 cannot be created/);
    expect(first).toMatchObject({ refused: [], notStarted: [], alreadyApplied: [], interrupted: false });
    // The report on disk is the one returned; applied.json names the 19 applied plans.
    expect(JSON.parse(readFileSync(join(plansDir, REPORT_FILE), 'utf8'))).toEqual(first);
    const record = JSON.parse(readFileSync(join(plansDir, APPLIED_FILE), 'utf8'));
    expect(Object.keys(record.stacks).sort()).toEqual(NAMES.filter((n) => n !== FAILING));

    const again = await applyPlans({ dir, plansDir, env: noCi, synth: checkoutOf(stacks), parallelism: 4 });
    expect(again.applied).toEqual([]);
    expect(again.alreadyApplied.map((a) => a.stack)).toEqual(NAMES.filter((n) => n !== FAILING));
    // The failed stack is tried again; terraform itself decides (its state changed: the plan is stale).
    expect(again.failed.map((f) => f.stack)).toEqual([FAILING]);
    for (const n of NAMES) expect(existsSync(join(plansDir, 'stacks', `${n}.lock`))).toBe(false);
  });

  it('[integration] --fail-fast starts nothing after the first failure; a re-run without it applies the rest', async () => {
    const plansDir = join(dir, 'plans-fail-fast');
    const stacks = NAMES.map((n) => standin(n, { fail: n === FAILING, version: 'ff' }));
    await planWithTerraform(stacks, readRepoFiles(dir), { plansDir, parallelism: 4 });

    const first = await applyPlans({ dir, plansDir, env: noCi, synth: checkoutOf(stacks), parallelism: 1, failFast: true });
    expect(first.exitCode).toBe(1);
    expect(first.applied.map((a) => a.stack)).toEqual(['f01', 'f02', 'f03', 'f04', 'f05', 'f06']);
    expect(first.failed.map((f) => f.stack)).toEqual([FAILING]);
    expect(first.notStarted.map((n) => n.stack)).toEqual(NAMES.slice(7));
    expect(first.notStarted[0]!.reason).toMatch(/f07 failed first \(--fail-fast\)/);

    const rest = await applyPlans({ dir, plansDir, env: noCi, synth: checkoutOf(stacks), parallelism: 4 });
    expect(rest.alreadyApplied.map((a) => a.stack)).toEqual(['f01', 'f02', 'f03', 'f04', 'f05', 'f06']);
    expect(rest.applied.map((a) => a.stack)).toEqual(NAMES.slice(7));
    expect(rest.applied.every((a) => a.add === 1)).toBe(true);
    expect(rest.notStarted).toEqual([]);
  });
});
