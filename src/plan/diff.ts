// Resource-level comparison of two synthesized stacks (cdk.tf.json), with the attribute changes,
// and which removals or replacements would destroy data or recovery points.
import diff from 'microdiff';
import { DATA_RESOURCES } from '../profiles/index.js';

export type StackJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  [key: string]: unknown;
};

export interface AttributeChange {
  /** e.g. rule[0].lifecycle.delete_after */
  readonly path: string;
  readonly before?: unknown;
  readonly after?: unknown;
}

export type ResourceAction = 'create' | 'update' | 'delete' | 'replace';

/** How a plan shows each action, as terraform does. */
export const ACTION_SIGN: Readonly<Record<ResourceAction, string>> = { create: '+', update: '~', delete: '-', replace: '-/+' };

export interface ResourceChange {
  /** type.name, as in Terraform. */
  readonly address: string;
  readonly type: string;
  readonly action: ResourceAction;
  readonly changes: readonly AttributeChange[];
  /** True when this change deletes a database, its backups, or what protects them. */
  readonly destroysData: boolean;
  /** Why a change is a replacement (the attributes that force it). */
  readonly reason?: string;
}

/**
 * Resource types whose deletion loses data or recovery points (or the key that decrypts them): the
 * engines' databases and the clouds' vaults, plans and keys, from their profiles (src/profiles).
 */
export const DATA_BEARING_TYPES: ReadonlySet<string> = new Set(Object.keys(DATA_RESOURCES));

/** Attributes that make the provider destroy and recreate the resource (ForceNew), for data-bearing types. */
const FORCES_REPLACEMENT: Readonly<Record<string, readonly string[]>> = DATA_RESOURCES;

// cdktf writes construct metadata under "//": not a resource attribute.
const withoutMetadata = (body: Record<string, unknown>) => {
  const { '//': _metadata, ...rest } = body;
  return rest;
};

function formatPath(path: readonly (string | number)[]): string {
  return path.reduce<string>((acc, seg) => (typeof seg === 'number' ? `${acc}[${seg}]` : acc ? `${acc}.${seg}` : seg), '');
}

function resources(stack: StackJson | undefined): Map<string, { type: string; body: Record<string, unknown> }> {
  const out = new Map<string, { type: string; body: Record<string, unknown> }>();
  for (const [type, byName] of Object.entries(stack?.resource ?? {})) {
    for (const [name, body] of Object.entries(byName)) out.set(`${type}.${name}`, { type, body: withoutMetadata(body) });
  }
  return out;
}

/** The changes that create a new stack: one per resource address (type.name). */
export function newStackChanges(addresses: readonly string[]): ResourceChange[] {
  return [...addresses]
    .sort()
    .map((address) => ({ address, type: address.slice(0, address.indexOf('.')), action: 'create', changes: [], destroysData: false }));
}

/** A change to a stack's non-resource blocks: providers, the backend, data sources, outputs. */
export interface BlockChange {
  /** provider.aws, provider.aws.copy, terraform.backend.s3, data.aws_caller_identity.me, output.endpoint. */
  readonly address: string;
  readonly kind: 'provider' | 'backend' | 'terraform' | 'data' | 'output' | 'other';
  readonly action: 'create' | 'update' | 'delete';
  readonly changes: readonly AttributeChange[];
  /** True when the state moves (backend type, bucket, key or prefix): Terraform would forget every resource. */
  readonly movesState: boolean;
}

/**
 * Backend settings that name where the state lives. Changing one points terraform at another (empty)
 * state: it forgets every resource and plans to create them anew, while the old ones keep running
 * unmanaged (https://developer.hashicorp.com/terraform/language/backend#changing-configuration).
 */
const STATE_LOCATION: ReadonlySet<string> = new Set(['bucket', 'key', 'prefix', 'workspace_key_prefix', 'path']);

type Block = { kind: BlockChange['kind']; body: unknown };

