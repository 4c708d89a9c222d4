// Promotion by environment: the config's environments and approval flags, plan --environment, and
// apply --environment with the real terraform on terraform_data stand-ins (one plans folder each).
import { Ajv } from 'ajv';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyPlans, environmentTargets } from '../../src/apply/index.js';
import { readRepoFiles } from '../../src/load/repo.js';
import { guardDir } from '../../src/pipeline.js';
import { planRepo } from '../../src/plan/index.js';
import { planWithTerraform } from '../../src/plan/terraform.js';
import type { Environment } from '../../src/spec/generated.js';
import { findTerraformBinary } from '../../src/terraform/index.js';
import { runCli } from '../helpers/cli.js';
import { cleanupTempRepos, REPO_ROOT, tempRepo } from '../helpers/repo.js';
import { checkoutOf, standin } from './standin.js';

afterAll(cleanupTempRepos);
process.env.DBAAS_NOW = '2026-11-21';

const noCi = { PATH: process.env.PATH ?? '', DBAAS_NOW: '2026-11-21' };
// The example repo's databases by environment (stacks/**/*.yaml, spec.environment).
const BY_ENV: Record<Environment, string[]> = {
  development: ['experiments', 'sessions'],
  staging: ['audit', 'audit-restore', 'carts', 'reports', 'reports-clone'],
  production: ['insights', 'ledger', 'orders', 'payouts', 'users', 'warehouse-meta'],
};
// The account baseline stacks the example config builds, by environment (baseline-aws-<env>-<region>,
// baseline-gcp-<env>): each is a stack of one environment, which apply --environment checks like a database's.
const BASELINES_BY_ENV: Record<Environment, string[]> = {
  development: ['baseline-aws-development-eu-west-1', 'baseline-gcp-development'],
  staging: ['baseline-aws-staging-eu-central-1', 'baseline-aws-staging-eu-west-1', 'baseline-gcp-staging'],
  production: ['baseline-aws-production-eu-central-1', 'baseline-aws-production-eu-west-1', 'baseline-gcp-production'],
};

const configOf = (dir: string) => {
  const guarded = guardDir(dir);
  if (!guarded.ok) throw new Error(guarded.problems.map((p) => p.message).join('\n'));
  return guarded.repo.config;
};
const withApplyEnvironments = (dir: string, yaml: string) => {
  const file = join(dir, 'dbaas.config.yaml');
  // The example config has an apply: block already (protectedBranch, parallelism).
  writeFileSync(file, readFileSync(file, 'utf8').replace(/^apply:\n/m, `apply:\n  environments:\n${yaml}`));
};

describe('the environments dbaas.config.yaml deploys to', () => {
  it('lists them in promotion order; approval defaults to production only', () => {
    expect(environmentTargets(configOf(tempRepo('example')))).toEqual([
      { name: 'development', requireApproval: false },
      { name: 'staging', requireApproval: false },
      { name: 'production', requireApproval: true },
    ]);
  });

  it('apply.environments.NAME.requireApproval overrides the default either way', () => {
    const dir = tempRepo('example');
    withApplyEnvironments(dir, '    staging: { requireApproval: true }\n    production: { requireApproval: false }\n');
    expect(environmentTargets(configOf(dir))).toEqual([
      { name: 'development', requireApproval: false },
      { name: 'staging', requireApproval: true },
      { name: 'production', requireApproval: false },
    ]);
  });

  it('refuses an approval flag that is not a boolean, and an unknown environment (exit 2, with the line)', async () => {
    const dir = tempRepo('example');
    withApplyEnvironments(dir, '    production: { requireApproval: "yes" }\n    qa: {}\n');
    const result = await runCli(['apply', '--list-environments', '--dir', dir]);
    expect(result.exitCode).toBe(2);
    expect(result.stderr).toMatch(/dbaas\.config\.yaml:\d+:\d+.*requireApproval/);
    expect(result.stderr).toMatch(/qa/);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('dbaas apply --list-environments --json prints them for a workflow matrix', async () => {
    const dir = tempRepo('example');
    withApplyEnvironments(dir, '    development: { requireApproval: true }\n');
    const result = await runCli(['apply', '--list-environments', '--json', '--dir', dir]);
    expect(result.exitCode).toBe(0);
    const schema = JSON.parse(readFileSync(join(REPO_ROOT, 'schemas', 'output', 'apply-environments.schema.json'), 'utf8'));
    const validate = new Ajv({ strict: false, allErrors: true }).compile(schema);
    expect(validate(JSON.parse(result.stdout)), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(validate([{ name: 'qa', requireApproval: true }])).toBe(false);
    expect(JSON.parse(result.stdout)).toEqual([
      { name: 'development', requireApproval: true },
      { name: 'staging', requireApproval: false },
      { name: 'production', requireApproval: true },
    ]);
  });
});

describe('plan --environment', () => {
  it("plans only that environment's databases (and its own account baseline stacks)", async () => {
    const dir = tempRepo('example');
    for (const env of ['development', 'staging', 'production'] as const) {
      const { report } = await planRepo({ dir, all: true, environment: env });
      expect(report.stacks.map((s) => s.name).sort()).toEqual([...BASELINES_BY_ENV[env], ...BY_ENV[env]].sort());
      expect(report.stacks.every((s) => s.environment === env)).toBe(true);
    }
    const { report } = await planRepo({ dir, all: true });
    expect(report.stacks.map((s) => s.name).sort()).toEqual([...Object.values(BASELINES_BY_ENV).flat(), ...Object.values(BY_ENV).flat()].sort());
    expect(report.stacks).toHaveLength(21);
  });
});

const terraform = await findTerraformBinary();
const reason = terraform.ok ? '' : terraform.reason;
if (!terraform.ok) console.log(`skipped: [integration] apply per environment: ${reason}`);

describe.skipIf(!terraform.ok)(`[integration] apply per environment with the real terraform${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it('[integration] each environment applies its own plans; stacks of another environment are refused, one reason each', async () => {
    const dir = tempRepo('example');
    const stacks = Object.values(BY_ENV)
      .flat()
      .map((n) => standin(n));
    for (const env of ['development', 'staging', 'production'] as const) {
      const plansDir = join(dir, 'plans', env);
      const own = stacks.filter((s) => BY_ENV[env].includes(s.name));
      await planWithTerraform(own, readRepoFiles(dir), { plansDir, parallelism: 2 });
      const result = await applyPlans({ dir, plansDir, env: noCi, synth: checkoutOf(stacks), environment: env });
      expect(result).toMatchObject({ environment: env, exitCode: 0, refused: [], failed: [] });
      expect(result.applied.map((a) => a.stack)).toEqual(BY_ENV[env]);
    }
    // A plans folder holding every environment's stacks, applied as staging: only staging applies.
    const mixed = join(dir, 'plans', 'mixed');
    await planWithTerraform(stacks, readRepoFiles(dir), { plansDir: mixed, parallelism: 2 });
    const staging = await applyPlans({ dir, plansDir: mixed, env: noCi, synth: checkoutOf(stacks), environment: 'staging' });
    expect(staging.exitCode).toBe(1);
    expect(staging.applied.map((a) => a.stack)).toEqual(BY_ENV.staging);
    expect(staging.refused).toEqual(
      [...BY_ENV.development.map((stack) => ({ stack, env: 'development' })), ...BY_ENV.production.map((stack) => ({ stack, env: 'production' }))]
        .sort((a, b) => (a.stack < b.stack ? -1 : 1))
        .map(({ stack, env }) => ({ stack, reason: `it is a ${env} database; this apply is for staging (--environment)` })),
    );
  });
});
