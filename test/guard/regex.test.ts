// Guardrail patterns run on RE2 (linear time): hostile input cannot stall validation, legal patterns
// behave as JavaScript's, and patterns RE2 cannot run are refused at load (registry.test.ts).
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluate } from '../../src/guard/engine.js';
import { compileLinear, linearRegExp, schemaPatterns, toRe2Syntax } from '../../src/guard/regex.js';
import { loadRegistry } from '../../src/guard/registry.js';
import { testGuardrail } from '../../src/guard/policy-test.js';
import { cleanupTempRepos } from '../helpers/repo.js';
import { repoWithPolicies } from './helpers.js';

afterAll(cleanupTempRepos);

describe('an org guardrail with a catastrophic-backtracking pattern', () => {
  const registry = loadRegistry({ root: repoWithPolicies(['policies-redos/owner-label-format.yaml']) });
  const guardrail = registry.byId.get('owner-label-format')!;

  it('loads (the pattern is legal) and its own pass/fail cases hold', () => {
    expect(registry.problems).toEqual([]);
    expect(guardrail).toBeDefined();
    expect(testGuardrail(guardrail)).toEqual({ cases: 3, failures: [] });
  });

  it.each([31, 5_000, 100_000])('judges a %i-character label in well under a second', (n) => {
    const owner = `${'a'.repeat(n - 1)}!`;
    const key = `${'ab-'.repeat(Math.ceil(n / 3))}!`;
    const started = performance.now();
    const ownerFailure = evaluate(guardrail, { labels: { owner } });
    const keyFailure = evaluate(guardrail, { labels: { [key]: 'x' } });
    const elapsed = performance.now() - started;
    expect(ownerFailure?.path).toEqual(['labels', 'owner']);
    expect(keyFailure).toBeDefined();
    expect(evaluate(guardrail, { labels: { owner: 'a'.repeat(n) } })).toBeUndefined();
    expect(elapsed).toBeLessThan(1_000);
  });
});

describe('linearRegExp (ajv code.regExp engine)', () => {
  it('refuses backreferences and lookaround, naming the pattern', () => {
    expect(() => linearRegExp('(a)\\1', 'u')).toThrow(/pattern "\(a\)\\\\1" cannot run in linear time: invalid escape sequence/);
    expect(compileLinear('(?=a)b')).toEqual({ error: 'invalid or unsupported Perl syntax: `(?=`' });
    expect(compileLinear('(?<=a)b')).toHaveProperty('error');
  });

  it('reads \\uXXXX and \\u{X} as JavaScript does, and leaves an escaped backslash alone', () => {
    expect(toRe2Syntax('^\\u0041\\u{1F600}$')).toBe('^\\x{0041}\\x{1F600}$');
    expect(toRe2Syntax('\\\\u0041')).toBe('\\\\u0041');
    expect(linearRegExp('^\\u0041$', 'u').test('A')).toBe(true);
    expect(linearRegExp('^\\\\u0041$', 'u').test('\\u0041')).toBe(true);
  });

  // Patterns of the kind guardrails use: RE2 must agree with JavaScript on every input.
  const patterns = ['^[a-z][a-z0-9-]*$', '^(prod|staging)-\\d{2,4}$', 'ab+c', '^\\w+@\\w+\\.com$', '^(a+)+$', '^[^\\s]{1,5}$', '\\.', '^$', '[A-Z]{2}-?'];
  it.each(patterns)('agrees with RegExp on arbitrary strings: %s', (pattern) => {
    const js = new RegExp(pattern, 'u');
    const re2 = linearRegExp(pattern, 'u');
    const alphabet = fc.constantFrom('a', 'b', 'c', 'z', 'A', 'Z', '0', '9', '-', '_', '@', '.', ' ', '\n', 'é', '😀', 'p', 'r', 'o', 'd', 'm');
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 12 }), (s) => re2.test(s) === js.test(s)),
      { numRuns: 300 },
    );
    // Prefixes the generator rarely builds.
    for (const s of ['prod-42', 'staging-12345', 'x@y.com', 'AB-', '']) expect(re2.test(s)).toBe(js.test(s));
  });
});

describe('schemaPatterns', () => {
  it('finds pattern values and patternProperties keys in subschemas, not in data keywords', () => {
    const schema = {
      properties: { a: { pattern: 'p1' }, pattern: { type: 'string' } },
      patternProperties: { k1: { pattern: 'p2' } },
      allOf: [{ not: { pattern: 'p3' } }],
      items: { propertyNames: { pattern: 'p4' } },
      const: { pattern: 'data' },
      enum: [{ pattern: 'data' }],
      $defs: { d: { pattern: 'p5' } },
    };
    expect(schemaPatterns(schema).map((p) => [p.pattern, p.path.join('.'), p.key])).toEqual([
      ['p1', 'properties.a.pattern', false],
      ['k1', 'patternProperties.k1', true],
      ['p2', 'patternProperties.k1.pattern', false],
      ['p3', 'allOf.0.not.pattern', false],
      ['p4', 'items.propertyNames.pattern', false],
      ['p5', '$defs.d.pattern', false],
    ]);
  });
});
