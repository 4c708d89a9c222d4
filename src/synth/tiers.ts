// Alert tiers (issue 12 item 7, the whitepaper's page / notify / record), shared by both clouds:
// which tiers an alert reaches decides which channels it is sent to.
import type { ResolvedChannel } from '../model/resolved.js';

export type Tier = 'page' | 'notify' | 'record';
export const TIERS: readonly Tier[] = ['page', 'notify', 'record'];

/** resolve sets the tier; the schema's default (notify) covers a channel built by hand. */
export const tierOf = (channel: Pick<ResolvedChannel, 'tier'>): Tier => channel.tier ?? 'notify';

/**
 * A failed or missing backup of a production database pages, and reaches notify channels too; every
 * other alert, and every alert of other environments, notifies; everything is recorded.
 */
export function alertTiers(production: boolean, backupAlert: boolean): readonly Tier[] {
  return production && backupAlert ? ['page', 'notify', 'record'] : ['notify', 'record'];
}
