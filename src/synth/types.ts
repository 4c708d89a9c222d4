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
  /**
   * Build for an offline `terraform plan` (mock credentials, no network): providers skip their
   * credential and account checks, and secret or key look-ups become inert placeholders. Such a
   * stack must never be applied. Default: false.
   */
  readonly offlineCheck?: boolean;
}

/** Adds every resource of one database to `stack` (provider included; the core adds the backend). */
export type StackBuilder = (stack: TerraformStack, db: ResolvedDatabase, ctx: SynthContext) => void;

/** The synthesized stack: the `cdk.tf.json` text, byte-identical for the same input. */
export interface SynthesizedStack {
  readonly name: string;
  readonly cloud: ResolvedDatabase['cloud'];
  readonly json: string;
  /** What the reviewer must know or do outside the stack (see notes.ts). Default: none. */
  readonly notes: readonly string[];
  /** Every resource's address (type.name), sorted: what a plan lists for a new stack, without parsing `json`. */
  readonly addresses: readonly string[];
}
