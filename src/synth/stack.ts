// The cdktf half of synth: a stack's constructs in, its `cdk.tf.json` out. Loaded with the first
// builder (index.ts loadBuilder), so commands that never build a stack never load cdktf.
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { ResolvedDatabase } from '../model/resolved.js';
import { addBackend, backendFor } from './backend.js';
import { stackConfig, withCdktf } from './cdktf.js';
import { CDKTF_VERSION } from './cdktf-version.js';
import { SynthError } from './errors.js';
import { stableStringify } from './json.js';
import { notesOf } from './notes.js';
import { secretReads } from './secret-free.js';
import type { StackBuilder, SynthContext, SynthesizedStack } from './types.js';
import { ERR } from '../error-codes.js';

/** `use_lockfile` (S3 native state locking) arrived in Terraform 1.10. */
export const REQUIRED_TERRAFORM = '>= 1.10';

/** One database's stack (the caller has checked its text). */
export function buildDatabaseStack(db: ResolvedDatabase, ctx: SynthContext, builder: StackBuilder): SynthesizedStack {
  return buildStack(db.name, db.cloud, ctx, (stack) => builder(stack, db, ctx), { database: db.name }, `the ${db.cloud} stack`);
}

/** A stack that belongs to no database (see synthNamedStack in index.ts). */
export function buildNamedStack(
  name: string,
  cloud: SynthesizedStack['cloud'],
  ctx: SynthContext,
  fill: (stack: TerraformStack) => void,
  meta: Record<string, unknown>,
): SynthesizedStack {
  return buildStack(name, cloud, ctx, fill, meta, `the ${cloud} stack ${name}`);
}

function buildStack(
  name: string,
  cloud: SynthesizedStack['cloud'],
  ctx: SynthContext,
  fill: (stack: TerraformStack) => void,
  meta: Record<string, unknown>,
  subject: string,
): SynthesizedStack {
  return withCdktf(() => {
    // A bare root instead of cdktf's App: App reads CDKTF_* environment variables and creates an
    // output folder; toTerraform() needs neither.
    const root = new Construct(undefined as never, '');
    root.node.setContext('cdktfVersion', CDKTF_VERSION);
    const stack = new TerraformStack(root, name);
    const backend = backendFor({ name, cloud }, ctx.config);
    addBackend(stack, backend);
    // The core owns state; a builder adding its own backend collides with this one (cdktf id "backend").
    fill(stack);
    stack.runAllValidations();
    const config = stackConfig(stack, CDKTF_VERSION) as { '//': Record<string, unknown>; terraform: Record<string, unknown>; resource?: unknown };
    // Nothing secret in state: the PR plan job reads it, and baseline stacks share its bucket (src/synth/secret-free.ts).
    const secrets = secretReads(config);
    if (secrets.length > 0)
      throw new SynthError(
        ERR.SYNTH_SECRET_IN_STATE,
        [],
        `${subject} would keep a secret in Terraform state: ${secrets.join('; ')}`,
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
