// The benchmark harness: the generator is deterministic and covers every cloud, engine and
// environment; the measurement reads peak memory; and `node bench/run.mjs --quick` runs as a real
// process and writes its JSON. The speed targets are benchmark figures, not asserted here.
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { execa } from 'execa';
import { afterAll, describe, expect, it } from 'vitest';
import { COMBOS, ENVIRONMENTS, generateRepo, touchOneDatabase } from '../../bench/generate.mjs';
import { measureNode, median } from '../../bench/measure.mjs';
import { REPO_ROOT } from '../helpers/repo.js';

const temps: string[] = [];
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});
function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** Every file under `dir` (not .git) with its text, for comparing two generated repos. */
function tree(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      if (name === '.git') continue;
      const full = path.join(d, name);
      if (statSync(full).isDirectory()) walk(full);
      else out.set(path.relative(dir, full), readFileSync(full, 'utf8'));
    }
  };
  walk(dir);
  return out;
}

describe('bench generator', () => {
  it('writes the same files for the same N, and N=100 covers every cloud, engine and environment', async () => {
    const a = await generateRepo(path.join(tempDir('dbaas-bench-gen-'), 'repo'), 100, { git: false });
    const b = await generateRepo(path.join(tempDir('dbaas-bench-gen-'), 'repo'), 100, { git: false });
    expect(tree(a.dir)).toEqual(tree(b.dir));
    expect(Object.keys(a.counts.engines).sort()).toEqual(COMBOS.map((c) => `${c.cloud}/${c.engine}`).sort());
    expect(Object.keys(a.counts.environments).sort()).toEqual([...ENVIRONMENTS].sort());
    expect(Object.keys(a.counts.styles).sort()).toEqual(['inline', 'override', 'shared']);
    const specs = [...tree(a.dir).keys()].filter((f) => f.startsWith('stacks/') && !f.startsWith('stacks/shared/'));
    expect(specs).toHaveLength(100);
    expect(new Set(specs.map((f) => f.split('/')[1])).size).toBe(20);
  });

  it('makes one fixed commit, and touching one database leaves exactly one modified file', async () => {
    const heads: string[] = [];
    for (const root of [tempDir('dbaas-bench-git-'), tempDir('dbaas-bench-git-')]) {
      const repo = await generateRepo(path.join(root, 'repo'), 12);
      heads.push((await execa('git', ['rev-parse', 'HEAD'], { cwd: repo.dir })).stdout);
      const touched = touchOneDatabase(repo.dir, 12);
      const status = (await execa('git', ['status', '--porcelain'], { cwd: repo.dir })).stdout.trimEnd().split('\n');
      expect(status).toEqual([` M ${touched.file}`]);
    }
    expect(heads[0]).toMatch(/^[0-9a-f]{40}$/);
    expect(heads[1]).toBe(heads[0]);
  });
});

describe('bench measurement', () => {
  it('reports the peak memory of a process that allocates about 200 MiB, from its own exit report', async () => {
    const script = 'const keep = []; for (let i = 0; i < 25; i++) keep.push(Buffer.alloc(8 * 1024 * 1024, 1)); console.log(keep.length);';
    const r = await measureNode({ args: ['-e', script], cwd: REPO_ROOT });
    expect(r.exitCode).toBe(0);
    expect(r.stdoutAll.trim()).toBe('25');
    expect(r.peakSource).toBe('exit');
    expect(r.peakMiB).toBeGreaterThan(200);
    expect(r.peakMiB).toBeLessThan(600);
    expect(r.seconds).toBeGreaterThan(0);
  });

  it('median of odd and even counts', () => {
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNull();
  });
});

interface CommandResult {
  ok: boolean;
  medianSeconds: number;
  peakMiB: number;
  runs: { seconds: number; peakMiB: number; exitCode: number }[];
}

