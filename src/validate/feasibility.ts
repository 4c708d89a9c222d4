// validate ✓ means synth will not fail on the same input: every reason a stack builder refuses a
// resolved database (SynthError) is checked here first, over the resolved repo, and reported at the
// file that must change (dbaas.config.yaml for state backends and service agents). Every problem is
// named; nothing is folded into "and N more".
import { problem, showValue, type Problem } from '../errors.js';
import type { FieldPath } from '../load/yaml.js';
import { locateResolved, type ResolvedEntry, type ResolvedRepo } from '../resolve/index.js';
import { toAwsCron } from '../synth/aws/cron.js';
import { reservedNameError } from '../synth/baseline/names.js';
import { gcpProblems } from '../synth/gcp/checks.js';
import { CLOUDS, engineOn, engineProfile, enginesOnText } from '../profiles/index.js';
import { regionProblems } from './regions.js';
import { fieldName } from './schema-errors.js';
import { ERR } from '../error-codes.js';

/** The key forms referencedKeyArn (src/synth/aws/kms.ts) accepts. */
const AWS_KEY = [/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/, /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:alias\/[A-Za-z0-9/_-]+$/, /^alias\/.+/];
/** Secret stores an AWS stack reads (src/synth/aws/monitoring.ts secretValue). */
const AWS_SECRET_STORES = CLOUDS.aws.secretStores;
/** gcpProblems codes whose fix is in dbaas.config.yaml, not in the spec. */
const CONFIG_CODES: ReadonlySet<string> = new Set([ERR.GCP_NO_SERVICE_AGENT]);

type Path = readonly (string | number)[];

