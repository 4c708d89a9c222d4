// plan --environment: each environment's apply job plans only its own databases.
import type { Environment } from '../spec/generated.js';
import type { TouchedStack } from './affected.js';

/** The touched stacks of one environment: the head spec's, or for a removed database the base's. */
export function inEnvironment<T extends Pick<TouchedStack, 'head' | 'base'>>(touched: readonly T[], environment: Environment | undefined): T[] {
  if (!environment) return [...touched];
  return touched.filter((t) => (t.head ?? t.base)?.db.environment === environment);
}
