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
});
