// Guard stage: every resolved database against every guardrail that matches it, then waivers and
// overrides. Pure over its inputs ("today" is passed in), so the same repo gives the same findings.
import type { ErrorObject } from 'ajv/dist/2020.js';
import { showValue } from '../errors.js';
import type { FieldPath } from '../load/yaml.js';
import { capabilitiesOf, type Capability } from '../profiles/capabilities.js';
import { locateResolved, type ResolvedEntry } from '../resolve/index.js';
import type { GuardrailMatch } from '../spec/generated.js';
import { didYouMean } from '../suggest.js';
import { fieldName, pointerToPath } from '../validate/schema-errors.js';
import { visibleLength } from '../validate/visible.js';
import { daysBetween } from './clock.js';
import { GUARD_KEYWORDS } from './keywords.js';
import type { GuardrailRegistry } from './registry.js';
import type { CompiledGuardrail, Finding, GuardrailOverride, GuardResult, JsonObject, Severity, WaiverInfo } from './types.js';
import { ERR } from '../error-codes.js';
import { isObject } from '../json.js';

export const WAIVER_MAX_DAYS = 180;
export const WAIVER_MIN_REASON = 10;

/**
 * Whether the database's engine has every listed capability on its cloud. All, not any: each
 * capability names something the assert relies on. A partial test case without a cloud gets the
 * union over the engine's clouds; one without an engine matches nothing, like any other listed field.
 * An engine no profile defines (validation refuses one, so only a hand-built database) fails closed:
 * it is judged by every capability rule rather than silently skipped.
 */
export function hasCapabilities(wanted: readonly Capability[], engine: unknown, cloud: unknown): boolean {
  if (typeof engine !== 'string') return false;
  const has = capabilitiesOf(engine, typeof cloud === 'string' ? cloud : undefined);
  return !has || wanted.every((c) => has.has(c));
}

/** Why a capability list leaves a (test) database out, for policy test: undefined when it does not. */
export function capabilityMismatch(wanted: readonly Capability[] | undefined, db: JsonObject): string | undefined {
  if (!wanted || hasCapabilities(wanted, db.engine, db.cloud)) return undefined;
  if (typeof db.engine !== 'string') return `it names no engine, and match.capability reads the engine's capabilities`;
  const has = capabilitiesOf(db.engine, typeof db.cloud === 'string' ? db.cloud : undefined) ?? new Set();
  const missing = wanted.filter((c) => !has.has(c));
  const where = typeof db.cloud === 'string' ? ` on ${showValue(db.cloud)}` : '';
  return `engine ${showValue(db.engine)}${where} lacks capability ${missing.join(', ')}`;
}

/** Whether a guardrail applies to a (possibly partial) resolved database. */
export function matches(match: GuardrailMatch, db: JsonObject): boolean {
  const inList = (list: readonly string[] | undefined, value: unknown) => !list || (typeof value === 'string' && list.includes(value));
  if (!inList(match.environment, db.environment)) return false;
  if (!inList(match.cloud, db.cloud)) return false;
  if (!inList(match.engine, db.engine)) return false;
  if (match.capability && !hasCapabilities(match.capability, db.engine, db.cloud)) return false;
  if (!inList(match.team, db.team)) return false;
  if (match.labels) {
    const labels = isObject(db.labels) ? db.labels : {};
    for (const [key, value] of Object.entries(match.labels)) if (labels[key] !== value) return false;
  }
  return true;
}

// Wrapper keywords whose failure is explained by the more specific error ajv reports first.
const WRAPPERS = new Set(['if', 'then', 'else', 'allOf', '$ref']);
const DBAAS_KEYWORDS = new Set(GUARD_KEYWORDS.map((k) => k.name));

