// Drift with the real terraform on stacks it can apply offline (terraform_data, local state): never
// applied, applied and clean, edited state, and a stack terraform cannot plan.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectDrift, driftedResources } from '../../src/drift/index.js';
import { openRealRunner } from '../../src/plan/terraform.js';
import { driftIssues, renderDriftMarkdown, renderDriftText } from '../../src/render/drift.js';
import type { SynthesizedStack } from '../../src/synth/index.js';
import { findTerraformBinary, type TerraformRunner } from '../../src/terraform/index.js';

const terraform = await findTerraformBinary();
const reason = terraform.ok ? '' : terraform.reason;
if (!terraform.ok) console.log(`skipped: [integration] drift: ${reason}`);

const made: string[] = [];
afterAll(() => {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const stack = (name: string, resources: Record<string, unknown>): SynthesizedStack => ({
  name,
  cloud: 'aws',
  notes: [],
  json: `${JSON.stringify({ terraform: { required_version: '>= 1.5' }, resource: resources }, null, 2)}\n`,
  addresses: Object.entries(resources).flatMap(([type, byName]) => Object.keys(byName as object).map((n) => `${type}.${n}`)),
});
const markers = stack('orders', { terraform_data: { schedule: { input: '0 3 * * *' }, retention: { input: 35 } } });

describe('driftedResources (terraform show -json of a refresh plan)', () => {
  it('keeps managed changes only, names the attributes that differ, and marks what the refresh saw changed outside', () => {
    const resources = driftedResources({
      format_version: '1.2',
      terraform_version: '1.11.4',
      resource_drift: [{ address: 'aws_db_instance.db', mode: 'managed', change: { actions: ['update'] } }],
      resource_changes: [
        {
          address: 'aws_db_instance.db',
          mode: 'managed',
          type: 'aws_db_instance',
          name: 'db',
          provider_name: 'aws',
          change: { actions: ['update'], before: { a: 1, b: 2, c: 3 }, after: { a: 1, b: 5, c: 4 } },
        },
        {
          address: 'aws_kms_key.k',
          mode: 'managed',
          type: 'aws_kms_key',
          name: 'k',
          provider_name: 'aws',
          change: { actions: ['delete', 'create'], before: { x: 1 }, after: { x: 2 } },
        },
        {
          address: 'aws_sns_topic.t',
          mode: 'managed',
          type: 'aws_sns_topic',
          name: 't',
          provider_name: 'aws',
          change: { actions: ['no-op'], before: {}, after: {} },
        },
        {
          address: 'data.aws_region.r',
          mode: 'data',
          type: 'aws_region',
          name: 'r',
          provider_name: 'aws',
          change: { actions: ['read'], before: null, after: {} },
        },
      ],
    });
    expect(resources).toEqual([
      { address: 'aws_kms_key.k', action: 'replace', changedOutside: false, attributes: ['x'] },
      { address: 'aws_db_instance.db', action: 'update', changedOutside: true, attributes: ['b', 'c'] },
    ]);
  });
});

describe.skipIf(!terraform.ok)(`[integration] drift with the real terraform${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let workDir: string;
  let runner: TerraformRunner;
  beforeAll(async () => {
    workDir = mkdtempSync(join(tmpdir(), 'dbaas-drift-'));
    made.push(workDir);
    runner = (await openRealRunner(workDir)).runner;
  });

  it('[integration] a stack that was never applied reads as drift of every resource', async () => {
    const report = await detectDrift([markers], runner, { workDir });
    expect(report.exitCode).toBe(1);
    expect(report.counts).toEqual({ checked: 1, clean: 0, drifted: 1, failed: 0 });
    expect(report.stacks[0]!.resources.map((r) => [r.address, r.action])).toEqual([
      ['terraform_data.retention', 'create'],
      ['terraform_data.schedule', 'create'],
    ]);
  });

  it('[integration] once applied it is clean; an edited state reads as drift of that one resource', async () => {
    const dir = join(workDir, 'stacks', 'orders');
    await runner.plan(dir, { out: 'apply.tfplan' });
    await runner.apply(dir, 'apply.tfplan');
    const clean = await detectDrift([markers], runner, { workDir });
    expect(clean).toMatchObject({ exitCode: 0, counts: { checked: 1, clean: 1, drifted: 0, failed: 0 } });
    expect(clean.stacks[0]!.resources).toEqual([]);

    const stateFile = join(dir, 'terraform.tfstate');
    const state = JSON.parse(readFileSync(stateFile, 'utf8'));
    const retention = state.resources.find((r: { name: string }) => r.name === 'retention');
    retention.instances[0].attributes.input = { value: 7, type: 'number' };
    retention.instances[0].attributes.output = { value: 7, type: 'number' };
    state.serial += 1;
    writeFileSync(stateFile, JSON.stringify(state));

    const drifted = await detectDrift([markers], runner, { workDir });
    expect(drifted.exitCode).toBe(1);
    expect(drifted.stacks[0]!.resources).toEqual([
      { address: 'terraform_data.retention', action: 'update', changedOutside: false, attributes: ['input', 'output'] },
    ]);
    expect(renderDriftText(drifted)).toContain('~ terraform_data.retention (differs from the stack: input, output)');
  });

  it("[integration] a stack terraform cannot plan is reported with terraform's own error, never as clean", async () => {
    const broken = stack('ledger', { terraform_data: { x: { input: '${var.missing}' } } });
    const report = await detectDrift([broken, markers], runner, { workDir });
    expect(report.stacks.map((s) => [s.name, s.status])).toEqual([
      ['ledger', 'failed'],
      ['orders', 'drifted'],
    ]);
    const failed = report.stacks[0]!;
    expect(failed.error).toMatch(/Reference to undeclared input variable/);
    expect(failed.error).not.toContain(workDir);
    const markdown = renderDriftMarkdown(report);
    expect(markdown).toContain('ledger (aws): not checked');
    expect(markdown).not.toContain('✅');
    const issues = driftIssues(report, 'https://github.com/acme/infra/actions/runs/1');
    expect(issues.map((i) => [i.stack, i.status, i.marker])).toEqual([
      ['ledger', 'failed', '<!-- dbaas-drift:ledger -->'],
      ['orders', 'drifted', '<!-- dbaas-drift:orders -->'],
    ]);
    expect(issues[1]!.body.startsWith('<!-- dbaas-drift:orders -->\n')).toBe(true);
  });
});
