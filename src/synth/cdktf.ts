// cdktf behind one door, and the only module that reaches into cdktf's internals. Four speed-ups
// depend on how cdktf 0.21.0 works inside (each explained where it is defined):
// - stackConfig's fast path: one resolve pass (fastResolve) instead of toTerraform()'s two;
// - keysToSnakeCase memoized and processDynamicAttributes as a plain loop, both swapped into cdktf's
//   private `cdktf/lib/util` exports;
// - the stack-trace switch: no stack trace captured per token;
// - token map pruning: the tokens of a finished stack dropped from cdktf's global token map.
// They run only on the cdktf version they were written for (FAST_PATH_VERSION, checked against the
// installed package.json at run time) and only inside withCdktf(); any other version, or
// DBAAS_CDKTF_FAST=off, takes cdktf's own stack.toTerraform() with none of them (slower, and memory
// grows with the stack count). Both paths cross the escape boundary (escape.ts).
// test/synth/cdktf.test.ts runs both over every example and bench-shaped stack and requires equal JSON.
import { DefaultTokenResolver, StringConcat, TerraformElement, TerraformOutput, TerraformStack, Token, Tokenization } from 'cdktf';
// The default import of a CommonJS module is its exports object itself, in Node and in esbuild's bundle
// (node mode): the one object cdktf's own modules call through, so a function replaced on it reaches them.
import cdktfUtilModule from 'cdktf/lib/util.js';
import cdktfDynamicBlockModule from 'cdktf/lib/terraform-dynamic-block.js';
import type { IConstruct } from 'constructs';
import { escapeTemplate, resolveTemplate } from './escape.js';
import { isObject as isPlainObject } from '../json.js';
import { CDKTF_VERSION } from './cdktf-version.js';

/** The cdktf release the fast path was written against (and tested on). */
export const FAST_PATH_VERSION = '0.21.0';

export type CdktfPath = 'fast' | 'fallback';

/** Which path a process takes: fast only on FAST_PATH_VERSION, and not when DBAAS_CDKTF_FAST=off. */
export function chooseCdktfPath(version: string, env: NodeJS.ProcessEnv = process.env): { path: CdktfPath; reason: string } {
  if (env.DBAAS_CDKTF_FAST === 'off') return { path: 'fallback', reason: 'DBAAS_CDKTF_FAST=off' };
  if (version !== FAST_PATH_VERSION) return { path: 'fallback', reason: `cdktf ${version} is installed; the fast path was written for ${FAST_PATH_VERSION}` };
  return { path: 'fast', reason: `cdktf ${version}` };
}

const RESOLVER = new DefaultTokenResolver(new StringConcat());

type JsonObject = Record<string, unknown>;

type KeysToSnakeCase = (object: unknown) => unknown;
type ProcessDynamicAttributes = (attributes: JsonObject) => JsonObject;
type CdktfUtil = { snakeCase: (key: string) => string; keysToSnakeCase: KeysToSnakeCase; processDynamicAttributes: ProcessDynamicAttributes };
type DynamicBlock = { toTerraformDynamicBlockJson: () => unknown };
let isDynamicBlock: (value: unknown) => value is DynamicBlock = (_value): _value is DynamicBlock => false;

/** cdktf's private util module, when it has the shape the fast path needs. */
function loadCdktfUtil(): CdktfUtil | undefined {
  try {
    const util = cdktfUtilModule as unknown as Partial<CdktfUtil>;
    const dynamic = cdktfDynamicBlockModule as unknown as { TerraformDynamicBlock?: { isTerraformDynamicBlock?: (x: unknown) => boolean } };
    const check = dynamic.TerraformDynamicBlock?.isTerraformDynamicBlock;
    if (
      typeof util.snakeCase !== 'function' ||
      typeof util.keysToSnakeCase !== 'function' ||
      typeof util.processDynamicAttributes !== 'function' ||
      typeof check !== 'function'
    )
      return undefined;
    isDynamicBlock = (value): value is DynamicBlock => check(value);
    return util as CdktfUtil;
  } catch {
    return undefined;
  }
}

let chosen = chooseCdktfPath(CDKTF_VERSION);
const cdktfUtil = chosen.path === 'fast' ? loadCdktfUtil() : undefined;
if (chosen.path === 'fast' && !cdktfUtil) chosen = { path: 'fallback', reason: 'cdktf/lib/util has no snakeCase/keysToSnakeCase' };

/** cdktf's own keysToSnakeCase (undefined on the fallback path), kept for the test that holds the replacement to it. */
export const cdktfKeysToSnakeCase: KeysToSnakeCase | undefined = cdktfUtil?.keysToSnakeCase;
/** cdktf's own processDynamicAttributes (undefined on the fallback path), for the same kind of test. */
export const cdktfProcessDynamicAttributes: ProcessDynamicAttributes | undefined = cdktfUtil?.processDynamicAttributes;

