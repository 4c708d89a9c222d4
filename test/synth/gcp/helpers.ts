// Shared helpers for the GCP stack tests: the example repo's resolved databases, small hand-made
// databases, and synthesis straight through cdktf (no core needed).
import { isCloudSqlEngine } from '../../../src/synth/gcp/engine.js';
import { fileURLToPath } from 'node:url';
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { ResolvedDatabase } from '../../../src/model/resolved.js';
import { resolveDir } from '../../../src/pipeline.js';
import type { ResolvedRepo } from '../../../src/resolve/index.js';
import { stackConfig } from '../../../src/synth/cdktf.js';
import { buildGcpStack } from '../../../src/synth/gcp/index.js';
import { CDKTF_VERSION } from '../../../src/synth/index.js';
import { notesOf } from '../../../src/synth/notes.js';
import type { SynthContext } from '../../../src/synth/types.js';

export const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));
export const FIXTURES = fileURLToPath(new URL('../../fixtures/synth/gcp/', import.meta.url));

export function resolvedRepo(dir: string): ResolvedRepo {
  const result = resolveDir(dir);
  if (!result.ok) throw new Error(`fixture ${dir} does not resolve:\n${result.problems.map((p) => `${p.code} ${p.message}`).join('\n')}`);
  return result.repo;
}

let example: ResolvedRepo | undefined;
export function exampleRepo(): ResolvedRepo {
  example ??= resolvedRepo(REPO_ROOT);
  return example;
}

/** The example's GCP databases built by the Cloud SQL construct (not AlloyDB). */
export function exampleCloudSqlDatabases(): ResolvedDatabase[] {
  return exampleGcpDatabases().filter((db) => isCloudSqlEngine(db.engine));
}

export function exampleGcpDatabases(): ResolvedDatabase[] {
  return exampleRepo()
    .entries.map((e) => e.db)
    .filter((db) => db.cloud === 'gcp');
}

export function exampleDb(name: string): ResolvedDatabase {
  const db = exampleRepo().entries.find((e) => e.db.name === name)?.db;
  if (!db) throw new Error(`no database ${name} in the example repo`);
  return db;
}

export function context(repo: ResolvedRepo = exampleRepo()): SynthContext {
  return { config: repo.config, toolVersion: '0.0.0-test' };
}

/** A stack under a bare root (as the synth core does), so nothing reads the environment or writes files. */
export function newStack(name: string): TerraformStack {
  const root = new Construct(undefined as never, '');
  root.node.setContext('cdktfVersion', '0.21.0');
  return new TerraformStack(root, name);
}

/** Drops cdktf's "//" metadata (construct paths), as cdktf's Testing.synth does. */
function withoutMetadata(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutMetadata);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([k]) => k !== '//')
        .map(([k, v]) => [k, withoutMetadata(v)]),
    );
  }
  return value;
}

/** The stack's Terraform JSON as text (without metadata), synthesized by cdktf. */
export function stackText(stack: TerraformStack): string {
  // stackConfig, as synth writes it: escape boundary included (src/synth/escape.ts).
  return JSON.stringify(withoutMetadata(stackConfig(stack, CDKTF_VERSION)), null, 2);
}

export function synthText(db: ResolvedDatabase, ctx: SynthContext = context()): string {
  const stack = newStack(db.name);
  buildGcpStack(stack, db, ctx);
  return stackText(stack);
}

/** The notes the builder leaves for reviewers. */
export function synthNotes(db: ResolvedDatabase, ctx: SynthContext = context()): string[] {
  const stack = newStack(db.name);
  buildGcpStack(stack, db, ctx);
  return notesOf(stack);
}

export type TfJson = {
  provider?: Record<string, Record<string, unknown>[]>;
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
};

export function synthJson(db: ResolvedDatabase, ctx?: SynthContext): TfJson {
  return JSON.parse(synthText(db, ctx)) as TfJson;
}

/** Every resource of a type, as [logical id, config] pairs. */
export function resources(json: TfJson, type: string): [string, Record<string, any>][] {
  return Object.entries(json.resource?.[type] ?? {});
}

/** The only resource of a type (fails the test when there are none or several). */
export function only(json: TfJson, type: string): Record<string, any> {
  const found = resources(json, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]![1];
}

/** A resource of a type whose logical id contains `part`. */
export function named(json: TfJson, type: string, part: string): Record<string, any> {
  const found = resources(json, type).filter(([id]) => id.includes(part));
  if (found.length !== 1) throw new Error(`expected one ${type} matching ${part}, found ${found.map(([id]) => id).join(', ') || 'none'}`);
  return found[0]![1];
}

/** A copy of `db` with changes; backup fields merge one level deep. */
export function withChanges(
  db: ResolvedDatabase,
  changes: Partial<Omit<ResolvedDatabase, 'backup'>> & { backup?: Partial<ResolvedDatabase['backup']> },
): ResolvedDatabase {
  const { backup, ...rest } = changes;
  return { ...db, ...rest, backup: { ...db.backup, ...(backup ?? {}) } };
}

let features: ResolvedRepo | undefined;
/** test/fixtures/synth/gcp/pass-features: ledger (production MySQL, every option) and sandbox (development postgres). */
export function featuresRepo(): ResolvedRepo {
  features ??= resolvedRepo(`${FIXTURES}pass-features`);
  return features;
}

export function featureDb(name: 'ledger' | 'sandbox'): ResolvedDatabase {
  const db = featuresRepo().entries.find((e) => e.db.name === name)?.db;
  if (!db) throw new Error(`no database ${name} in pass-features`);
  return db;
}

export function synthFeature(name: 'ledger' | 'sandbox'): TfJson {
  return synthJson(featureDb(name), context(featuresRepo()));
}

/** Terraform JSON escapes `${` as `$${`; this undoes it for reading a workflow source. */
export function unescapeTerraform(text: string): string {
  return text.replace(/\$\$\{/g, '${').replace(/%%\{/g, '%{');
}
