// Where the time goes: runs one benchmark command under `node --cpu-prof` over a generated repo and
// summarizes the profile: self time by module (package, dbaas dist/ folder, node internals, GC),
// the top functions by self time, and the dbaas functions by inclusive time (each counted once per
// sample however deep it recurses), which reads as a per-stage breakdown.
//
//   node bench/profile.mjs [--n 1000] [--command plan-all] [--cache cold|warm] [--top 25] [--repo DIR] [--dbaas DIR] [--out FILE]
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { generateRepo, touchOneDatabase } from './generate.mjs';
import { measureNode } from './measure.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
let CLI = path.join(ROOT, 'bin', 'run.js');
let BASELINE = path.join(ROOT, 'bench', 'baseline.mjs');

const COMMANDS = {
  validate: (repo) => [CLI, 'validate', '--dir', repo],
  synth: (repo, work) => [CLI, 'synth', '--dir', repo, '--out', path.join(work, 'synth-out')],
  'plan-all': (repo) => [CLI, 'plan', '--all', '--dir', repo],
  'plan-one': (repo) => [CLI, 'plan', '--dir', repo],
  baseline: (repo, work) => [BASELINE, '--dir', repo, '--out', path.join(work, 'baseline-out')],
};

/** A readable module name for a profile URL. */
export function moduleOf(url, functionName) {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const file = url.replace(/^file:\/\//, '');
  const nm = file.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = file.slice(nm + '/node_modules/'.length).split('/');
    return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
  }
  const dist = file.indexOf('/dist/');
  if (dist >= 0) {
    const rel = file.slice(dist + 1).split('/');
    return rel.length > 2 ? `dbaas ${rel.slice(0, -1).join('/')}` : `dbaas ${rel.join('/')}`;
  }
  if (url.startsWith('node:')) return 'node internals';
  return path.relative(ROOT, file) || file;
}

/**
 * Self and inclusive times from one or more .cpuprofile files (one per thread: `--cpu-prof` writes
 * one for the main thread and one for each worker). Times add up across threads.
 */
export function summarize(profiles) {
  const self = new Map();
  const inclusive = new Map();
  const modules = new Map();
  const add = (map, key, us) => map.set(key, (map.get(key) ?? 0) + us);
  let total = 0;
  const threads = [];
  for (const { name, profile } of profiles) {
    const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
    const parent = new Map();
    for (const n of profile.nodes) for (const child of n.children ?? []) parent.set(child, n.id);
    let threadTotal = 0;
    let threadIdle = 0;
    profile.samples.forEach((id, i) => {
      const us = profile.timeDeltas[i] ?? 0;
      threadTotal += us;
      const leaf = nodes.get(id);
      const { functionName, url, lineNumber } = leaf.callFrame;
      const mod = moduleOf(url, functionName);
      if (mod === '(idle)') threadIdle += us;
      add(self, `${functionName || '(anonymous)'}  [${mod}${url ? `:${lineNumber + 1}` : ''}]`, us);
      add(modules, mod, us);
      const seen = new Set();
      for (let at = id; at !== undefined; at = parent.get(at)) {
        const frame = nodes.get(at).callFrame;
        if (!frame.url.includes('/dist/') && !frame.url.includes('/bench/')) continue;
        const key = `${frame.functionName || '(anonymous)'}  [${moduleOf(frame.url, frame.functionName)}:${frame.lineNumber + 1}]`;
        if (seen.has(key)) continue;
        seen.add(key);
        add(inclusive, key, us);
      }
    });
    total += threadTotal;
    threads.push({ name, ms: threadTotal / 1000, idleMs: threadIdle / 1000 });
  }
  const sorted = (map) => [...map.entries()].sort((a, b) => b[1] - a[1]).map(([name, us]) => ({ name, ms: us / 1000, percent: (100 * us) / total }));
  return { totalMs: total / 1000, threads, modules: sorted(modules), selfFunctions: sorted(self), dbaasInclusive: sorted(inclusive) };
}

function print(title, rows, top) {
  const lines = [`\n${title}`, ...rows.slice(0, top).map((r) => `  ${r.ms.toFixed(0).padStart(8)} ms  ${r.percent.toFixed(1).padStart(5)}%  ${r.name}`)];
  process.stdout.write(`${lines.join('\n')}\n`);
}

