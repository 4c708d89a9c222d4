/* eslint-disable @typescript-eslint/unbound-method -- the tests compare V8's and cdktf's functions by identity; none is called detached */
// The one module that reaches into cdktf (src/synth/cdktf.ts): its fast path and cdktf's own
// toTerraform() (the fallback) give byte-identical stacks, escape boundary included, on every
// example stack and every bench shape; the fast path runs only on the cdktf it was written for.
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Lazy, TerraformIterator, TerraformResource, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { generateRepo } from '../../bench/generate.mjs';
import { guardDir, resolveDir } from '../../src/pipeline.js';
import { synthBaselines } from '../../src/synth/baseline/index.js';
import { CDKTF_VERSION } from '../../src/synth/cdktf-version.js';
import {
  cdktfKeysToSnakeCase,
  cdktfProcessDynamicAttributes,
  cdktfPath,
  chooseCdktfPath,
  FAST_PATH_VERSION,
  keysToSnakeCase,
  processDynamicAttributes,
  setCdktfPath,
  stackConfig,
  withCdktf,
  type CdktfPath,
} from '../../src/synth/cdktf.js';
import { loadBuilder, SynthError, synthStack, type SynthContext } from '../../src/synth/index.js';
import type { ResolvedRepo } from '../../src/resolve/index.js';
import { buildExampleStack, exampleRepo, REPO_ROOT } from './helpers.js';

type Attributes = Record<string, unknown>;
const cdktfUtil = createRequire(import.meta.url)('cdktf/lib/util') as {
  keysToSnakeCase: (o: unknown) => unknown;
  processDynamicAttributes: (a: Attributes) => Attributes;
};
const original = cdktfKeysToSnakeCase!;
const originalDynamic = cdktfProcessDynamicAttributes!;

afterEach(() => setCdktfPath('fast'));
// The stack core (src/synth/stack.ts) is imported on first load: before the test below resets the
// module registry, so it shares this file's cdktf.ts (and its setCdktfPath).
beforeAll(async () => {
  await loadBuilder('aws');
  await loadBuilder('gcp');
});

describe('which path', () => {
  it('is the fast one on the installed cdktf, the one it was written for', () => {
    expect(CDKTF_VERSION).toBe(FAST_PATH_VERSION);
    expect(cdktfPath().path).toBe('fast');
    expect(chooseCdktfPath('0.21.0', {})).toEqual({ path: 'fast', reason: 'cdktf 0.21.0' });
  });

  it('falls back on any other cdktf version, and when DBAAS_CDKTF_FAST=off', () => {
    expect(chooseCdktfPath('0.21.1', {})).toMatchObject({ path: 'fallback', reason: expect.stringContaining('cdktf 0.21.1 is installed') });
    expect(chooseCdktfPath('0.22.0', {}).path).toBe('fallback');
    expect(chooseCdktfPath('0.21.0', { DBAAS_CDKTF_FAST: 'off' })).toEqual({ path: 'fallback', reason: 'DBAAS_CDKTF_FAST=off' });
    expect(chooseCdktfPath('0.21.0', { DBAAS_CDKTF_FAST: 'on' }).path).toBe('fast');
  });

  it('reads DBAAS_CDKTF_FAST=off when the module loads, and then touches nothing of cdktf', async () => {
    vi.resetModules();
    vi.stubEnv('DBAAS_CDKTF_FAST', 'off');
    try {
      const fresh = await import('../../src/synth/cdktf.js');
      expect(fresh.cdktfPath()).toEqual({ path: 'fallback', reason: 'DBAAS_CDKTF_FAST=off' });
      expect(fresh.cdktfKeysToSnakeCase).toBeUndefined();
      const capture = Error.captureStackTrace;
      fresh.withCdktf(() => {
        expect(Error.captureStackTrace).toBe(capture);
        expect(cdktfUtil.keysToSnakeCase).toBe(original);
      });
      expect(() => fresh.setCdktfPath('fast')).toThrow(/not available: DBAAS_CDKTF_FAST=off/);
    } finally {
      vi.unstubAllEnvs();
      vi.resetModules();
    }
  });
});

