// The contract between the synth core and each cloud folder. A cloud builds one stack for one
// resolved database; the core owns the app, the backend, the output and the cache.
import type { TerraformStack } from 'cdktf';
import type { ResolvedDatabase } from '../model/resolved.js';
import type { DbaasConfig } from '../spec/generated.js';

export interface SynthContext {
  /** The repo config (state backends, accounts, projects). */
  readonly config: DbaasConfig;
  /** dbaas version, recorded in the stack so a plan can tell which tool made it. */
  readonly toolVersion: string;
}

/** Adds every resource of one database to `stack` (provider and backend included). */
export type StackBuilder = (stack: TerraformStack, db: ResolvedDatabase, ctx: SynthContext) => void;

/** The synthesized stack: the `cdk.tf.json` text, byte-identical for the same input. */
export interface SynthesizedStack {
  readonly name: string;
  readonly cloud: ResolvedDatabase['cloud'];
  readonly json: string;
}
