// Shared by the synth tests: the example repo resolved once, variants of its databases, and
// accessors over a stack's JSON.
import { fileURLToPath } from 'node:url';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { ResolvedDatabase } from '../../src/model/resolved.js';
import { resolveDir } from '../../src/pipeline.js';
import type { ResolvedEntry, ResolvedRepo } from '../../src/resolve/index.js';
import { addBackend, backendFor } from '../../src/synth/backend.js';
import { CDKTF_VERSION, loadBuilder, synthStack } from '../../src/synth/index.js';
import type { SynthContext } from '../../src/synth/types.js';

export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

let repo: ResolvedRepo | undefined;

/** The example infra repo at the root of this checkout, resolved. */
export function exampleRepo(): ResolvedRepo {
  if (!repo) {
    const resolution = resolveDir(REPO_ROOT);
    if (!resolution.ok) throw new Error(`example repo does not resolve: ${resolution.problems.map((p) => p.message).join('; ')}`);
    repo = resolution.repo;
  }
  return repo;
}

export function exampleEntry(name: string): ResolvedEntry {
  const entry = exampleRepo().entries.find((e) => e.db.name === name);
  if (!entry) throw new Error(`no database ${name} in the example repo`);
  return entry;
}

export function awsEntries(): ResolvedEntry[] {
  return exampleRepo().entries.filter((e) => e.db.cloud === 'aws');
}

type DeepPartial<T> = { [K in keyof T]?: T[K] extends readonly unknown[] ? T[K] : T[K] extends object ? DeepPartial<T[K]> : T[K] };

function merge(base: unknown, patch: unknown): unknown {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const out: Record<string, unknown> = { ...(base as Record<string, unknown>) };
  for (const [k, v] of Object.entries(patch)) out[k] = v === undefined ? undefined : merge(out[k], v);
  for (const k of Object.keys(out)) if (out[k] === undefined) delete out[k];
  return out;
}

/** An example database with some fields changed (undefined removes a field). */
export function variant(name: string, patch: DeepPartial<ResolvedDatabase>): ResolvedDatabase {
  return merge(structuredClone(exampleEntry(name).db), patch) as ResolvedDatabase;
}

export function context(extra: Partial<SynthContext> = {}): SynthContext {
  return { config: exampleRepo().config, toolVersion: '0.0.0-test', ...extra };
}

export type StackJson = {
  '//': { dbaas: { notes?: string[]; version: string }; metadata: Record<string, unknown> };
  provider: { aws: Record<string, unknown>[] };
  resource: Record<string, Record<string, Record<string, any>>>;
  data?: Record<string, Record<string, Record<string, any>>>;
  terraform: { backend: Record<string, Record<string, unknown>>; required_version?: string };
};

/** Builds one database and returns the parsed cdk.tf.json. */
export async function synthJson(db: ResolvedDatabase, ctx: SynthContext = context()): Promise<StackJson> {
  await loadBuilder(db.cloud);
  return JSON.parse(synthStack(db, ctx).json) as StackJson;
}

/** All resources of a type, by logical name ({} when there are none). */
export function resources(json: StackJson, type: string): Record<string, Record<string, any>> {
  return json.resource[type] ?? {};
}

/** The one resource of a type with this logical name; throws when missing. */
export function resource(json: StackJson, type: string, name: string): Record<string, any> {
  const found = json.resource[type]?.[name];
  if (!found) throw new Error(`no ${type}.${name}; have ${Object.keys(json.resource[type] ?? {}).join(', ') || 'none of that type'}`);
  return found;
}

/** An example database's stack as cdktf holds it (backend and builder applied), before any synth. */
export async function buildExampleStack(db: ResolvedDatabase): Promise<TerraformStack> {
  const builder = await loadBuilder(db.cloud);
  const root = new Construct(undefined as never, '');
  root.node.setContext('cdktfVersion', CDKTF_VERSION);
  const stack = new TerraformStack(root, db.name);
  addBackend(stack, backendFor(db, exampleRepo().config));
  builder(stack, db, context());
  return stack;
}
