// The restore a stack performs, read from the stack that was built (like the posture): the restore
// arguments on its database resource, not the spec. Pure: stack JSON in, restore out.
import type { StackJson } from './diff.js';

export interface StackRestore {
  /** The source database (instance, cluster or table name). */
  readonly source: string;
  /** The point in time (UTC, as the stack says it), "latest", or "backup" for the newest backup. */
  readonly at: string;
  /** "restore of orders at 2026-11-29T10:15Z". */
  readonly label: string;
}

type Body = Record<string, unknown>;
const first = (v: unknown): Body | undefined => (Array.isArray(v) ? (v[0] as Body | undefined) : v && typeof v === 'object' ? (v as Body) : undefined);
const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/** 2026-11-29T10:15:00Z → 2026-11-29T10:15Z; anything else as it is. */
function shortTime(time: string): string {
  return time.replace(/:00(\.0+)?Z$/, 'Z');
}

function label(source: string, at: string): string {
  if (at === 'backup') return `restore of ${source} from its newest backup`;
  if (at === 'latest') return `restore of ${source} at its latest restorable time`;
  return `restore of ${source} at ${shortTime(at)}`;
}

/** The restore the stack's database resource performs at creation, or undefined. */
export function stackRestore(stack: StackJson | undefined): StackRestore | undefined {
  const r = stack?.resource ?? {};
  const make = (source: string | undefined, at: string | undefined) => (source && at ? { source, at, label: label(source, at) } : undefined);
  for (const type of ['aws_db_instance', 'aws_rds_cluster'] as const) {
    for (const body of Object.values(r[type] ?? {})) {
      const pitr = first(body.restore_to_point_in_time);
      if (pitr) {
        const source = str(pitr.source_db_instance_identifier) ?? str(pitr.source_cluster_identifier);
        return make(source, pitr.use_latest_restorable_time === true ? 'latest' : (str(pitr.restore_time) ?? str(pitr.restore_to_time)));
      }
      if (str(body.snapshot_identifier)) {
        // The snapshot comes from a data source whose filter names the source.
        const data = (stack?.data ?? {}) as Record<string, Record<string, Body>>;
        const lookup = Object.values(data[type === 'aws_db_instance' ? 'aws_db_snapshot' : 'aws_db_cluster_snapshot'] ?? {})[0];
        return make(str(lookup?.db_instance_identifier) ?? str(lookup?.db_cluster_identifier) ?? 'a snapshot', 'backup');
      }
    }
  }
  for (const body of Object.values(r.aws_dynamodb_table ?? {})) {
    const source = str(body.restore_source_name);
    if (source) return make(source, body.restore_to_latest_time === true ? 'latest' : str(body.restore_date_time));
  }
  for (const body of Object.values(r.google_sql_database_instance ?? {})) {
    const clone = first(body.clone);
    if (clone) return make(str(clone.source_instance_name), str(clone.point_in_time) ?? 'latest');
    const backup = first(body.restore_backup_context);
    if (backup) return make(str(backup.instance_id), 'backup');
  }
  return undefined;
}
