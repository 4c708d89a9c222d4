// spec.restoreFrom and spec.expires: refuse at validate every restore the cloud cannot perform, so a
// restore that passes validate is one terraform can create. Runs after resolve (it needs the source's
// effective backup policy). Exit code 2, like every validate problem; an expiry not yet reached is a
// warning, a passed one an error.
import { capabilitiesOf } from '../profiles/capabilities.js';
import { engineProfile } from '../profiles/index.js';
import { problem, showValue, type Problem } from '../errors.js';
import { daysBetween, nowMs, today } from '../guard/clock.js';
import type { FieldPath } from '../load/yaml.js';
import type { ResolvedDatabase } from '../model/resolved.js';
import type { ResolvedEntry } from '../resolve/index.js';
import { maxLogRetentionDays } from '../synth/gcp/engine.js';
import { didYouMean } from '../suggest.js';
import { fieldName } from './schema-errors.js';
import { ERR } from '../error-codes.js';

/** AWS keeps at most 35 days of point-in-time recovery (RDS, Aurora, DynamoDB). */
const AWS_PITR_MAX_DAYS = 35;

/** A key-value table (its profile's): keys instead of databases, no version, PITR instead of backups. */
const isTable = (engine: string) => engineProfile(engine)?.table === true;

/** Where the source's point-in-time window comes from; undefined when it has none. */
export function pitrWindowDays(source: ResolvedDatabase): number | undefined {
  const { backup } = source;
  const days = Math.max(1, Math.round(backup.pointInTimeRecovery.retentionDays));
  // DynamoDB PITR is the table's own setting, independent of AWS Backup (see synth/aws/database.ts).
  if (capabilitiesOf(source.engine, source.cloud)?.has('table-pitr')) return backup.pointInTimeRecovery.enabled ? Math.min(days, AWS_PITR_MAX_DAYS) : undefined;
  if (!backup.enabled) return undefined;
  if (source.cloud === 'gcp') {
    // High availability turns transaction logs on too (synth/gcp/instance.ts backupConfiguration).
    if (!backup.pointInTimeRecovery.enabled && !source.highAvailability) return undefined;
    return Math.min(days, maxLogRetentionDays(source.engine, source.instanceClass));
  }
  return backup.pointInTimeRecovery.enabled ? Math.min(days, AWS_PITR_MAX_DAYS) : undefined;
}

const accountOf = (db: ResolvedDatabase) => ('accountId' in db.placement ? db.placement.accountId : db.placement.projectId);

const APPLIED_HINT = 'if this restore was applied already, remove spec.restoreFrom (it only acts at creation)';

/**
 * Problems of every database that restores from another or expires. `known` holds every valid
 * Database: a source that is valid but did not resolve is reported where it is. Undefined when the
 * repo has invalid documents (the source may be one of them): unknown sources are not reported then.
 */
