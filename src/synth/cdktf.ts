// cdktf behind one door: a stack's Terraform JSON config, resolved once. TerraformStack.toTerraform()
// resolves every element's fragment and then the merged whole a second time; with no stack-level
// overrides and no cross-stack references the second pass changes nothing and costs a third of synth.
// test/synth/index.test.ts checks the result equals toTerraform() on every example stack.
import {
  DefaultTokenResolver,
  StringConcat,
  TerraformElement,
  TerraformOutput,
  TerraformStack,
  Token,
  Tokenization,
} from 'cdktf';
import type { IConstruct } from 'constructs';
import { createRequire } from 'node:module';
import { escapeTemplate, resolveTemplate } from './escape.js';
import { isObject as isPlainObject } from '../json.js';

const RESOLVER = new DefaultTokenResolver(new StringConcat());

type JsonObject = Record<string, unknown>;

type KeysToSnakeCase = (object: unknown) => unknown;
const cdktfUtil = createRequire(import.meta.url)('cdktf/lib/util') as { snakeCase: (key: string) => string; keysToSnakeCase: KeysToSnakeCase };
/** cdktf's own keysToSnakeCase, kept for the test that holds the replacement to it. */
export const cdktfKeysToSnakeCase: KeysToSnakeCase = cdktfUtil.keysToSnakeCase;
const snakeCaseKeys = new Map<string, string>();

/**
 * cdktf's keysToSnakeCase with the key conversion memoized. cdktf runs three regexes over every key
 * of every resource and provider block (the AWS provider block alone has hundreds), ~7 % of synth;
 * the keys are the same few hundred names in every stack. cdktf 0.21 is its final release and calls
 * this through the module's exports, so replacing the export reaches every caller.
 * test/synth/cdktf.test.ts holds it to cdktf's own on every example stack's attributes.
 */
export function keysToSnakeCase(object: unknown): unknown {
  if (Tokenization.isResolvable(object)) return object;
  const convert = (e: unknown) => (typeof e === 'object' ? keysToSnakeCase(e) : e);
  if (Array.isArray(object)) return object.map(convert);
  const out: JsonObject = {};
  for (const key of Object.keys(object as JsonObject)) {
    let value = (object as JsonObject)[key];
    if (key === 'tags' || key === 'environment') {
      out[key] = value;
      continue;
    }
    if (typeof value === 'object') value = keysToSnakeCase(value);
    if (Array.isArray(value)) value = value.map(convert);
    let snake = snakeCaseKeys.get(key);
    if (snake === undefined) snakeCaseKeys.set(key, (snake = cdktfUtil.snakeCase(key)));
    out[snake] = value;
  }
  return out;
}
cdktfUtil.keysToSnakeCase = keysToSnakeCase;

/**
 * cdktf's merge: objects merge key by key, arrays concatenate, undefined deletes. A key the target
 * does not have takes the source's value as it is, not a copy: the sources are fresh fragments from
 * toTerraform() with undefined already dropped by fastResolve, and stableStringify copies at the end.
 */
function deepMerge(target: JsonObject, source: JsonObject): void {
  for (const key of Object.keys(source)) {
    const value = source[key];
    if (value === undefined) delete target[key];
    else if (!Object.hasOwn(target, key)) target[key] = value;
    else if (isPlainObject(value) && !Tokenization.isResolvable(value)) {
      if (!isPlainObject(target[key])) target[key] = {};
      deepMerge(target[key] as JsonObject, value);
    } else if (Array.isArray(value)) {
      const existing = target[key];
      target[key] = Array.isArray(existing) ? [...(existing as unknown[]), ...(value as unknown[])] : value;
    } else {
      target[key] = value;
    }
  }
}

// What cdktf's encodings look like: string, list and map tokens carry "TfToken[", number tokens are
// doubles near -1.9e+289 (also when concatenated into a string).
const TOKEN_TEXT = 'TfToken[';
const NUMBER_TOKEN_TEXT = /e\+2\d\d/;

/**
 * A string as Terraform will read it: literal text escaped (escape.ts), each cdktf token resolved by
 * cdktf on its own and left live. cdktf would also read a literal `${` next to a token as the start of
 * a hand-written expression; here no literal is ever syntax.
 */
function resolveString(value: string, slow: (value: unknown) => unknown): unknown {
  if (!value.includes(TOKEN_TEXT) && !NUMBER_TOKEN_TEXT.test(value)) return escapeTemplate(value);
  return resolveTemplate(
    value,
    (marker) => {
      let token;
      try {
        token = Tokenization.reverseString(marker).firstToken;
      } catch {
        return undefined; // names no token (cdktf throws): literal text
      }
      return token ? { value: slow(marker) } : undefined;
    },
    (escaped) => (NUMBER_TOKEN_TEXT.test(escaped) ? slow(escaped) : escaped),
  );
}