describe('withCdktf (fast path)', () => {
  it('swaps in the memoized keysToSnakeCase and the stack-trace switch only while it runs', () => {
    const capture = Error.captureStackTrace;
    expect(cdktfUtil.keysToSnakeCase).toBe(original);
    expect(cdktfUtil.processDynamicAttributes).toBe(originalDynamic);
    withCdktf(() => {
      expect(cdktfUtil.keysToSnakeCase).toBe(keysToSnakeCase);
      expect(cdktfUtil.processDynamicAttributes).toBe(processDynamicAttributes);
      expect(Error.captureStackTrace).not.toBe(capture);
      const plain: { stack?: string } = {};
      Error.captureStackTrace(plain);
      expect(plain.stack).toBeUndefined();
      expect(new Error('kept').stack).toContain('kept');
    });
    expect(cdktfUtil.keysToSnakeCase).toBe(original);
    expect(cdktfUtil.processDynamicAttributes).toBe(originalDynamic);
    expect(Error.captureStackTrace).toBe(capture);
  });

  it('drops the tokens a stack added from cdktf’s token map, on the fast path only', async () => {
    await loadBuilder('aws');
    const db = exampleRepo().entries.find((e) => e.db.cloud === 'aws')!.db;
    const ctx: SynthContext = { config: exampleRepo().config, toolVersion: 't' };
    const size = () => (globalThis as { __cdktfTokenMap?: { stringTokenMap: Map<unknown, unknown> } }).__cdktfTokenMap!.stringTokenMap.size;
    synthStack(db, ctx);
    const before = size();
    synthStack(db, ctx);
    expect(size()).toBe(before);
    setCdktfPath('fallback');
    synthStack(db, ctx);
    expect(size()).toBeGreaterThan(before);
  });
});

describe('keysToSnakeCase (memoized replacement of cdktf’s)', () => {
  it('gives what cdktf’s own gives, for everything cdktf passes it while building every example stack', async () => {
    const seen: unknown[] = [];
    cdktfUtil.keysToSnakeCase = (object) => {
      seen.push(object);
      return original(object);
    };
    try {
      for (const { db } of exampleRepo().entries) (await buildExampleStack(db)).toTerraform();
    } finally {
      cdktfUtil.keysToSnakeCase = original;
    }
    expect(seen.length).toBeGreaterThan(100);
    for (const object of seen) expect(keysToSnakeCase(object)).toEqual(original(object));
  });

  it('gives what cdktf’s own gives on awkward keys, nesting, tags and tokens', () => {
    const token = Lazy.stringValue({ produce: () => 'x' });
    const cases: unknown[] = [
      { camelCase: 1, PascalCase: 2, already_snake: 3, HTTPServer: 4, a1B2c3: 5, __private__: 6, 'kebab-case': 7, 'dots.and spaces': 8, '': 9 },
      { nestedBlock: { innerKey: [{ deepKey: true }, 'plain', 3] }, listOfLists: [[{ aB: 1 }]] },
      { tags: { KeepThisCase: 'v' }, environment: { VARIABLE_NAME: 'v', camelVar: 'w' }, other: { tags: { Inner: 1 } } },
      { token, tokenList: [token], missing: undefined },
      [{ arrayTop: 1 }, 'x'],
    ];
    for (const value of cases) expect(keysToSnakeCase(value)).toEqual(original(value));
    // cdktf's fails on a null attribute; so does the replacement, the same way.
    const outcome = (fn: (o: unknown) => unknown, o: unknown) => {
      try {
        return { value: fn(o) };
      } catch (error) {
        return { error: (error as Error).constructor.name };
      }
    };
    expect(outcome(keysToSnakeCase, { nothing: null })).toEqual(outcome(original, { nothing: null }));
    expect(outcome(keysToSnakeCase, { nothing: null })).toHaveProperty('error');
  });
});

