// Baseline stacks in the plan: new with no base, absent when nothing they read changed, changed when
// the config's baseline section or a guardrail number they take changes. A database may not take a
// baseline stack's name.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyPlans, synthCheckout } from '../../src/apply/index.js';
import { readRepoFiles } from '../../src/load/repo.js';
import { planRepo, synthOffline } from '../../src/plan/index.js';
import { planWithTerraform } from '../../src/plan/terraform.js';
import { guardDir, resolveDir } from '../../src/pipeline.js';
import { findTerraformBinary } from '../../src/terraform/index.js';
import { initRepo } from '../helpers/git.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);
process.env.DBAAS_NOW = '2026-11-21';

const edit = (file: string, from: string, to: string) => {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
  writeFileSync(file, text.replace(from, to));
  return () => writeFileSync(file, text);
};

const STRICTER = `apiVersion: dbaas.dev/v1
kind: Guardrail
metadata:
  id: retention-six-weeks
  severity: warning
spec:
  description: Production backups are kept six weeks.
  references:
    - "AWS Config: backup-recovery-point-minimum-retention-check"
  match:
    environment: [production]
  assert:
    properties:
      backup:
        properties:
          retentionDays: { minimum: 42 }
  remediation: Set backup.retentionDays to 42 or more.
  tests:
    pass:
      - { environment: production, backup: { retentionDays: 42 } }
    fail:
      - { environment: production, backup: { retentionDays: 35 } }
`;

describe('baseline stacks in dbaas plan', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempRepo('example');
    await initRepo(dir);
  });

  it('plans none when neither the config nor the guardrails changed', async () => {
    const { report } = await planRepo({ dir });
    expect(report.stacks.filter((s) => s.kind === 'baseline')).toEqual([]);
  });

  it('plans the GCP baselines as updated when the config turns dry-run off, and no AWS one', async () => {
    const undo = edit(join(dir, 'dbaas.config.yaml'), 'dryRun: true', 'dryRun: false');
    try {
      const { report } = await planRepo({ dir });
      const baselines = report.stacks.filter((s) => s.kind === 'baseline');
      expect(baselines.map((s) => s.name)).toEqual(['baseline-gcp-development', 'baseline-gcp-production', 'baseline-gcp-staging']);
      for (const s of baselines) {
        expect(s.action).toBe('update');
        expect(s.touchedBy).toEqual(['dbaas.config.yaml']);
        expect(s.file).toBe('dbaas.config.yaml');
        expect(s.resources.every((r) => r.type === 'google_org_policy_policy' && r.action === 'update')).toBe(true);
      }
    } finally {
      undo();
    }
  });

  it('follows a guardrail number: a stricter repo guardrail changes the production AWS Config rules', async () => {
    mkdirSync(join(dir, 'policies'), { recursive: true });
    writeFileSync(join(dir, 'policies/retention-six-weeks.yaml'), STRICTER);
    const { report, stacks } = await planRepo({ dir, keepStacks: true });
    expect(report.problems).toEqual([]);
    const baselines = report.stacks.filter((s) => s.kind === 'baseline');
    // The GCP stacks take no retention number: built identical, so not in the plan.
    expect(baselines.map((s) => s.name)).toEqual(['baseline-aws-production-eu-central-1', 'baseline-aws-production-eu-west-1']);
    const prod = baselines.find((s) => s.name === 'baseline-aws-production-eu-west-1')!;
    expect(prod.touchedBy.join(' ')).toContain('retention-six-weeks');
    const rule = prod.resources.find((r) => r.address === 'aws_config_config_rule.rule_backup_recovery_point_minimum_retention_check')!;
    expect(rule.action).toBe('update');
    // The head stack kept for --terraform carries the new number.
    expect(stacks.get('baseline-aws-production-eu-west-1')!.json).toContain('\\"requiredRetentionDays\\":\\"42\\"');
  });
});

