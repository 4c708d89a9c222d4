// Shards bench (issue 16 item 6), run by bench/run.mjs (its "shards" cells) or alone:
// - merge: `plan merge` of 8 shard reports of a 10,000-database change, as a whole process (target < 1 s),
//   with the merged JSON checked byte for byte against the unsharded plan's;
// - balance: 96 AWS databases planned with the real terraform (offline), `plan --terraform --shard K/8`
//   for K = 1..8 one after another, each with a fresh plans folder as a fresh runner; the slowest shard
//   against the mean (target: within 15 %).
// Runs dist/ (npm run build first).
//
//   node bench/shards.mjs [--n-merge 10000] [--n-aws 96] [--shards 8] [--only merge|balance] [--work DIR]
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { databaseAt, generateRepo } from './generate.mjs';
import { measureNode, median } from './measure.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

const defaultEnv = () => {
  const env = { ...process.env, DBAAS_NOW: '2026-11-21', NO_COLOR: '1', FORCE_COLOR: '0' };
  for (const key of ['GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY', 'DBAAS_BENCH_STATS', 'CI']) delete env[key];
  return env;
};

async function run(cli, args, { cwd, env, timeoutMs, okExit = [0, 1] }) {
  const load1 = os.loadavg()[0];
  const r = await measureNode({ args: [cli, ...args], cwd, env, timeoutMs, capture: 4096 });
  if (r.timedOut || !okExit.includes(r.exitCode))
    throw new Error(`dbaas ${args.join(' ')} exited ${r.timedOut ? 'on timeout' : r.exitCode}: ${`${r.stderrAll}`.slice(-600)}`);
  return { seconds: r.seconds, cpuSeconds: r.cpuSeconds, peakMiB: r.peakMiB, load1 };
}

/** Merge cell: N databases, all new (plan --all), split in `shards`; merge timed `runs` times. */
export async function mergeCell({ cli, work, n = 10000, shards = 8, runs = 3, env = defaultEnv(), timeoutMs = 3_600_000, log = () => {} }) {
  const dir = path.join(work, `shards-merge-${n}`);
  await generateRepo(dir, n, { git: true });
  const opts = { cwd: dir, env, timeoutMs };
  const whole = path.join(dir, 'whole.json');
  // The unsharded plan: the reference the merge must equal (and it fills the stack cache, as a runner restoring it).
  const unsharded = await run(cli, ['plan', '--all', '--dir', dir, '--format', 'json', '--out', whole], opts);
  log(`  shards: unsharded plan --all of ${n}: ${unsharded.seconds.toFixed(1)} s`);
  const files = [];
  const shardRuns = [];
  for (let k = 1; k <= shards; k++) {
    const file = path.join(dir, `shard-${k}.json`);
    shardRuns.push(await run(cli, ['plan', '--all', '--dir', dir, '--shard', `${k}/${shards}`, '--format', 'json', '--out', file], opts));
    files.push(file);
    log(`  shards: plan --all --shard ${k}/${shards}: ${shardRuns.at(-1).seconds.toFixed(1)} s`);
  }
  const merged = path.join(dir, 'merged.json');
  const measured = [];
  for (let i = 0; i < runs; i++) {
    rmSync(merged, { force: true });
    measured.push(await run(cli, ['plan', 'merge', ...files, '--format', 'json', '--out', merged], opts));
    log(
      `  shards: plan merge of ${shards} (${n} databases) run ${i + 1}: ${measured.at(-1).seconds.toFixed(2)} s, ${measured.at(-1).cpuSeconds?.toFixed(2)} s CPU, ${measured.at(-1).peakMiB?.toFixed(0)} MiB, load ${measured.at(-1).load1.toFixed(1)}`,
    );
  }
  const identical = readFileSync(merged).equals(readFileSync(whole));
  // The workflow's merge job: the PR comment, the JSON artifact and SARIF from one merge.
  const workflow = await run(
    cli,
    [
      'plan',
      'merge',
      ...files,
      '--format',
      'markdown',
      '--out',
      path.join(dir, 'plan.md'),
      '--save-json',
      path.join(dir, 'plan.json'),
      '--save-sarif',
      path.join(dir, 'plan.sarif'),
    ],
    opts,
  );
  log(`  shards: workflow merge (markdown + json + sarif): ${workflow.seconds.toFixed(2)} s`);
  const inBytes = files.reduce((s, f) => s + statSync(f).size, 0);
  return {
    databases: n,
    shards,
    shardInMiB: Number((inBytes / 1024 / 1024).toFixed(1)),
    mergedMiB: Number((statSync(merged).size / 1024 / 1024).toFixed(1)),
    unshardedPlanSeconds: unsharded.seconds,
    shardPlanSeconds: shardRuns.map((r) => r.seconds),
    runs: measured,
    medianSeconds: median(measured.map((r) => r.seconds)),
    peakMiB: Math.max(...measured.map((r) => r.peakMiB ?? 0)),
    // On a loaded machine the wall time is mostly waiting for a core: the CPU time says what the merge costs.
    medianCpuSeconds: median(measured.flatMap((r) => (r.cpuSeconds == null ? [] : [r.cpuSeconds]))),
    workflowMergeSeconds: workflow.seconds,
    workflowMergeCpuSeconds: workflow.cpuSeconds,
    mergedEqualsUnsharded: identical,
    ok: identical,
  };
}

