// Shards bench (issue 16): `plan merge` of 8 shards of a 10,000-database change (target < 1 s), and
// the wall time of a sharded vs an unsharded plan of a 1,000-database repo (no terraform: the synth,
// guard and diff work a shard repeats or splits). Runs dist/ (npm run build first).
//
//   node bench/shards.mjs [--n-merge 10000] [--n-wall 1000] [--shards 8]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const RUN = path.join(ROOT, 'bin', 'run.js');
const { values } = parseArgs({ options: { 'n-merge': { type: 'string', default: '10000' }, 'n-wall': { type: 'string', default: '1000' }, shards: { type: 'string', default: '8' } } });
const shards = Number(values.shards);
const env = { DBAAS_NOW: '2026-11-21', CI: '', GITHUB_ACTIONS: '' };

async function timed(args, cwd) {
  const started = performance.now();
  const r = await execa('node', [RUN, ...args], { cwd, env, reject: false });
  const ms = performance.now() - started;
  if (r.exitCode !== 0 && r.exitCode !== 1) throw new Error(`dbaas ${args.join(' ')} exited ${r.exitCode}: ${r.stderr.slice(0, 500)}`);
  return ms;
}

async function repo(n) {
  const dir = mkdtempSync(path.join(tmpdir(), `dbaas-shards-${n}-`));
  await execa('node', [path.join(ROOT, 'bench', 'generate.mjs'), '--n', String(n), '--out', dir]);
  return dir;
}

const fmt = (ms) => `${(ms / 1000).toFixed(2)} s`;
const out = {};

// 1. merge of N shards of a big change.
{
  const n = Number(values['n-merge']);
  const dir = await repo(n);
  await timed(['plan', '--all', '--dir', dir], dir); // warm the stack cache once, untimed
  const files = [];
  for (let k = 1; k <= shards; k++) {
    const file = path.join(dir, `shard-${k}.json`);
    await timed(['plan', '--all', '--dir', dir, '--shard', `${k}/${shards}`, '--format', 'json', '--out', file], dir);
    files.push(file);
  }
  const runs = [];
  for (let i = 0; i < 3; i++) runs.push(await timed(['plan', 'merge', ...files, '--format', 'json', '--out', path.join(dir, 'merged.json')], dir));
  const merged = JSON.parse(readFileSync(path.join(dir, 'merged.json'), 'utf8'));
  if (merged.stacks.length !== n) throw new Error(`merged ${merged.stacks.length} stacks, expected ${n}`);
  out.merge = { databases: n, shards, runsMs: runs.map(Math.round), bestMs: Math.round(Math.min(...runs)) };
  console.log(`plan merge of ${shards} shards of a ${n}-database change (whole process, 3 runs): ${runs.map(fmt).join(', ')}`);
  rmSync(dir, { recursive: true, force: true });
}

// 2. sharded vs unsharded wall time, warm cache (as a runner restoring the stack cache).
{
  const n = Number(values['n-wall']);
  const dir = await repo(n);
  await timed(['plan', '--all', '--dir', dir], dir);
  const whole = await timed(['plan', '--all', '--dir', dir, '--format', 'json', '--out', path.join(dir, 'whole.json')], dir);
  const each = [];
  for (let k = 1; k <= shards; k++) each.push(await timed(['plan', '--all', '--dir', dir, '--shard', `${k}/${shards}`, '--format', 'json', '--out', path.join(dir, `s${k}.json`)], dir));
  const merge = await timed(['plan', 'merge', ...each.map((_, i) => path.join(dir, `s${i + 1}.json`)), '--format', 'json', '--out', path.join(dir, 'merged.json')], dir);
  const same = readFileSync(path.join(dir, 'whole.json'), 'utf8') === readFileSync(path.join(dir, 'merged.json'), 'utf8');
  out.wall = { databases: n, shards, unshardedMs: Math.round(whole), shardMs: each.map(Math.round), mergeMs: Math.round(merge), shardedWallMs: Math.round(Math.max(...each) + merge), shardedTotalMs: Math.round(each.reduce((a, b) => a + b, 0) + merge), mergedEqualsUnsharded: same };
  console.log(`${n} databases, no terraform: unsharded ${fmt(whole)}; ${shards} shards ${each.map(fmt).join(' ')} + merge ${fmt(merge)}`);
  console.log(`  sharded wall (parallel runners: slowest shard + merge) ${fmt(Math.max(...each) + merge)}; CPU total ${fmt(each.reduce((a, b) => a + b, 0) + merge)}; merged report byte-identical: ${same}`);
  rmSync(dir, { recursive: true, force: true });
}
console.log(JSON.stringify(out));
