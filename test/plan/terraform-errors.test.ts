// A terraform failure shows terraform's own error lines (not an exit status), with no machine path
// in markdown, and is never marked with a success sign: the helper, both renderers, and once with
// the real terraform on a stack it refuses.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { afterAll, describe, expect, it } from 'vitest';
import { assembleReport } from '../../src/plan/assemble.js';
import type { PlanReport, StackPlan } from '../../src/plan/types.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { terraformErrorLines, withoutMachinePaths } from '../../src/terraform/error-lines.js';
import { discoverOfflineTerraform, TerraformError } from '../../src/terraform/index.js';

const made: string[] = [];
afterAll(() => made.forEach((d) => rmSync(d, { recursive: true, force: true })));

const stack = (name: string, terraform?: StackPlan['terraform']): StackPlan => ({
  name,
  cloud: 'aws',
  team: 'payments',
  environment: 'production',
  file: `stacks/payments/${name}.yaml`,
  line: 4,
  action: 'create',
  touchedBy: ['new database'],
  resources: [{ address: 'aws_db_instance.db', type: 'aws_db_instance', action: 'create', changes: [], destroysData: false }],
  counts: { add: 1, change: 0, destroy: 0 },
  destroysData: false,
  posture: {},
  notes: [],
  ...(terraform ? { terraform } : {}),
});

const report = (stacks: StackPlan[]): PlanReport =>
  assembleReport({
    head: { schemaVersion: 1, toolVersion: '0.1.0', base: null, databases: stacks.length, findings: [], problems: [], allowDestroy: false },
    stacks,
    ruleRefusals: [],
    plansDir: '/home/runner/work/infra/.dbaas/plans',
  });

const error =
  'Invalid resource type: The provider hashicorp/aws does not support resource type "aws_no_such_thing".\non <stack>/cdk.tf.json line 1, in resource "aws_no_such_thing":';

describe('terraform error lines', () => {
  it('takes error diagnostics first, else the stderr tail, at most 5 printed lines, with folders named', () => {
    const e = new TerraformError({
      code: 'EXIT_NONZERO',
      stackDir: '/tmp/x/stacks/a',
      args: ['plan'],
      exitCode: 1,
      diagnostics: [
        { severity: 'warning', summary: 'ignored' },
        { severity: 'error', summary: 'Invalid resource type', detail: 'in /tmp/x/stacks/a/cdk.tf.json\nline 2' },
      ] as never,
      stderrTail: 'noise',
    });
    expect(terraformErrorLines(e, { stack: '/tmp/x/stacks/a', plans: '/tmp/x' })).toBe('Invalid resource type: in <stack>/cdk.tf.json\nline 2');
    const tail = new TerraformError({
      code: 'EXIT_NONZERO',
      stackDir: '/d',
      args: ['init'],
      exitCode: 1,
      stderrTail: '\nError: one\n\n2\n3\n4\n5\n6 at /home/me/.terraform.d/x',
    });
    expect(terraformErrorLines(tail)).toBe('Error: one\n2\n3\n4\n5');
    expect(terraformErrorLines(new Error('boom in /var/lib/x'))).toBe('boom in <path>');
  });

  it('writes any other absolute path <path>, but leaves URLs and relative paths alone', () => {
    expect(withoutMachinePaths('see https://registry.terraform.io/providers/hashicorp/aws and ./a/b and /usr/bin/terraform', {})).toBe(
      'see https://registry.terraform.io/providers/hashicorp/aws and ./a/b and <path>',
    );
    expect(withoutMachinePaths('/w/plans/stacks/a/x /w/plans/y', { stack: '/w/plans/stacks/a', plans: '/w/plans' })).toBe('<stack>/x <plans>/y');
  });

  it('shows the error lines in text and markdown, with no success sign and no machine path', () => {
    const failed = report([
      stack('orders', { ok: false, add: 0, change: 0, destroy: 0, error: `${error}\nplugin at /home/runner/.cache/x` }),
      stack('ledger', { ok: true, add: 1, change: 0, destroy: 0 }),
    ]);
    expect(failed.exitCode).toBe(1);
    expect(failed.refusals).toContain('terraform plan failed for 1 stack(s)');
    const text = renderPlanText(failed);
    expect(text).toMatch(/^orders \(aws, production\): create \+1 ~0 -0 \[TERRAFORM FAILED\]/m);
    expect(text).toContain('  | Invalid resource type: The provider hashicorp/aws does not support resource type "aws_no_such_thing".');
    expect(text).not.toContain('EXIT_NONZERO');
    const md = renderMarkdown(failed);
    expect(md).not.toContain('✅');
    expect(md).toMatch(/^### ⛔ dbaas plan/m);
    expect(md).toContain('#### ❌ Terraform plan failed');
    expect(md).toMatch(/<details><summary>❌ <b>orders<\/b>/);
    expect(md).toMatch(/<summary>🆕 <b>ledger<\/b>/);
    expect(md).not.toMatch(/\/home\/|\/tmp\//);
    const html = micromark(md, { allowDangerousHtml: true, extensions: [gfm()], htmlExtensions: [gfmHtml()] });
    expect(html).toContain('does not support resource type &quot;aws_no_such_thing&quot;');
    expect(html).toContain('plugin at &lt;path&gt;');
  });

  it('never shows a success sign over a failed terraform plan, even in a report whose exit code says 0', () => {
    const odd = { ...report([stack('orders', { ok: false, add: 0, change: 0, destroy: 0, error })]), exitCode: 0 as const, refusals: [] };
    expect(renderMarkdown(odd)).not.toContain('✅');
  });
});

const offline = await discoverOfflineTerraform();
const reason = offline.ok ? '' : offline.reason;
if (!offline.ok) console.log(`skipped: [integration] terraform error lines: ${reason}`);

describe.skipIf(!offline.ok)(`[integration] terraform's own error lines from a real failed plan${reason ? ` (skipped: ${reason})` : ''}`, () => {
  it('[integration] records the diagnostic, not the exit status, without the plans folder', async () => {
    if (offline.ok) process.env.DBAAS_TF_PROVIDER_MIRROR = offline.mirrorDir;
    const { planWithTerraform } = await import('../../src/plan/terraform.js');
    const plansDir = mkdtempSync(join(tmpdir(), 'dbaas-tferr-'));
    made.push(plansDir);
    const json = JSON.stringify({
      terraform: { required_providers: { aws: { source: 'hashicorp/aws', version: '5.100.0' } } },
      provider: { aws: [{ region: 'eu-west-1' }] },
      resource: { aws_no_such_thing: { x: {} } },
    });
    const summaries = await planWithTerraform(
      [{ name: 'broken', cloud: 'aws', json, notes: [], addresses: ['aws_no_such_thing.x'] }],
      { root: plansDir, specs: [], policies: [], problems: [] },
      { plansDir, offline: true },
    );
    const summary = summaries.get('broken')!;
    expect(summary.ok).toBe(false);
    expect(summary.error).toMatch(/^Invalid resource type/);
    expect(summary.error).toContain('aws_no_such_thing');
    expect(summary.error).not.toContain(plansDir);
    expect(summary.error).not.toMatch(/EXIT_NONZERO/);
  }, 120_000);
});