/** A repo of the first `count` generated AWS databases (GCP has no offline provider here). */
async function awsRepo(dir, count) {
  let n = 0;
  for (let aws = 0; aws < count; n++) if (databaseAt(n).cloud === 'aws') aws++;
  await generateRepo(dir, n, { git: false });
  for (let i = 0; i < n; i++) {
    const db = databaseAt(i);
    if (db.cloud === 'gcp') rmSync(path.join(dir, 'stacks', db.team, `${db.name}.yaml`));
  }
  return n;
}

/** Balance cell: `count` AWS stacks planned with terraform, shard by shard, one after another. */
export async function balanceCell({ cli, work, count = 96, shards = 8, env = defaultEnv(), timeoutMs = 3_600_000, log = () => {} }) {
  const { discoverOfflineTerraform } = await import(path.join(path.dirname(path.dirname(cli)), 'dist', 'terraform', 'index.js'));
  const found = await discoverOfflineTerraform();
  if (!found.ok) return { skipped: `no offline terraform: ${found.reason}` };
  const dir = path.join(work, `shards-balance-${count}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  await awsRepo(dir, count);
  const opts = { cwd: dir, env, timeoutMs };
  // Fill the stack cache once, untimed (a runner restores it), and check the repo has `count` stacks.
  await run(cli, ['plan', '--all', '--dir', dir, '--format', 'json', '--out', path.join(dir, 'all.json')], opts);
  const all = JSON.parse(readFileSync(path.join(dir, 'all.json'), 'utf8'));
  if (all.stacks.filter((s) => s.cloud === 'aws').length !== count) throw new Error(`balance repo has ${all.stacks.length} stacks, expected ${count} AWS ones`);
  const each = [];
  for (let k = 1; k <= shards; k++) {
    const plans = mkdtempSync(path.join(work, `shard-plans-${k}-`));
    const out = path.join(dir, `shard-${k}.json`);
    const r = await run(
      cli,
      ['plan', '--all', '--dir', dir, '--terraform', '--offline', '--plans', plans, '--shard', `${k}/${shards}`, '--format', 'json', '--out', out],
      opts,
    );
    const report = JSON.parse(readFileSync(out, 'utf8'));
    const failed = report.stacks.filter((s) => s.terraform && !s.terraform.ok).map((s) => s.name);
    const resources = report.stacks.reduce((s, x) => s + x.resources.length, 0);
    each.push({
      shard: k,
      seconds: r.seconds,
      load1: r.load1,
      stacks: report.stacks.length,
      resources,
      planned: report.stacks.filter((s) => s.terraform?.ok).length,
      ...(failed.length ? { failed } : {}),
    });
    log(
      `  shards: terraform shard ${k}/${shards}: ${report.stacks.length} stacks, ${resources} resources, ${r.seconds.toFixed(1)} s, load ${r.load1.toFixed(1)}${failed.length ? `, FAILED ${failed.join(' ')}` : ''}`,
    );
    rmSync(plans, { recursive: true, force: true });
  }
  const mean = each.reduce((s, x) => s + x.seconds, 0) / each.length;
  const slowest = Math.max(...each.map((x) => x.seconds));
  return {
    stacks: count,
    shards,
    terraformVersion: found.terraformVersion,
    each,
    meanSeconds: mean,
    slowestSeconds: slowest,
    slowestOverMean: slowest / mean - 1,
    ok: each.every((x) => !x.failed && x.planned === x.stacks),
  };
}

/** The two targets of the shards cells, as bench/run.mjs reports its targets. */
export function shardTargets(shards) {
  const merge = shards?.merge && !shards.merge.skipped ? shards.merge : undefined;
  const balance = shards?.balance && !shards.balance.skipped ? shards.balance : undefined;
  return [
    {
      id: 'plan-merge-10000-seconds',
      what: `plan merge of ${merge?.shards ?? 8} shards of a ${merge?.databases ?? 10000}-database change`,
      n: merge?.databases ?? 10000,
      value: merge?.ok ? merge.medianSeconds : null,
      limit: 1,
      unit: 's',
      met: merge?.ok ? merge.medianSeconds < 1 : null,
    },
    {
      id: 'shard-balance-96-aws',
      what: `slowest of ${balance?.shards ?? 8} terraform shards over the mean (${balance?.stacks ?? 96} AWS stacks)`,
      n: balance?.stacks ?? 96,
      value: balance?.ok ? balance.slowestOverMean * 100 : null,
      limit: 15,
      unit: '%',
      met: balance?.ok ? balance.slowestOverMean <= 0.15 : null,
    },
  ];
}

async function main() {
  const { values } = parseArgs({
    options: {
      'n-merge': { type: 'string', default: '10000' },
      'n-aws': { type: 'string', default: '96' },
      shards: { type: 'string', default: '8' },
      only: { type: 'string' },
      work: { type: 'string' },
    },
  });
  const work = values.work ? path.resolve(values.work) : mkdtempSync(path.join(os.tmpdir(), 'dbaas-shards-'));
  mkdirSync(work, { recursive: true });
  const cli = path.join(ROOT, 'bin', 'run.js');
  const log = (line) => process.stderr.write(`${line}\n`);
  const shards = Number(values.shards);
  const out = { loadAverageAtStart: os.loadavg() };
  try {
    if (values.only !== 'balance') out.merge = await mergeCell({ cli, work, n: Number(values['n-merge']), shards, log });
    if (values.only !== 'merge') out.balance = await balanceCell({ cli, work, count: Number(values['n-aws']), shards, log });
  } finally {
    if (!values.work) rmSync(work, { recursive: true, force: true });
  }
  out.targets = shardTargets(out);
  process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) await main();