/** The path synth takes in this process, and why. */
export function cdktfPath(): { path: CdktfPath; reason: string } {
  return chosen;
}

/** For tests: take `path` from now on (the fast path only where it is available). */
export function setCdktfPath(path: CdktfPath): void {
  if (path === 'fast' && !cdktfUtil) throw new Error(`the fast path is not available: ${chosen.reason}`);
  chosen = { path, reason: 'set by setCdktfPath' };
}

const snakeCaseKeys = new Map<string, string>();

/**
 * cdktf's keysToSnakeCase with the key conversion memoized. cdktf runs three regexes over every key
 * of every resource and provider block (the AWS provider block alone has hundreds), ~7 % of synth;
 * the keys are the same few hundred names in every stack. cdktf 0.21 calls it through the module's
 * exports, so replacing the export (inside withCdktf) reaches every caller.
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
    if (snake === undefined) snakeCaseKeys.set(key, (snake = cdktfUtil!.snakeCase(key)));
    out[snake] = value;
  }
  return out;
}

/**
 * cdktf's processDynamicAttributes (moves dynamic blocks under `dynamic`, copies the rest) as a plain
 * loop: cdktf's builds an entries array and a closure per object, ~4 % of synth. Same result, same
 * key order. test/synth/cdktf.test.ts holds it to cdktf's own on every example stack's attributes.
 * The top level is always a new object (toTerraform merges the meta-arguments into it); below it, an
 * object without a dynamic block anywhere under it is returned as it is: the provider's
 * synthesizeAttributes() builds every nested object afresh for each call, so nothing else holds it.
 */
export function processDynamicAttributes(attributes: JsonObject): JsonObject {
  return withDynamicBlocks(attributes, true);
}

function withDynamicBlocks(attributes: JsonObject, copyAlways: boolean): JsonObject {
  let result: JsonObject | undefined = copyAlways ? {} : undefined;
  const names = Object.keys(attributes);
  for (let i = 0; i < names.length; i++) {
    const name = names[i]!;
    const value = attributes[name];
    let next = value;
    let dynamic = false;
    if (isDynamicBlock(value)) dynamic = true;
    else if (value !== null && typeof value === 'object' && value.constructor === Object) next = withDynamicBlocks(value as JsonObject, false);
    if (!result) {
      if (!dynamic && next === value) continue;
      result = {};
      for (let j = 0; j < i; j++) result[names[j]!] = attributes[names[j]!];
    }
    if (dynamic) {
      if (!result.dynamic) result.dynamic = {};
      (result.dynamic as JsonObject)[name] = (value as DynamicBlock).toTerraformDynamicBlockJson();
    } else result[name] = next;
  }
  return result ?? attributes;
}

type TokenMaps = { stringTokenMap: Map<unknown, unknown>; numberTokenMap: Map<unknown, unknown> };
const tokenMaps = () => (globalThis as { __cdktfTokenMap?: TokenMaps }).__cdktfTokenMap;

function tokenMapSizes(): [number, number] {
  const maps = tokenMaps();
  return [maps?.stringTokenMap?.size ?? 0, maps?.numberTokenMap?.size ?? 0];
}

/**
 * cdktf registers every token of every stack in one process-wide map and never lets go: 10,000
 * stacks held ~2 GiB. The tokens a finished stack added are never resolved again; the ones made
 * before it (when modules load) stay.
 */
function forgetTokensSince([strings, numbers]: [number, number]): void {
  const maps = tokenMaps();
  if (!(maps?.stringTokenMap instanceof Map) || !(maps.numberTokenMap instanceof Map)) return;
  for (const [map, keep] of [
    [maps.stringTokenMap, strings],
    [maps.numberTokenMap, numbers],
  ] as const) {
    let index = 0;
    for (const key of [...map.keys()]) if (index++ >= keep) map.delete(key);
  }
}

/**
 * Builds and synthesizes one stack inside `fn`. On the fast path: cdktf's keysToSnakeCase is the
 * memoized one and processDynamicAttributes the plain loop; capturing a stack trace onto a plain object is a no-op (cdktf captures one for every
 * token it creates, for error messages that never show here: a third of synth time; errors keep
 * theirs); and the tokens the stack added are dropped from cdktf's token map afterwards. The fallback
 * runs `fn` as it is.
 */
