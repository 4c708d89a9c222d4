// Synth core: one resolved database in, one `cdk.tf.json` out. Pure and deterministic (no clock, no
// paths, no random ids), so results can be cached by content hash or made in worker threads. Each
// cloud's builder is imported on first use: a repo with only AWS never loads the google provider.
import type { TerraformStack } from 'cdktf';
import { problem, type Problem } from '../errors.js';
import type { ResolvedDatabase } from '../model/resolved.js';
import { locateResolved, type ResolvedEntry } from '../resolve/index.js';
import { cloudProfile } from '../profiles/index.js';
import { SynthError } from './errors.js';
import { reservedNameError } from './baseline/names.js';
import type { StackBuilder, SynthContext, SynthesizedStack } from './types.js';
import { ERR } from '../error-codes.js';

export type { StackBuilder, SynthContext, SynthesizedStack } from './types.js';
export { SynthError } from './errors.js';

type Cloud = ResolvedDatabase['cloud'];

export { CDKTF_VERSION } from './cdktf-version.js';

const loaded = new Map<Cloud, StackBuilder>();
let core: typeof import('./stack.js') | undefined;

/** Loads cdktf and the stack core once (loadBuilder does too); synthNamedStack needs it. */
export async function loadStackCore(): Promise<void> {
  core ??= await import('./stack.js');
}

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
  await loadStackCore();
  const builder = await profile.builder();
  loaded.set(cloud, builder);
  return builder;
}

/**
 * The stack for one database. The cloud's builder must be loaded (loadBuilder), or passed in.
 * Throws SynthError for a database the cloud cannot express.
 */
export function synthStack(db: ResolvedDatabase, ctx: SynthContext, builder = loaded.get(db.cloud)): SynthesizedStack {
  const stacks = core;
  if (!builder || !stacks) throw new Error(`the ${db.cloud} stack builder is not loaded; await loadBuilder('${db.cloud}') first`);
  const reserved = reservedNameError(db.name);
  if (reserved) throw reserved;
  refuseTokenText(db, []);
  if (!checkedConfigs.has(ctx.config)) {
    refuseTokenText(ctx.config, ['config']);
    checkedConfigs.add(ctx.config);
  }
  return stacks.buildDatabaseStack(db, ctx, builder);
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

/**
 * A stack that belongs to no database (the account baselines, src/synth/baseline): the same root,
 * backend, validations, token hygiene and metadata shape as a database's stack. Needs loadStackCore().
 */
export function synthNamedStack(
  name: string,
  cloud: Cloud,
  ctx: SynthContext,
  fill: (stack: TerraformStack) => void,
  meta: Record<string, unknown>,
): SynthesizedStack {
  if (!core) throw new Error('the stack core is not loaded; await loadStackCore() first');
  refuseTokenText(ctx.config, ['config']);
  return core.buildNamedStack(name, cloud, ctx, fill, meta);
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
