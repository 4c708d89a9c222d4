import { describe, expect, it } from 'vitest';
import { applyMergePatch, patchLeaves } from '../../src/guard/merge-patch.js';

describe('JSON merge patch (RFC 7386)', () => {
  it('merges objects, replaces arrays and scalars, removes on null', () => {
    const target = { a: 1, b: { c: 2, d: [1, 2] }, e: 'x' };
    expect(applyMergePatch(target, { b: { c: 3, d: [9] }, e: null, f: { g: true } })).toEqual({ a: 1, b: { c: 3, d: [9] }, f: { g: true } });
    expect(target).toEqual({ a: 1, b: { c: 2, d: [1, 2] }, e: 'x' });
    expect(applyMergePatch('scalar', { a: 1 })).toEqual({ a: 1 });
  });
  it('lists the leaves a patch sets', () => {
    expect(patchLeaves({ backup: { alerts: { onFailure: true }, copies: [] }, x: null })).toEqual([
      { path: ['backup', 'alerts', 'onFailure'], value: true },
      { path: ['backup', 'copies'], value: [] },
      { path: ['x'], value: null },
    ]);
  });
});