describe('processDynamicAttributes (plain-loop replacement of cdktf’s)', () => {
  it('gives what cdktf’s own gives, for everything cdktf passes it while building every example stack', async () => {
    const seen: Attributes[] = [];
    cdktfUtil.processDynamicAttributes = (attributes) => {
      seen.push(attributes);
      return originalDynamic(attributes);
    };
    try {
      for (const { db } of exampleRepo().entries) (await buildExampleStack(db)).toTerraform();
    } finally {
      cdktfUtil.processDynamicAttributes = originalDynamic;
    }
    expect(seen.length).toBeGreaterThan(100);
    for (const attributes of seen) expect(processDynamicAttributes(attributes)).toEqual(originalDynamic(attributes));
  });

  it('moves a dynamic block under "dynamic" like cdktf’s, nested plain objects included, classes untouched', () => {
    const iterator = TerraformIterator.fromList(['a', 'b']);
    const { TerraformDynamicBlock } = createRequire(import.meta.url)('cdktf/lib/terraform-dynamic-block') as {
      TerraformDynamicBlock: new (args: unknown) => object;
    };
    const block = new TerraformDynamicBlock({ forEach: iterator, content: { name: iterator.value } });
    class Box {
      inner = { dynamic: 1 };
    }
    const cases: Attributes[] = [
      { plain: 1, ingress: block, nested: { deep: { x: [1, 2] }, rule: block }, box: new Box(), none: null, list: [{ a: 1 }] },
      { dynamic: 'an attribute named dynamic', other: block },
      {},
    ];
    for (const attributes of cases) {
      // Each call makes the block's JSON afresh (new token objects): compared as text, or as the
      // error both throw (an attribute named "dynamic" next to a dynamic block).
      const outcome = (fn: (a: Attributes) => Attributes) => {
        try {
          return JSON.stringify(fn(attributes));
        } catch (error) {
          return `${(error as Error).constructor.name}: ${(error as Error).message}`;
        }
      };
      expect(outcome(processDynamicAttributes)).toBe(outcome(originalDynamic));
    }
    expect(processDynamicAttributes(cases[0]!)).toHaveProperty(['dynamic', 'ingress']);
    expect(processDynamicAttributes(cases[0]!)).toHaveProperty(['nested', 'dynamic', 'rule']);
  });
});

/** Every stack of a repo (databases and account baselines) on one path, by name. */
async function synthRepo(repo: ResolvedRepo, dir: string, path: CdktfPath): Promise<Map<string, string>> {
  setCdktfPath(path);
  const ctx: SynthContext = { config: repo.config, toolVersion: 'both-paths' };
  const out = new Map<string, string>();
  for (const { db } of repo.entries) {
    try {
      out.set(db.name, synthStack(db, ctx).json);
    } catch (error) {
      if (!(error instanceof SynthError)) throw error;
      out.set(db.name, `refused: ${error.code} ${error.message}`);
    }
  }
  const guarded = guardDir(dir);
  if (!guarded.ok) throw new Error(`${dir} does not guard`);
  for (const stack of await synthBaselines(repo.config, { registry: guarded.registry, overrides: guarded.guard.overrides }, { toolVersion: 'both-paths' }))
    out.set(stack.name, stack.json);
  return out;
}

function expectSame(fast: Map<string, string>, fallback: Map<string, string>): void {
  expect([...fallback.keys()]).toEqual([...fast.keys()]);
  for (const [name, json] of fast) expect(fallback.get(name), name).toBe(json);
}

describe('the fast path and cdktf’s own toTerraform() give byte-identical stacks', () => {
  let benchDir: string;
  let bench: ResolvedRepo;

  beforeAll(async () => {
    await loadBuilder('aws');
    await loadBuilder('gcp');
    benchDir = mkdtempSync(join(tmpdir(), 'dbaas-cdktf-paths-'));
    // 96 databases: every cloud × engine × environment × policy style the generator cycles through.
    await generateRepo(benchDir, 96, { git: false });
    const resolved = resolveDir(benchDir);
    if (!resolved.ok) throw new Error(resolved.problems.map((p) => p.message).join('; '));
    bench = resolved.repo;
  }, 120_000);
  afterAll(() => rmSync(benchDir, { recursive: true, force: true }));

  it('on every example-repo stack, the account baselines included, escapes and all', async () => {
    const fast = await synthRepo(exampleRepo(), REPO_ROOT, 'fast');
    const fallback = await synthRepo(exampleRepo(), REPO_ROOT, 'fallback');
    expect(fast.size).toBeGreaterThanOrEqual(exampleRepo().entries.length + 1);
    expect([...fast.values()].filter((json) => json.startsWith('refused'))).toEqual([]);
    // The boundary ran on the fallback too: cdktf alone would leave these literals as syntax.
    expect([...fallback.values()].filter((json) => json.includes('$${')).length).toBeGreaterThan(0);
    expectSame(fast, fallback);
  }, 120_000);

  it('on every shape of a generated bench repo', async () => {
    const fast = await synthRepo(bench, benchDir, 'fast');
    const fallback = await synthRepo(bench, benchDir, 'fallback');
    const engines = new Set(bench.entries.map((e) => `${e.db.cloud}/${e.db.engine}/${e.db.environment}`));
    expect(engines.size).toBeGreaterThanOrEqual(20);
    expectSame(fast, fallback);
  }, 240_000);
});

