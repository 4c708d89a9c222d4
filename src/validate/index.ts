// Validate stage: every document against its JSON Schema, plus names, schedules, secrets,
// duplicates and references. Reports every problem in every file in one pass.
import { formatLocation, problem, showValue, type Problem } from '../errors.js';
import type { LoadedRepo } from '../load/repo.js';
import type { FieldPath, SourceDocument } from '../load/yaml.js';
import type { BackupPolicy, Database, DbaasConfig, NotificationChannel } from '../spec/generated.js';
import { didYouMean } from '../suggest.js';
import { checkDatabaseName, checkSchedules, findPlaintextSecrets } from './checks.js';
import { fieldName, pointerToPath, schemaErrorsToProblems } from './schema-errors.js';
import { isValid, loadSchemas, SPEC_KINDS, type SpecKind } from './schemas.js';
import { configuredDefaults, defaultBackupPolicy } from './default-backup.js';
import { checkTeamFolder } from './teams.js';
import { unsupportedGcpProblems } from './unsupported-gcp.js';
import { checkUnsupported } from './unsupported.js';
import { ERR } from '../error-codes.js';

export interface Spec<T> {
  readonly name: string;
  readonly value: T;
  readonly doc: SourceDocument;
}

export interface ValidatedRepo {
  readonly root: string;
  readonly config?: Spec<DbaasConfig>;
  readonly databases: readonly Spec<Database>[];
  readonly policies: ReadonlyMap<string, Spec<BackupPolicy>>;
  readonly channels: ReadonlyMap<string, Spec<NotificationChannel>>;
  readonly problems: readonly Problem[];
}

const isUnder = (path: FieldPath, prefix: FieldPath) => prefix.length <= path.length && prefix.every((s, i) => String(s) === String(path[i]));

/** Schema-checks one document, letting the more specific custom problems win on the same field. */
function checkDocument(kind: SpecKind | 'Config', doc: SourceDocument, custom: Problem[], customPaths: FieldPath[]): Problem[] {
  if (isValid(kind, doc.value)) return custom;
  const set = loadSchemas();
  const validate = set.validator(kind);
  validate(doc.value);
  const schemaProblems = schemaErrorsToProblems(
    set,
    (validate.errors ?? []).filter((e) => {
      const path = pointerToPath(e.instancePath);
      return !customPaths.some((p) => isUnder(path, p));
    }),
    doc,
  );
  return [...custom, ...schemaProblems];
}

