// Synth core: one resolved database in, one `cdk.tf.json` out. Pure and deterministic (no clock, no
// paths, no random ids), so results can be cached by content hash or made in worker threads. Each
// cloud's builder is imported on first use: a repo with only AWS never loads the google provider.
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { problem, type Problem } from '../errors.js';
import type { ResolvedDatabase } from '../model/resolved.js';
import { locateResolved, type ResolvedEntry } from '../resolve/index.js';
import { cloudProfile } from '../profiles/index.js';
import { addBackend, backendFor } from './backend.js';
import { CDKTF_VERSION, stackConfig, withCdktf } from './cdktf.js';
import { SynthError } from './errors.js';
import { stableStringify } from './json.js';
import { reservedNameError } from './baseline/names.js';
import { notesOf } from './notes.js';
import { secretReads } from './secret-free.js';
import type { StackBuilder, SynthContext, SynthesizedStack } from './types.js';
import { ERR } from '../error-codes.js';

export type { StackBuilder, SynthContext, SynthesizedStack } from './types.js';
export { SynthError } from './errors.js';

type Cloud = ResolvedDatabase['cloud'];

export { CDKTF_VERSION } from './cdktf.js';
/** `use_lockfile` (S3 native state locking) arrived in Terraform 1.10. */
export const REQUIRED_TERRAFORM = '>= 1.10';

const loaded = new Map<Cloud, StackBuilder>();

/** Clouds whose builders are loaded, for tests and diagnostics. */
export function loadedClouds(): Cloud[] {
  return [...loaded.keys()].sort();
}

/** Imports a cloud's builder once; synthStack then runs synchronously. */
export async function loadBuilder(cloud: Cloud): Promise<StackBuilder> {
  const known = loaded.get(cloud);
  if (known) return known;
  const profile = cloudProfile(cloud);
  if (!profile) throw new Error(`no stack builder for cloud ${String(cloud)}`);
  const builder = await profile.builder();
  loaded.set(cloud, builder);
  return builder;
}

/**
 * The stack for one database. The cloud's builder must be loaded (loadBuilder), or passed in.
 * Throws SynthError for a database the cloud cannot express.
 */
export function synthStack(db: ResolvedDatabase, ctx: SynthContext, builder = loaded.get(db.cloud)): SynthesizedStack {
  if (!builder) throw new Error(`the ${db.cloud} stack builder is not loaded; await loadBuilder('${db.cloud}') first`);
  const reserved = reservedNameError(db.name);
  if (reserved) throw reserved;
  refuseTokenText(db, []);
  if (!checkedConfigs.has(ctx.config)) {
    refuseTokenText(ctx.config, ['config']);
    checkedConfigs.add(ctx.config);
  }
  return withCdktf(() => build(db, ctx, builder));
}

const checkedConfigs = new WeakSet<object>();

/**
 * Spec and config text the stack could not carry as it is. cdktf marks its references inside strings
 * as `${TfToken[TOKEN.n]}` and inside numbers as doubles near -1.9e+289; text in a spec or the config that looks like one would become a live reference to
 * another resource when the stack resolves, past the escape boundary (escape.ts). Text Terraform would
 * change (not NFC, lone surrogates) is refused too.
 */
function refuseTokenText(value: unknown, path: (string | number)[]): void {
  // One path array, pushed and popped on the way down (copied only for an error): this walk runs
  // over every database on every synth.
  const walk = (v: unknown): void => {
    if (typeof v === 'string') checkText(v, path);
    else if (typeof v === 'number') {
      if (v <= -1e288) throw refuseText(v, [...path], "a number in cdktf's reserved range");
    } else if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        path.push(i);
        walk(v[i]);
        path.pop();
      }
    } else if (v !== null && typeof v === 'object') {
      for (const k of Object.keys(v)) {
        path.push(k);
        checkText(k, path);
        walk((v as Record<string, unknown>)[k]);
        path.pop();
      }
    }
  };
  walk(value);
}

/** Printable ASCII: already NFC, no surrogate; only the marker and the number checks apply. */
const PLAIN_ASCII = /^[\x20-\x7e]*$/;

function checkText(value: string, path: readonly (string | number)[]): void {
  if (value.includes('TfToken[')) throw refuseText(value, [...path], 'cdktf\'s reserved marker "TfToken["');
  if (!PLAIN_ASCII.test(value)) {
    // Every Terraform string value is Unicode NFC: go-cty's StringVal applies NormalizeString
    // (norm.NFC), zclconf/go-cty cty/value_init.go. Other text would reach the cloud changed;
    // test/synth/escape-terraform.test.ts saw it (U+F98C became U+6B77, "e\u0301" became "é").
    if (/\p{Surrogate}/u.test(value)) throw refuseText(value, [...path], 'a lone UTF-16 surrogate (not text)', 'well-formed Unicode text');
    if (value.normalize('NFC') !== value)
      throw refuseText(
        value,
        [...path],
        'text that is not in Unicode normal form C, which Terraform would store changed',
        `the same text composed (NFC): ${JSON.stringify(value.normalize('NFC'))}`,
      );
  }
  if (!/e\+/i.test(value)) return;
  for (const m of value.matchAll(/-[\d.]+e\+\d+/gi))
    if (Number.parseFloat(m[0]) <= -1e288) throw refuseText(value, [...path], "a number in cdktf's reserved range");
}

