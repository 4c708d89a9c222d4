// Checks JSON Schema cannot say well: plaintext secrets, names per cloud, cron and timezones.
import { problem, showValue, type Problem } from '../errors.js';
import type { FieldPath, SourceDocument } from '../load/yaml.js';
import { checkCron, isTimezone } from '../schedule/cron.js';
import { nameRuleOf, type NameRule } from '../profiles/index.js';
import { fieldName } from './schema-errors.js';
import { ERR } from '../error-codes.js';
import { SECRET_KEY } from '../secrets.js';

const SECRET_REF = /^(secretsmanager|ssm|gcp-secretmanager|vault):[A-Za-z0-9/_+=.@-]+$/;
const LOOKS_LIKE_SECRET_VALUE = /^(https?:\/\/hooks\.slack\.com\/|https?:\/\/[^\s]*(token|key|secret|sig)=|xox[abprs]-|AKIA[0-9A-Z]{16}|-----BEGIN)/i;

/** A string under a secret-like key that is not a reference, or a value shaped like a known secret. */
export function findPlaintextSecrets(doc: SourceDocument): { problems: Problem[]; paths: FieldPath[] } {
  const out: Problem[] = [];
  const paths: FieldPath[] = [];
  const visit = (node: unknown, path: (string | number)[]): void => {
    if (Array.isArray(node)) node.forEach((item, i) => visit(item, [...path, i]));
    else if (node && typeof node === 'object') for (const [k, v] of Object.entries(node)) visit(v, [...path, k]);
    else if (typeof node === 'string') {
      const key = [...path].reverse().find((s): s is string => typeof s === 'string');
      const secretKey = key !== undefined && SECRET_KEY.test(key);
      if ((secretKey && !SECRET_REF.test(node)) || LOOKS_LIKE_SECRET_VALUE.test(node)) {
        // Never echo the value: it may be a live credential.
        paths.push(path);
        out.push(
          problem({
            code: ERR.PLAINTEXT_SECRET,
            message:
              'looks like a plaintext secret (value not shown); expected a reference such as ' +
              'secretsmanager:<name>, ssm:<parameter>, gcp-secretmanager:<name> or vault:<path>. Remove it from ' +
              'git history too',
            location: doc.locate(path),
            field: fieldName(path),
          }),
        );
      }
    }
  };
  visit(doc.value, []);
  return { problems: out, paths };
}

/** The identifier rule for a database name on its cloud (src/profiles). */
export function nameRule(cloud: unknown, engine: unknown): NameRule {
  return nameRuleOf(cloud, engine);
}

/** The database name becomes a folder and a cloud identifier: it must be safe for both. */
export function checkDatabaseName(doc: SourceDocument): Problem[] {
  const value = doc.value as { metadata?: { name?: unknown }; spec?: { cloud?: unknown; engine?: unknown } };
  const name = value.metadata?.name;
  if (typeof name !== 'string') return [];
  const path = ['metadata', 'name'];
  if (/[/\\]|\.\./.test(name) || name.startsWith('.')) {
    return [
      problem({
        code: ERR.UNSAFE_NAME,
        message: `got ${showValue(name)}, which would leave the output folder; expected a plain identifier`,
        location: doc.locate(path),
        field: fieldName(path),
        value: name,
      }),
    ];
  }
  const rule = nameRule(value.spec?.cloud, value.spec?.engine);
  if (rule.test(name)) return [];
  return [
    problem({
      code: ERR.INVALID_NAME,
      message: `got ${showValue(name)}; expected ${rule.expected}`,
      location: doc.locate(path),
      field: fieldName(path),
      value: name,
    }),
  ];
}

/** Every cron expression and timezone in a BackupPolicy spec or a Database's inline backup. */
export function checkSchedules(doc: SourceDocument, policyPath: FieldPath): Problem[] {
  const policy = getIn(doc.value, policyPath) as Record<string, unknown> | undefined;
  if (!policy || typeof policy !== 'object') return [];
  const out: Problem[] = [];
  const zone = (path: FieldPath, value: unknown): string | undefined => {
    if (value === undefined) return undefined;
    if (typeof value === 'string' && isTimezone(value)) return value;
    out.push(
      problem({
        code: ERR.UNKNOWN_TIMEZONE,
        message: `got ${showValue(value)}; expected an IANA timezone such as UTC or Europe/Dublin`,
        location: doc.locate(path),
        field: fieldName(path),
        value,
      }),
    );
    return 'invalid';
  };
  const cron = (path: FieldPath, value: unknown, timezone: string | undefined): void => {
    if (typeof value !== 'string' || timezone === 'invalid') return;
    const result = checkCron(value, timezone ?? 'UTC');
    if (!result.ok) {
      out.push(
        problem({
          code: ERR.INVALID_CRON,
          message: `got ${showValue(value)}, which ${result.reason}`,
          location: doc.locate(path),
          field: fieldName(path),
          value,
        }),
      );
    }
  };
  const policyZone = zone([...policyPath, 'timezone'], policy.timezone);
  cron([...policyPath, 'schedule'], policy.schedule, policyZone);
  (Array.isArray(policy.exports) ? policy.exports : []).forEach((e: Record<string, unknown>, i) => {
    const path = [...policyPath, 'exports', i];
    cron([...path, 'schedule'], e?.schedule, zone([...path, 'timezone'], e?.timezone) ?? policyZone);
  });
  const rt = policy.restoreTesting as Record<string, unknown> | undefined;
  if (rt && typeof rt === 'object') {
    const path = [...policyPath, 'restoreTesting'];
    cron([...path, 'schedule'], rt.schedule, zone([...path, 'timezone'], rt.timezone) ?? policyZone);
  }
  return out;
}

export function getIn(value: unknown, path: FieldPath): unknown {
  let node = value;
  for (const seg of path) node = (node as Record<string | number, unknown> | undefined)?.[seg];
  return node;
}
