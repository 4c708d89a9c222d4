// runSynth, the library half of `dbaas synth`: the stacks written, or why nothing was.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ExitCode } from '../../src/errors.js';
import { runSynth } from '../../src/synth/run.js';
import { cleanupTempRepos, tempRepo } from '../helpers/repo.js';

const outs: string[] = [];
afterAll(() => {
  cleanupTempRepos();
  for (const dir of outs) rmSync(dir, { recursive: true, force: true });
});
const tempOut = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'dbaas-synth-run-'));
  outs.push(dir);
  return path.join(dir, 'out');
};
process.env.DBAAS_NOW = '2026-11-21';
process.env.DBAAS_CACHE = 'off';

describe('runSynth', () => {
  it('writes one stack per database of the example repo and says where', async () => {
    const dir = tempRepo('example');
    const out = tempOut();
    const run = await runSynth({ dir, out });
    if (!run.ok) throw new Error(JSON.stringify([run.problems, run.findings.filter((f) => f.severity === 'error' && !f.waived)]));
    expect(run.exitCode).toBe(ExitCode.ok);
    const databases = readdirSync(path.join(dir, 'stacks'), { recursive: true }).filter((f) => /\.yaml$/.test(String(f)) && !String(f).startsWith('shared'));
    expect(run.written.stacks.map((s) => s.name).sort()).toHaveLength(databases.length);
    expect(run.written.outDir).toBe(out);
    for (const s of run.written.stacks) expect(readFileSync(path.join(out, s.path), 'utf8')).toContain('"terraform"');
  });

  it('refuses invalid input with exit 2 and writes nothing', async () => {
    const dir = tempRepo('example');
    const orders = path.join(dir, 'stacks/payments/orders.yaml');
    writeFileSync(orders, readFileSync(orders, 'utf8').replace('engine: postgres', 'engine: postgress'));
    const out = tempOut();
    const run = await runSynth({ dir, out });
    expect(run).toMatchObject({ ok: false, exitCode: ExitCode.invalid });
    if (run.ok) return;
    expect(run.problems.map((p) => p.field)).toContain('spec.engine');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an unwaived guardrail error with exit 1, names it, and writes nothing', async () => {
    const dir = tempRepo('example');
    const orders = path.join(dir, 'stacks/payments/orders.yaml');
    writeFileSync(
      orders,
      readFileSync(orders, 'utf8')
        .replace(/requireSsl: .*/, 'requireSsl: false')
        .replace('spec:\n', 'spec:\n  requireSsl: false\n'),
    );
    const out = tempOut();
    const run = await runSynth({ dir, out });
    expect(run).toMatchObject({ ok: false, exitCode: ExitCode.findings });
    if (run.ok) return;
    expect(run.findings.some((f) => f.guardrail === 'require-ssl' && f.database === 'orders')).toBe(true);
    expect(existsSync(out)).toBe(false);
  });
});