export function withCdktf<T>(fn: () => T): T {
  if (chosen.path !== 'fast' || !cdktfUtil) return fn();
  const mark = tokenMapSizes();
  // eslint-disable-next-line @typescript-eslint/unbound-method -- V8's captureStackTrace reads no this; it is put back as it was
  const original = Error.captureStackTrace;
  const originalKeys = cdktfUtil.keysToSnakeCase;
  const originalDynamic = cdktfUtil.processDynamicAttributes;
  // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type -- the parameter type of Error.captureStackTrace
  Error.captureStackTrace = (target: object, constructorOpt?: Function) => {
    if (target instanceof Error) original(target, constructorOpt);
  };
  cdktfUtil.keysToSnakeCase = keysToSnakeCase;
  cdktfUtil.processDynamicAttributes = processDynamicAttributes;
  try {
    return fn();
  } finally {
    Error.captureStackTrace = original;
    cdktfUtil.keysToSnakeCase = originalKeys;
    cdktfUtil.processDynamicAttributes = originalDynamic;
    forgetTokensSince(mark);
  }
}

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
/** Every cdktf number token is below this (its marker bits make the exponent 2^960 or more, negative): a cheap first test. */
const NUMBER_TOKEN_CEILING = -1e288;
const isNumberToken = (value: number) => value <= NUMBER_TOKEN_CEILING && Token.isUnresolved(value);

/**
 * cdktf's resolution of the tokens in one stack: `resolve` hands a value to cdktf; `marker` resolves
 * the token a `${TfToken[...]}` marker names, once per marker and stack (a stack refers to the same
 * few resources many times over; a token resolves the same way each time within one stack).
 */
class StackTokens {
  private readonly markers = new Map<string, { value: unknown } | undefined>();

  constructor(readonly resolve: (value: unknown) => unknown) {}

  marker(marker: string): { value: unknown } | undefined {
    if (this.markers.has(marker)) return this.markers.get(marker);
    const found = this.resolveMarker(marker);
    // Only text and numbers are kept: an object would be shared by every place it appears.
    if (found === undefined || found.value === null || typeof found.value !== 'object') this.markers.set(marker, found);
    return found;
  }

  private resolveMarker(marker: string): { value: unknown } | undefined {
    let token;
    try {
      token = Tokenization.reverseString(marker).firstToken;
    } catch {
      return undefined; // names no token (cdktf throws): literal text
    }
    if (!token) return undefined;
    // The token itself, not its marker: cdktf would split the marker into fragments again and
    // resolve the one token the same way (DefaultTokenResolver.resolveString). Only a result that
    // still holds a number token needs cdktf's string pass.
    const value = this.resolve(token);
    return { value: typeof value === 'string' && NUMBER_TOKEN_TEXT.test(value) ? this.resolve(marker) : value };
  }
}

/**
 * A string as Terraform will read it: literal text escaped (escape.ts), each cdktf token resolved by
 * cdktf on its own and left live. cdktf would also read a literal `${` next to a token as the start of
 * a hand-written expression; here no literal is ever syntax.
 */
function resolveString(value: string, tokens: StackTokens): unknown {
  if (!value.includes(TOKEN_TEXT) && !(value.includes('e+') && NUMBER_TOKEN_TEXT.test(value))) return escapeTemplate(value);
  return resolveTemplate(
    value,
    (marker) => tokens.marker(marker),
    (escaped) => (NUMBER_TOKEN_TEXT.test(escaped) ? tokens.resolve(escaped) : escaped),
  );
}

function resolveKey(key: string, tokens: StackTokens): string {
  const resolved = resolveString(key, tokens);
  if (typeof resolved !== 'string') throw new Error(`an object key resolved to ${typeof resolved}, not a string: ${key}`);
  return resolved;
}

/**
 * cdktf's resolve over a plain value, handing only the parts that hold tokens to cdktf. Walking plain
 * data through cdktf's resolver (a context per value, several regexes per string) was two thirds of
 * synth. Same result: test/synth/index.test.ts compares with toTerraform() on every example stack.
 * Every string and key also crosses the escape boundary here (escape.ts).
 */
