// The worker pool runs only from compiled code (worker threads load dist/synth/worker.js), so this
// test drives dist/ (built by `npm test` first), the way the CLI does.
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../helpers/repo.js';
import { context, exampleRepo } from './helpers.js';

const fromDist = async <T>(path: string): Promise<T> => (await import(pathToFileURL(join(REPO_ROOT, 'dist', path)).href)) as T;

type Wire = { ok: true; stack: { name: string; json: string } } | { ok: false };
interface PoolModule {
  prewarmSynthPool(count?: number): void;
  synthPool():
    | { run(dbs: readonly unknown[], ctx: unknown, here: (db: unknown) => Promise<Wire>, deliver: (start: number, outcomes: Wire[]) => void): Promise<void> }
    | undefined;
  defaultWorkerCount(env: NodeJS.ProcessEnv): number;
}
interface BatchModule {
  synthOne(db: unknown, ctx: unknown): Promise<unknown>;
  toWire(outcome: unknown): Wire;
}

describe('synth worker pool (compiled)', () => {
  it('builds on its worker while it lives, the main thread waiting even while the worker loads, and every stack equals the in-process one', async () => {
    const pool = await fromDist<PoolModule>('synth/pool.js');
    const batch = await fromDist<BatchModule>('synth/batch.js');
    const ctx = context();
    const dbs = Array.from({ length: 6 }, () => exampleRepo().entries.map((e) => e.db)).flat();
    pool.prewarmSynthPool(1);
    const running = pool.synthPool();
    expect(running).toBeDefined();

    let builtHere = 0;
    const got: (Wire | undefined)[] = [];
    // The worker is still loading cdktf when the job starts: the main thread waits for it.
    await running!.run(
      dbs,
      ctx,
      async (db) => {
        builtHere++;
        return batch.toWire(await batch.synthOne(db, ctx));
      },
      (start, outcomes) =>
        outcomes.forEach((o, k) => {
          expect(got[start + k], `index ${start + k} delivered twice`).toBeUndefined();
          got[start + k] = o;
        }),
    );
    expect(builtHere, 'the main thread built while its worker lived').toBe(0);
    expect(got).toHaveLength(dbs.length);
    for (const [i, db] of dbs.entries()) {
      const local = batch.toWire(await batch.synthOne(db, ctx));
      expect(got[i]?.ok, db.name).toBe(true);
      expect(got[i], db.name).toEqual(local);
    }
  });

  it('fails the job whose stacks a worker was building when it stops, then carries on without it', async () => {
    const pool = await fromDist<PoolModule>('synth/pool.js');
    const batch = await fromDist<BatchModule>('synth/batch.js');
    const ctx = context();
    const running = pool.synthPool()!; // the worker of the test above, ready
    // A cloud no builder knows crashes the worker (an internal error, not a SynthError).
    const broken = Array.from({ length: 48 }, () => ({ ...exampleRepo().entries[0]!.db, cloud: 'nocloud' }));
    const fake: Wire = { ok: true, stack: { name: 'fake', json: '{}\n' } };
    await expect(
      running.run(
        broken,
        ctx,
        async () => {
          await sleep(100);
          return fake;
        },
        () => {},
      ),
    ).rejects.toThrow(/no stack builder for cloud nocloud/);

    const dbs = exampleRepo().entries.map((e) => e.db);
    let builtHere = 0;
    const got: Wire[] = [];
    await running.run(
      dbs,
      ctx,
      async (db) => {
        builtHere++;
        return batch.toWire(await batch.synthOne(db, ctx));
      },
      (start, outcomes) => outcomes.forEach((o, k) => (got[start + k] = o)),
    );
    expect(builtHere).toBe(dbs.length);
    expect(got.filter((o) => o.ok)).toHaveLength(dbs.length);
  });

  it('takes its size from DBAAS_SYNTH_WORKERS, else one worker per core, at most 4', async () => {
    const pool = await fromDist<PoolModule>('synth/pool.js');
    expect(pool.defaultWorkerCount({ DBAAS_SYNTH_WORKERS: '0' })).toBe(0);
    expect(pool.defaultWorkerCount({ DBAAS_SYNTH_WORKERS: '3' })).toBe(3);
    expect(pool.defaultWorkerCount({})).toBeGreaterThanOrEqual(0);
    expect(pool.defaultWorkerCount({})).toBeLessThanOrEqual(4);
    // Not a count: the default, not a crash.
    expect(pool.defaultWorkerCount({ DBAAS_SYNTH_WORKERS: 'many' })).toBe(pool.defaultWorkerCount({}));
  });
});