export function feasibilityProblems(repo: ResolvedRepo): Problem[] {
  const out: Problem[] = [];
  const config = repo.configSpec;
  const configLocation = (path: FieldPath) => {
    // The deepest part of the path that is written (a missing block is pointed at through its parent).
    for (let n = path.length; n > 0; n--) {
      const at = path.slice(0, n);
      if (valueAt(config.value, at) !== undefined) return config.doc.locate(at);
    }
    return config.doc.locate([]);
  };

  // State: one problem per cloud, naming every database that needs it.
  for (const cloud of ['aws', 'gcp'] as const) {
    if (config.value.state[cloud]) continue;
    const users = repo.entries.filter((e) => e.db.cloud === cloud).map((e) => e.db.name);
    if (!users.length) continue;
    out.push(
      problem({
        code: ERR.NO_STATE,
        message:
          `${users.length} ${cloud} database${users.length === 1 ? '' : 's'} (${users.join(', ')}) need a ` +
          `state backend and dbaas.config.yaml has no state.${cloud}; expected ` +
          `${cloud === 'aws' ? 'state.aws: { bucket, region, keyPrefix }' : 'state.gcp: { bucket, prefix }'}`,
        location: configLocation(['state', cloud]),
        field: `state.${cloud}`,
        expected: cloud === 'aws' ? 'state.aws: { bucket, region, keyPrefix }' : 'state.gcp: { bucket, prefix }',
        suggestion: `add state.${cloud} to dbaas.config.yaml`,
      }),
    );
  }

  // Fields that nothing reads are refused, not silently kept (every field has an effect or is refused).
  for (const [kind, specs] of [
    ['BackupPolicy', repo.policies],
    ['NotificationChannel', repo.channels],
  ] as const) {
    for (const s of specs.values()) {
      if (s.value.metadata.labels === undefined) continue;
      out.push(
        problem({
          code: ERR.FIELD_WITHOUT_EFFECT,
          message:
            `labels on a ${kind} tag nothing (it is not a resource of its own); expected labels on the Database ` +
            `(metadata.labels), which tag every resource of its stack`,
          location: s.doc.locate(['metadata', 'labels']),
          field: 'metadata.labels',
          suggestion: 'remove metadata.labels here and set them on the Database',
        }),
      );
    }
  }

  // Config problems shared by many databases (a project without its service agent) are reported once per place.
  const configProblems = new Map<string, { p: Problem; path: FieldPath; databases: string[] }>();
  // A channel shared by many AWS databases is one fix in one file: reported once, naming them all.
  const channelProblems = new Map<string, { p: Problem; databases: string[] }>();
  const shared = new Map<string, { p: Problem; databases: string[] }>();
  for (const entry of repo.entries) {
    const { db } = entry;
    const at = (path: Path) => locateResolved(entry, [...path]);
    const add = (code: string, path: Path, value: unknown, message: string, expected: string) =>
      out.push(problem({ code, message: `${message}; expected ${expected}`, location: at(path), field: fieldName([...path]), value, expected }));

    if (db.table && !engineProfile(db.engine)?.table) {
      add(
        ERR.FIELD_WITHOUT_EFFECT,
        ['table'],
        undefined,
        `table keys are for DynamoDB; engine ${db.engine} has no table`,
        'no spec.table (or engine: dynamodb on aws)',
      );
    }
    // A shared BackupPolicy used by many databases is one fix at one line: reported once, naming them.
    for (const r of regionProblems(db)) {
      const location = at(r.path);
      const key = `${r.problem.code}:${location.file}:${location.line}:${location.column}`;
      const known = shared.get(key);
      if (known) known.databases.push(db.name);
      else shared.set(key, { p: { ...r.problem, location, field: r.path.join('.') }, databases: [db.name] });
    }
    if (db.cloud === 'gcp') {
      for (const p of gcpProblems(db)) {
        if (CONFIG_CODES.has(p.code) && db.placement.cloud === 'gcp') {
          const path: FieldPath = ['clouds', 'gcp', 'projects', db.environment, 'cloudSqlServiceAgent'];
          const key = `${p.code}\u0000${db.environment}`;
          const known = configProblems.get(key);
          if (known) known.databases.push(db.name);
          else configProblems.set(key, { p, path, databases: [db.name] });
          continue;
        }
        const path = (p.field ?? '')
          .split('.')
          .filter(Boolean)
          .map((seg) => (/^\d+$/.test(seg) ? Number(seg) : seg));
        const channel = path[0] === 'channels' && typeof path[1] === 'number' ? repo.channels.get(db.channels[path[1]]?.name ?? '') : undefined;
        if (channel) {
          // A channel's secret is fixed in the channel's own file.
          const own: FieldPath = ['spec', ...path.slice(2)];
          out.push({ ...p, message: `${p.message} (used by GCP database ${db.name})`, location: channel.doc.locate(own), field: fieldName(own) });
        } else out.push({ ...p, location: at(path), field: fieldName(path.length ? path : ['metadata', 'name']) });
      }
      continue;
    }

    // AWS: what src/synth/aws refuses.
    if (!engineOn(db.engine, 'aws')) add(ERR.SYNTH_ENGINE, ['engine'], db.engine, `engine ${db.engine} is not available on aws`, enginesOnText('aws'));
    if (engineProfile(db.engine)?.table && !db.table)
      add(ERR.SYNTH_TABLE, ['table'], undefined, `dynamodb database ${db.name} has no table keys`, 'spec.table.partitionKey');
    const key = db.backup.encryption.kmsKey;
    if (key !== 'managed' && !AWS_KEY.some((re) => re.test(key))) {
      add(
        ERR.SYNTH_KMS_KEY,
        ['backup', 'encryption', 'kmsKey'],
        key,
        `KMS key ${showValue(key)} is not an AWS key reference`,
        '"managed", alias/<name>, an alias ARN or a key ARN (arn:aws:kms:<region>:<account>:key/<id>)',
      );
    }
    if (db.backup.enabled) {
      const cron = toAwsCron(db.backup.schedule);
      if (!cron.ok)
        add(
          ERR.SYNTH_CRON,
          ['backup', 'schedule'],
          db.backup.schedule,
          `schedule ${showValue(db.backup.schedule)} ${cron.reason}`,
          'a five-field cron that AWS can run',
        );
      const own = db.placement.cloud === 'aws' ? db.placement.accountId : undefined;
      db.backup.copies.forEach((copy, i) => {
        if (copy.account !== undefined && copy.account === own) {
          add(
            ERR.SYNTH_COPY,
            ['backup', 'copies', i, 'account'],
            copy.account,
            `copy account ${copy.account} is the database's own account`,
            'another account (cross-account copy) or a region',
          );
        }
      });
      const testing = db.backup.restoreTesting;
      if (testing) {
        const t = toAwsCron(testing.schedule);
        if (!t.ok)
          add(
            ERR.SYNTH_CRON,
            ['backup', 'restoreTesting', 'schedule'],
            testing.schedule,
            `schedule ${showValue(testing.schedule)} ${t.reason}`,
            'a five-field cron that AWS can run',
          );
      }
    }
    for (const p of awsChannelProblems(repo, entry)) {
      const key = `${p.location?.file}:${p.location?.line}:${p.location?.column}`;
      const known = channelProblems.get(key);
      if (known) known.databases.push(db.name);
      else channelProblems.set(key, { p, databases: [db.name] });
    }
  }
  for (const { p, databases } of shared.values())
    out.push(databases.length > 1 ? { ...p, message: `${p.message} (also for ${databases.slice(1).join(', ')})` } : p);
  for (const { p, databases } of channelProblems.values())
    out.push({ ...p, message: `${p.message} (used by AWS database${databases.length === 1 ? '' : 's'} ${databases.join(', ')})` });
  for (const { p, path, databases } of configProblems.values()) {
    out.push({
      ...p,
      message: `${p.message} (needed by ${databases.join(', ')})`,
      location: configLocation(path),
      field: path.join('.'),
      suggestion:
        `add cloudSqlServiceAgent (service-<project number>@gcp-sa-cloud-sql.iam.gserviceaccount.com) under ` +
        `clouds.gcp.projects.${path[3]} in dbaas.config.yaml`,
    });
  }
  out.push(...baselineProblems(repo, configLocation));
  return out;
}