describe('the escape boundary on both paths', () => {
  function dataStack(): { stack: TerraformStack; a: TerraformResource; b: TerraformResource } {
    const root = new Construct(undefined as never, '');
    root.node.setContext('cdktfVersion', CDKTF_VERSION);
    const stack = new TerraformStack(root, 'escape');
    const a = new TerraformResource(stack, 'a', { terraformResourceType: 'terraform_data' });
    const b = new TerraformResource(stack, 'b', { terraformResourceType: 'terraform_data' });
    return { stack, a, b };
  }
  type Config = { resource: { terraform_data: Record<string, { input: Record<string, unknown> | string }> } };

  for (const path of ['fast', 'fallback'] as const) {
    it(`${path}: literal strings and keys escaped, references live, also inside a literal`, () => {
      const { stack, a, b } = dataStack();
      a.addOverride('input', { 'k${x}': 'v${file("/etc/passwd")}', plain: 'p', list: ['%{ if true }', 'ok'] });
      const ref = a.getStringAttribute('id');
      b.addOverride('input', { mixed: `pre\${x}-${ref}-$`, dollar: `cost$${ref}`, alone: ref, key: { [`k\${y}`]: `%{x}${ref}` } });
      const config = stackConfig(stack, CDKTF_VERSION, path) as Config;
      const { a: outA, b: outB } = config.resource.terraform_data;
      expect(outA!.input).toEqual({ 'k$${x}': 'v$${file("/etc/passwd")}', plain: 'p', list: ['%%{ if true }', 'ok'] });
      expect(outB!.input).toEqual({
        mixed: 'pre$${x}-${terraform_data.a.id}-$',
        dollar: 'cost${"$"}${terraform_data.a.id}',
        alone: '${terraform_data.a.id}',
        key: { 'k$${y}': '%%{x}${terraform_data.a.id}' },
      });
    });

    it(`${path}: stack-level overrides are refused`, () => {
      const { stack } = dataStack();
      stack.addOverride('locals.x', '${file("/etc/passwd")}');
      expect(() => stackConfig(stack, CDKTF_VERSION, path)).toThrow(/bypass the escape boundary/);
    });
  }

  // Spec and config text holding "TfToken[" is refused before synth (index.ts refuseTokenText); this
  // is the builders' own text. cdktf's tokenizer throws on it: the fallback fails closed.
  it('a token marker that names no token: literal on the fast path, refused on the fallback', () => {
    const { stack, a } = dataStack();
    a.addOverride('input', '${TfToken[TOKEN.999999]}');
    const config = stackConfig(stack, CDKTF_VERSION, 'fast') as Config;
    expect(config.resource.terraform_data.a!.input).toBe('$${TfToken[TOKEN.999999]}');
    expect(() => stackConfig(stack, CDKTF_VERSION, 'fallback')).toThrow(/Unrecognized Token Key 'TOKEN.999999'/);
  });

  it('fallback: leaves the elements as they were (the wrappers are removed)', () => {
    const { stack, a } = dataStack();
    a.addOverride('input', 'v${x}');
    stackConfig(stack, CDKTF_VERSION, 'fallback');
    expect(Object.hasOwn(a, 'toTerraform')).toBe(false);
    expect(Object.hasOwn(a, 'toMetadata')).toBe(false);
    expect(JSON.stringify(stack.toTerraform())).toContain('"v${x}"');
  });
});
