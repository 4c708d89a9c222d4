// GCP labels: lower-case keys and values of letters, digits, "_" and "-", at most 63 characters,
// keys starting with a letter. Spec labels are free-form, so they are rewritten deterministically.
import type { ResolvedDatabase } from '../../model/resolved.js';

export type GcpLabels = Readonly<Record<string, string>>;

const MAX = 63;

/** Lower-cases, replaces anything outside [a-z0-9_-] with "_", and cuts to 63 characters. */
export function labelValue(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '_')
    .slice(0, MAX);
}

/** As labelValue, and a key that does not start with a letter gets an "l_" prefix (GCP requires one). */
export function labelKey(key: string): string {
  const value = labelValue(key);
  return (/^[a-z]/.test(value) ? value : `l_${value}`).slice(0, MAX);
}

/**
 * The labels every resource of this database carries: the database's own labels (sanitized), then
 * team, database, environment and managed-by, which a spec label cannot override. Keys are sorted
 * so the synthesized JSON does not depend on the order labels were written in.
 */
export function databaseLabels(db: ResolvedDatabase): GcpLabels {
  const labels: Record<string, string> = {};
  for (const key of Object.keys(db.labels).sort()) {
    const value = db.labels[key];
    if (value !== undefined) labels[labelKey(key)] = labelValue(value);
  }
  Object.assign(labels, {
    team: labelValue(db.team),
    database: labelValue(db.name),
    environment: labelValue(db.environment),
    'managed-by': 'dbaas',
  });
  return Object.fromEntries(
    Object.keys(labels)
      .sort()
      .map((k) => [k, labels[k] as string]),
  );
}
