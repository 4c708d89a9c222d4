// Many stacks at once: from the content-addressed cache when an identical stack was made before,
// else synthesized, across worker threads when there are enough to pay for their start-up.
import { BUILD_ID } from '../version.js';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import type { ResolvedDatabase } from '../model/resolved.js';
import { cachedStackCount, StackCache } from './cache.js';
import { SynthError } from './errors.js';
import { prewarmSynthPool, synthPool, type WireOutcome } from './pool.js';
import { CDKTF_VERSION, loadBuilder, synthStack } from './index.js';
import { compactJson } from './json.js';
import type { SynthContext, SynthesizedStack } from './types.js';

export type SynthOutcome = SynthesizedStack | SynthError;

export interface BatchOptions {
  /** Folder of the stack cache. Default: none (no cache). */
  readonly cacheDir?: string;
  /**
   * Receives each outcome as soon as it is made, in any order; the batch then keeps none of them
   * (large repos would otherwise hold every stack's JSON at once). Default: outcomes are returned.
   */
  readonly onResult?: (index: number, outcome: SynthOutcome) => void;
}

/**
 * From this many stacks to build, workers pay for their start-up (loading cdktf and the providers):
 * the main thread alone against it with one worker is measured in bench/README.md, "Measured choices".
 */
export const MIN_FOR_WORKERS = 1000;

/** From this many databases, a run bounds its heap's growth (see prepareForStacks). */
export const LARGE_REPO = 2000;

/**
 * Readies the process for a command about to build `count` stacks. From MIN_FOR_WORKERS stacks the
 * cache (if given) cannot serve, it starts the worker pool (see pool.ts); with a warm cache workers
 * would only compete with the main thread for the cores. From LARGE_REPO databases it caps how far V8
 * lets the heap grow between full collections: left alone, a large plan lets garbage pile up to several
 * times the live heap; capped, the peak drops for a little more time. Below that the cap only costs
 * time. The numbers: bench/README.md, "Measured choices".
 */
export function prepareForStacks(count: number, cacheDir?: string): void {
  if (count >= LARGE_REPO) setFlagsFromString('--heap-growing-percent=30');
  if (count < MIN_FOR_WORKERS) return;
  if (cacheDir && count - cachedStackCount(cacheDir) < MIN_FOR_WORKERS) return;
  prewarmSynthPool();
}

/** Everything a stack is made from: equal keys mean byte-identical stacks. */
export function stackCacheKey(db: ResolvedDatabase, ctx: SynthContext): string {
  return createHash('sha256')
    .update(compactJson({ db, state: ctx.config.state, tool: ctx.toolVersion, build: BUILD_ID, cdktf: CDKTF_VERSION, offline: ctx.offlineCheck ?? false }))
    .digest('hex');
}

export function toWire(outcome: SynthOutcome): WireOutcome {
  if (outcome instanceof SynthError) {
    return { ok: false, error: { code: outcome.code, path: [...outcome.path], message: outcome.message, value: outcome.value, expected: outcome.expected } };
  }
  return { ok: true, stack: outcome };
}

function fromWire(wire: WireOutcome): SynthOutcome {
  return wire.ok ? wire.stack : new SynthError(wire.error.code, wire.error.path, wire.error.message, wire.error.value, wire.error.expected);
}

export async function synthOne(db: ResolvedDatabase, ctx: SynthContext): Promise<SynthOutcome> {
  await loadBuilder(db.cloud);
  try {
    return synthStack(db, ctx);
  } catch (error) {
    if (error instanceof SynthError) return error;
    throw error;
  }
}

/** The stack (or the SynthError) of every database, in order (empty when onResult takes them). */
export async function synthBatch(dbs: readonly ResolvedDatabase[], ctx: SynthContext, options: BatchOptions = {}): Promise<SynthOutcome[]> {
  const keep: SynthOutcome[] = [];
  const deliver = (index: number, outcome: SynthOutcome) => {
    if (options.onResult) options.onResult(index, outcome);
    else keep[index] = outcome;
  };
  const cache = options.cacheDir ? new StackCache(options.cacheDir) : undefined;
  try {
    const missing: number[] = [];
    const keys = dbs.map((db, i) => {
      const key = stackCacheKey(db, ctx);
      const cached = cache?.get(key);
      if (cached) deliver(i, { name: db.name, cloud: db.cloud, ...cached });
      else missing.push(i);
      return key;
    });
    const made = (j: number, outcome: SynthOutcome) => {
      const i = missing[j]!;
      if (!(outcome instanceof SynthError)) cache?.put(keys[i]!, outcome);
      deliver(i, outcome);
    };
    const todo = missing.map((i) => dbs[i]!);
    prepareForStacks(todo.length);
    const pool = synthPool();
    if (pool)
      await pool.run(
        todo,
        ctx,
        async (db) => toWire(await synthOne(db, ctx)),
        (start, outcomes) => outcomes.forEach((o, k) => made(start + k, fromWire(o))),
      );
    else for (let j = 0; j < todo.length; j++) made(j, await synthOne(todo[j]!, ctx));
  } finally {
    cache?.close();
  }
  return keep;
}

/** Where a repo keeps its stack cache (git-ignored); DBAAS_CACHE=off turns it off. Default: <root>/.dbaas/cache/stacks. */
export function defaultCacheDir(root: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.DBAAS_CACHE === 'off') return undefined;
  return env.DBAAS_CACHE_DIR || join(root, '.dbaas', 'cache', 'stacks');
}
