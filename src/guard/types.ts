// Guard stage types: compiled guardrails, findings, waivers and overrides.
import type { ValidateFunction } from 'ajv/dist/2020.js';
import type { SourceLocation } from '../errors.js';
import type { FieldPath } from '../load/yaml.js';
import type { GuardrailMatch } from '../spec/generated.js';

export type Severity = 'error' | 'warning';
export type JsonObject = { [key: string]: unknown };

/** Where a guardrail came from: the pack inside the dbaas package, or the infra repo's policies/. */
export type GuardrailSource = 'baseline' | 'repo';

export interface CompiledGuardrail {
  readonly id: string;
  /** The severity written in the guardrail file. */
  readonly severity: Severity;
  readonly description: string;
  readonly references: readonly string[];
  /** Default: {} (every database). */
  readonly match: GuardrailMatch;
  readonly assert: JsonObject;
  readonly remediation: string;
  /** A JSON merge patch over the resolved database. Default: none. */
  readonly fix?: JsonObject;
  readonly tests: { readonly pass: readonly JsonObject[]; readonly fail: readonly JsonObject[] };
  readonly source: GuardrailSource;
  /** Repo-relative path of the guardrail file (may start with ../ or node_modules/ for the baseline). */
  readonly file: string;
  /** Where metadata.id is written. */
  readonly location: SourceLocation;
  /** Where each test case is written, for policy test output. */
  readonly testLocations: { readonly pass: readonly SourceLocation[]; readonly fail: readonly SourceLocation[] };
  /** The compiled assert; compiled once per registry. */
  readonly validate: ValidateFunction;
}

/** A dbaas.config.yaml guardrails.overrides entry that names a known guardrail. */
export interface GuardrailOverride {
  readonly guardrail: string;
  readonly severity?: Severity | 'off';
  readonly reason: string;
  readonly location: SourceLocation;
}

export interface WaiverInfo {
  readonly reason: string;
  readonly expires: string;
  readonly location: SourceLocation;
}

export type { FindingCode } from '../error-codes.js';
import type { FindingCode } from '../error-codes.js';

export interface Finding {
  /** DBAAS_GUARDRAIL for a guardrail violation; DBAAS_WAIVER_* for a problem with a waiver itself. */
  readonly code: FindingCode;
  /** The guardrail id (for a waiver problem: the id the waiver names). */
  readonly guardrail: string;
  /** Effective severity, after any dbaas.config.yaml override. */
  readonly severity: Severity;
  readonly database: string;
  readonly location: SourceLocation;
  /** Dotted path in the resolved database, e.g. backup.retentionDays. */
  readonly field: string;
  readonly message: string;
  readonly remediation: string;
  /** The merge patch `dbaas fix` would write. Default: none. */
  readonly fix?: JsonObject;
  /** Set when a valid waiver accepts this finding: it is reported but does not fail. */
  readonly waived?: WaiverInfo;
  /** Set when dbaas.config.yaml changed this guardrail's severity. */
  readonly override?: { readonly from: Severity; readonly reason: string };
}

export interface GuardResult {
  readonly findings: readonly Finding[];
  /** Overrides in effect (including severity: off, which produces no findings). */
  readonly overrides: readonly GuardrailOverride[];
  /** Guardrails evaluated (after overrides turned some off). */
  readonly evaluated: number;
  /** YYYY-MM-DD used for waiver expiry. */
  readonly today: string;
}

/** A finding counts against the exit code when it is an error nobody waived. */
export function isBlocking(finding: Finding): boolean {
  return finding.severity === 'error' && !finding.waived;
}

export type { FieldPath };
