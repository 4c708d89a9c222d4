// Deterministic JSON: keys sorted at every level, two-space indent, a trailing newline. Terraform
// reads it as-is; byte-identical output for equal input is what lets plans and caches compare text.
// (JavaScript puts integer-like keys first in numeric order; that is deterministic too.)

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const v = (value as Record<string, unknown>)[key];
    if (v !== undefined) out[key] = sortKeys(v);
  }
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
