// dbaas fix's conclusion and its lines: errors left need a human (exit 1); a clean repo has nothing to fix.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { fixRepo } from '../../src/guard/fix.js';
import { fixJson, fixOutcome } from '../../src/guard/fix-outcome.js';
import { guardDir } from '../../src/pipeline.js';
import { renderFixLines } from '../../src/render/fix.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

process.env.DBAAS_NOW = '2026-11-21';
afterAll(cleanupTempRepos);

function outcomeOf(dir: string, dryRun: boolean) {
  const start = guardDir(dir);
  if (!start.ok) throw new Error('repo invalid');
  const result = fixRepo(start, { dryRun });
  if (!result.after.ok) throw new Error('fix invalid');
  return { outcome: fixOutcome({ ...result, after: result.after }), written: result.written };
}

describe('fixOutcome', () => {
  it('the example repo: nothing to fix, exit 0', () => {
    const { outcome, written } = outcomeOf(tempRepo('example'), true);
    expect(outcome).toMatchObject({ changes: [], files: [], remaining: [], exitCode: ExitCode.ok });
    expect(fixJson(outcome, true, written)).toMatchObject({ ok: true, exitCode: 0, dryRun: true, written: false, remaining: [] });
    expect(renderFixLines(outcome, true)).toEqual([expect.stringMatching(/^✓ nothing to fix; guardrails after: 0 errors, \d+ warnings, 3 waived$/)]);
  });

  it('an error with no automatic fix remains: exit 1, listed with its location', () => {
    const dir = tempRepo('example');
    const users = join(dir, 'stacks/identity/users.yaml');
    const text = readFileSync(users, 'utf8');
    writeFileSync(users, text.slice(0, text.indexOf('  waivers:')));
    const { outcome } = outcomeOf(dir, true);
    expect(outcome.exitCode).toBe(ExitCode.findings);
    expect(outcome.remaining.map((f) => f.guardrail)).toContain('offsite-copy-required');
    const lines = renderFixLines(outcome, true);
    expect(lines.some((l) => /^stacks\/identity\/users\.yaml:\d+:\d+: error offsite-copy-required \[users\]/.test(l))).toBe(true);
    expect(lines.at(-1)).toMatch(/^✗ /);
    expect(fixJson(outcome, true, false).remaining.map((f) => f.guardrail)).toContain('offsite-copy-required');
  });
});
