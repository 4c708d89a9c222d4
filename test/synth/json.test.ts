import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compactJson, stableStringify } from '../../src/synth/json.js';

describe('stableStringify', () => {
  it('sorts keys at every depth, indents by two and ends with a newline', () => {
    expect(stableStringify({ b: 1, a: { d: [{ z: 1, y: 2 }], c: true } })).toBe(
      '{\n  "a": {\n    "c": true,\n    "d": [\n      {\n        "y": 2,\n        "z": 1\n      }\n    ]\n  },\n  "b": 1\n}\n',
    );
  });

  it('gives the same text for objects built in different orders, dropping undefined', () => {
    const one = { resource: { x: { name: 'a', tags: { team: 't', env: 'e' } } }, skip: undefined };
    const two = { resource: { x: { tags: { env: 'e', team: 't' }, name: 'a' } } };
    expect(stableStringify(one)).toBe(stableStringify(two));
  });

  it('keeps array order (order is meaning in Terraform lists)', () => {
    expect(compactJson({ list: [3, 1, 2] })).toBe('{"list":[3,1,2]}');
  });

  // The copy-on-write sort gives what a full copy gave: the reference below is the earlier sortKeys.
  it('gives the text a full key-sorted copy gives, for any JSON value (already sorted or not)', () => {
    const reference = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(reference);
      if (value === null || typeof value !== 'object') return value;
      const out: Record<string, unknown> = {};
      for (const key of Object.keys(value).sort()) {
        const v = (value as Record<string, unknown>)[key];
        if (v !== undefined) out[key] = reference(v);
      }
      return out;
    };
    const expected = (v: unknown) => `${JSON.stringify(reference(v), null, 2)}\n`;
    const key = fc.oneof(fc.string({ maxLength: 4 }), fc.constantFrom('0', '10', '2', 'a', 'b', '__proto__x'));
    const json = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined), tie('array'), tie('object')),
      array: fc.array(tie('value'), { maxLength: 4 }),
      object: fc.dictionary(key, tie('value'), { maxKeys: 5 }),
    })).value;
    fc.assert(
      fc.property(json, (v) => stableStringify(v) === expected(v)),
      { numRuns: 500 },
    );
    const sorted = { a: 1, b: { c: [1, { d: 2, e: 3 }] } };
    expect(stableStringify(sorted)).toBe(expected(sorted));
    expect(stableStringify({ when: new Date(0), n: { 10: 'x', 2: 'y', a: 'z' } })).toBe(expected({ when: new Date(0), n: { 10: 'x', 2: 'y', a: 'z' } }));
    expect(stableStringify({ when: new Date(0) })).toBe('{\n  "when": {}\n}\n');
  });
});
