// cdktf behind one door: a stack's Terraform JSON config, resolved once. TerraformStack.toTerraform()
// resolves every element's fragment and then the merged whole a second time; with no stack-level
// overrides and no cross-stack references the second pass changes nothing and costs a third of synth.
// test/synth/cdktf.test.ts checks the result equals toTerraform() on every example stack.
import {
  DefaultTokenResolver,
  StringConcat,
  TerraformElement,
  TerraformOutput,
  TerraformStack,
  Token,
  Tokenization,
  type IResolvable,
} from 'cdktf';
import type { IConstruct } from 'constructs';

const RESOLVER = new DefaultTokenResolver(new StringConcat());

type JsonObject = Record<string, unknown>;

function isPlainObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** cdktf's merge: objects merge key by key, arrays concatenate, undefined deletes. */
function deepMerge(target: JsonObject, source: JsonObject): void {
  for (const [key, value] of Object.entries(source)) {
    if (isPlainObject(value) && !Tokenization.isResolvable(value)) {
      if (!isPlainObject(target[key])) target[key] = {};
      deepMerge(target[key] as JsonObject, value);
    } else if (Array.isArray(value)) {
      const existing = target[key];
      target[key] = Array.isArray(existing) ? [...existing, ...value] : value;
    } else if (value === undefined) {
      delete target[key];
    } else {
      target[key] = value as IResolvable;
    }
  }
}

// What cdktf's encodings look like: string, list and map tokens carry "TfToken[", number tokens are
// doubles near -1.9e+289 (also when concatenated into a string).
const TOKEN_TEXT = 'TfToken[';
const NUMBER_TOKEN_TEXT = /e\+2\d\d/;

/**
 * cdktf's resolve over a plain value, handing only the parts that hold tokens to cdktf. Walking plain
 * data through cdktf's resolver (a context per value, several regexes per string) was two thirds of
 * synth. Same result: test/synth/index.test.ts compares with toTerraform() on every example stack.
 */
function fastResolve(value: unknown, slow: (value: unknown) => unknown): unknown {
  if (value === undefined || value === null) return value;
  switch (typeof value) {
    case 'string':
      return value.includes(TOKEN_TEXT) || NUMBER_TOKEN_TEXT.test(value) ? slow(value) : value;
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
    return value.map((x) => fastResolve(x, slow)).filter((x) => x !== undefined);
  }
  // Only literal objects take the fast path; anything with a prototype (a token, a Date) is cdktf's.
  const proto = Object.getPrototypeOf(value) as unknown;
  if ((proto !== Object.prototype && proto !== null) || Tokenization.isResolvable(value) || Object.keys(value).some((k) => k.includes(TOKEN_TEXT))) return slow(value);
  const out: JsonObject = {};
  for (const [key, v] of Object.entries(value)) {
    const resolved = fastResolve(v, slow);
    if (resolved !== undefined) out[key] = resolved;
  }
  return out;
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
 * The stack's `cdk.tf.json` content as a plain object (what toTerraform() returns, resolved once).
 * A stack with stack-level overrides (stack.addOverride) takes cdktf's own path.
 */
export function stackConfig(stack: TerraformStack, cdktfVersion: string): JsonObject {
  const overrides = (stack as unknown as { rawOverrides?: object }).rawOverrides;
  if (overrides && Object.keys(overrides).length > 0) return stack.toTerraform() as JsonObject;
  const slow = (value: unknown) => Tokenization.resolve(value, { scope: stack, preparing: false, resolver: RESOLVER });
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
