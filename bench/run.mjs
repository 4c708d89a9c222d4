// The benchmark (issue 7): generated infra repos of N databases; each dbaas command timed as a whole
// process with its peak memory, side by side with a naive cdktf app (bench/baseline.mjs); then the
// terraform fan-out of `plan --terraform` over the example repo's AWS stacks. Prints a table and
// writes bench/results/<timestamp>.json and bench/results/latest.json. See bench/README.md.
//
//   node bench/run.mjs [--quick] [--sizes 100,1000,10000] [--runs 3] [--budget 150] ...
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { generateRepo, touchOneDatabase } from './generate.mjs';
import { measureNode, median } from './measure.mjs';
import { balanceCell, mergeCell, shardTargets } from './shards.mjs';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The dbaas being measured: a snapshot of this checkout (see snapshotDbaas), or the checkout itself. */
let DBAAS = ROOT;
let CLI = path.join(ROOT, 'bin', 'run.js');
let BASELINE = path.join(ROOT, 'bench', 'baseline.mjs');
const NOW = '2026-11-21';
const MIB_PER_GIB = 1024;

const USAGE = `usage: node bench/run.mjs [options]
  --quick               N=100 only, 1 run, no warm-up, no terraform fan-out (under a minute)
  --sizes LIST          database counts (default 100,1000,10000)
  --runs K              runs per command and size; the median is reported (default 3)
  --budget SECONDS      stop repeating a command once its runs would pass this (default 150; always >= 1 run)
  --timeout SECONDS     kill a run after this long (default 1800)
  --no-baseline         skip the plain cdktf app
  --baseline-max N      skip the baseline above N databases (default: no limit)
  --no-terraform        skip the terraform fan-out
  --parallelism LIST    terraform fan-out parallelisms (default 1,2,4)
  --tf-runs K           runs per parallelism (default 3)
  --results DIR         where the JSON goes (default bench/results)
  --work DIR            where repos are generated (default: a new temp folder, removed at the end)
  --keep                keep the generated repos and outputs
  --no-snapshot         run this checkout's dist/ directly instead of a copy taken at the start
  --ref REV             measure commit REV instead: built from git into the work folder (checkout untouched)
  --terraform-only      only the terraform fan-out
  --no-shards           skip the shards cells (plan merge of 8 shards of N, 8 terraform shards of 96 AWS stacks)
  --shards-n N          databases in the plan merge cell (default 10000)
  --shards-aws N        AWS stacks in the terraform balance cell (default 96)
  --shards-only         only the shards cells`;

