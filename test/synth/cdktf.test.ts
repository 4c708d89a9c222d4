import { createRequire } from 'node:module';
import { Lazy } from 'cdktf';
import { describe, expect, it } from 'vitest';
import { cdktfKeysToSnakeCase, keysToSnakeCase } from '../../src/synth/cdktf.js';
import { buildExampleStack, exampleRepo } from './helpers.js';

const cdktfUtil = createRequire(import.meta.url)('cdktf/lib/util') as { keysToSnakeCase: (o: unknown) => unknown };

describe('keysToSnakeCase (memoized replacement of cdktf’s)', () => {
  it('is the one cdktf calls', () => {
    expect(cdktfUtil.keysToSnakeCase).toBe(keysToSnakeCase);
    expect(cdktfKeysToSnakeCase).not.toBe(keysToSnakeCase);
  });

  it('gives what cdktf’s own gives, for everything cdktf passes it while building every example stack', async () => {
    const seen: unknown[] = [];
    cdktfUtil.keysToSnakeCase = (object) => {
      seen.push(object);
      return keysToSnakeCase(object);
    };
    try {
      for (const { db } of exampleRepo().entries) (await buildExampleStack(db)).toTerraform();
    } finally {
      cdktfUtil.keysToSnakeCase = keysToSnakeCase;
    }
    expect(seen.length).toBeGreaterThan(100);
    for (const object of seen) expect(keysToSnakeCase(object)).toEqual(cdktfKeysToSnakeCase(object));
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
    for (const value of cases) expect(keysToSnakeCase(value)).toEqual(cdktfKeysToSnakeCase(value));
    // cdktf's fails on a null attribute; so does the replacement, the same way.
    const outcome = (fn: (o: unknown) => unknown, o: unknown) => {
      try {
        return { value: fn(o) };
      } catch (error) {
        return { error: (error as Error).constructor.name };
      }
    };
    expect(outcome(keysToSnakeCase, { nothing: null })).toEqual(outcome(cdktfKeysToSnakeCase, { nothing: null }));
    expect(outcome(keysToSnakeCase, { nothing: null })).toHaveProperty('error');
  });
});
