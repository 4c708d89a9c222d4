// A resolved database that cannot become a stack (a schedule AWS cannot express, a secret store the
// cloud cannot read). Carries the resolved field path so the command can point at file:line:column.
import type { FieldPath } from '../load/yaml.js';

export class SynthError extends Error {
  override readonly name = 'SynthError';
  constructor(
    /** Stable code, e.g. DBAAS_SYNTH_CRON. */
    readonly code: string,
    /** Path in the resolved database, e.g. ['backup', 'schedule']; locateResolved maps it to a file. */
    readonly path: FieldPath,
    message: string,
    readonly value?: unknown,
    readonly expected?: string,
  ) {
    super(message);
  }
}
