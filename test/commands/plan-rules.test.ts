// dbaas plan (the real bin/run.js) on a PR that turns a guardrail off: judged by the base's rules,
// the rule change listed first in the text, the comment and the JSON.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/cli.js';
import { initRepo } from '../helpers/git.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

afterAll(cleanupTempRepos);

describe('dbaas plan on a PR that weakens its own rules', () => {
  let dir: string;
  beforeAll(async () => {
    dir = tempRepo('example');
    await initRepo(dir);
    // The PR makes orders violate a guardrail and turns that guardrail off in the same change.
    const spec = join(dir, 'stacks/payments/orders.yaml');
    writeFileSync(spec, readFileSync(spec, 'utf8').replace('highAvailability: true', 'highAvailability: false'));
    const config = join(dir, 'dbaas.config.yaml');
    writeFileSync(
      config,
      readFileSync(config, 'utf8').replace(
        'defaults:\n',
        'guardrails:\n  overrides:\n    high-availability-production: { severity: off, reason: "cost saving for this quarter" }\ndefaults:\n',
      ),
    );
  });

  it('exits 1 by the base rules and says why at the top of the text plan', async () => {
    const result = await runCli(['plan', '--dir', dir], { env: { DBAAS_NOW: '2026-11-21' } });
    expect(result.exitCode).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines[2]).toMatch(/^!! guardrail changes in this PR \(1 rule\): judged by the base's rules/);
    expect(lines[3]).toBe(
      '   override high-availability-production added (dbaas.config.yaml): guardrails.overrides.high-availability-production: no override → off; changes findings of orders',
    );
    expect(result.stdout).toMatch(/error high-availability-production orders/);
  });

  it('writes the rule changes to the JSON and the comment from one run', async () => {
    const md = join(dir, 'out', 'plan.md');
    const result = await runCli(['plan', '--dir', dir, '--format', 'json', '--save-markdown', md], { env: { DBAAS_NOW: '2026-11-21' } });
    expect(result.exitCode).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report.ruleChanges).toMatchObject({
      judgedBy: 'base',
      changes: [{ kind: 'override', id: 'high-availability-production', action: 'added', databases: ['orders'] }],
      exitCodeUnderPrRules: 0,
    });
    expect(report.ruleChanges.differences).toContainEqual(
      expect.objectContaining({ database: 'orders', guardrail: 'high-availability-production', underBase: 'error', underPr: 'pass' }),
    );
    const comment = readFileSync(md, 'utf8');
    expect(comment).toMatch(/^<!-- dbaas-plan -->\n### ⛔ dbaas plan/);
    expect(comment.indexOf('Guardrail changes in this PR')).toBeGreaterThan(0);
    expect(comment.indexOf('Guardrail changes in this PR')).toBeLessThan(comment.indexOf('Not ready to apply'));
  });
});