async function main() {
  const { values } = parseArgs({
    options: {
      n: { type: 'string', default: '1000' },
      command: { type: 'string', default: 'plan-all' },
      top: { type: 'string', default: '25' },
      repo: { type: 'string' },
      out: { type: 'string' },
      cache: { type: 'string', default: 'cold' },
      dbaas: { type: 'string' },
    },
  });
  // --dbaas DIR: profile another build (e.g. the one bench/run.mjs --ref --keep left in its work folder).
  if (values.dbaas) {
    CLI = path.join(path.resolve(values.dbaas), 'bin', 'run.js');
    BASELINE = path.join(path.resolve(values.dbaas), 'bench', 'baseline.mjs');
  }
  const n = Number(values.n);
  const top = Number(values.top);
  const argsFor = COMMANDS[values.command];
  if (!argsFor) throw new Error(`--command ${values.command}: expected one of ${Object.keys(COMMANDS).join(', ')}`);
  const work = mkdtempSync(path.join(os.tmpdir(), 'dbaas-profile-'));
  try {
    let repo = values.repo && path.resolve(values.repo);
    if (!repo) {
      repo = path.join(work, `infra-${n}`);
      await generateRepo(repo, n);
      touchOneDatabase(repo, n);
    }
    if (values.cache !== 'cold' && values.cache !== 'warm') throw new Error(`--cache ${values.cache}: expected cold or warm`);
    // cold: the repo's .dbaas/ (stack cache) removed first; warm: one unprofiled run fills it.
    rmSync(path.join(repo, '.dbaas'), { recursive: true, force: true });
    if (values.cache === 'warm') await measureNode({ args: argsFor(repo, work), cwd: repo, env: { ...process.env, DBAAS_NOW: '2026-11-21' } });
    const profDir = path.join(work, 'prof');
    const env = { ...process.env, DBAAS_NOW: '2026-11-21', NO_COLOR: '1' };
    delete env.GITHUB_ACTIONS;
    const r = await measureNode({ args: argsFor(repo, work), cwd: repo, env, nodeArgs: ['--cpu-prof', '--cpu-prof-dir', profDir] });
    if (r.exitCode !== 0) throw new Error(`${values.command} exited ${r.exitCode}: ${r.stderrAll.slice(-500)}`);
    // CPU.<date>.<time>.<pid>.<thread>.<seq>.cpuprofile: thread 0 is the main thread.
    const files = readdirSync(profDir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .sort();
    const profiles = files.map((f) => ({
      name: f.split('.')[4] === '0' ? 'main' : `worker ${f.split('.')[4]}`,
      profile: JSON.parse(readFileSync(path.join(profDir, f), 'utf8')),
    }));
    const summary = summarize(profiles);
    process.stdout.write(
      `${values.command} (${values.cache} cache) over ${values.repo ? repo : `${n} generated databases`}: ${r.seconds.toFixed(2)} s wall (profiled), ${r.peakMiB?.toFixed(0)} MiB peak\n`,
    );
    for (const t of summary.threads) process.stdout.write(`  thread ${t.name}: ${t.ms.toFixed(0)} ms sampled, ${t.idleMs.toFixed(0)} ms idle\n`);
    print('self time by module', summary.modules, top);
    print('top functions by self time', summary.selfFunctions, top);
    print('dbaas functions by inclusive time (stages)', summary.dbaasInclusive, top);
    const out = path.resolve(values.out ?? path.join(ROOT, 'bench', 'results', `profile-${values.command}-${values.cache}-${values.repo ? 'repo' : n}.json`));
    mkdirSync(path.dirname(out), { recursive: true });
    writeFileSync(
      out,
      `${JSON.stringify({ command: values.command, cache: values.cache, n: values.repo ? null : n, seconds: r.seconds, peakMiB: r.peakMiB, ...summary, modules: summary.modules, selfFunctions: summary.selfFunctions.slice(0, 200), dbaasInclusive: summary.dbaasInclusive.slice(0, 200) }, null, 2)}\n`,
    );
    process.stdout.write(`\nsummary: ${path.relative(process.cwd(), out)}\n`);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main().catch((error) => {
    process.stderr.write(`profile: ${error.message}\n`);
    process.exitCode = 2;
  });
}