describe('reserved names and baseline config, caught by validate', () => {
  it('validate refuses a database named like a baseline stack, at its metadata.name', () => {
    const dir = tempRepo('example');
    edit(join(dir, 'stacks/payments/orders.yaml'), 'name: orders', 'name: baseline-orders');
    const guarded = guardDir(dir);
    expect(guarded.ok).toBe(false);
    const p = (guarded.ok ? [] : guarded.problems).find((x) => x.code === 'DBAAS_RESERVED_NAME')!;
    expect(p.location?.file).toContain('orders.yaml');
    expect(p.message).toContain('"baseline-orders"');
  });

  it('validate refuses baseline.aws without state.aws, at the config', () => {
    const dir = tempRepo('example');
    const file = join(dir, 'dbaas.config.yaml');
    // Only a GCP database left needs state: the AWS baseline is what asks for state.aws.
    edit(file, '  aws: { bucket: acme-dbaas-tfstate, region: eu-west-1, keyPrefix: dbaas }\n', '');
    const guarded = guardDir(dir);
    const problems = guarded.ok ? [] : guarded.problems;
    expect(problems.some((x) => x.code === 'DBAAS_NO_STATE' && x.message.startsWith('baseline.aws'))).toBe(true);
  });
});

describe('reserved names', () => {
  it('refuses a database named like a baseline stack (exit 2, at its metadata.name)', async () => {
    const dir = tempRepo('example');
    edit(join(dir, 'stacks/payments/orders.yaml'), 'name: orders', 'name: baseline-aws-production-eu-west-1');
    const { report } = await planRepo({ dir });
    expect(report.exitCode).toBe(2);
    const p = report.problems.find((x) => x.code === 'DBAAS_RESERVED_NAME')!;
    expect(p.message).toContain('baseline-');
    expect(p.file).toContain('orders.yaml');
  });
});

const terraform = await findTerraformBinary();
const reason = terraform.ok ? '' : terraform.reason;
if (!terraform.ok) console.log(`skipped: [integration] baseline apply: ${reason}`);

describe('baseline stacks in plan --terraform --offline', () => {
  it('are rebuilt for mock credentials like database stacks, and only those named', async () => {
    const resolved = resolveDir(tempRepo('example'));
    if (!resolved.ok) throw new Error('example does not resolve');
    const built = await synthOffline(resolved.repo, ['orders', 'baseline-aws-production-eu-west-1']);
    expect(built.map((s) => s.name).sort()).toEqual(['baseline-aws-production-eu-west-1', 'orders']);
    const provider = JSON.parse(built.find((s) => s.name.startsWith('baseline-'))!.json).provider.aws[0];
    expect(provider).toMatchObject({ region: 'eu-west-1', skip_credentials_validation: true });
    expect(provider.allowed_account_ids).toBeUndefined();
  });
});

describe('baseline stacks in dbaas apply', () => {
  it('the checkout builds the same baseline stack the plan built (the hash apply compares)', async () => {
    const dir = tempRepo('example');
    const { stacks } = await planRepo({ dir, all: true, keepStacks: true });
    const resolved = resolveDir(dir);
    if (!resolved.ok) throw new Error('example does not resolve');
    const names = ['baseline-aws-production-eu-west-1', 'baseline-gcp-staging'];
    const built = await synthCheckout(resolved.repo, names);
    for (const name of names) expect(built.get(name), name).toBe(stacks.get(name)!.json);
  });

  it.skipIf(!terraform.ok)(
    `[integration] applies a reviewed baseline stack like a database's, and refuses an unknown name${reason ? ` (skipped: ${reason})` : ''}`,
    async () => {
      const dir = tempRepo('example');
      const plansDir = join(dir, '.dbaas', 'plans');
      // A terraform_data stand-in under the baseline's name (the real one needs AWS).
      const standIn = (name: string) => ({
        name,
        cloud: 'aws' as const,
        notes: [],
        addresses: ['terraform_data.m'],
        json: `${JSON.stringify({ resource: { terraform_data: { m: { input: 'x' } } } })}\n`,
      });
      const good = standIn('baseline-aws-production-eu-west-1');
      const unknown = standIn('baseline-aws-nowhere-eu-west-1');
      await planWithTerraform([good, unknown], readRepoFiles(dir), { plansDir, parallelism: 1 });
      const env = { PATH: process.env.PATH ?? '', DBAAS_NOW: '2026-11-21' };
      const result = await applyPlans({
        dir,
        plansDir,
        env,
        synth: async () =>
          new Map([
            [good.name, good.json],
            [unknown.name, unknown.json],
          ]),
      });
      expect(result.applied.map((a) => a.stack)).toEqual([good.name]);
      expect(result.refused).toEqual([{ stack: unknown.name, reason: expect.stringContaining('is not a database') }]);
    },
    300_000,
  );
});
