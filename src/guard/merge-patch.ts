// JSON merge patch (RFC 7386): objects merge key by key, null removes a key, anything else replaces.
import type { JsonObject } from './types.js';
import { isObject } from '../json.js';

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  if (!isObject(patch)) return structuredClone(patch);
  const result: JsonObject = isObject(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = applyMergePatch(result[key], value);
  }
  return result;
}

/** The patch as leaf operations: each path with the value to set there (null: remove). */
export function patchLeaves(patch: JsonObject, prefix: readonly string[] = []): { path: string[]; value: unknown }[] {
  return Object.entries(patch).flatMap(([key, value]) =>
    isObject(value) && Object.keys(value).length > 0 ? patchLeaves(value, [...prefix, key]) : [{ path: [...prefix, key], value }],
  );
}