function resolveKey(key: string, slow: (value: unknown) => unknown): string {
  const resolved = resolveString(key, slow);
  if (typeof resolved !== 'string') throw new Error(`an object key resolved to ${typeof resolved}, not a string: ${key}`);
  return resolved;
}

/**
 * cdktf's resolve over a plain value, handing only the parts that hold tokens to cdktf. Walking plain
 * data through cdktf's resolver (a context per value, several regexes per string) was two thirds of
 * synth. Same result: test/synth/index.test.ts compares with toTerraform() on every example stack.
 * Every string and key also crosses the escape boundary here (escape.ts).
 */
function fastResolve(value: unknown, slow: (value: unknown) => unknown): unknown {
  if (value === undefined || value === null) return value;
  switch (typeof value) {
    case 'string':
      return resolveString(value, slow);
    case 'number':
      return Token.isUnresolved(value) ? slow(value) : value;
    case 'boolean':
      return value;
    case 'object':
      break;
    default:
      return slow(value);
  }
  if (Array.isArray(value)) {
    // List tokens are resolved as a whole list by cdktf.
    if (value.some((x) => (typeof x === 'string' && x.includes(TOKEN_TEXT)) || (typeof x === 'number' && Token.isUnresolved(x)))) return slow(value);
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const resolved = fastResolve(value[i], slow);
      if (!copy && resolved === value[i] && resolved !== undefined) continue;
      copy ??= value.slice(0, i);
      if (resolved !== undefined) copy.push(resolved);
    }
    return copy ?? value;
  }
  // Only literal objects take the fast path; anything with a prototype (a token, a Date) is cdktf's.
  const proto = Object.getPrototypeOf(value) as unknown;
  if ((proto !== Object.prototype && proto !== null) || Tokenization.isResolvable(value)) return slow(value);
  const keys = Object.keys(value);
  // Copy on write: most of a fragment holds no token, and copying it all was a tenth of synth.
  let copy: JsonObject | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const original = (value as JsonObject)[key];
    const resolved = fastResolve(original, slow);
    // Terraform reads object keys as templates too (a tag key `${...}` is evaluated).
    const newKey = key.includes('{') ? resolveKey(key, slow) : key;
    if (!copy && resolved === original && resolved !== undefined && newKey === key) continue;
    if (!copy) {
      copy = {};
      for (let j = 0; j < i; j++) copy[keys[j]!] = (value as JsonObject)[keys[j]!];
    }
    if (resolved !== undefined) copy[newKey] = resolved;
  }
  return copy ?? value;
}

/** The elements of one stack, in construct order, without descending into nested stacks. */
function elementsOf(node: IConstruct, into: TerraformElement[] = []): TerraformElement[] {
  if (TerraformElement.isTerraformElement(node)) into.push(node);
  for (const child of node.node.children) {
    if (!TerraformStack.isStack(child)) elementsOf(child, into);
  }
  return into;
}

/**
 * The stack's `cdk.tf.json` content as a plain object (what toTerraform() returns, resolved once),
 * every literal string and key escaped for Terraform (escape.ts). Stack-level overrides are refused.
 */
export function stackConfig(stack: TerraformStack, cdktfVersion: string): JsonObject {
  const overrides = (stack as unknown as { rawOverrides?: object }).rawOverrides;
  // cdktf's own path would skip the escape boundary (escape.ts); no builder needs stack-level overrides.
  if (overrides && Object.keys(overrides).length > 0) throw new Error(`stack ${stack.node.id} has stack-level overrides, which would bypass the escape boundary; override the element instead`);
  const slow = (value: unknown): unknown => Tokenization.resolve(value, { scope: stack, preparing: false, resolver: RESOLVER });
  const resolve = (value: unknown) => fastResolve(value, slow) as JsonObject;
  const elements = elementsOf(stack);
  const metadata: JsonObject = { version: cdktfVersion, stackName: stack.node.id, backend: 'local' };
  const outputs: JsonObject = {};
  const config: JsonObject = { '//': { metadata, outputs } };
  for (const element of elements) {
    deepMerge(metadata, resolve(element.toMetadata()));
    if (TerraformOutput.isTerraformOutput(element)) {
      const path = element.node.path.split('/');
      const nested = path.reduceRight<unknown>((inner, part) => ({ [part]: inner }), element.friendlyUniqueId) as JsonObject;
      deepMerge(outputs, nested);
    }
  }
  for (const element of elements) deepMerge(config, resolve(element.toTerraform()));
  return config;
}
