// What validate concludes from a guarded repo: exit code, counts, JSON; and how it prints them.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { validateJson, validateOutcome } from '../../src/guard/outcome.js';
import { invalidDatabases } from '../../src/load/invalid.js';
import { guardDir } from '../../src/pipeline.js';
import { invalidSummaryLine, renderValidateLines } from '../../src/render/validate.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

process.env.DBAAS_NOW = '2026-11-21';
afterAll(cleanupTempRepos);

describe('validateOutcome', () => {
  it('the example repo: valid, warnings and three waivers (users, insights twice), exit 0; JSON carries the same counts', () => {
    const outcome = validateOutcome(guardDir(tempRepo('example')));
    expect(outcome.valid).toBe(true);
    expect(outcome.exitCode).toBe(ExitCode.ok);
    expect(outcome.counts.errors).toBe(0);
    expect(outcome.counts.waived).toBe(3);
    expect(outcome.databases).toContain('orders');
    const json = validateJson(outcome);
    expect(json).toMatchObject({ ok: true, exitCode: 0, summary: { ...outcome.counts, guardrails: outcome.guardrails } });
    expect(json.findings.length).toBe(outcome.findings.length);
    const lines = renderValidateLines(outcome, () => {
      throw new Error('read only for invalid input');
    });
    expect(lines.at(-1)).toBe(
      `✓ ${outcome.databases.length} databases valid; guardrails: 0 errors, ${outcome.counts.warnings} warnings, 3 waived (${outcome.guardrails} guardrails)`,
    );
  });

  it('an unwaived guardrail error is exit 1 and a ✗ line', () => {
    const dir = tempRepo('example');
    const users = join(dir, 'stacks/identity/users.yaml');
    const text = readFileSync(users, 'utf8');
    writeFileSync(users, text.slice(0, text.indexOf('  waivers:')));
    const outcome = validateOutcome(guardDir(dir));
    expect(outcome.exitCode).toBe(ExitCode.findings);
    expect(validateJson(outcome).ok).toBe(false);
    expect(renderValidateLines(outcome, () => ({ invalid: 0, databases: 0 })).at(-1)).toMatch(/^✗ \d+ databases valid; guardrails: 1 errors/);
  });

  it('invalid input is exit 2, no findings, and counts the invalid Database documents', () => {
    const dir = tempRepo('example');
    const carts = join(dir, 'stacks/payments/carts.yaml');
    writeFileSync(carts, readFileSync(carts, 'utf8').replace('retentionDays: 3', 'retentionDay: 3'));
    const outcome = validateOutcome(guardDir(dir));
    expect(outcome).toMatchObject({ valid: false, exitCode: ExitCode.invalid, findings: [], guardrails: 0 });
    const counted = invalidDatabases(dir, outcome.problems);
    expect(counted.invalid).toBe(1);
    expect(counted.databases).toBeGreaterThan(5);
    const lines = renderValidateLines(outcome, () => counted);
    expect(lines[0]).toMatch(/^stacks\/payments\/carts\.yaml:\d+:\d+: error DBAAS_UNKNOWN_FIELD/);
    expect(lines.at(-1)).toBe(`✗ ${invalidSummaryLine(outcome.problems.filter((p) => p.severity === 'error').length, counted)}`);
  });
});

describe('invalidSummaryLine', () => {
  it('says how many problems and databases, in singular and plural', () => {
    expect(invalidSummaryLine(1, { invalid: 1, databases: 1 })).toBe('1 problem: 1 of 1 database invalid; fix them and run dbaas validate again');
    expect(invalidSummaryLine(3, { invalid: 2, databases: 9 })).toBe('3 problems: 2 of 9 databases invalid; fix them and run dbaas validate again');
    expect(invalidSummaryLine(2, { invalid: 0, databases: 0 })).toBe('2 problems; fix them and run dbaas validate again');
  });
});
