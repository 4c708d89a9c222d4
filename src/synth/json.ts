// Deterministic JSON: keys sorted at every level, two-space indent, a trailing newline. Terraform
// reads it as-is; byte-identical output for equal input is what lets plans and caches compare text.
// (JavaScript puts integer-like keys first in numeric order; that is deterministic too.)

/**
 * The value with its keys sorted at every level. Copy on write: an object whose keys are already in
 * order and whose values need no change is returned as it is (provider blocks mostly are), which
 * spares a copy of most of a stack.
 */
function sortKeys(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const v = value[i] as unknown;
      const sorted = sortKeys(v);
      if (sorted !== v && !copy) copy = value.slice(0, i);
      if (copy) copy.push(sorted);
    }
    return copy ?? value;
  }
  const object = value as Record<string, unknown>;
  const keys = Object.keys(object);
  // Most objects arrive in order (providers write their attributes sorted): no copy of the keys to sort.
  let inOrder = true;
  for (let i = 1; i < keys.length && inOrder; i++) inOrder = keys[i - 1]! <= keys[i]!;
  // Anything but a plain object (a Date, a class) is copied as before: its own keys only.
  const proto = Object.getPrototypeOf(object) as unknown;
  const plain = proto === Object.prototype || proto === null;
  if (inOrder && plain) {
    let copy: Record<string, unknown> | undefined;
    for (let i = 0; i < keys.length; i++) {
      const key = keys[i]!;
      const v = object[key];
      const sorted = v === undefined ? undefined : sortKeys(v);
      if (!copy && sorted === v && v !== undefined) continue;
      if (!copy) {
        copy = {};
        for (let j = 0; j < i; j++) copy[keys[j]!] = object[keys[j]!];
      }
      if (sorted !== undefined) copy[key] = sorted;
    }
    return copy ?? object;
  }
  const order = inOrder ? keys : [...keys].sort();
  let changed = !plain;
  const values: unknown[] = new Array(order.length);
  for (let i = 0; i < order.length; i++) {
    const key = order[i]!;
    const v = object[key];
    if (key !== keys[i] || v === undefined) changed = true;
    const sorted = v === undefined ? undefined : sortKeys(v);
    if (sorted !== v) changed = true;
    values[i] = sorted;
  }
  if (!changed) return value;
  const out: Record<string, unknown> = {};
  for (let i = 0; i < order.length; i++) if (values[i] !== undefined) out[order[i]!] = values[i];
  return out;
}

/** Pretty, key-sorted JSON with a trailing newline (the form written to cdk.tf.json). */
export function stableStringify(value: unknown): string {
  return `${JSON.stringify(sortKeys(value), null, 2)}\n`;
}

/** Compact key-sorted JSON, for policy documents and event patterns embedded in attributes. */
export function compactJson(value: unknown): string {
  return JSON.stringify(sortKeys(value));
}
