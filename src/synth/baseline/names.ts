// Baseline stack names share the namespace of database stacks (state keys, plan folders, the apply
// manifest), so a database may not take one.
import { SynthError } from '../errors.js';
import { ERR } from '../../error-codes.js';

/** Every baseline stack's name starts with this; no database's may. */
export const BASELINE_PREFIX = 'baseline-';

/** Refuses a database name the baseline stacks use: their state and plan folders would be shared. */
export function reservedNameError(name: string): SynthError | undefined {
  if (!name.startsWith(BASELINE_PREFIX)) return undefined;
  return new SynthError(
    ERR.RESERVED_NAME,
    ['name'],
    `database name ${JSON.stringify(name)} starts with "${BASELINE_PREFIX}", which dbaas keeps for account baseline stacks`,
    name,
    `a name that does not start with "${BASELINE_PREFIX}", e.g. ${JSON.stringify(name.slice(BASELINE_PREFIX.length) || 'orders')}`,
  );
}
