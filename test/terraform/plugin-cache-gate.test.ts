import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { providerSetKey, withWarmPluginCache } from '../../src/terraform/plugin-cache-gate.js';

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

/** Runs `count` gated calls at once and records how many ran at the same time, in order. */
async function race(key: string, count: number, fail: (call: number) => boolean) {
  let running = 0;
  let calls = 0;
  const overlap: number[] = [];
  const results = await Promise.allSettled(
    Array.from({ length: count }, () =>
      withWarmPluginCache(key, async () => {
        const call = calls++;
        running++;
        overlap.push(running);
        await tick();
        running--;
        if (fail(call)) throw new Error(`init ${call} failed`);
        return call;
      }),
    ),
  );
  return { overlap, results, calls };
}

describe('the plugin cache gate', () => {
  it('runs the first init for a cache alone, then the rest together', async () => {
    const { overlap, results } = await race('gate-a', 4, () => false);
    expect(overlap[0]).toBe(1);
    expect(Math.max(...overlap.slice(1))).toBe(3);
    expect(results.every((r) => r.status === 'fulfilled')).toBe(true);
  });

  it('lets the next init lead when the first fails, and only the failed one reports it', async () => {
    const { overlap, results, calls } = await race('gate-b', 3, (call) => call === 0);
    expect(calls).toBe(3);
    expect(overlap.slice(0, 2)).toEqual([1, 1]);
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1);
  });

  it('does not hold inits for a warm cache', async () => {
    await withWarmPluginCache('gate-c', async () => undefined);
    const { overlap } = await race('gate-c', 3, () => false);
    expect(overlap).toEqual([1, 2, 3]);
  });

  it('keys a stack folder by the providers its JSON configuration requires', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'dbaas-gate-'));
    expect(providerSetKey(dir)).toBe('');
    const required = { google: { source: 'hashicorp/google', version: '6.50.0' }, aws: { source: 'aws', version: '5.100.0' } };
    await writeFile(path.join(dir, 'cdk.tf.json'), JSON.stringify({ terraform: { required_providers: required } }));
    await writeFile(path.join(dir, 'notes.json'), '{');
    expect(providerSetKey(dir)).toBe('aws@5.100.0,hashicorp/google@6.50.0');
    expect(providerSetKey(path.join(dir, 'missing'))).toBe('');
  });
});
