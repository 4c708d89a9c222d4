// Spec fields a GCP (Cloud SQL) stack cannot honour, refused at validate with the reason and what to
// do instead, so nothing passes validate, plans as if it worked and builds nothing. The AWS table
// lives in unsupported.ts; the two have the same shape so they can be folded together.
//
// A backup field is reported where it is written: in the database when it is inline, else in the
// BackupPolicy the database uses (spec.backup.policy, or the config's default for its team and environment). A
// policy shared by several GCP databases gets one problem naming all of them.
import { engineOn, engineProfile, ENGINES, gcpConstructOf } from '../profiles/index.js';
import { defaultBackupPolicy } from './default-backup.js';
import { problem, type Problem } from '../errors.js';
import type { FieldPath, SourceDocument } from '../load/yaml.js';
import type { BackupPolicy, Database, DbaasConfig } from '../spec/generated.js';
import { fieldName } from './schema-errors.js';
import { ERR } from '../error-codes.js';

interface Spec<T> {
  readonly name: string;
  readonly value: T;
  readonly doc: SourceDocument;
}

export interface UnsupportedGcpInput {
  readonly config?: Spec<DbaasConfig>;
  readonly databases: readonly Spec<Database>[];
  readonly policies: ReadonlyMap<string, Spec<BackupPolicy>>;
}

type Fields = Record<string, unknown>;

/** One refused field: where it sits, when it is refused, why, and what to do instead. */
export interface UnsupportedGcpField {
  readonly id: string;
  /** `spec` fields live in the Database only; `backup` fields also in a BackupPolicy. */
  readonly in: 'spec' | 'backup';
  /** Paths (relative to spec or to the backup fields) of the offending values. */
  readonly find: (fields: Fields, db: Database, backup: Fields) => FieldPath[];
  readonly reason: string;
  readonly instead: (value: unknown) => string;
}

const get = (fields: Fields, path: FieldPath): unknown =>
  path.reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Record<string | number, unknown>)[k] : undefined), fields);
const present = (path: FieldPath) => (fields: Fields) => (get(fields, path) !== undefined ? [path] : []);
const copies = (fields: Fields): Fields[] => (Array.isArray(fields.copies) ? (fields.copies as Fields[]) : []);

