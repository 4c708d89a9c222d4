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
  const resolve = (value: unknown) => Tokenization.resolve(value, { scope: stack, preparing: false, resolver: RESOLVER }) as JsonObject;
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