function options() {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean', default: false },
      sizes: { type: 'string' },
      runs: { type: 'string' },
      budget: { type: 'string', default: '150' },
      timeout: { type: 'string', default: '1800' },
      'no-baseline': { type: 'boolean', default: false },
      'baseline-max': { type: 'string' },
      'no-terraform': { type: 'boolean', default: false },
      parallelism: { type: 'string', default: '1,2,4' },
      'tf-runs': { type: 'string', default: '3' },
      results: { type: 'string', default: path.join(ROOT, 'bench', 'results') },
      work: { type: 'string' },
      keep: { type: 'boolean', default: false },
      'no-snapshot': { type: 'boolean', default: false },
      ref: { type: 'string' },
      'terraform-only': { type: 'boolean', default: false },
      'no-shards': { type: 'boolean', default: false },
      'shards-n': { type: 'string', default: '10000' },
      'shards-only': { type: 'boolean', default: false },
      'shards-aws': { type: 'string', default: '96' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    process.exit(0);
  }
  const list = (flag, text) =>
    text.split(',').map((s) => {
      const n = Number(s.trim());
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${flag} ${text}: expected positive integers separated by commas`);
      return n;
    });
  const positive = (flag, text) => list(flag, text)[0];
  const quick = values.quick;
  return {
    quick,
    sizes: list('sizes', values.sizes ?? (quick ? '100' : '100,1000,10000')),
    runs: positive('runs', values.runs ?? (quick ? '1' : '3')),
    budgetSeconds: positive('budget', values.budget),
    timeoutSeconds: positive('timeout', values.timeout),
    baseline: !values['no-baseline'],
    baselineMax: values['baseline-max'] ? positive('baseline-max', values['baseline-max']) : Infinity,
    terraform: (!values['no-terraform'] && !quick) || values['terraform-only'],
    terraformSkipReason: values['no-terraform'] ? '--no-terraform' : quick ? '--quick (terraform plans take 15-40 s per parallelism)' : undefined,
    parallelism: list('parallelism', values.parallelism),
    tfRuns: positive('tf-runs', values['tf-runs']),
    resultsDir: path.resolve(values.results),
    workDir: values.work ? path.resolve(values.work) : undefined,
    keep: values.keep || Boolean(values.work),
    warmup: !quick,
    snapshot: !values['no-snapshot'],
    ref: values.ref,
    terraformOnly: values['terraform-only'] || values['shards-only'],
    terraformSkip: values['shards-only'],
    shards: (!values['no-shards'] && !quick && !values['terraform-only']) || values['shards-only'],
    shardsSkipReason: values['no-shards']
      ? '--no-shards'
      : quick
        ? '--quick (the cells plan 10,000 databases 9 times and run terraform over 96 stacks)'
        : '--terraform-only',
    shardsN: positive('shards-n', values['shards-n']),
    shardsAws: positive('shards-aws', values['shards-aws']),
  };
}

class UsageError extends Error {}

/** Environment of every measured process: a fixed date, no colours, no CI annotations. */
function childEnv() {
  const env = { ...process.env, DBAAS_NOW: NOW, NO_COLOR: '1', FORCE_COLOR: '0' };
  for (const key of ['GITHUB_ACTIONS', 'GITHUB_STEP_SUMMARY', 'DBAAS_BENCH_STATS']) delete env[key];
  return env;
}

const log = (line = '') => process.stderr.write(`${line}\n`);
const fmtSeconds = (s) => (s == null ? '-' : s < 10 ? s.toFixed(2) : s.toFixed(1));
const fmtMiB = (m) => (m == null ? '-' : m.toFixed(0));

/**
 * The measured commands for one repo. `check` reads the output and says what is wrong (the process
 * must also exit 0), so a command that quietly did less work never yields a flattering time.
 * Commands that synthesize run twice over: `cold`, with the repo's .dbaas/ (the stack cache) removed
 * before every run, as on a fresh CI runner; and `warm`, with the cache the cold runs left behind.
 */
function commandsFor(n, repo, work) {
  const firstLine = (r) => r.stdoutHead.split('\n', 1)[0];
  const synth = {
    label: 'dbaas synth',
    outDir: path.join(work, `synth-${n}`),
    args: [CLI, 'synth', '--dir', repo, '--out', path.join(work, `synth-${n}`)],
    check: (r) => (r.stdoutAll.includes(`✓ ${n} stacks written`) ? undefined : `expected "✓ ${n} stacks written"`),
  };
  const planAll = {
    label: 'dbaas plan --all',
    args: [CLI, 'plan', '--all', '--dir', repo],
    check: (r) => (firstLine(r).includes(`: ${n} stack(s) changed`) ? undefined : `expected "${n} stack(s) changed" on the first line, got: ${firstLine(r)}`),
  };
  const planOne = {
    label: 'dbaas plan, 1 db changed',
    args: [CLI, 'plan', '--dir', repo],
    check: (r) =>
      /against HEAD .*: 1 stack\(s\) changed/.test(firstLine(r)) ? undefined : `expected "against HEAD …: 1 stack(s) changed", got: ${firstLine(r)}`,
  };
  const variants = (id, command) => [
    { ...command, id: `${id}-cold`, label: `${command.label} (cold cache)`, cache: 'cold' },
    { ...command, id: `${id}-warm`, label: `${command.label} (warm cache)`, cache: 'warm' },
  ];
  return [
    {
      id: 'validate',
      label: 'dbaas validate',
      args: [CLI, 'validate', '--dir', repo],
      check: (r) => (r.stdoutAll.includes(`✓ ${n} databases valid`) ? undefined : `expected "✓ ${n} databases valid"`),
    },
    ...variants('synth', synth),
    ...variants('plan-all', planAll),
    ...variants('plan-one', planOne),
    {
      id: 'baseline',
      label: 'baseline: cdktf app.synth()',
      baseline: true,
      outDir: path.join(work, `baseline-${n}`),
      args: [BASELINE, '--dir', repo, '--out', path.join(work, `baseline-${n}`)],
      check: (r) => (r.stdoutAll.includes(`baseline: ${n} stacks synthesized`) ? undefined : `expected "baseline: ${n} stacks synthesized"`),
    },
  ];
}

/** Everything dbaas keeps in the repo between runs (the stack cache lives under it). */
const repoState = (repo) => path.join(repo, '.dbaas');

async function measureCommand(command, opts, repo, { warmedUp }) {
  const runs = [];
  let spent = 0;
  let cappedByBudget = false;
  if (command.cache === 'warm' && !warmedUp) {
    // Fill the cache with one untimed run (normally the cold runs just before have done it).
    if (command.outDir) rmSync(command.outDir, { recursive: true, force: true });
    await measureNode({ args: command.args, cwd: repo, env: childEnv(), timeoutMs: opts.timeoutSeconds * 1000 });
  }
  for (let i = 0; i < opts.runs; i++) {
    const last = runs.at(-1);
    if (last && spent + last.seconds > opts.budgetSeconds) {
      cappedByBudget = true;
      break;
    }
    if (command.outDir) rmSync(command.outDir, { recursive: true, force: true });
    if (command.cache === 'cold') rmSync(repoState(repo), { recursive: true, force: true });
    // Other work on this machine skews a run: the 1-minute load average when it starts says how much.
    const load1 = os.loadavg()[0];
    const r = await measureNode({ args: command.args, cwd: repo, env: childEnv(), timeoutMs: opts.timeoutSeconds * 1000 });
    const problem = r.timedOut ? `timed out after ${opts.timeoutSeconds} s` : r.exitCode !== 0 ? `exit code ${r.exitCode ?? r.signal}` : command.check(r);
    spent += r.seconds;
    runs.push({
      seconds: r.seconds,
      peakMiB: r.peakMiB,
      peakSource: r.peakSource,
      cpuSeconds: r.cpuSeconds,
      exitCode: r.exitCode,
      load1,
      ...(problem ? { problem } : {}),
    });
    log(
      `  ${command.label.padEnd(38)} run ${i + 1}: ${fmtSeconds(r.seconds)} s, ${fmtMiB(r.peakMiB)} MiB peak, ${r.cpuSeconds == null ? '?' : r.cpuSeconds.toFixed(1)} s CPU, load ${load1.toFixed(1)}${problem ? `  ✗ ${problem}` : ''}`,
    );
    if (problem) {
      const tail = `${r.stderrAll}\n${r.stdoutAll}`.trim().split('\n').slice(-8).join('\n    ');
      log(`    ${tail}`);
      break; // a failing command is reported once, not timed again
    }
  }
  const good = runs.filter((r) => !r.problem);
  return {
    label: command.label,
    ok: good.length === runs.length && runs.length > 0,
    runs,
    medianSeconds: median(good.map((r) => r.seconds)),
    // The highest peak over the runs: memory targets are about the worst case.
    peakMiB: good.length ? Math.max(...good.map((r) => r.peakMiB ?? 0)) : null,
    medianCpuSeconds: median(good.flatMap((r) => (r.cpuSeconds == null ? [] : [r.cpuSeconds]))),
    cappedByBudget,
  };
}

async function benchSize(n, opts, work) {
  const repo = path.join(work, `infra-${n}`);
  const started = performance.now();
  const generated = await generateRepo(repo, n, { git: true });
  const touched = touchOneDatabase(repo, n);
  const generateSeconds = (performance.now() - started) / 1000;
  log(
    `\nN=${n}: generated in ${fmtSeconds(generateSeconds)} s (${(generated.specBytes / 1024 / 1024).toFixed(1)} MiB of specs; ${touched.file} edited for the one-database plan)`,
  );
  const commands = {};
  let previous;
  for (const command of commandsFor(n, repo, work)) {
    if (command.baseline && !opts.baseline) continue;
    if (command.baseline && n > opts.baselineMax) {
      commands[command.id] = { label: command.label, skipped: `--baseline-max ${opts.baselineMax}` };
      continue;
    }
    // The cold runs of the same command leave the cache filled: the warm runs need no extra pass.
    const warmedUp = command.cache === 'warm' && previous?.cache === 'cold' && previous.args === command.args && commands[previous.id]?.ok;
    commands[command.id] = await measureCommand(command, opts, repo, { warmedUp });
    if (command.outDir && !opts.keep) rmSync(command.outDir, { recursive: true, force: true });
    previous = command;
  }
  const ratio = (id) => {
    const base = commands.baseline?.medianSeconds;
    const ours = commands[id]?.medianSeconds;
    return base && ours ? base / ours : null;
  };
  return {
    n,
    generateSeconds,
    specBytes: generated.specBytes,
    mix: generated.counts,
    touched,
    commands,
    ratios: { synthCold: ratio('synth-cold'), synthWarm: ratio('synth-warm'), planAllCold: ratio('plan-all-cold'), planAllWarm: ratio('plan-all-warm') },
  };
}

/** The example repo with only its AWS databases (GCP stacks have no offline provider). */
function exampleAwsRepo(work) {
  const dir = path.join(work, 'example-aws');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  cpSync(path.join(ROOT, 'dbaas.config.yaml'), path.join(dir, 'dbaas.config.yaml'));
  cpSync(path.join(ROOT, 'stacks'), path.join(dir, 'stacks'), { recursive: true });
  const walk = (d) => readdirSync(d).flatMap((name) => (statSync(path.join(d, name)).isDirectory() ? walk(path.join(d, name)) : [path.join(d, name)]));
  const removed = [];
  for (const file of walk(path.join(dir, 'stacks'))) {
    const text = readFileSync(file, 'utf8');
    if (/^kind: Database$/m.test(text) && /^\s+cloud: gcp\s*$/m.test(text)) {
      rmSync(file);
      removed.push(path.relative(dir, file));
    }
  }
  return { dir, removed };
}

async function terraformFanOut(opts, work) {
  if (!opts.terraform) return { skipped: opts.terraformSkipReason };
  const { discoverOfflineTerraform } = await import(path.join(DBAAS, 'dist', 'terraform', 'index.js'));
  const found = await discoverOfflineTerraform();
  if (!found.ok) return { skipped: `no offline terraform: ${found.reason}` };
  const { dir, removed } = exampleAwsRepo(work);
  log(
    `\nterraform fan-out: plan --all --terraform --offline over the example repo's AWS stacks (terraform ${found.terraformVersion}, mirror ${found.mirrorDir})`,
  );
  const plan = (parallelism, plansDir) => {
    // Everything cold each run: no stack cache, a fresh plans folder (so a fresh plugin cache), as on a new CI runner.
    rmSync(repoState(dir), { recursive: true, force: true });
    return measureNode({
      args: [CLI, 'plan', '--all', '--dir', dir, '--terraform', '--offline', '--plans', plansDir, '--parallelism', String(parallelism), '--json'],
      cwd: dir,
      env: childEnv(),
      timeoutMs: opts.timeoutSeconds * 1000,
      capture: 16 * 1024 * 1024,
    });
  };
  // One untimed pass reads terraform and the provider binary into the page cache, so P=1 (first) pays no cold read.
  await plan(Math.max(...opts.parallelism), mkdtempSync(path.join(work, 'plans-warmup-')));
  const results = [];
  for (const parallelism of opts.parallelism) {
    const runs = [];
    for (let i = 0; i < opts.tfRuns; i++) {
      const plansDir = mkdtempSync(path.join(work, `plans-p${parallelism}-`));
      const r = await plan(parallelism, plansDir);
      let report;
      try {
        report = JSON.parse(r.stdoutAll);
      } catch {
        report = undefined;
      }
      const stacks = report?.stacks ?? [];
      const aws = stacks.filter((s) => s.cloud === 'aws');
      const planned = aws.filter((s) => s.terraform?.ok).length;
      const failures = aws.filter((s) => s.terraform && !s.terraform.ok).map((s) => ({ stack: s.name, error: s.terraform.error ?? 'no message' }));
      const failed = failures.map((f) => `${f.stack} (${f.error})`);
      const said = `${r.stderrAll}\n${r.stdoutAll}`.trim().split('\n').slice(-3).join(' | ');
      const problem = !report
        ? `no JSON report (exit ${r.exitCode}${said ? `: ${said}` : ', no output at all'})`
        : failed.length
          ? `terraform failed for ${failed.join(', ')}`
          : undefined;
      runs.push({
        seconds: r.seconds,
        stacks: aws.length,
        planned,
        stacksPerMinute: planned / (r.seconds / 60),
        exitCode: r.exitCode,
        ...(failures.length ? { failures } : {}),
        ...(problem ? { problem } : {}),
      });
      log(
        `  parallelism ${parallelism} run ${i + 1}: ${planned}/${aws.length} stacks in ${fmtSeconds(r.seconds)} s = ${(planned / (r.seconds / 60)).toFixed(1)} stacks/min${problem ? `  ✗ ${problem}` : ''}`,
      );
      if (!opts.keep) rmSync(plansDir, { recursive: true, force: true });
    }
    const good = runs.filter((x) => !x.problem);
    results.push({
      parallelism,
      runs,
      medianSeconds: median(good.map((x) => x.seconds)),
      stacksPerMinute: median(good.map((x) => x.stacksPerMinute)),
      ok: good.length === runs.length,
    });
  }
  const best = results.filter((x) => x.ok && x.stacksPerMinute).sort((a, b) => b.stacksPerMinute - a.stacksPerMinute)[0];
  return {
    repo: 'example repo, AWS databases only',
    excluded: removed,
    terraformVersion: found.terraformVersion,
    cpus: os.cpus().length,
    results,
    bestParallelism: best?.parallelism ?? null,
    bestStacksPerMinute: best?.stacksPerMinute ?? null,
  };
}

/**
 * The issue's targets, checked against the medians measured here, for a cold and a warm stack cache
 * (a size not run is "not measured").
 */
function targets(sizes) {
  const at = (n) => sizes.find((s) => s.n === n);
  const check = (id, what, n, pick, limit, unit) => {
    const value = at(n) ? pick(at(n)) : null;
    return { id, what, n, value, limit, unit, met: value == null ? null : unit === 'x' ? value >= limit : value <= limit };
  };
  return ['cold', 'warm']
    .flatMap((cache) => {
      const seconds = (id) => (s) => s.commands[`${id}-${cache}`]?.medianSeconds ?? null;
      const Cache = cache[0].toUpperCase() + cache.slice(1);
      return [
        check(`plan-all-1000-seconds-${cache}`, `full plan of 1,000 databases (${cache} cache)`, 1000, seconds('plan-all'), 3, 's'),
        check(`plan-all-1000-vs-baseline-${cache}`, `full plan of 1,000 vs baseline (${cache} cache)`, 1000, (s) => s.ratios[`planAll${Cache}`], 3, 'x'),
        check(`plan-one-10000-seconds-${cache}`, `plan touching 1 of 10,000 (${cache} cache)`, 10000, seconds('plan-one'), 2, 's'),
        check(`plan-all-10000-seconds-${cache}`, `full plan of 10,000 (${cache} cache)`, 10000, seconds('plan-all'), 30, 's'),
        check(
          `plan-all-10000-peak-${cache}`,
          `full plan of 10,000 peak memory (${cache} cache)`,
          10000,
          (s) => s.commands[`plan-all-${cache}`]?.peakMiB ?? null,
          MIB_PER_GIB,
          'MiB',
        ),
      ];
    })
    .concat(fasterSynthTargets(at, check));
}

/**
 * Issue 16 item 6 raised the bar, for a cold stack cache (a fresh CI runner), measured in the same
 * run as the baseline: 1,000 in 2 s and 10x the baseline, 10,000 in 12 s within 1 GiB, and one
 * changed database in 10,000 in 1 s.
 */
function fasterSynthTargets(at, check) {
  const seconds = (id) => (s) => s.commands[id]?.medianSeconds ?? null;
  return [
    check('issue16-plan-all-1000-seconds-cold', 'issue 16: full plan of 1,000 databases (cold cache)', 1000, seconds('plan-all-cold'), 2, 's'),
    check('issue16-plan-all-1000-vs-baseline-cold', 'issue 16: full plan of 1,000 vs baseline (cold cache)', 1000, (s) => s.ratios.planAllCold, 10, 'x'),
    check('issue16-plan-all-10000-seconds-cold', 'issue 16: full plan of 10,000 (cold cache)', 10000, seconds('plan-all-cold'), 12, 's'),
    check(
      'issue16-plan-all-10000-peak-cold',
      'issue 16: full plan of 10,000 peak memory (cold cache)',
      10000,
      (s) => s.commands['plan-all-cold']?.peakMiB ?? null,
      MIB_PER_GIB,
      'MiB',
    ),
    check('issue16-plan-one-10000-seconds-cold', 'issue 16: plan touching 1 of 10,000 (cold cache)', 10000, seconds('plan-one-cold'), 1, 's'),
  ];
}

/** The shards cells (bench/shards.mjs): plan merge of 8 shards of a 10,000-database change, and 8 terraform shards of 96 AWS stacks. */
async function shardsBench(opts, work) {
  if (!opts.shards) return { skipped: opts.shardsSkipReason };
  log(`\nshards: plan merge of 8 shards of ${opts.shardsN} databases; then 8 terraform shards of ${opts.shardsAws} AWS stacks, one after another`);
  const common = { cli: CLI, work, env: childEnv(), timeoutMs: opts.timeoutSeconds * 1000, log };
  const cell = async (f) => {
    try {
      return await f();
    } catch (error) {
      return { ok: false, error: String(error.message ?? error) };
    }
  };
  const merge = await cell(() => mergeCell({ ...common, n: opts.shardsN, shards: 8, runs: opts.runs }));
  const balance = await cell(() => balanceCell({ ...common, count: opts.shardsAws, shards: 8 }));
  return { merge, balance };
}

function shardsFailed(shards) {
  if (shards.skipped) return [];
  return Object.entries(shards)
    .filter(([, c]) => !c.skipped && !c.ok)
    .map(([id]) => `shards ${id}`);
}

function shardsLines(shards) {
  if (shards.skipped) return [`shards: skipped (${shards.skipped})`];
  const { merge, balance } = shards;
  const lines = [];
  if (merge.error) lines.push(`shards, plan merge: FAILED (${merge.error})`);
  else
    lines.push(
      `shards, plan merge of ${merge.shards} shards of ${merge.databases} databases (${merge.shardInMiB} MiB in, ${merge.mergedMiB} MiB out): ${fmtSeconds(merge.medianSeconds)} s median (${fmtSeconds(merge.medianCpuSeconds)} s CPU), ${fmtMiB(merge.peakMiB)} MiB peak; with markdown + SARIF as the workflow runs it ${fmtSeconds(merge.workflowMergeSeconds)} s (${fmtSeconds(merge.workflowMergeCpuSeconds)} s CPU); merged JSON byte-identical to the unsharded plan: ${merge.mergedEqualsUnsharded}`,
    );
  if (balance.skipped) lines.push(`shards, terraform balance: skipped (${balance.skipped})`);
  else if (balance.error) lines.push(`shards, terraform balance: FAILED (${balance.error})`);
  else
    lines.push(
      `shards, terraform balance over ${balance.stacks} AWS stacks: ${balance.each.map((x) => `${x.stacks}/${fmtSeconds(x.seconds)}s`).join(' ')}; mean ${fmtSeconds(balance.meanSeconds)} s, slowest +${(balance.slowestOverMean * 100).toFixed(1)} %`,
    );
  return lines;
}

function table(result) {
  const ids = [...new Set(result.sizes.flatMap((s) => Object.keys(s.commands)))];
  const labels = Object.fromEntries(result.sizes.flatMap((s) => Object.entries(s.commands).map(([id, c]) => [id, c.label])));
  const header = ['command', ...result.sizes.map((s) => `N=${s.n}: median s, peak MiB`)];
  const cell = (c) => {
    if (!c) return '-';
    if (c.skipped) return 'skipped';
    if (!c.ok) return `FAILED${c.medianSeconds ? ` (${fmtSeconds(c.medianSeconds)} s)` : ''}`;
    const runs = c.runs.length < result.options.runs ? ` [${c.runs.length} run${c.runs.length === 1 ? '' : 's'}]` : '';
    return `${fmtSeconds(c.medianSeconds)} s${runs}  ${fmtMiB(c.peakMiB).padStart(5)} MiB`;
  };
  const rows = ids.map((id) => [labels[id], ...result.sizes.map((s) => cell(s.commands[id]))]);
  const ratio = (key, label) => [label, ...result.sizes.map((s) => (s.ratios[key] ? `${s.ratios[key].toFixed(2)}x` : '-'))];
  if (labels.baseline) {
    rows.push(
      ratio('synthCold', 'baseline / synth (cold cache)'),
      ratio('synthWarm', 'baseline / synth (warm cache)'),
      ratio('planAllCold', 'baseline / plan --all (cold cache)'),
      ratio('planAllWarm', 'baseline / plan --all (warm cache)'),
    );
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * Copies what runs (bin, dist, the shipped policies, schemas and templates, package.json, oclif's
 * manifest, the baseline) into the work folder, with node_modules linked, so a rebuild of this checkout in the
 * middle of a long run cannot mix two versions of the code into one table.
 */
function snapshotDbaas(work) {
  const dir = path.join(work, 'dbaas');
  const distBefore = newestMtime(path.join(ROOT, 'dist'));
  rmSync(dir, { recursive: true, force: true });
  // Without oclif.manifest.json (shipped in the package) oclif imports every command to learn its flags.
  for (const entry of ['package.json', 'oclif.manifest.json', 'bin', 'dist', 'policies', 'schemas', 'templates']) {
    if (existsSync(path.join(ROOT, entry))) cpSync(path.join(ROOT, entry), path.join(dir, entry), { recursive: true });
  }
  mkdirSync(path.join(dir, 'bench'), { recursive: true });
  cpSync(path.join(ROOT, 'bench', 'baseline.mjs'), path.join(dir, 'bench', 'baseline.mjs'));
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  if (newestMtime(path.join(ROOT, 'dist')) !== distBefore) throw new Error('dist/ changed while it was being copied (a build is running?); try again');
  return dir;
}

function newestMtime(dir) {
  let latest = 0;
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const full = path.join(d, name);
      const st = statSync(full);
      if (st.isDirectory()) walk(full);
      else latest = Math.max(latest, st.mtimeMs);
    }
  };
  if (existsSync(dir)) walk(dir);
  return latest;
}

/**
 * Builds commit `ref` of this checkout into the work folder (git archive, then that commit's own
 * `npm run build` with node_modules linked: its validators, bundle and manifest too), without touching
 * the checkout or its git state: measures exactly that commit.
 */
async function buildRef(work, ref) {
  const dir = path.join(work, 'dbaas');
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const commit = (await execa('git', ['rev-parse', '--verify', `${ref}^{commit}`], { cwd: ROOT })).stdout.trim();
  const tar = path.join(work, 'dbaas.tar');
  await execa('git', ['archive', '--format=tar', '--output', tar, commit], { cwd: ROOT });
  await execa('tar', ['-xf', tar, '-C', dir]);
  rmSync(tar);
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  await execa('npm', ['run', 'build'], { cwd: dir });
  // The baseline is part of the harness, not of the measured commit.
  mkdirSync(path.join(dir, 'bench'), { recursive: true });
  cpSync(path.join(ROOT, 'bench', 'baseline.mjs'), path.join(dir, 'bench', 'baseline.mjs'));
  return { dir, commit };
}

/** Which code was measured: the commit, whether src/ differs from it, and when dist/ was last built. */
async function codeState() {
  const git = async (args) => {
    try {
      return (await execa('git', args, { cwd: ROOT })).stdout.trim();
    } catch {
      return null;
    }
  };
  const status = await git(['status', '--porcelain', '--', 'src']);
  const srcMtime = newestMtime(path.join(ROOT, 'src'));
  const distMtime = newestMtime(path.join(ROOT, 'dist'));
  return {
    commit: await git(['rev-parse', 'HEAD']),
    srcDirty: status === null ? null : status.length > 0,
    distBuiltAt: distMtime ? new Date(distMtime).toISOString() : null,
    distOlderThanSrc: distMtime < srcMtime,
  };
}

async function main() {
  const opts = options();
  if (!existsSync(path.join(ROOT, 'dist', 'pipeline.js')) || !existsSync(path.join(ROOT, 'dist', 'commands', 'synth.js'))) {
    log('bench: dist/ is missing or has no synth command; run `npm run build` first');
    process.exitCode = 2;
    return;
  }
  const work = opts.workDir ?? mkdtempSync(path.join(os.tmpdir(), 'dbaas-bench-'));
  mkdirSync(work, { recursive: true });
  const startedAt = new Date();
  const codeBefore = await codeState();
  const loadAtStart = os.loadavg().map((x) => Number(x.toFixed(2)));
  if (codeBefore.distOlderThanSrc && !opts.ref) log('bench: warning: dist/ is older than src/; the numbers are for the last build (run `npm run build`)');
  try {
    if (opts.ref) {
      log(`building ${opts.ref} in ${path.join(work, 'dbaas')} ...`);
      const built = await buildRef(work, opts.ref);
      DBAAS = built.dir;
      codeBefore.ref = opts.ref;
      codeBefore.commit = built.commit;
      codeBefore.srcDirty = false;
      codeBefore.distOlderThanSrc = false;
      codeBefore.distBuiltAt = null;
      CLI = path.join(DBAAS, 'bin', 'run.js');
      BASELINE = path.join(DBAAS, 'bench', 'baseline.mjs');
    } else if (opts.snapshot) {
      DBAAS = snapshotDbaas(work);
      CLI = path.join(DBAAS, 'bin', 'run.js');
      BASELINE = path.join(DBAAS, 'bench', 'baseline.mjs');
    }
    log(
      opts.ref
        ? `measuring ${opts.ref} = ${codeBefore.commit.slice(0, 8)}, built from git in ${DBAAS}`
        : `measuring ${codeBefore.commit?.slice(0, 8) ?? 'an unknown commit'}${codeBefore.srcDirty ? ' with uncommitted changes in src/' : ''}, dist/ built ${codeBefore.distBuiltAt}${opts.snapshot ? ` (snapshot in ${DBAAS})` : ''}`,
    );
    log(
      `dbaas bench${opts.quick ? ' --quick' : ''}: sizes ${opts.sizes.join(', ')}, up to ${opts.runs} run(s) each (budget ${opts.budgetSeconds} s per command), DBAAS_NOW=${NOW}, load average ${loadAtStart.join(' ')} on ${os.cpus().length} CPUs, work folder ${work}`,
    );
    if (opts.warmup && !opts.terraformOnly) {
      // One untimed pass loads node_modules into the page cache, so the first timed run is not a cold read.
      const warmRepo = path.join(work, 'warmup');
      await generateRepo(warmRepo, 20, { git: false });
      await measureNode({ args: [CLI, 'plan', '--all', '--dir', warmRepo], cwd: warmRepo, env: childEnv() });
      if (opts.baseline) await measureNode({ args: [BASELINE, '--dir', warmRepo, '--out', path.join(work, 'warmup-out')], cwd: warmRepo, env: childEnv() });
      rmSync(warmRepo, { recursive: true, force: true });
      rmSync(path.join(work, 'warmup-out'), { recursive: true, force: true });
    }
    const sizes = [];
    for (const n of opts.terraformOnly ? [] : opts.sizes) sizes.push(await benchSize(n, opts, work));
    const terraform = opts.terraformSkip ? { skipped: '--shards-only' } : await terraformFanOut(opts, work);
    const shards = await shardsBench(opts, work);
    const packageJson = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const codeAfter = await codeState();
    // A rebuild in the middle of a run mixes two versions of the code: say so rather than average them.
    const distChangedDuringRun = !opts.ref && codeAfter.distBuiltAt !== codeBefore.distBuiltAt;
    const result = {
      schemaVersion: 1,
      startedAt: startedAt.toISOString(),
      finishedAt: new Date().toISOString(),
      quick: opts.quick,
      toolVersion: packageJson.version,
      code: { ...codeBefore, snapshot: opts.ref ? 'built from git' : opts.snapshot ? 'copy of dist/' : 'live dist/', distChangedDuringRun },
      machine: {
        loadAverageAtStart: loadAtStart,
        cpus: os.cpus().length,
        cpuModel: os.cpus()[0]?.model ?? 'unknown',
        totalMemoryMiB: Math.round(os.totalmem() / 1024 / 1024),
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
      },
      options: { sizes: opts.sizes, runs: opts.runs, budgetSeconds: opts.budgetSeconds, baseline: opts.baseline, warmup: opts.warmup, now: NOW },
      sizes,
      terraform,
      shards,
      targets: [...targets(sizes), ...shardTargets(shards)],
    };
    const failed = [
      ...sizes.flatMap((s) =>
        Object.entries(s.commands)
          .filter(([, c]) => !c.skipped && !c.ok)
          .map(([id]) => `${id} at N=${s.n}`),
      ),
      ...(terraform.results ?? []).filter((r) => !r.ok).map((r) => `terraform fan-out at parallelism ${r.parallelism}`),
      ...shardsFailed(shards),
    ];
    result.ok = failed.length === 0;
    result.failed = failed;

    mkdirSync(opts.resultsDir, { recursive: true });
    const stamp = startedAt.toISOString().replace(/[:.]/g, '-');
    const file = path.join(opts.resultsDir, `${stamp}${opts.quick ? '-quick' : ''}.json`);
    const text = `${JSON.stringify(result, null, 2)}\n`;
    writeFileSync(file, text);
    writeFileSync(path.join(opts.resultsDir, 'latest.json'), text);

    const out = sizes.length ? ['', table(result), ''] : [''];
    if (terraform.skipped) out.push(`terraform fan-out: skipped (${terraform.skipped})`);
    else {
      for (const r of terraform.results)
        out.push(
          `terraform fan-out, parallelism ${r.parallelism}: ${r.ok ? `${r.stacksPerMinute.toFixed(1)} stacks/min (${fmtSeconds(r.medianSeconds)} s for ${r.runs[0].stacks} AWS stacks)` : 'FAILED'}`,
        );
      out.push(`best parallelism here (${terraform.cpus} CPUs): ${terraform.bestParallelism ?? 'none'}`);
    }
    out.push(...shardsLines(shards));
    if (sizes.length || !shards.skipped) out.push('', 'targets:');
    for (const t of result.targets.filter((x) => sizes.length || x.id.startsWith('plan-merge') || x.id.startsWith('shard-')))
      out.push(
        `  ${t.met === null ? 'not measured' : t.met ? 'met    ' : 'MISSED '}  ${t.what}: ${t.value == null ? '-' : t.unit === 'x' ? `${t.value.toFixed(2)}x` : `${t.unit === 's' ? fmtSeconds(t.value) : fmtMiB(t.value)} ${t.unit}`} (target ${t.unit === 'x' ? `>= ${t.limit}x` : `<= ${t.limit} ${t.unit}`})`,
      );
    if (distChangedDuringRun && !opts.ref) {
      out.push(
        '',
        opts.snapshot
          ? `note: dist/ was rebuilt during the run (${codeBefore.distBuiltAt} → ${codeAfter.distBuiltAt}); every number here is for the snapshot taken at the start`
          : `WARNING: dist/ was rebuilt during the run (${codeBefore.distBuiltAt} → ${codeAfter.distBuiltAt}): the numbers mix two builds`,
      );
    }
    out.push('', `results: ${path.relative(process.cwd(), file) || file}${failed.length ? `\nFAILED: ${failed.join('; ')}` : ''}`);
    process.stdout.write(`${out.join('\n')}\n`);
    process.exitCode = failed.length ? 1 : 0;
  } finally {
    if (!opts.keep) rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  log(error instanceof UsageError ? `bench: ${error.message}\n${USAGE}` : `bench: ${error.stack ?? error}`);
  process.exitCode = 2;
});
