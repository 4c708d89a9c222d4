import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cachedStackCount, MAX_PACKS, StackCache } from '../../src/synth/cache.js';

const packs = (dir: string) =>
  readdirSync(dir)
    .filter((n) => n.endsWith('.pack'))
    .sort();
const stack = (i: number) => ({ json: `{"stack":${i},"text":"${'x'.repeat(i % 7)}"}\n`, notes: i % 2 ? [`note ${i}`] : [], addresses: [`aws_thing.n${i}`] });

function fill(dir: string, keys: readonly number[]): void {
  const cache = new StackCache(dir);
  for (const i of keys) cache.put(`key-${i}`, stack(i));
  cache.close();
}

describe('StackCache', () => {
  it('returns what was put, after close, from one pack per run that built something', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbaas-cache-'));
    fill(dir, [1, 2, 3]);
    expect(packs(dir)).toHaveLength(1);
    const cache = new StackCache(dir);
    expect(cache.get('key-2')).toEqual(stack(2));
    expect(cache.get('key-3')).toEqual(stack(3));
    expect(cache.get('key-4')).toBeUndefined();
    expect(cache.get('constructor')).toBeUndefined();
    cache.close();
    expect(packs(dir)).toHaveLength(1); // nothing new, nothing written
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('does not see entries before close (a run in progress is invisible to others)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbaas-cache-'));
    const writing = new StackCache(dir);
    writing.put('key-1', stack(1));
    expect(new StackCache(dir).get('key-1')).toBeUndefined();
    writing.close();
    expect(new StackCache(dir).get('key-1')).toEqual(stack(1));
  });

  it('reads a damaged entry or pack as a miss, and a rebuilt entry shadows the damaged one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbaas-cache-'));
    fill(dir, [1, 2]);
    const [file] = packs(dir);
    const path = join(dir, file!);
    const bytes = readFileSync(path);
    bytes.write('#', 0); // the first entry (key-1) no longer parses
    writeFileSync(path, bytes);
    expect(new StackCache(dir).get('key-1')).toBeUndefined();
    expect(new StackCache(dir).get('key-2')).toEqual(stack(2));
    fill(dir, [1]);
    expect(new StackCache(dir).get('key-1')).toEqual(stack(1));

    writeFileSync(join(dir, '000000000000000-torn.pack'), bytes.subarray(0, bytes.length - 5));
    writeFileSync(join(dir, '999999999999999-junk.pack'), 'not a pack');
    const cache = new StackCache(dir);
    expect(cache.get('key-2')).toEqual(stack(2));
    cache.close();
  });

  it(`merges packs beyond ${MAX_PACKS}, keeping every entry and leaving a dominant pack alone`, () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbaas-cache-'));
    const big = Array.from({ length: 200 }, (_, i) => i);
    fill(dir, big);
    const [bigPack] = packs(dir);
    const bigStat = statSync(join(dir, bigPack!));
    for (let run = 0; run < MAX_PACKS; run++) fill(dir, [1000 + run]);
    // MAX_PACKS + 1 packs after the last run: the small ones were merged into one, the big one kept.
    expect(packs(dir)).toHaveLength(2);
    expect(packs(dir)).toContain(bigPack);
    expect(statSync(join(dir, bigPack!)).ino).toBe(bigStat.ino);
    const cache = new StackCache(dir);
    for (const i of [...big, ...Array.from({ length: MAX_PACKS }, (_, r) => 1000 + r)]) expect(cache.get(`key-${i}`), `key-${i}`).toEqual(stack(i));
    cache.close();
  });

  it('deletes packs that can never be read when it merges', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbaas-cache-'));
    fill(dir, [1]);
    for (let i = 0; i < MAX_PACKS; i++) writeFileSync(join(dir, `00000000000000${i}-junk.pack`), 'not a pack');
    fill(dir, [2]);
    expect(packs(dir).filter((n) => n.includes('junk'))).toEqual([]);
    expect(packs(dir)).toHaveLength(2);
    const cache = new StackCache(dir);
    expect(cache.get('key-1')).toEqual(stack(1));
    expect(cache.get('key-2')).toEqual(stack(2));
    cache.close();
  });

  it('merges everything when no pack outweighs the others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbaas-cache-'));
    for (let run = 0; run <= MAX_PACKS; run++) fill(dir, [run, run + 100]);
    expect(packs(dir)).toHaveLength(1);
    const cache = new StackCache(dir);
    for (let run = 0; run <= MAX_PACKS; run++) expect(cache.get(`key-${run + 100}`)).toEqual(stack(run + 100));
    cache.close();
  });

  it('costs only speed when the folder cannot be written', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'dbaas-cache-')), 'file');
    writeFileSync(dir, 'a file where the cache folder should be');
    const cache = new StackCache(dir);
    expect(() => cache.put('key-1', stack(1))).not.toThrow();
    expect(() => cache.close()).not.toThrow();
    expect(cache.get('key-1')).toBeUndefined();
  });
});

describe('cachedStackCount', () => {
  it('counts distinct stacks over every pack, and an empty or missing folder as none', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dbaas-cache-'));
    expect(cachedStackCount(join(dir, 'missing'))).toBe(0);
    expect(cachedStackCount(dir)).toBe(0);
    fill(dir, [1, 2, 3]);
    fill(dir, [3, 4]);
    expect(cachedStackCount(dir)).toBe(4);
  });
});