describe('bench --quick', () => {
  // About 20-30 s on an idle 2-core machine; the timeout leaves room for a busy one (not a speed check).
  it('runs as a real process, exits 0 and writes the JSON with every command measured at N=100', { timeout: 150_000 }, async () => {
    const results = tempDir('dbaas-bench-results-');
    const run = await execa('node', [path.join(REPO_ROOT, 'bench', 'run.mjs'), '--quick', '--results', results], {
      cwd: REPO_ROOT,
      reject: false,
      timeout: 140_000,
    });
    expect(run.exitCode, `${run.stderr}\n${run.stdout}`).toBe(0);

    const latest = path.join(results, 'latest.json');
    expect(existsSync(latest)).toBe(true);
    const stamped = readdirSync(results).filter((f) => f.endsWith('-quick.json'));
    expect(stamped).toHaveLength(1);
    expect(readFileSync(path.join(results, stamped[0]!), 'utf8')).toBe(readFileSync(latest, 'utf8'));

    const json = JSON.parse(readFileSync(latest, 'utf8')) as {
      schemaVersion: number;
      quick: boolean;
      ok: boolean;
      options: { runs: number; now: string };
      code: { commit: string | null; distChangedDuringRun: boolean };
      sizes: { n: number; commands: Record<string, CommandResult>; ratios: Record<'synthCold' | 'synthWarm' | 'planAllCold' | 'planAllWarm', number> }[];
      terraform: { skipped?: string };
      shards: { skipped?: string };
      targets: { id: string; met: boolean | null }[];
    };
    expect(json).toMatchObject({ schemaVersion: 1, quick: true, ok: true, options: { runs: 1, now: '2026-11-21' } });
    expect(json.sizes.map((s) => s.n)).toEqual([100]);
    const { commands, ratios } = json.sizes[0]!;
    expect(Object.keys(commands).sort()).toEqual([
      'baseline',
      'plan-all-cold',
      'plan-all-warm',
      'plan-one-cold',
      'plan-one-warm',
      'synth-cold',
      'synth-warm',
      'validate',
    ]);
    for (const [id, c] of Object.entries(commands)) {
      expect(c.ok, id).toBe(true);
      expect(c.runs, id).toHaveLength(1);
      expect(c.runs[0]!.exitCode, id).toBe(0);
      expect(c.medianSeconds, id).toBeGreaterThan(0);
      expect(c.peakMiB, id).toBeGreaterThan(0);
    }
    for (const key of ['synthCold', 'synthWarm', 'planAllCold', 'planAllWarm'] as const) expect(ratios[key], key).toBeGreaterThan(0);
    expect(json.code.commit).toMatch(/^[0-9a-f]{40}$/);
    expect(json.terraform.skipped).toMatch(/--quick/);
    // N=100 says nothing about the 1,000 and 10,000 targets: they are listed, not judged.
    // Issue 7's 10 (cold and warm), issue 16's 5 synth targets (cold), then the 2 shards targets
    // (bench/shards.mjs), whose cells --quick skips.
    expect(json.targets.length).toBe(17);
    expect(json.targets.filter((t) => t.id.startsWith('issue16-')).map((t) => t.id)).toEqual([
      'issue16-plan-all-1000-seconds-cold',
      'issue16-plan-all-1000-vs-baseline-cold',
      'issue16-plan-all-10000-seconds-cold',
      'issue16-plan-all-10000-peak-cold',
      'issue16-plan-one-10000-seconds-cold',
    ]);
    expect(json.targets.map((t) => t.id)).toEqual(expect.arrayContaining(['plan-merge-10000-seconds', 'shard-balance-96-aws']));
    expect(json.shards.skipped).toMatch(/--quick/);
    expect(json.targets.every((t) => t.met === null)).toBe(true);
    expect(run.stdout).toMatch(/dbaas plan --all/);
    expect(run.stdout).toMatch(/baseline \/ synth \(cold cache\)/);
  });
});