/** What the account baseline stacks (src/synth/baseline) refuse at synth, reported here first. */
function baselineProblems(repo: ResolvedRepo, configLocation: (path: FieldPath) => ReturnType<ResolvedRepo['configSpec']['doc']['locate']>): Problem[] {
  const out: Problem[] = [];
  for (const entry of repo.entries) {
    const reserved = reservedNameError(entry.db.name);
    if (reserved)
      out.push(
        problem({
          code: reserved.code,
          message: reserved.message,
          location: locateResolved(entry, reserved.path),
          field: 'metadata.name',
          value: entry.db.name,
          expected: String(reserved.expected),
        }),
      );
  }
  const config = repo.config;
  for (const cloud of ['aws', 'gcp'] as const) {
    if (!config.baseline?.[cloud]) continue;
    const where = ['baseline', cloud];
    const accounts = cloud === 'aws' ? config.clouds.aws?.accounts : config.clouds.gcp?.projects;
    if (!accounts || Object.keys(accounts).length === 0) {
      out.push(
        problem({
          code: ERR.FIELD_WITHOUT_EFFECT,
          message:
            `baseline.${cloud} builds nothing: dbaas.config.yaml lists no ` +
            `${cloud === 'aws' ? 'clouds.aws.accounts' : 'clouds.gcp.projects'}; expected one, or no ` +
            `baseline.${cloud}`,
          location: configLocation(where),
          field: where.join('.'),
        }),
      );
    } else if (!config.state[cloud]) {
      out.push(
        problem({
          code: ERR.NO_STATE,
          message:
            `baseline.${cloud} stacks need a state backend and dbaas.config.yaml has no state.${cloud}; expected ` +
            `${cloud === 'aws' ? 'state.aws: { bucket, region, keyPrefix }' : 'state.gcp: { bucket, prefix }'}`,
          location: configLocation(['state', cloud]),
          field: `state.${cloud}`,
        }),
      );
    }
  }
  return out;
}

/**
 * Webhook secrets an AWS stack must read: pointed at in the channel's own file. Not
 * slack.webhookSecret: AWS posts to Slack through Chatbot and never reads it (a channel shared with
 * GCP databases holds a gcp-secretmanager: token there, which only GCP reads).
 */
function awsChannelProblems(repo: ResolvedRepo, entry: ResolvedEntry): Problem[] {
  const out: Problem[] = [];
  for (const channel of entry.db.channels) {
    const spec = repo.channels.get(channel.name);
    const refs: [FieldPath, string | undefined][] = [[['spec', 'webhook', 'urlSecret'], channel.webhook?.urlSecret]];
    for (const [path, ref] of refs) {
      if (ref === undefined || AWS_SECRET_STORES.includes(ref.split(':')[0] ?? '')) continue;
      out.push(
        problem({
          code: ERR.SYNTH_SECRET_STORE,
          message:
            `channel ${channel.name} reaches an AWS stack, which cannot read secret reference ` +
            `${JSON.stringify(ref)}; expected secretsmanager:<name> or ssm:<parameter>`,
          location: spec ? spec.doc.locate(path) : locateResolved(entry, ['channels']),
          field: fieldName(path),
          value: ref,
          expected: 'secretsmanager:<name> or ssm:<parameter>',
        }),
      );
    }
  }
  return out;
}

function valueAt(value: unknown, path: Path): unknown {
  let node = value;
  for (const seg of path) node = (node as Record<string | number, unknown> | undefined)?.[seg];
  return node;
}
