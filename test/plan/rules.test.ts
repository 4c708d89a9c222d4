// The judge comes from the base (issue 11 item 4): a PR that edits guardrails, overrides or team
// rules is judged by its base's rules, and its own rule changes are listed with what they change.
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { planRepo } from '../../src/plan/index.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { commitAll, git, initRepo } from '../helpers/git.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);
process.env.DBAAS_NOW = '2026-11-21';

const edit = (file: string, from: string, to: string) => {
  const text = readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${from} not in ${file}`);
  writeFileSync(file, text.replace(from, to));
};

// A repo guardrail that orders (100 GB) fails.
const storageGuardrail = (severity: string) => `apiVersion: dbaas.dev/v1
kind: Guardrail
metadata:
  id: storage-minimum
  severity: ${severity}
spec:
  description: Production databases have at least 120 GB.
  references: ["team storage standard"]
  match:
    environment: [production]
    engine: [postgres]
  assert:
    properties:
      storageGb: { minimum: 120 }
  remediation: Set storageGb to 120 or more.
  tests:
    pass:
      - { environment: production, engine: postgres, storageGb: 200 }
    fail:
      - { environment: production, engine: postgres, storageGb: 100 }
`;

async function baseRepo(withGuardrail: boolean): Promise<string> {
  const dir = tempRepo('example');
  if (withGuardrail) {
    mkdirSync(join(dir, 'policies'));
    writeFileSync(join(dir, 'policies/storage-minimum.yaml'), storageGuardrail('error'));
  }
  await initRepo(dir);
  return dir;
}

describe('plan judges a PR by its base branch rules', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await baseRepo(true);
  });
  afterEach(async () => {
    await git(dir, 'checkout', '--', '.');
    await git(dir, 'clean', '-fdq');
  });

  it('the base fails orders on the repo guardrail (sanity)', async () => {
    const { report } = await planRepo({ dir, full: true });
    expect(report.ruleChanges).toBeUndefined();
    expect(report.findings.filter((f) => f.severity === 'error' && !f.waived).map((f) => [f.guardrail, f.database])).toEqual([['storage-minimum', 'orders']]);
  });

  it('a PR deleting an org guardrail is judged with it, and the deletion is listed', async () => {
    rmSync(join(dir, 'policies/storage-minimum.yaml'));
    const { report } = await planRepo({ dir });
    expect(report.ruleChanges?.changes).toEqual([
      {
        kind: 'guardrail',
        id: 'storage-minimum',
        action: 'removed',
        file: 'policies/storage-minimum.yaml',
        summary: 'guardrail deleted',
        databases: ['orders'],
      },
    ]);
    expect(report.findings.some((f) => f.guardrail === 'storage-minimum' && f.database === 'orders' && f.severity === 'error')).toBe(true);
    expect(report.ruleChanges?.differences).toEqual([
      { database: 'orders', guardrail: 'storage-minimum', field: 'storageGb', underBase: 'error', underPr: 'pass' },
    ]);
    expect(report.ruleChanges?.exitCodeUnderPrRules).toBe(0);
    expect(report.exitCode).toBe(1);
    const md = renderMarkdown(report);
    expect(md).toContain('⛔');
    expect(md.indexOf('Guardrail changes in this PR')).toBeLessThan(md.indexOf('Guardrail findings'));
    expect(renderPlanText(report).split('\n')[2]).toContain('guardrail changes in this PR');
  });

  it('a PR lowering a guardrail severity is judged at the base severity', async () => {
    writeFileSync(join(dir, 'policies/storage-minimum.yaml'), storageGuardrail('warning'));
    const { report } = await planRepo({ dir });
    expect(report.ruleChanges?.changes.map((c) => [c.kind, c.id, c.action, c.summary, c.databases])).toEqual([
      ['guardrail', 'storage-minimum', 'edited', 'severity error → warning', ['orders']],
    ]);
    expect(report.ruleChanges?.differences.map((d) => [d.underBase, d.underPr])).toEqual([['error', 'warning']]);
    expect(report.exitCode).toBe(1);
  });

  it('a PR turning a guardrail off in the config overrides is judged without the override', async () => {
    edit(
      join(dir, 'dbaas.config.yaml'),
      'defaults:\n',
      'guardrails:\n  overrides:\n    storage-minimum: { severity: off, reason: "we know what we are doing here" }\ndefaults:\n',
    );
    const { report } = await planRepo({ dir });
    expect(report.ruleChanges?.changes.map((c) => [c.kind, c.id, c.action, c.databases])).toEqual([['override', 'storage-minimum', 'added', ['orders']]]);
    expect(report.ruleChanges?.changes[0]?.summary).toBe('guardrails.overrides.storage-minimum: no override → off');
    expect(report.counts.errors).toBeGreaterThan(0);
    expect(report.exitCode).toBe(1);
    expect(report.ruleChanges?.findingsUnderPrRules.some((f) => f.guardrail === 'storage-minimum')).toBe(false);
  });

  it("a PR widening a team with that team's first database there: both verdicts side by side, exit by the base", async () => {
    const dir = await baseRepo(false);
    edit(
      join(dir, 'dbaas.config.yaml'),
      'staging: { regions: [eu-west-1], sizes: [small, medium] }',
      'staging: { regions: [eu-west-1, eu-central-1], sizes: [small, medium, large] }',
    );
    writeFileSync(
      join(dir, 'stacks/payments/refunds.yaml'),
      readFileSync(join(dir, 'stacks/payments/orders.yaml'), 'utf8')
        .replace('name: orders', 'name: refunds')
        .replace('environment: production', 'environment: staging')
        .replace('size: medium', 'size: large')
        .replace('databases: [orders]', 'databases: [refunds]'),
    );
    const { report } = await planRepo({ dir });
    const team = report.ruleChanges?.changes.find((c) => c.kind === 'team');
    expect(team).toMatchObject({ id: 'payments', action: 'edited', databases: ['refunds'] });
    expect(report.ruleChanges?.differences).toContainEqual({
      database: 'refunds',
      guardrail: 'size-allowed',
      field: 'size',
      underBase: 'error',
      underPr: 'pass',
    });
    expect(report.ruleChanges?.exitCodeUnderPrRules).toBe(0);
    expect(report.exitCode).toBe(1);
    expect(report.stacks.map((s) => s.name)).toContain('refunds');
  });

  it('rules merged into the base judge the next PR', async () => {
    const other = await baseRepo(true);
    rmSync(join(other, 'policies/storage-minimum.yaml'));
    await commitAll(other, 'remove the guardrail (approved)');
    const { report } = await planRepo({ dir: other });
    expect(report.ruleChanges).toBeUndefined();
    expect(report.findings.some((f) => f.guardrail === 'storage-minimum')).toBe(false);
  });

  it("without a base (no git), the repo's own rules judge it, as validate does", async () => {
    rmSync(join(dir, 'policies/storage-minimum.yaml'));
    const { report } = await planRepo({ dir, all: true });
    expect(report.ruleChanges).toBeUndefined();
    expect(report.findings.some((f) => f.guardrail === 'storage-minimum')).toBe(false);
  });
});

describe('a base whose rules do not load', () => {
  it('refuses the PR rather than judging it by its own rules', async () => {
    const dir = tempRepo('example');
    mkdirSync(join(dir, 'policies'));
    // Missing its references: this guardrail does not load in the base.
    writeFileSync(join(dir, 'policies/storage-minimum.yaml'), storageGuardrail('error').replace('  references: ["team storage standard"]\n', ''));
    await initRepo(dir);
    writeFileSync(join(dir, 'policies/storage-minimum.yaml'), storageGuardrail('warning'));
    const { report } = await planRepo({ dir });
    expect(report.ruleChanges?.changes.map((c) => [c.kind, c.id, c.action])).toEqual([['guardrail', 'storage-minimum', 'edited']]);
    expect(report.ruleChanges?.problemsUnderBaseRules.map((p) => p.field)).toContain('spec.references');
    expect(report.refusals.some((r) => r.includes("under the base's rules"))).toBe(true);
    expect(report.exitCode).toBe(1);
  });
});
