// One test for "a JSON mapping" (not null, not an array), shared by every stage that walks parsed YAML/JSON.
export type JsonObject = { [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
