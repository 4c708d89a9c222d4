import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DbaasError } from '../../src/errors.js';
import { MAX_SHARDS, parseShard, partition, RESOURCE_COST, STACK_COST, stackCost, suggestShards } from '../../src/plan/shard.js';

const items = fc.uniqueArray(fc.record({ name: fc.stringMatching(/^[a-z][a-z0-9-]{0,12}$/), cost: fc.nat(400) }), { selector: (i) => i.name, maxLength: 60 });

describe('partition (plan --shard)', () => {
  it('puts every stack in exactly one shard, 1..N', () => {
    fc.assert(
      fc.property(items, fc.integer({ min: 1, max: 12 }), (xs, n) => {
        const out = partition(xs, n);
        expect([...out.keys()].sort()).toEqual(xs.map((x) => x.name).sort());
        for (const k of out.values()) expect(k >= 1 && k <= n).toBe(true);
      }),
    );
  });

  it('is a function of the stacks, not of their order (every runner computes the same split)', () => {
    fc.assert(
      fc.property(items, fc.integer({ min: 1, max: 12 }), fc.integer(), (xs, n, seed) => {
        const shuffled = [...xs].sort((a, b) => ((a.name.charCodeAt(0) * seed) % 7) - ((b.name.charCodeAt(0) * seed) % 7) || (a.name < b.name ? 1 : -1));
        expect(Object.fromEntries(partition(shuffled, n))).toEqual(Object.fromEntries(partition(xs, n)));
      }),
    );
  });

  it('is balanced: no shard exceeds the mean by more than the costliest stack (greedy longest-first bound)', () => {
    fc.assert(
      fc.property(items, fc.integer({ min: 1, max: 12 }), (xs, n) => {
        const out = partition(xs, n);
        const load = new Array(n).fill(0);
        for (const x of xs) load[out.get(x.name)! - 1] += x.cost;
        const total = xs.reduce((s, x) => s + x.cost, 0);
        const max = Math.max(0, ...xs.map((x) => x.cost));
        expect(Math.max(...load)).toBeLessThanOrEqual(total / n + max);
      }),
    );
  });

  it('splits 96 equal stacks 12 per shard over 8 shards, and spreads zero-cost stacks by count', () => {
    const out = partition(
      Array.from({ length: 96 }, (_, i) => ({ name: `db-${i}`, cost: 40 })),
      8,
    );
    const sizes = new Array(8).fill(0);
    for (const k of out.values()) sizes[k - 1]++;
    expect(sizes).toEqual(new Array(8).fill(12));
    const zero = partition(
      Array.from({ length: 6 }, (_, i) => ({ name: `gone-${i}`, cost: 0 })),
      3,
    );
    expect([...zero.values()].sort()).toEqual([1, 1, 2, 2, 3, 3]);
  });
});

describe('stack cost and suggested shards', () => {
  it('costs a planned stack its fixed start-up plus its resources, a delete or no-op nothing', () => {
    expect(stackCost({ action: 'create' }, 20)).toBe(STACK_COST + 20 * RESOURCE_COST);
    expect(stackCost({ action: 'update' }, 0)).toBe(STACK_COST);
    expect(stackCost({ action: 'delete' }, 30)).toBe(0);
    expect(stackCost({ action: 'no-op' }, 30)).toBe(0);
  });

  it('suggests enough shards for the target, at least 1, at most 256 and at most one per planned stack', () => {
    // 120 stacks of 5 s = 600 s = 10 min: one shard at 10 min each, two at 5.
    const stacks = Array.from({ length: 120 }, () => ({ cost: 50 }));
    expect(suggestShards(stacks, 10)).toBe(1);
    expect(suggestShards(stacks, 5)).toBe(2);
    expect(suggestShards([...stacks, { cost: 1 }], 10)).toBe(2);
    expect(suggestShards([], 10)).toBe(1);
    expect(suggestShards([{ cost: 0 }, { cost: 0 }], 1)).toBe(1);
    expect(suggestShards([{ cost: 100_000 }], 1)).toBe(1);
    expect(
      suggestShards(
        Array.from({ length: 10_000 }, () => ({ cost: 600 })),
        1,
      ),
    ).toBe(MAX_SHARDS);
  });

  it('parses K/N and refuses anything else with exit 2', () => {
    expect(parseShard('2/8')).toEqual({ index: 2, count: 8 });
    expect(parseShard('256/256')).toEqual({ index: 256, count: 256 });
    for (const bad of ['0/3', '4/3', '1/257', '1/0', 'a/b', '1', '1/2/3', '-1/2', '1.5/2']) {
      expect(() => parseShard(bad), bad).toThrow(DbaasError);
      try {
        parseShard(bad);
      } catch (e) {
        expect((e as DbaasError).exitCode).toBe(2);
        expect((e as DbaasError).problems[0]!.field).toBe('--shard');
      }
    }
  });
});
