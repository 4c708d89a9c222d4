import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it, vi } from 'vitest';
import { resolveDir } from '../../src/pipeline.js';
import { MIN_FOR_WORKERS, stackCacheKey, synthBatch } from '../../src/synth/batch.js';
import { StackCache } from '../../src/synth/cache.js';
import { loadBuilder, synthStack, type SynthesizedStack } from '../../src/synth/index.js';
import { runCli } from '../helpers/cli.js';
import { REPO_ROOT, tempRepo } from '../helpers/repo.js';

const repo = (() => {
  const r = resolveDir(REPO_ROOT);
  if (!r.ok) throw new Error('example repo must resolve');
  return r.repo;
})();
const ctx = { config: repo.config, toolVersion: '0.0.0-test' };
const dbs = repo.entries.map((e) => e.db);

describe('synthBatch', () => {
  it('serves a second run from the cache, byte for byte', async () => {
    const cacheDir = mkdtempSync(join(tmpdir(), 'dbaas-cache-'));
    const first = (await synthBatch(dbs, ctx, { cacheDir })) as SynthesizedStack[];
    expect(readdirSync(cacheDir).filter((n) => n.endsWith('.pack'))).toHaveLength(1);
    // Poison one entry: if the second run really reads the cache, the poison shows up.
    const key = stackCacheKey(dbs[0]!, ctx);
    const poison = new StackCache(cacheDir);
    poison.put(key, { json: '{"from":"cache"}\n', notes: [], addresses: ['aws_x.from_cache'] });
    poison.close();
    const second = (await synthBatch(dbs, ctx, { cacheDir })) as SynthesizedStack[];
    expect(second[0]!.json).toBe('{"from":"cache"}\n');
    expect(second[0]!.addresses).toEqual(['aws_x.from_cache']);
    expect(second.slice(1).map((s) => s.addresses)).toEqual(first.slice(1).map((s) => s.addresses));
    expect(second.slice(1).map((s) => s.json)).toEqual(first.slice(1).map((s) => s.json));
    // A damaged cache costs a rebuild, never a wrong stack.
    for (const pack of readdirSync(cacheDir)) writeFileSync(join(cacheDir, pack), 'not a pack');
    const third = (await synthBatch(dbs, ctx, { cacheDir })) as SynthesizedStack[];
    expect(third.map((s) => s.json)).toEqual(first.map((s) => s.json));
    expect(new StackCache(cacheDir).get(key)?.json).toBe(first[0]!.json);
  });

  it('keys the cache by everything a stack is made from', () => {
    const [db] = dbs;
    expect(stackCacheKey(db!, ctx)).toBe(stackCacheKey(structuredClone(db!), ctx));
    expect(stackCacheKey({ ...db!, storageGb: db!.storageGb + 1 }, ctx)).not.toBe(stackCacheKey(db!, ctx));
    expect(stackCacheKey(db!, { ...ctx, toolVersion: '9.9.9' })).not.toBe(stackCacheKey(db!, ctx));
    expect(stackCacheKey(db!, { ...ctx, offlineCheck: true })).not.toBe(stackCacheKey(db!, ctx));
  });

  it("keys the cache by the build, so a rebuilt dbaas with the same version never serves the old code's stacks", async () => {
    const keyWith = async (buildId: string) => {
      vi.resetModules();
      vi.doMock('../../src/version.js', () => ({ TOOL_VERSION: '0.0.0-test', BUILD_ID: buildId }));
      try {
        const fresh = await import('../../src/synth/batch.js');
        return fresh.stackCacheKey(dbs[0]!, ctx);
      } finally {
        vi.doUnmock('../../src/version.js');
        vi.resetModules();
      }
    };
    expect(await keyWith('aaaa')).toBe(await keyWith('aaaa'));
    expect(await keyWith('aaaa')).not.toBe(await keyWith('bbbb'));
  });

  it('npm run build writes the build id: a hash of dist/, the same for the same code', async () => {
    const dist = join(REPO_ROOT, 'dist', 'build-id.txt');
    const before = readFileSync(dist, 'utf8');
    expect(before).toMatch(/^[0-9a-f]{16}\n$/);
    await execa('node', [join(REPO_ROOT, 'scripts', 'gen-build-id.mjs')]);
    expect(readFileSync(dist, 'utf8')).toBe(before);
  });

  it('makes the same stacks with the worker pool on as in-process (the compiled CLI on 1,456 databases, enough to start it)', async () => {
    const dir = tempRepo('example');
    // 112 copies of every database under new names: past MIN_FOR_WORKERS, so the CLI starts its pool.
    for (const entry of repo.entries) {
      const text = readFileSync(join(REPO_ROOT, entry.spec.doc.file), 'utf8');
      for (let i = 0; i < 111; i++)
        writeFileSync(
          join(dir, dirname(entry.spec.doc.file), `${entry.db.name}-${i}.yaml`),
          text.replace(`name: ${entry.db.name}\n`, `name: ${entry.db.name}-${i}\n`),
        );
    }
    const out = join(dir, 'out');
    const result = await runCli(['synth', '--dir', dir, '--out', out], { env: { DBAAS_CACHE: 'off', DBAAS_SYNTH_WORKERS: '1' } });
    expect(result.exitCode, result.stderr).toBe(0);
    const local = resolveDir(dir);
    if (!local.ok) throw new Error('copy must resolve');
    for (const cloud of ['aws', 'gcp'] as const) await loadBuilder(cloud);
    const toolVersion = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')).version;
    expect(local.repo.entries).toHaveLength(1456);
    expect(local.repo.entries.length).toBeGreaterThanOrEqual(MIN_FOR_WORKERS);
    for (const entry of local.repo.entries) {
      const inProcess = synthStack(entry.db, { config: local.repo.config, toolVersion });
      expect(readFileSync(join(out, 'stacks', entry.db.name, 'cdk.tf.json'), 'utf8'), entry.db.name).toBe(inProcess.json);
    }
  });
});