export const UNSUPPORTED_GCP: readonly UnsupportedGcpField[] = [
  {
    // With a drill, the drill's logged duration is compared with it (synth/gcp/drill.ts); without one
    // nothing on GCP measures a restore (AWS judges manual restores too, through Audit Manager).
    id: 'objectives.rtoHours',
    in: 'spec',
    find: (f, _db, backup) => (get(f, ['objectives', 'rtoHours']) !== undefined && backup.restoreTesting === undefined ? [['objectives', 'rtoHours']] : []),
    reason: 'on GCP a restore time is measured only by the restore drill, and this database has no backup.restoreTesting, so nothing would check the RTO',
    instead: () => 'add backup.restoreTesting (a drill schedule; its duration is checked against rtoHours), or remove objectives.rtoHours',
  },
  {
    id: 'table',
    in: 'spec',
    find: present(['table']),
    reason: 'table keys are for DynamoDB; Cloud SQL has no table definition here',
    instead: () => 'remove table (create tables with your migrations)',
  },
  {
    id: 'maintenanceWindow.durationMinutes',
    in: 'spec',
    find: (f) =>
      get(f, ['maintenanceWindow', 'durationMinutes']) !== undefined && get(f, ['maintenanceWindow', 'durationMinutes']) !== 60
        ? [['maintenanceWindow', 'durationMinutes']]
        : [],
    reason: 'Cloud SQL maintenance windows are always one hour (settings.maintenance_window takes a day and an hour)',
    instead: () => 'durationMinutes: 60, or leave it out',
  },
  {
    id: 'maintenanceWindow.startTime',
    in: 'spec',
    find: (f) => {
      const t = get(f, ['maintenanceWindow', 'startTime']);
      return typeof t === 'string' && !/:00$/.test(t) ? [['maintenanceWindow', 'startTime']] : [];
    },
    reason: 'Cloud SQL maintenance windows start on the hour (settings.maintenance_window.hour)',
    instead: (v) => `a whole hour, e.g. "${String(v).slice(0, 2)}:00"`,
  },
  {
    id: 'users.root',
    in: 'spec',
    find: (f, db) => {
      const gcp = engineOn(db.spec.engine, 'gcp')?.facts;
      return gcp?.rootPasswordDiscarded && Array.isArray(f.users)
        ? f.users.flatMap((u, i) => ((u as Fields).name === gcp.adminUser ? [['users', i]] : []))
        : [];
    },
    reason:
      "a MySQL root password set through Terraform provisions nothing (google 6.50 deletes 'root'@'%' right after create) and would be kept in Terraform state",
    instead: () => 'give admins IAM database users (e-mail names), or create root outside Terraform with gcloud sql users create',
  },
  {
    id: 'users.passwordSecret',
    in: 'spec',
    find: (f) =>
      Array.isArray(f.users) ? f.users.flatMap((u, i) => ((u as Fields).passwordSecret !== undefined ? [['users', i, 'passwordSecret']] : [])) : [],
    // google 6.50 reads Secret Manager only through data.google_secret_manager_secret_version, whose
    // secret_data is saved in state and plan files (no ephemeral resource), even when it feeds the
    // write-only google_sql_user.password_wo.
    reason:
      'a GCP stack would read the password through a Secret Manager data source, and Terraform keeps what ' +
      'it reads in state, which the pull-request plan job can read',
    instead: () =>
      'an IAM database user (an e-mail or service-account name, postgres and mysql), or create the ' +
      'password user outside Terraform: gcloud sql users create NAME --instance=INSTANCE --password=...',
  },
  // Engines whose GCP profile refuses them (src/profiles/engines/*.ts, gcp.facts.refused).
  ...ENGINES.flatMap((e): UnsupportedGcpField[] => {
    const refused = e.gcp?.facts.refused;
    return refused
      ? [{ id: `engine.${e.name}`, in: 'spec', find: (f) => (f.engine === e.name ? [['engine']] : []), reason: refused.reason, instead: () => refused.instead }]
      : [];
  }),
  {
    id: 'backup.startWindowMinutes',
    in: 'backup',
    find: (f) => (f.startWindowMinutes !== undefined && f.vaultLock === undefined ? [['startWindowMinutes']] : []),
    reason: "Cloud SQL's automated backup window is a fixed 4 hours from start_time; only a Backup and DR plan (backup.vaultLock) takes a start window",
    instead: () => 'remove startWindowMinutes, or add backup.vaultLock',
  },
  {
    id: 'backup.encryption',
    in: 'backup',
    find: (f, db) => (f.encryption !== undefined && db.spec.storageEncrypted === false ? [['encryption']] : []),
    reason:
      'with storageEncrypted: false the instance uses Google-managed encryption, so the key would be used ' +
      'by nothing (export buckets and Backup and DR vaults take no key here)',
    instead: () => 'remove encryption, or set storageEncrypted: true',
  },
  {
    id: 'backup.vaultLock.maxRetentionDays',
    in: 'backup',
    find: present(['vaultLock', 'maxRetentionDays']),
    reason:
      'a Backup and DR vault enforces only a minimum retention (google_backup_dr_backup_vault has backup_minimum_enforced_retention_duration, no maximum)',
    instead: () => 'remove vaultLock.maxRetentionDays',
  },
  {
    id: 'backup.copies.account',
    in: 'backup',
    find: (f) => copies(f).flatMap((c, i) => (c.account !== undefined ? [['copies', i, 'account']] : [])),
    reason: 'cross-account copies are AWS Backup; Cloud SQL keeps its backups in one location of the same project',
    instead: () => 'remove account and name a GCP region: copies: [{ region: <gcp region>, retentionDays: <n> }]',
  },
  {
    id: 'backup.copies.extra',
    in: 'backup',
    find: (f) => copies(f).flatMap((_, i) => (i > 0 ? [['copies', i]] : [])),
    reason: 'Cloud SQL stores automated backups in one location (backup_configuration.location), so only the first copy region is used',
    instead: () => 'keep one copy on GCP databases',
  },
  {
    id: 'backup.copies.retentionDays',
    in: 'backup',
    find: (f) => {
      const first = copies(f)[0];
      return first && typeof f.retentionDays === 'number' && first.retentionDays !== f.retentionDays ? [['copies', 0, 'retentionDays']] : [];
    },
    reason:
      'Cloud SQL does not copy backups: it stores them in the copy region, so they are kept exactly ' +
      'retentionDays (retained_backups); a different copy retention would have no effect',
    instead: () => 'copies[0].retentionDays equal to retentionDays',
  },
];