function fastResolve(value: unknown, tokens: StackTokens): unknown {
  if (value === undefined || value === null) return value;
  switch (typeof value) {
    case 'string':
      return resolveString(value, tokens);
    case 'number':
      return isNumberToken(value) ? tokens.resolve(value) : value;
    case 'boolean':
      return value;
    case 'object':
      break;
    default:
      return tokens.resolve(value);
  }
  if (Array.isArray(value)) {
    // List tokens are resolved as a whole list by cdktf.
    if (value.some((x) => (typeof x === 'string' && x.includes(TOKEN_TEXT)) || (typeof x === 'number' && isNumberToken(x)))) return tokens.resolve(value);
    let copy: unknown[] | undefined;
    for (let i = 0; i < value.length; i++) {
      const resolved = fastResolve(value[i], tokens);
      if (!copy && resolved === value[i] && resolved !== undefined) continue;
      copy ??= value.slice(0, i);
      if (resolved !== undefined) copy.push(resolved);
    }
    return copy ?? value;
  }
  // Only literal objects take the fast path; anything with a prototype (a token, a Date) is cdktf's.
  const proto = Object.getPrototypeOf(value) as unknown;
  if ((proto !== Object.prototype && proto !== null) || Tokenization.isResolvable(value)) return tokens.resolve(value);
  const keys = Object.keys(value);
  // Copy on write: most of a fragment holds no token, and copying it all was a tenth of synth.
  let copy: JsonObject | undefined;
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const original = (value as JsonObject)[key];
    const resolved = fastResolve(original, tokens);
    // Terraform reads object keys as templates too (a tag key `${...}` is evaluated).
    const newKey = key.includes('{') ? resolveKey(key, tokens) : key;
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
 * The stack's `cdk.tf.json` content as a plain object (what toTerraform() returns), every literal
 * string and key escaped for Terraform (escape.ts), on the process's path (cdktfPath) unless `path`
 * says otherwise. Stack-level overrides are refused on both: they would bypass the escape boundary.
 */
export function stackConfig(stack: TerraformStack, cdktfVersion: string, path: CdktfPath = chosen.path): JsonObject {
  const overrides = (stack as unknown as { rawOverrides?: object }).rawOverrides;
  // cdktf's own path would skip the escape boundary (escape.ts); no builder needs stack-level overrides.
  if (overrides && Object.keys(overrides).length > 0) throw stackOverrides(stack);
  return path === 'fast' && cdktfUtil ? fastConfig(stack, cdktfVersion) : fallbackConfig(stack);
}

const stackOverrides = (stack: TerraformStack) =>
  new Error(`stack ${stack.node.id} has stack-level overrides, which would bypass the escape boundary; override the element instead`);

/** toTerraform() resolved once: each element's fragment, not the merged whole a second time. */
function fastConfig(stack: TerraformStack, cdktfVersion: string): JsonObject {
  const tokens = new StackTokens((value) => Tokenization.resolve(value, { scope: stack, preparing: false, resolver: RESOLVER }));
  const resolve = (value: unknown) => fastResolve(value, tokens) as JsonObject;
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

/**
 * cdktf's own stack.toTerraform(), through public API only, with the escape boundary applied to each
 * element's fragment before cdktf resolves it: every element's toTerraform()/toMetadata() is wrapped
 * for the call (an own property over the prototype's method, removed afterwards) so that literal
 * text is escaped and token markers are left for cdktf.
 */
function fallbackConfig(stack: TerraformStack): JsonObject {
  const elements = stack.node.findAll().filter((c): c is TerraformElement => TerraformElement.isTerraformElement(c));
  type Wrappable = { toTerraform: () => unknown; toMetadata: () => unknown };
  for (const element of elements as unknown as Wrappable[]) {
    const { toTerraform, toMetadata } = element;
    element.toTerraform = () => escapeLiterals(toTerraform.call(element));
    element.toMetadata = () => escapeLiterals(toMetadata.call(element));
  }
  let config: JsonObject;
  try {
    config = stack.toTerraform() as JsonObject;
  } finally {
    for (const element of elements as unknown as Wrappable[]) {
      delete (element as Partial<Wrappable>).toTerraform;
      delete (element as Partial<Wrappable>).toMetadata;
    }
  }
  // cdktf names stack-level overrides in the metadata: a version whose field we could not read above.
  const meta = (config['//'] as { metadata?: { overrides?: { stack?: unknown } } } | undefined)?.metadata;
  if (meta?.overrides?.stack !== undefined) throw stackOverrides(stack);
  return config;
}

/** Whether a `${TfToken[...]}` marker names a live cdktf token (public API). */
function isLiveMarker(marker: string): boolean {
  try {
    return Tokenization.reverseString(marker).firstToken !== undefined;
  } catch {
    return false;
  }
}

/**
 * An unresolved fragment with every literal string and key escaped (escape.ts) and every token left
 * as it is, for cdktf to resolve: the fallback's half of the boundary. It treats the same values as
 * literal as fastResolve does (tokens and objects with a prototype are cdktf's).
 */
function escapeLiterals(value: unknown): unknown {
  if (typeof value === 'string') {
    if (!value.includes(TOKEN_TEXT)) return escapeTemplate(value);
    return resolveTemplate(value, (marker) => (isLiveMarker(marker) ? { value: marker } : undefined));
  }
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    if (value.some((x) => (typeof x === 'string' && x.includes(TOKEN_TEXT)) || (typeof x === 'number' && Token.isUnresolved(x)))) return value;
    return value.map(escapeLiterals);
  }
  const proto = Object.getPrototypeOf(value) as unknown;
  if ((proto !== Object.prototype && proto !== null) || Tokenization.isResolvable(value)) return value;
  const out: JsonObject = {};
  for (const key of Object.keys(value)) {
    const newKey = key.includes('{') ? String(escapeLiterals(key)) : key;
    out[newKey] = escapeLiterals((value as JsonObject)[key]);
  }
  return out;
}