export function restoreProblems(entries: readonly ResolvedEntry[], known: ReadonlySet<string> | undefined, env: NodeJS.ProcessEnv = process.env): Problem[] {
  const problems: Problem[] = [];
  const byName = new Map(entries.map((e) => [e.db.name, e]));
  const day = today(env);
  const now = nowMs(env);
  for (const entry of entries) {
    const { db, spec } = entry;
    const at = (path: FieldPath, code: string, message: string, value: unknown, suggestion?: string) =>
      problems.push(problem({ code, message, location: spec.doc.locate(path), field: fieldName(path), value, ...(suggestion ? { suggestion } : {}) }));

    if (db.expires !== undefined) {
      const left = daysBetween(day, db.expires);
      if (left < 0)
        at(
          ['spec', 'expires'],
          ERR.EXPIRED,
          `database ${db.name} expired on ${db.expires} (${-left} day${left === -1 ? '' : 's'} ago); expected ` +
            `it removed — delete this spec (and its stack) or move spec.expires later`,
          db.expires,
        );
      else
        problems.push({
          ...problem({
            code: ERR.EXPIRES,
            message:
              `database ${db.name} expires on ${db.expires} (in ${left} day${left === 1 ? '' : 's'}); after that ` +
              `day validate refuses it, so remove it before then or move spec.expires`,
            location: spec.doc.locate(['spec', 'expires']),
            field: 'spec.expires',
            value: db.expires,
          }),
          severity: 'warning',
        });
    }

    const from = db.restoreFrom;
    if (!from) continue;
    const dbPath: FieldPath = ['spec', 'restoreFrom', 'database'];
    if (from.database === db.name) {
      at(
        dbPath,
        ERR.RESTORE_SELF,
        `database ${db.name} cannot restore over itself; expected another database as the source — give the restore its own metadata.name`,
        from.database,
      );
      continue;
    }
    const source = byName.get(from.database)?.db;
    if (!source) {
      if (known && !known.has(from.database)) {
        const names = entries
          .map((e) => e.db.name)
          .filter((n) => n !== db.name)
          .sort();
        at(
          dbPath,
          ERR.RESTORE_UNKNOWN_SOURCE,
          `no valid Database named ${showValue(from.database)} in this repo; expected one of its databases (${names.join(', ') || 'none'}); ${APPLIED_HINT}`,
          from.database,
          didYouMean(from.database, names),
        );
      }
      continue;
    }
    if (source.cloud !== db.cloud) {
      at(
        dbPath,
        ERR.RESTORE_OTHER_CLOUD,
        `source ${source.name} is on ${source.cloud} and ${db.name} on ${db.cloud}; expected a source of the ` +
          `same cloud (a ${source.cloud} backup cannot be restored on ${db.cloud})`,
        from.database,
      );
      continue;
    }
    if (source.engine !== db.engine) {
      at(
        dbPath,
        ERR.RESTORE_OTHER_ENGINE,
        `source ${source.name} runs ${source.engine} and ${db.name} ${db.engine}; expected the same engine ` +
          `(a restore keeps the source's engine: set spec.engine: ${source.engine})`,
        from.database,
      );
      continue;
    }
    if (!isTable(source.engine) && source.version !== db.version) {
      at(
        ['spec', 'version'],
        ERR.RESTORE_OTHER_VERSION,
        `source ${source.name} runs version ${source.version} and ${db.name} asks for ${db.version}; ` +
          `expected the source's version (a restore or clone keeps it; upgrade after the restore is applied)`,
        db.version,
      );
      continue;
    }
    if (accountOf(source) !== accountOf(db) || source.region !== db.region) {
      // RDS/Aurora restore_to_point_in_time and snapshot look-ups, DynamoDB restore_source_name and
      // the Cloud SQL clone all name a source in the caller's own account/project and region.
      const where = (d: ResolvedDatabase) => `${d.cloud === 'aws' ? 'account' : 'project'} ${accountOf(d)} (${d.environment}), ${d.region}`;
      at(
        dbPath,
        ERR.RESTORE_OTHER_PLACE,
        `source ${source.name} is in ${where(source)} and ${db.name} in ${where(db)}; expected the same ` +
          `${db.cloud === 'aws' ? 'account' : 'project'} and region: ` +
          (db.cloud === 'aws'
            ? 'RDS, Aurora and DynamoDB restores name a source in their own account and region'
            : 'a Cloud SQL clone is created next to its source') +
          ` — restore into ${source.environment}/${source.region}, or copy a backup there first`,
        from.database,
      );
      continue;
    }
    const keys = (d: ResolvedDatabase) => JSON.stringify([d.table?.partitionKey, d.table?.sortKey ?? null].map((k) => k && [k.name, k.type]));
    if (isTable(source.engine) && keys(source) !== keys(db)) {
      at(
        ['spec', 'table'],
        ERR.RESTORE_OTHER_KEYS,
        `source table ${source.name} has other keys than ${db.name}; expected the source's partitionKey and ` +
          `sortKey (a restored table keeps its source's key schema)`,
        undefined,
      );
      continue;
    }
    if (!isTable(source.engine)) {
      // A restore holds its source's databases. On AWS the first is db_name / database_name (ForceNew),
      // on GCP the clone brings them all: written out, they stay the same when restoreFrom is removed.
      const written = spec.value.spec.databases;
      const fits = written !== undefined && (db.cloud === 'aws' ? written[0] === source.databases[0] : written.every((d) => source.databases.includes(d)));
      if (!fits) {
        at(
          written ? ['spec', 'databases'] : ['spec', 'restoreFrom'],
          ERR.RESTORE_DATABASES,
          `a restore of ${source.name} holds its databases (${source.databases.join(', ')}), and ${db.name} ` +
            `${written ? `names ${written.join(', ')}` : 'does not name them'}; expected spec.databases: ` +
            `[${source.databases.join(', ')}], so the stack matches what the restore creates and stays the same ` +
            `once restoreFrom is removed`,
          written,
        );
        continue;
      }
    }
    if (from.backup !== undefined) {
      if (isTable(source.engine)) {
        at(
          ['spec', 'restoreFrom', 'backup'],
          ERR.RESTORE_BACKUP_DYNAMODB,
          `a DynamoDB table cannot be restored from a backup by Terraform: the AWS provider (5.100) restores ` +
            `tables only from point-in-time recovery; expected restoreFrom.pointInTime (a time or "latest")`,
          from.backup,
        );
      } else if (!source.backup.enabled) {
        at(
          ['spec', 'restoreFrom', 'backup'],
          ERR.RESTORE_NO_BACKUPS,
          `source ${source.name} takes no backups (backup.enabled is false); expected a source with backups, or restoreFrom.pointInTime`,
          from.backup,
        );
      }
      continue;
    }
    const timePath: FieldPath = ['spec', 'restoreFrom', 'pointInTime'];
    const window = pitrWindowDays(source);
    if (window === undefined) {
      at(
        timePath,
        ERR.RESTORE_NO_PITR,
        `source ${source.name} has point-in-time recovery off; expected backup.pointInTimeRecovery.enabled: ` +
          `true on ${source.name}${isTable(source.engine) ? '' : ', or restoreFrom.backup: latest'}`,
        from.pointInTime,
      );
      continue;
    }
    if ((from.pointInTime ?? 'latest') === 'latest') continue;
    const when = Date.parse(from.pointInTime ?? '');
    if (Number.isNaN(when)) {
      at(
        timePath,
        ERR.RESTORE_BAD_TIME,
        `${showValue(from.pointInTime)} is not a real time; expected RFC 3339 such as 2026-11-29T10:15:00Z, or "latest"`,
        from.pointInTime,
      );
    } else if (when > now) {
      at(
        timePath,
        ERR.RESTORE_FUTURE,
        `${from.pointInTime} is in the future (now is ${new Date(now).toISOString()}); expected a past time, or "latest"`,
        from.pointInTime,
      );
    } else if (when < now - window * 86_400_000) {
      at(
        timePath,
        ERR.RESTORE_BEFORE_WINDOW,
        `${from.pointInTime} is before ${source.name}'s point-in-time window (${window} ` +
          `day${window === 1 ? '' : 's'}: from ${new Date(now - window * 86_400_000).toISOString()}); expected ` +
          `a later time, or restoreFrom.backup: latest; ${APPLIED_HINT}`,
        from.pointInTime,
      );
    }
  }
  return problems;
}