/** The failing field and a one-line explanation, from ajv's first meaningful error. */
export function explainFailure(errors: readonly ErrorObject[] | null | undefined): { path: FieldPath; detail: string } {
  const error = errors?.find((e) => !WRAPPERS.has(e.keyword)) ?? errors?.[0];
  if (!error) return { path: [], detail: 'does not satisfy the guardrail' };
  const path: (string | number)[] = pointerToPath(error.instancePath);
  const params = error.params as Record<string, unknown>;
  if ((error.keyword === 'required' || error.keyword === 'dependentRequired') && typeof params.missingProperty === 'string') {
    path.push(params.missingProperty);
    return { path, detail: `${fieldName(path)} is not set` };
  }
  const field = fieldName(path) || 'the database';
  switch (error.keyword) {
    case 'const':
      return { path, detail: `${field} is ${showValue(error.data)}; expected ${showValue(params.allowedValue)}` };
    case 'enum':
      return {
        path,
        detail: `${field} is ${showValue(error.data)}; expected one of ${(params.allowedValues as unknown[]).map((v) => showValue(v)).join(', ')}`,
      };
    case 'not':
      return { path, detail: `${field} is ${showValue(error.data)}, which the guardrail forbids` };
    case 'contains': {
      const contains = (error.parentSchema as { contains?: { required?: unknown; properties?: Record<string, { const?: unknown }> } } | undefined)?.contains;
      const wanted = ((contains?.required ?? []) as unknown[]).map(String);
      // "item with tier page" where the schema pins the value, "item with account" where it only asks for the key.
      const named = wanted.map((k) => (contains?.properties?.[k]?.const !== undefined ? `${k} ${constText(contains.properties[k]?.const)}` : k));
      const what = named.length ? `item with ${named.join(' and ')}` : 'item the guardrail requires';
      return { path, detail: `${field} has no ${what}` };
    }
    default:
      if (DBAAS_KEYWORDS.has(error.keyword)) return { path, detail: error.message ?? 'fails' }; // names its own values
      return { path, detail: `${field} is ${showValue(error.data)}; ${error.message ?? 'is not allowed'}` };
  }
}

/** A pinned value as the message names it: a scalar as it is, anything else as JSON. */
const constText = (value: unknown): string => (typeof value === 'object' && value !== null ? JSON.stringify(value) : String(value));

const firstSentence = (text: string) => (text.match(/^.*?[.!?](\s|$)/)?.[0] ?? text).trim().replace(/[.!?]$/, '');

/** Evaluates one guardrail on one database: undefined when it passes or does not apply. */
export function evaluate(guardrail: CompiledGuardrail, db: JsonObject): { path: FieldPath; detail: string } | undefined {
  if (!matches(guardrail.match, db)) return undefined;
  if (guardrail.validate(db)) return undefined;
  return explainFailure(guardrail.validate.errors);
}

export interface GuardOptions {
  /** YYYY-MM-DD, for waiver expiry (see clock.ts today()). */
  readonly today: string;
  /** From dbaas.config.yaml guardrails.overrides (see registry.ts readOverrides). Default: none. */
  readonly overrides?: readonly GuardrailOverride[];
}

type Waiver = { guardrail: string; reason: string; expires: string };

/** Runs the registry over every resolved database. */
export function guard(entries: readonly ResolvedEntry[], registry: GuardrailRegistry, options: GuardOptions): GuardResult {
  const overrides = new Map((options.overrides ?? []).map((o) => [o.guardrail, o]));
  const active = registry.guardrails.flatMap((g) => {
    const override = overrides.get(g.id);
    if (override?.severity === 'off') return [];
    const severity: Severity = override?.severity ?? g.severity;
    const changed = override?.severity !== undefined && override.severity !== g.severity ? { from: g.severity, reason: override.reason } : undefined;
    return [{ guardrail: g, severity, changed }];
  });

  const findings: Finding[] = [];
  for (const entry of entries) {
    const db = entry.db as unknown as JsonObject;
    const { valid: waivers, findings: waiverFindings } = checkWaivers(entry, registry, options.today);
    findings.push(...waiverFindings);
    const used = new Set<number>();
    for (const { guardrail, severity, changed } of active) {
      const failure = evaluate(guardrail, db);
      if (!failure) continue;
      const waiverIndex = waivers.findIndex((w) => w.waiver.guardrail === guardrail.id);
      const waiver = waivers[waiverIndex];
      if (waiver) used.add(waiverIndex);
      findings.push({
        code: ERR.GUARDRAIL,
        guardrail: guardrail.id,
        severity,
        database: entry.db.name,
        location: locateResolved(entry, failure.path),
        field: fieldName(failure.path) || 'metadata.name',
        message: `${firstSentence(guardrail.description)}: ${failure.detail}`,
        remediation: guardrail.remediation,
        ...(guardrail.fix ? { fix: guardrail.fix } : {}),
        ...(waiver ? { waived: waiver.info } : {}),
        ...(changed ? { override: changed } : {}),
      });
    }
    waivers.forEach((w, i) => {
      if (used.has(i) || overrides.get(w.waiver.guardrail)?.severity === 'off') return;
      findings.push({
        code: ERR.WAIVER_UNUSED,
        guardrail: w.waiver.guardrail,
        severity: 'warning',
        database: entry.db.name,
        location: w.info.location,
        field: `waivers[${w.index}]`,
        message: `waiver for "${w.waiver.guardrail}" accepts nothing: the guardrail passes on this database`,
        remediation: 'Remove the waiver; it is no longer needed.',
      });
    });
  }
  findings.sort(
    (a, b) =>
      a.location.file.localeCompare(b.location.file) ||
      a.location.line - b.location.line ||
      a.location.column - b.location.column ||
      a.guardrail.localeCompare(b.guardrail),
  );
  return { findings, overrides: [...overrides.values()], evaluated: active.length, today: options.today };
}

