// Synth worker threads, one pool per process. A worker takes a while to load cdktf and the
// providers (bench/README.md), so commands that will build many stacks start the pool first thing (prewarmSynthPool)
// and the workers load while the main thread parses and guards. The workers build; the main thread
// hands out batches and takes in results, and builds itself only when no worker is left. A loading
// worker competes with the main thread for the cores, which is why only large batches start a pool
// (MIN_FOR_WORKERS).
import { availableParallelism } from 'node:os';
import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { Worker } from 'node:worker_threads';
import type { ResolvedDatabase } from '../model/resolved.js';
import type { SynthContext, SynthesizedStack } from './types.js';

/** A worker's answer for one stack (a SynthError travels as its fields). */
export type WireOutcome =
  | { ok: true; stack: SynthesizedStack }
  | { ok: false; error: { code: string; path: (string | number)[]; message: string; value?: unknown; expected?: string } };

/** Messages from a worker: `ready` once its builders are loaded, then one `done` per batch. */
export type WorkerMessage = { type: 'ready' } | { type: 'done'; job: number; start: number; outcomes: WireOutcome[] };
/** Messages to a worker: one batch of databases of one job. */
export interface BatchMessage {
  readonly job: number;
  readonly start: number;
  readonly ctx: SynthContext;
  readonly dbs: readonly ResolvedDatabase[];
}

/** Databases per message: big enough to amortize messaging, small enough to balance the threads. */
const BATCH = 16;
/** Batches a worker holds at once, so it never waits for the main thread between two. */
const IN_FLIGHT = 2;
// Workers run the compiled module; under a TypeScript test runner everything stays in-process.
const WORKER_URL = new URL('./worker.js', import.meta.url);
export const CAN_USE_WORKERS = import.meta.url.endsWith('.js');

/** Worker threads to start: DBAAS_SYNTH_WORKERS, else one per core (at most 4; none on one core), the main thread coordinating. */
export function defaultWorkerCount(env: NodeJS.ProcessEnv = process.env): number {
  if (env.DBAAS_SYNTH_WORKERS !== undefined && env.DBAAS_SYNTH_WORKERS !== '') {
    const n = Number(env.DBAAS_SYNTH_WORKERS);
    if (Number.isInteger(n) && n >= 0) return Math.min(n, 16);
  }
  const cores = availableParallelism();
  return cores > 1 ? Math.min(4, cores) : 0;
}

interface PoolWorker {
  readonly worker: Worker;
  ready: boolean;
  /** Stopped (crashed or terminated): never builds again. */
  exited: boolean;
  inFlight: number;
  /** Why it stopped (an uncaught error), once it has. */
  error?: Error;
}

type Deliver = (start: number, outcomes: WireOutcome[]) => void;

class SynthPool {
  private readonly workers: PoolWorker[] = [];
  private readonly jobs = new Map<number, { deliver: Deliver; wake: () => void; fail: (error: Error) => void }>();
  private nextJob = 0;

  constructor(count: number) {
    for (let i = 0; i < count; i++) {
      const entry: PoolWorker = { worker: new Worker(WORKER_URL), ready: false, exited: false, inFlight: 0 };
      entry.worker.on('message', (message: WorkerMessage) => {
        if (message.type === 'ready') entry.ready = true;
        else {
          entry.inFlight--;
          if (entry.inFlight === 0) entry.worker.unref();
          this.jobs.get(message.job)?.deliver(message.start, message.outcomes);
        }
        for (const job of this.jobs.values()) job.wake();
      });
      entry.worker.on('error', (error) => {
        entry.error = error;
      });
      // A worker that stops is dropped; if it was building, the stacks it held fail their job (an
      // internal error, exit 3) rather than wait forever.
      entry.worker.on('exit', (code) => {
        entry.ready = false;
        entry.exited = true;
        // A main thread waiting for workers builds itself once none is left.
        for (const job of this.jobs.values()) job.wake();
        if (entry.inFlight === 0) return;
        const error = entry.error ?? new Error(`a synth worker stopped (exit code ${code}) while building stacks`);
        for (const job of this.jobs.values()) job.fail(error);
      });
      entry.worker.unref(); // after the listeners (adding one refs the worker): an idle pool never keeps the process alive
      this.workers.push(entry);
    }
  }

  /**
   * Builds `dbs` on the workers, batch by batch, handing each batch's outcomes to `deliver` in the
   * order they finish; on the main thread (`here`) only when no worker is left.
   */
  async run(dbs: readonly ResolvedDatabase[], ctx: SynthContext, here: (db: ResolvedDatabase) => Promise<WireOutcome>, deliver: Deliver): Promise<void> {
    const job = this.nextJob++;
    let next = 0;
    let pending = 0;
    let failed: Error | undefined;
    let wake = () => {};
    this.jobs.set(job, {
      deliver: (start, outcomes) => {
        pending--;
        deliver(start, outcomes);
      },
      wake: () => wake(),
      fail: (error) => {
        failed = error;
        wake();
      },
    });
    const dispatch = () => {
      for (const w of this.workers) {
        while (w.ready && w.inFlight < IN_FLIGHT && next < dbs.length) {
          const start = next;
          next = Math.min(dbs.length, next + BATCH);
          if (w.inFlight++ === 0) w.worker.ref();
          pending++;
          w.worker.postMessage({ job, start, ctx, dbs: dbs.slice(start, next) } satisfies BatchMessage);
        }
      }
    };
    try {
      while (next < dbs.length && !failed) {
        dispatch();
        if (next >= dbs.length) break;
        // The main thread waits for its workers, loading or busy, rather than build: its heap holds
        // the whole repo, so synth garbage costs more there, and a main thread that never builds never
        // loads cdktf (bench/README.md).
        const alive = this.workers.filter((w) => !w.exited);
        if (alive.length) {
          // A loading worker is unref'd (an idle pool never keeps the process alive): while this job waits for it, it must.
          for (const w of alive) if (w.inFlight === 0) w.worker.ref();
          await new Promise<void>((resolve) => (wake = resolve));
          for (const w of alive) if (w.inFlight === 0) w.worker.unref();
          continue;
        }
        const start = next;
        next = Math.min(dbs.length, next + BATCH);
        const outcomes: WireOutcome[] = [];
        for (const db of dbs.slice(start, next)) outcomes.push(await here(db));
        deliver(start, outcomes);
        await yieldToEvents(); // take in what the workers finished meanwhile
      }
      while (pending > 0 && !failed) await new Promise<void>((resolve) => (wake = resolve));
      if (failed) throw failed;
    } finally {
      this.jobs.delete(job);
    }
  }
}

let shared: SynthPool | undefined;

/**
 * Starts the process's synth workers if they are not running (count: defaultWorkerCount()). Call it
 * as soon as a command knows it will build many stacks; it returns at once.
 */
export function prewarmSynthPool(count = defaultWorkerCount()): void {
  if (!shared && CAN_USE_WORKERS && count > 0) shared = new SynthPool(count);
}

/** The running pool, if any. */
export function synthPool(): SynthPool | undefined {
  return shared;
}
