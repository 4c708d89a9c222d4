// Cloud resource names derived from the database name: deterministic, within each service's limit.
import { createHash } from 'node:crypto';

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 6);
}

/**
 * `${prefix}${name}${suffix}`, or when longer than `max`, the name cut short with a stable hash
 * in its place so two long names never collide.
 */
export function fitName(prefix: string, name: string, suffix: string, max: number): string {
  const full = `${prefix}${name}${suffix}`;
  if (full.length <= max) return full;
  const hash = shortHash(full);
  const room = max - prefix.length - suffix.length - hash.length - 1;
  return `${prefix}${name.slice(0, Math.max(room, 0))}-${hash}${suffix}`.slice(0, max);
}

/** Letters, digits and underscores only (names some services and terraform addresses require). */
export function underscored(text: string): string {
  return text.replace(/[^A-Za-z0-9_]/g, '_');
}
