// Guardrail patterns run in linear time. A policy file is written by whoever can open a PR, and a
// backtracking engine turns `(a+)+$` on a 30-character label into minutes of CPU; RE2 (re2js) has no
// backtracking, so a legal pattern keeps working and a pattern RE2 cannot run (backreferences,
// lookaround) is refused at load with the line of the pattern.
import { RE2JS } from 're2js';
import type { FieldPath } from '../load/yaml.js';
import { isObject } from '../json.js';

/**
 * JSON Schema patterns are ECMAScript regexes; RE2 reads the same syntax except `\uXXXX` and
 * `\u{X}`, which become RE2's `\x{X}`. An escaped backslash (`\\u`) is left alone.
 */
export function toRe2Syntax(pattern: string): string {
  return pattern.replace(/\\(\\|u\{([0-9a-fA-F]+)\}|u([0-9a-fA-F]{4}))/g, (match, _all: string, braced?: string, four?: string) =>
    (braced ?? four) === undefined ? match : `\\x{${braced ?? four}}`,
  );
}

/** Compiles a pattern with RE2, or returns why it cannot run in linear time. */
export function compileLinear(pattern: string): { regex: RE2JS } | { error: string } {
  try {
    return { regex: RE2JS.compile(toRe2Syntax(pattern)) };
  } catch (error) {
    return { error: (error as Error).message.split('\n')[0]!.replace(/^error parsing regexp: /, '') };
  }
}

/**
 * ajv's `code.regExp` engine for guardrail asserts (ajv calls it for `pattern`, `patternProperties`
 * and `propertyNames.pattern`). Unanchored `test`, as JSON Schema specifies. `code` names the
 * function for ajv's standalone output, which dbaas never generates.
 */
export const linearRegExp = Object.assign(
  (pattern: string, _flags: string): { test(s: string): boolean; toString(): string } => {
    const compiled = compileLinear(pattern);
    if ('error' in compiled) throw new Error(`pattern ${JSON.stringify(pattern)} cannot run in linear time: ${compiled.error}`);
    const { regex } = compiled;
    return { test: (s: string) => regex.test(s), toString: () => `re2:${pattern}` };
  },
  { code: 'linearRegExp' },
);

type Json = unknown;

// JSON Schema 2020-12 keywords whose value is a subschema, a list of them, or a map of them; every
// other keyword's value is data (const, enum, examples...), where a "pattern" key is just data.
const ONE = new Set([
  'not',
  'if',
  'then',
  'else',
  'contains',
  'additionalProperties',
  'propertyNames',
  'unevaluatedItems',
  'unevaluatedProperties',
  'additionalItems',
  'items',
]);
const LIST = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems', 'items']);
const MAP = new Set(['properties', 'patternProperties', '$defs', 'definitions', 'dependentSchemas']);

export interface SchemaPattern {
  readonly pattern: string;
  /** Path from the schema root to the `pattern` value, or to the `patternProperties` key. */
  readonly path: FieldPath;
  /** True for a patternProperties key (locate the key, not its value). */
  readonly key: boolean;
}

/** Every regex a JSON Schema carries, with where it is. */
export function schemaPatterns(schema: Json, path: FieldPath = []): SchemaPattern[] {
  if (Array.isArray(schema)) return schema.flatMap((s, i) => schemaPatterns(s, [...path, i]));
  if (!isObject(schema)) return [];
  const found: SchemaPattern[] = [];
  for (const [keyword, value] of Object.entries(schema)) {
    const at = [...path, keyword];
    if (keyword === 'pattern' && typeof value === 'string') found.push({ pattern: value, path: at, key: false });
    if (keyword === 'patternProperties' && isObject(value))
      for (const name of Object.keys(value)) found.push({ pattern: name, path: [...at, name], key: true });
    if (MAP.has(keyword) && isObject(value)) for (const [name, sub] of Object.entries(value)) found.push(...schemaPatterns(sub, [...at, name]));
    else if ((LIST.has(keyword) && Array.isArray(value)) || ONE.has(keyword)) found.push(...schemaPatterns(value, at));
  }
  return found;
}