function blocks(stack: StackJson | undefined): Map<string, Block> {
  const out = new Map<string, Block>();
  for (const [top, value] of Object.entries(stack ?? {})) {
    if (top === 'resource' || top === '//' || value === undefined) continue;
    const obj = (value ?? {}) as Record<string, unknown>;
    if (top === 'terraform') {
      const { backend, ...rest } = obj as { backend?: Record<string, unknown> };
      for (const [type, body] of Object.entries(backend ?? {})) out.set(`terraform.backend.${type}`, { kind: 'backend', body });
      if (Object.keys(rest).length) out.set('terraform', { kind: 'terraform', body: rest });
    } else if (top === 'provider') {
      // cdktf writes each provider type as a list of configurations, told apart by alias.
      for (const [type, list] of Object.entries(obj)) {
        for (const config of Array.isArray(list) ? list : [list]) {
          const alias = (config as { alias?: unknown } | null)?.alias;
          out.set(`provider.${type}${typeof alias === 'string' ? `.${alias}` : ''}`, {
            kind: 'provider',
            body: withoutMetadata((config ?? {}) as Record<string, unknown>),
          });
        }
      }
    } else if (top === 'data') {
      for (const [type, byName] of Object.entries(obj)) {
        for (const [name, body] of Object.entries((byName ?? {}) as Record<string, Record<string, unknown>>))
          out.set(`data.${type}.${name}`, { kind: 'data', body: withoutMetadata(body ?? {}) });
      }
    } else if (top === 'output') {
      for (const [name, body] of Object.entries(obj)) out.set(`output.${name}`, { kind: 'output', body });
    } else {
      out.set(top, { kind: 'other', body: value });
    }
  }
  return out;
}

const attributeChanges = (a: unknown, b: unknown): AttributeChange[] => {
  const wrap = (v: unknown) => (typeof v === 'object' && v !== null ? (v as Record<string, unknown>) : { value: v });
  return diff(wrap(a), wrap(b)).map((d) => ({
    path: formatPath(d.path),
    ...('oldValue' in d ? { before: d.oldValue as unknown } : {}),
    ...('value' in d ? { after: d.value as unknown } : {}),
  }));
};

/** Changes to providers, backend, data sources and outputs between two versions of one stack. */
export function diffBlocks(before: StackJson | undefined, after: StackJson | undefined): BlockChange[] {
  if (!before || !after) return [];
  const old = blocks(before);
  const now = blocks(after);
  const out: BlockChange[] = [];
  for (const address of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const a = old.get(address);
    const b = now.get(address);
    const kind = (a ?? b)!.kind;
    if (!a || !b) {
      // A backend of another type is a different state store: the state moves.
      out.push({ address, kind, action: a ? 'delete' : 'create', changes: [], movesState: kind === 'backend' });
      continue;
    }
    const changes = attributeChanges(a.body, b.body);
    if (!changes.length) continue;
    const movesState = kind === 'backend' && changes.some((c) => STATE_LOCATION.has(c.path.split(/[.[]/)[0]!));
    out.push({ address, kind, action: 'update', changes, movesState });
  }
  return out;
}

export function diffStacks(before: StackJson | undefined, after: StackJson | undefined): ResourceChange[] {
  if (!before) return newStackChanges([...resources(after).keys()]);
  const old = resources(before);
  const now = resources(after);
  const changes: ResourceChange[] = [];
  for (const address of [...new Set([...old.keys(), ...now.keys()])].sort()) {
    const a = old.get(address);
    const b = now.get(address);
    if (!a && b) {
      changes.push(...newStackChanges([address]));
      continue;
    }
    if (a && !b) {
      changes.push({ address, type: a.type, action: 'delete', changes: [], destroysData: DATA_BEARING_TYPES.has(a.type) });
      continue;
    }
    const attributes = diff(a!.body, b!.body).map((d) => ({
      path: formatPath(d.path),
      ...('oldValue' in d ? { before: d.oldValue as unknown } : {}),
      ...('value' in d ? { after: d.value as unknown } : {}),
    }));
    if (attributes.length === 0) continue;
    // Terraform skips what the new configuration's lifecycle.ignore_changes lists (the restore arguments).
    const ignoreChanges = (b!.body.lifecycle as { ignore_changes?: unknown } | undefined)?.ignore_changes;
    const ignored = (attr: string) => ignoreChanges === 'all' || (Array.isArray(ignoreChanges) && ignoreChanges.includes(attr));
    const forcing = (FORCES_REPLACEMENT[a!.type] ?? []).filter(
      (attr) => !ignored(attr) && attributes.some((c) => c.path === attr || c.path.startsWith(`${attr}.`) || c.path.startsWith(`${attr}[`)),
    );
    changes.push({
      address,
      type: a!.type,
      action: forcing.length ? 'replace' : 'update',
      changes: attributes,
      destroysData: forcing.length > 0 && DATA_BEARING_TYPES.has(a!.type),
      ...(forcing.length ? { reason: `changing ${forcing.join(', ')} forces replacement` } : {}),
    });
  }
  return changes;
}
