// Preloaded into every measured process (NODE_OPTIONS=--require): at exit it writes the exact peak
// resident set size (getrusage ru_maxrss, the kernel's own high-water mark) and the CPU time of the
// whole process to the file named by DBAAS_BENCH_STATS. Main thread only, and the variable is
// removed at start so node processes started by the measured one never overwrite the file.
'use strict';
const { isMainThread } = require('node:worker_threads');

const file = process.env.DBAAS_BENCH_STATS;
if (file && isMainThread) {
  delete process.env.DBAAS_BENCH_STATS;
  process.on('exit', () => {
    const usage = process.resourceUsage();
    require('node:fs').writeFileSync(file, JSON.stringify({ maxRssKiB: usage.maxRSS, userMicros: usage.userCPUTime, systemMicros: usage.systemCPUTime }));
  });
}
