// The spec `dbaas restore` writes: a new Database with the source's placement, engine, size, labels,
// backup policy and channels, plus spec.restoreFrom (and spec.expires). Pure: source spec in, YAML out.
import { engineProfile } from '../profiles/index.js';
import { stringify } from 'yaml';
import type { Database, RestoreFrom } from '../spec/generated.js';

export interface RestoreAnswers {
  readonly name: string;
  readonly restoreFrom: RestoreFrom;
  readonly expires?: string;
}

/** The restored Database: what the source says, except its name, and where its data comes from. */
export function restoredDatabase(source: Database, answers: RestoreAnswers): Database {
  const s = source.spec;
  // A restore holds its source's databases (validate holds spec.databases to them), so they are written out.
  const databases = engineProfile(s.engine)?.logicalDatabases === false ? undefined : (s.databases ?? [source.metadata.name.replace(/-/g, '_')]);
  const spec = Object.fromEntries(
    Object.entries({
      environment: s.environment,
      cloud: s.cloud,
      region: s.region,
      engine: s.engine,
      version: s.version,
      size: s.size,
      storageGb: s.storageGb,
      highAvailability: s.highAvailability,
      maintenanceWindow: s.maintenanceWindow,
      table: s.table,
      databases,
      restoreFrom: answers.restoreFrom,
      expires: answers.expires,
      backup: s.backup,
      notify: s.notify,
    }).filter(([, v]) => v !== undefined),
  ) as unknown as Database['spec'];
  const { labels } = source.metadata;
  return { apiVersion: 'dbaas.dev/v1', kind: 'Database', metadata: { name: answers.name, team: source.metadata.team, ...(labels ? { labels } : {}) }, spec };
}

export function renderRestoreSpec(db: Database, sourceName: string, schemaRef: string): string {
  const from = db.spec.restoreFrom!;
  const what = from.backup ? 'its newest backup' : from.pointInTime === 'latest' ? 'its latest restorable time' : from.pointInTime;
  return [
    `# yaml-language-server: $schema=${schemaRef}`,
    `# A restore of ${sourceName} at ${what}, written by dbaas restore.${db.spec.expires ? ` Meant to be removed by ${db.spec.expires}.` : ''}`,
    '# Once applied, spec.restoreFrom can be removed: the stack ignores it after creation.',
    stringify(db, { lineWidth: 0 }).trimEnd(),
    '',
  ].join('\n');
}