/** Splits a database's waivers into usable ones and error findings for the broken ones. */
function checkWaivers(
  entry: ResolvedEntry,
  registry: GuardrailRegistry,
  today: string,
): { valid: { waiver: Waiver; info: WaiverInfo; index: number }[]; findings: Finding[] } {
  const valid: { waiver: Waiver; info: WaiverInfo; index: number }[] = [];
  const findings: Finding[] = [];
  const waivers = (entry.db.waivers ?? []) as Waiver[];
  waivers.forEach((waiver, index) => {
    const at = (field: string) => entry.spec.doc.locate(['spec', 'waivers', index, field]);
    const fail = (code: Finding['code'], field: string, message: string, remediation: string) =>
      findings.push({
        code,
        guardrail: waiver.guardrail,
        severity: 'error',
        database: entry.db.name,
        location: at(field),
        field: `waivers[${index}].${field}`,
        message,
        remediation,
      });
    const before = findings.length;
    if (!registry.byId.has(waiver.guardrail)) {
      const hint = didYouMean(waiver.guardrail, registry.byId.keys());
      fail(
        ERR.WAIVER_UNKNOWN_GUARDRAIL,
        'guardrail',
        `waiver names guardrail "${waiver.guardrail}", which does not exist${hint ? ` (${hint})` : ''}`,
        'Name a guardrail from dbaas policy list, or remove the waiver.',
      );
    }
    const visible = visibleLength(waiver.reason);
    if (visible < WAIVER_MIN_REASON) {
      fail(
        ERR.WAIVER_REASON_TOO_SHORT,
        'reason',
        `waiver reason ${showValue(waiver.reason)} is ${visible} visible characters; expected at least ` +
          `${WAIVER_MIN_REASON} saying why the exception is safe (spaces and invisible characters do not count)`,
        'Say why the exception is acceptable, e.g. the ticket or decision it rests on.',
      );
    }
    const expires = String(waiver.expires);
    if (!isCalendarDate(expires)) {
      fail(
        ERR.WAIVER_BAD_DATE,
        'expires',
        `waiver expiry ${showValue(expires)} is not a calendar date; expected YYYY-MM-DD`,
        'Write the expiry as a real date, YYYY-MM-DD.',
      );
    } else {
      const days = daysBetween(today, expires);
      if (days < 0) {
        fail(
          ERR.WAIVER_EXPIRED,
          'expires',
          `waiver for "${waiver.guardrail}" expired on ${expires} (today is ${today}); the finding it accepted is an error again`,
          'Fix what the guardrail asks for, or renew the waiver with a new reason and an expiry at most 180 days out.',
        );
      } else if (days > WAIVER_MAX_DAYS) {
        fail(
          ERR.WAIVER_TOO_LONG,
          'expires',
          `waiver expires ${expires}, ${days} days from today (${today}); expected at most ${WAIVER_MAX_DAYS} days out`,
          `Set expires no later than ${addDays(today, WAIVER_MAX_DAYS)}; renew it when it runs out.`,
        );
      }
    }
    if (findings.length === before)
      valid.push({ waiver, index, info: { reason: waiver.reason, expires, location: entry.spec.doc.locate(['spec', 'waivers', index]) } });
  });
  return { valid, findings };
}

function isCalendarDate(text: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return false;
  const time = Date.parse(`${text}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().slice(0, 10) === text;
}

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}
