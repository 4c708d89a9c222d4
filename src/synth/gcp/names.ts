// Resource names within GCP's limits. Long database names are cut and get a short stable hash so
// two long names never collide and the same input always gives the same name.
import { createHash } from 'node:crypto';

function shortHash(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 6);
}

/**
 * `<base>-<suffix>` in lower case, at most `max` characters, starting with a letter and ending with
 * a letter or digit. When it does not fit, the base is cut and a 6-character hash of the full name
 * is added.
 */
export function gcpName(base: string, suffix: string, max: number): string {
  const clean = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9-]/g, '-')
      .replace(/-+/g, '-')
      .replace(/^-|-$/g, '');
  const start = /^[a-z]/.test(clean(base)) ? clean(base) : `d-${clean(base)}`;
  const tail = clean(suffix);
  const full = tail ? `${start}-${tail}` : start;
  if (full.length <= max) return full;
  const hash = shortHash(full);
  const room = max - hash.length - 1 - (tail ? tail.length + 1 : 0);
  const cut = start.slice(0, Math.max(1, room)).replace(/-+$/, '');
  return tail ? `${cut}-${hash}-${tail}` : `${cut}-${hash}`;
}

/** Service account ids: 6–30 characters. */
export function serviceAccountId(db: string, purpose: string): string {
  return gcpName(db, purpose, 30);
}

/** Custom IAM role ids: letters, digits, "_" and ".", at most 64 characters. */
export function customRoleId(db: string, purpose: string): string {
  return gcpName(db, purpose, 64).replace(/-/g, '_');
}