function refuseText(value: unknown, path: (string | number)[], what: string, expected?: string): SynthError {
  const where = path[0] === 'config' ? 'dbaas.config.yaml' : 'the spec';
  return expected
    ? new SynthError(ERR.SYNTH_TEXT, path, `${where} holds ${what}`, value, expected)
    : new SynthError(
        ERR.SYNTH_RESERVED_TEXT,
        path,
        `${where} holds ${what}, which the stack would read as a reference to another resource`,
        value,
        'text without "TfToken[" and numbers above -1e288',
      );
}

function build(db: ResolvedDatabase, ctx: SynthContext, builder: StackBuilder): SynthesizedStack {
  // A bare root instead of cdktf's App: App reads CDKTF_* environment variables and creates an
  // output folder; toTerraform() needs neither.
  const root = new Construct(undefined as never, '');
  root.node.setContext('cdktfVersion', CDKTF_VERSION);
  const stack = new TerraformStack(root, db.name);
  const backend = backendFor(db, ctx.config);
  addBackend(stack, backend);
  // The core owns state; a builder adding its own backend collides with this one (cdktf id "backend").
  builder(stack, db, ctx);
  stack.runAllValidations();
  const config = stackConfig(stack, CDKTF_VERSION) as { '//': Record<string, unknown>; terraform: Record<string, unknown>; resource?: unknown };
  // Nothing secret in state: the PR plan job reads it (src/synth/secret-free.ts).
  const secrets = secretReads(config);
  if (secrets.length > 0)
    throw new SynthError(
      ERR.SYNTH_SECRET_IN_STATE,
      [],
      `the ${db.cloud} stack would keep a secret in Terraform state: ${secrets.join('; ')}`,
      undefined,
      'a stack that reads and holds no secret',
    );
  const notes = notesOf(stack);
  config['//'].dbaas = { version: ctx.toolVersion, database: db.name, cloud: db.cloud, ...(notes.length ? { notes } : {}) };
  if (backend.type === 's3' && 'useLockfile' in backend.lock) config.terraform.required_version = REQUIRED_TERRAFORM;
  const resources = (config.resource ?? {}) as Record<string, Record<string, unknown>>;
  const addresses = Object.entries(resources)
    .flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`))
    .sort();
  return { name: db.name, cloud: db.cloud, json: stableStringify(config), notes, addresses };
}

/**
 * A stack that belongs to no database (the account baselines, src/synth/baseline): the same root,
 * backend, validations, token hygiene and metadata shape as a database's stack.
 */
export function synthNamedStack(
  name: string,
  cloud: Cloud,
  ctx: SynthContext,
  fill: (stack: TerraformStack) => void,
  meta: Record<string, unknown>,
): SynthesizedStack {
  refuseTokenText(ctx.config, ['config']);
  return withCdktf(() => {
    const root = new Construct(undefined as never, '');
    root.node.setContext('cdktfVersion', CDKTF_VERSION);
    const stack = new TerraformStack(root, name);
    const backend = backendFor({ name, cloud }, ctx.config);
    addBackend(stack, backend);
    fill(stack);
    stack.runAllValidations();
    const config = stackConfig(stack, CDKTF_VERSION) as { '//': Record<string, unknown>; terraform: Record<string, unknown>; resource?: unknown };
    // Baseline stacks share the state bucket the PR plan job reads (src/synth/secret-free.ts).
    const secrets = secretReads(config);
    if (secrets.length > 0)
      throw new SynthError(
        ERR.SYNTH_SECRET_IN_STATE,
        [],
        `the ${cloud} stack ${name} would keep a secret in Terraform state: ${secrets.join('; ')}`,
        undefined,
        'a stack that reads and holds no secret',
      );
    const notes = notesOf(stack);
    config['//'].dbaas = { version: ctx.toolVersion, ...meta, cloud, ...(notes.length ? { notes } : {}) };
    if (backend.type === 's3' && 'useLockfile' in backend.lock) config.terraform.required_version = REQUIRED_TERRAFORM;
    const resources = (config.resource ?? {}) as Record<string, Record<string, unknown>>;
    const addresses = Object.entries(resources)
      .flatMap(([type, byName]) => Object.keys(byName).map((n) => `${type}.${n}`))
      .sort();
    return { name, cloud, json: stableStringify(config), notes, addresses };
  });
}

export function synthProblem(entry: ResolvedEntry, error: SynthError): Problem {
  return problem({
    code: error.code,
    message: error.message,
    location: locateResolved(entry, error.path),
    field: error.path.join('.'),
    ...(error.value !== undefined ? { value: error.value } : {}),
    ...(error.expected !== undefined ? { expected: error.expected } : {}),
  });
}