export function validateRepo(loaded: LoadedRepo): ValidatedRepo {
  const problems: Problem[] = [...loaded.problems];
  let config: Spec<DbaasConfig> | undefined;
  if (loaded.config) {
    const found = checkDocument('Config', loaded.config, [], []);
    problems.push(...found);
    if (found.length === 0) config = { name: 'config', value: loaded.config.value as DbaasConfig, doc: loaded.config };
  }

  const databases: Spec<Database>[] = [];
  const policies = new Map<string, Spec<BackupPolicy>>();
  const channels = new Map<string, Spec<NotificationChannel>>();
  const declared: Record<SpecKind, Map<string, SourceDocument>> = {
    Database: new Map(),
    BackupPolicy: new Map(),
    NotificationChannel: new Map(),
  };

  for (const doc of loaded.specs) {
    const value = doc.value as { kind?: unknown; metadata?: { name?: unknown } } | null;
    if (!value || typeof value !== 'object' || Array.isArray(value)) {
      problems.push(
        problem({
          code: ERR.NOT_A_SPEC,
          message: `got ${showValue(value)}; expected a mapping with apiVersion, kind, metadata and spec`,
          location: doc.locate([]),
        }),
      );
      continue;
    }
    const kind = value.kind;
    if (!SPEC_KINDS.includes(kind as SpecKind)) {
      const hint = kind === 'Guardrail' ? 'guardrails belong in policies/' : typeof kind === 'string' ? didYouMean(kind, SPEC_KINDS) : undefined;
      problems.push(
        problem({
          code: ERR.UNKNOWN_KIND,
          message: `got ${showValue(kind)}; expected one of ${SPEC_KINDS.join(', ')}`,
          location: doc.locate(['kind']),
          field: 'kind',
          value: kind,
          suggestion: hint,
        }),
      );
      continue;
    }
    const specKind = kind as SpecKind;
    const secrets = findPlaintextSecrets(doc);
    const custom = [...secrets.problems];
    const customPaths: FieldPath[] = [...secrets.paths];
    if (specKind === 'Database') {
      const nameProblems = checkDatabaseName(doc);
      custom.push(...nameProblems);
      if (nameProblems.length) customPaths.push(['metadata', 'name']);
      custom.push(...checkSchedules(doc, ['spec', 'backup']));
      custom.push(...checkTeamFolder(doc));
    } else if (specKind === 'BackupPolicy') {
      custom.push(...checkSchedules(doc, ['spec']));
    }
    const found = checkDocument(specKind, doc, custom, customPaths);
    problems.push(...found);

    const name = value.metadata?.name;
    if (typeof name !== 'string') continue;
    const earlier = declared[specKind].get(name);
    if (earlier) {
      problems.push(
        problem({
          code: ERR.DUPLICATE_NAME,
          message: `${specKind} "${name}" is also defined at ${formatLocation(earlier.locate(['metadata', 'name']))}; expected names unique across the repo`,
          location: doc.locate(['metadata', 'name']),
          field: 'metadata.name',
          value: name,
        }),
      );
      continue;
    }
    declared[specKind].set(name, doc);
    if (found.length > 0) continue;
    if (specKind === 'Database') databases.push({ name, value: doc.value as Database, doc });
    else if (specKind === 'BackupPolicy') policies.set(name, { name, value: doc.value as BackupPolicy, doc });
    else channels.set(name, { name, value: doc.value as NotificationChannel, doc });
  }

  const reference = (doc: SourceDocument, path: FieldPath, target: string, kind: SpecKind): void => {
    if (declared[kind].has(target)) return;
    problems.push(
      problem({
        code: ERR.UNKNOWN_REFERENCE,
        message: `${kind} "${target}" does not exist; expected one of ${[...declared[kind].keys()].sort().join(', ') || `(no ${kind} defined)`}`,
        location: doc.locate(path),
        field: fieldName(path),
        value: target,
        suggestion: didYouMean(target, declared[kind].keys()),
      }),
    );
  };
  for (const db of databases) {
    const policy = db.value.spec.backup?.policy;
    if (policy) reference(db.doc, ['spec', 'backup', 'policy'], policy, 'BackupPolicy');
    // Backups can never be absent: no backup block needs a default policy in the config.
    if (!db.value.spec.backup && !defaultBackupPolicy(config?.value, db.value.metadata.team, db.value.spec.environment)) {
      const { team } = db.value.metadata;
      const env = db.value.spec.environment;
      problems.push(
        problem({
          code: ERR.NO_BACKUP,
          message:
            `no backup block, and dbaas.config.yaml names no default BackupPolicy for team ${team} in ${env}; ` +
            `expected spec.backup here (e.g. backup: { policy: prod-standard }), or a default in ` +
            `dbaas.config.yaml (defaults.backupPolicies.${env}: <policy>, or teams.${team}.backupPolicy: ` +
            `<policy>)`,
          location: db.doc.locate(['spec']),
          field: 'spec.backup',
        }),
      );
    }
    db.value.spec.notify?.forEach((channel, i) => reference(db.doc, ['spec', 'notify', i], channel, 'NotificationChannel'));
  }
  if (config) {
    const defaults = config.value.defaults;
    for (const d of configuredDefaults(config.value)) reference(config.doc, d.from, d.name, 'BackupPolicy');
    defaults?.notify?.forEach((channel, i) => reference(config.doc, ['defaults', 'notify', i], channel, 'NotificationChannel'));
  }

  problems.push(...unsupportedGcpProblems({ ...(config ? { config } : {}), databases, policies }));
  // Fields the database's cloud cannot honour (src/validate/unsupported.ts).
  problems.push(...checkUnsupported({ config, databases, policies, channels }));

  return { root: loaded.root, config, databases, policies, channels, problems };
}
