// Times one whole process and its peak memory. The process is spawned directly (no shell, argument
// array) so its pid is the measured program. Peak memory comes from two independent sources:
//   - exit: the process itself reports getrusage ru_maxrss at exit (bench/stats-preload.cjs, loaded
//     with NODE_OPTIONS=--require), exact, plus its CPU time;
//   - poll: /proc/<pid>/status VmHWM (the kernel's peak RSS so far) read every `pollMs`; the last
//     sample before exit is the peak up to then. Used when the exit report is missing (a crash).
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const PRELOAD = fileURLToPath(new URL('./stats-preload.cjs', import.meta.url));
const KIB_PER_MIB = 1024;

/** Keeps the first and the last `limit` characters of a stream (or everything, with limit Infinity). */
class Capture {
  constructor(limit) {
    this.limit = limit;
    this.head = '';
    this.tail = '';
    this.bytes = 0;
  }
  push(chunk) {
    const text = chunk.toString('utf8');
    this.bytes += chunk.length;
    if (this.head.length < this.limit) this.head += text.slice(0, this.limit - this.head.length);
    this.tail = (this.tail + text).slice(-this.limit);
  }
  all() {
    return this.bytes <= this.limit ? this.head : `${this.head}\n…\n${this.tail}`;
  }
}

function readVmHwmKiB(pid) {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined; // exited (or no /proc on this platform)
  }
}

/**
 * Runs `node <args>` and measures it.
 * @param {object} options
 * @param {string[]} options.args arguments after the node binary
 * @param {string} options.cwd
 * @param {NodeJS.ProcessEnv} [options.env] default: process.env
 * @param {number} [options.timeoutMs] kill after this long. Default: 30 minutes
 * @param {number} [options.pollMs] VmHWM polling interval. Default: 20
 * @param {number} [options.capture] characters kept from the start and the end of stdout/stderr. Default: 8192
 * @param {string[]} [options.nodeArgs] node options before the script (e.g. --cpu-prof). Default: none
 */
export function measureNode({ args, cwd, env = process.env, timeoutMs = 30 * 60_000, pollMs = 20, capture = 8192, nodeArgs = [] }) {
  const statsDir = mkdtempSync(path.join(tmpdir(), 'dbaas-bench-stats-'));
  const statsFile = path.join(statsDir, 'stats.json');
  const nodeOptions = [env.NODE_OPTIONS, `--require ${JSON.stringify(PRELOAD)}`].filter(Boolean).join(' ');
  const stdout = new Capture(capture);
  const stderr = new Capture(capture);
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, [...nodeArgs, ...args], {
      cwd,
      env: { ...env, NODE_OPTIONS: nodeOptions, DBAAS_BENCH_STATS: statsFile },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let pollPeakKiB = 0;
    let exitedAt;
    let timedOut = false;
    const sample = () => {
      const kib = readVmHwmKiB(child.pid);
      if (kib !== undefined && kib > pollPeakKiB) pollPeakKiB = kib;
    };
    const poller = setInterval(sample, pollMs);
    const killer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, timeoutMs);
    child.stdout.on('data', (c) => stdout.push(c));
    child.stderr.on('data', (c) => stderr.push(c));
    child.on('error', (error) => {
      clearInterval(poller);
      clearTimeout(killer);
      rmSync(statsDir, { recursive: true, force: true });
      reject(error);
    });
    child.on('exit', () => {
      exitedAt = performance.now();
      clearInterval(poller);
      clearTimeout(killer);
    });
    child.on('close', (code, signal) => {
      const seconds = ((exitedAt ?? performance.now()) - started) / 1000;
      let stats;
      try {
        stats = JSON.parse(readFileSync(statsFile, 'utf8'));
      } catch {
        stats = undefined; // killed, or crashed before its exit handler
      }
      rmSync(statsDir, { recursive: true, force: true });
      const exitPeakKiB = stats?.maxRssKiB;
      const peakKiB = Math.max(exitPeakKiB ?? 0, pollPeakKiB);
      resolve({
        seconds,
        exitCode: code,
        signal,
        timedOut,
        peakMiB: peakKiB ? peakKiB / KIB_PER_MIB : null,
        peakSource: exitPeakKiB ? 'exit' : pollPeakKiB ? 'poll' : null,
        pollPeakMiB: pollPeakKiB ? pollPeakKiB / KIB_PER_MIB : null,
        cpuSeconds: stats ? (stats.userMicros + stats.systemMicros) / 1e6 : null,
        stdoutHead: stdout.head,
        stdoutAll: stdout.all(),
        stdoutBytes: stdout.bytes,
        stderrAll: stderr.all(),
      });
    });
  });
}

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  if (!sorted.length) return null;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
