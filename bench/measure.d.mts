// Types for bench/measure.mjs.
export interface MeasureOptions {
  args: string[];
  cwd: string;
  /** Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Default: 30 minutes. */
  timeoutMs?: number;
  /** Default: 20. */
  pollMs?: number;
  /** Characters kept from each end of stdout and stderr. Default: 8192. */
  capture?: number;
  /** Node options before the script. Default: none. */
  nodeArgs?: string[];
}

export interface Measurement {
  seconds: number;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  peakMiB: number | null;
  peakSource: 'exit' | 'poll' | null;
  pollPeakMiB: number | null;
  cpuSeconds: number | null;
  stdoutHead: string;
  stdoutAll: string;
  stdoutBytes: number;
  stderrAll: string;
}

export declare function measureNode(options: MeasureOptions): Promise<Measurement>;
export declare function median(values: readonly number[]): number | null;