/** Rules above that hold for every GCP engine; the others are Cloud SQL's (an engine with its own construct lists its own). */
const GCP_WIDE: ReadonlySet<string> = new Set(['users.root', 'users.passwordSecret', 'backup.encryption']);

/** The refusals an engine profile lists for its own construct (src/profiles/engines/*.ts, gcp.unsupportedFields). */
function profileRules(engine: unknown): UnsupportedGcpField[] {
  const profile = engineProfile(engine);
  return (profile?.gcp?.unsupportedFields ?? []).map(({ field, why, instead }) => {
    const [head, ...tail] = field.split('.');
    const inBackup = head === 'backup' && tail.length > 0;
    const path: FieldPath = inBackup ? tail : [head!, ...tail];
    return {
      id: `${profile!.name}.${field}`,
      in: inBackup ? 'backup' : 'spec',
      find: present(path),
      reason: `${field} has no effect on ${profile!.title}: ${why}`,
      instead: () => instead,
    };
  });
}

const rulesByEngine = new Map<unknown, readonly UnsupportedGcpField[]>();

/** The rules for a GCP database: Cloud SQL's, or the GCP-wide ones plus its engine profile's own (made once per engine). */
function rulesFor(engine: unknown): readonly UnsupportedGcpField[] {
  let rules = rulesByEngine.get(engine);
  if (!rules) {
    const construct = gcpConstructOf(engine);
    rules =
      construct === 'cloud-sql' || construct === undefined
        ? UNSUPPORTED_GCP
        : [...UNSUPPORTED_GCP.filter((r) => GCP_WIDE.has(r.id) || r.id.startsWith('engine.')), ...profileRules(engine)];
    rulesByEngine.set(engine, rules);
  }
  return rules;
}

export function unsupportedGcpProblems(repo: UnsupportedGcpInput): Problem[] {
  const found = new Map<string, { doc: SourceDocument; path: FieldPath; rule: UnsupportedGcpField; value: unknown; databases: string[]; inPolicy?: string }>();
  for (const db of repo.databases) {
    const spec = db.value.spec as Database['spec'] & Fields;
    if (spec.cloud !== 'gcp') continue;
    const inline = (spec.backup ?? {}) as Fields;
    const policyName =
      typeof inline.policy === 'string'
        ? inline.policy
        : inline.schedule === undefined
          ? defaultBackupPolicy(repo.config?.value, db.value.metadata.team, spec.environment)?.name
          : undefined;
    const policy = policyName ? repo.policies.get(policyName) : undefined;
    // What the database gets: inline fields win over the policy's (top-level keys).
    const merged: Fields = { ...((policy?.value.spec as Fields | undefined) ?? {}), ...inline };
    for (const rule of rulesFor(spec.engine)) {
      const fields = rule.in === 'spec' ? (spec as Fields) : merged;
      for (const rel of rule.find(fields, db.value, merged)) {
        const top = String(rel[0]);
        const fromPolicy = rule.in === 'backup' && !(top in inline) && policy !== undefined;
        // retentionDays compares two fields: report it where the copy is written.
        const doc = fromPolicy ? policy.doc : db.doc;
        const path: FieldPath = rule.in === 'spec' ? ['spec', ...rel] : fromPolicy ? ['spec', ...rel] : ['spec', 'backup', ...rel];
        const key = `${doc.file}#${doc.index}:${path.join('.')}:${rule.id}`;
        const entry = found.get(key);
        if (entry) entry.databases.push(db.name);
        else found.set(key, { doc, path, rule, value: get(fields, rel), databases: [db.name], ...(fromPolicy ? { inPolicy: policyName } : {}) });
      }
    }
  }
  return [...found.values()].map(({ doc, path, rule, value, databases, inPolicy }) => {
    const who = inPolicy ? `BackupPolicy ${inPolicy} is used by GCP database${databases.length > 1 ? 's' : ''} ${databases.join(', ')}: ` : '';
    return problem({
      code: ERR.UNSUPPORTED_GCP,
      message: `${who}${rule.reason}; expected ${rule.instead(value)}`,
      location: doc.locate(path),
      field: fieldName(path),
      value,
      expected: rule.instead(value),
    });
  });
}
