// plan --terraform folds terraform's view into the report: which stacks it plans, and how its
// deletes, failures and counts change destroys, refusals and the exit code.
import { beforeAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { planRepo } from '../../src/plan/index.js';
import { terraformTargets, withTerraform } from '../../src/plan/terraform-report.js';
import type { PlanReport, StackAction, TerraformPlanSummary } from '../../src/plan/types.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

process.env.DBAAS_NOW = '2026-11-21';
let report: PlanReport;

beforeAll(async () => {
  report = (await planRepo({ dir: tempRepo('pass-minimal') })).report;
  cleanupTempRepos();
});

const ok = (add: number, deletes: string[] = []): TerraformPlanSummary => ({
  ok: true,
  add,
  change: 0,
  destroy: deletes.length,
  deletes,
  planFile: 'x/plan.tfplan',
});

describe('terraformTargets', () => {
  it('plans created and updated stacks, never deleted or unchanged ones', () => {
    const actions: StackAction[] = ['create', 'update', 'delete', 'no-op'];
    const stacks = actions.map((action, i) => ({ ...report.stacks[0]!, name: `s${i}-${action}`, action }));
    expect(terraformTargets({ stacks })).toEqual(['s0-create', 's1-update']);
  });
});

describe('withTerraform', () => {
  it('puts each summary under its stack and sums terraform counts; a clean plan stays exit 0', () => {
    expect(report.exitCode).toBe(ExitCode.ok);
    const name = report.stacks[0]!.name;
    const out = withTerraform(report, new Map([[name, ok(31)]]), [], '/plans');
    expect(out.stacks[0]!.terraform).toEqual(ok(31));
    expect(out.stacks.slice(1).every((s) => s.terraform === undefined)).toBe(true);
    expect(out.terraform).toEqual({ add: 31, change: 0, destroy: 0, failed: 0, plansDir: '/plans' });
    expect(out.refusals).toEqual([]);
    expect(out.exitCode).toBe(ExitCode.ok);
  });

  it('refuses a delete only terraform knows about, without --allow-destroy, and lists it as a destroy', () => {
    const name = report.stacks[0]!.name;
    const out = withTerraform(report, new Map([[name, ok(0, ['aws_db_instance.database'])]]), [], '/plans');
    expect(out.destroys).toContainEqual({ stack: name, address: 'aws_db_instance.database', reason: 'terraform plans to delete it' });
    expect(out.refusals).toContain('terraform plans to delete 1 resource(s) without --allow-destroy');
    expect(out.exitCode).toBe(ExitCode.findings);
    const allowed = withTerraform({ ...report, allowDestroy: true }, new Map([[name, ok(0, ['aws_db_instance.database'])]]), [], '/plans');
    expect(allowed.destroys).toHaveLength(1);
    expect(allowed.exitCode).toBe(ExitCode.ok);
  });

  it('refuses a failed terraform plan and counts it', () => {
    const name = report.stacks[0]!.name;
    const out = withTerraform(report, new Map([[name, { ok: false, add: 0, change: 0, destroy: 0, error: 'Error: boom' }]]), [], '/plans');
    expect(out.terraform?.failed).toBe(1);
    expect(out.refusals).toEqual(['terraform plan failed for 1 stack(s)']);
    expect(out.exitCode).toBe(ExitCode.findings);
  });

  it("keeps the rules' refusals and a shard's shard", () => {
    const shard = { index: 1, count: 2, commit: 'abc', base: null, toolVersion: report.toolVersion, stacks: 3, ruleRefusals: ['the base forbids it'] };
    const out = withTerraform({ ...report, shard }, new Map(), ['the base forbids it'], '/plans');
    expect(out.refusals).toEqual(['the base forbids it']);
    expect(out.shard).toEqual(shard);
    expect(withTerraform(report, new Map(), [], '/plans').shard).toBeUndefined();
  });
});
