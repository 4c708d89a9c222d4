// What `dbaas validate` concludes from a guarded repo: the problems, findings and overrides to show,
// their counts and the exit code (0 ok, 1 an unwaived guardrail error, 2 invalid input), and the
// documented JSON (docs/json-output.md, schemas/output/validate.schema.json).
import { ExitCode, type Problem } from '../errors.js';
import type { Guarded } from '../pipeline.js';
import { findingToJson, overrideToJson, type FindingJson, type OverrideJson } from '../render/findings.js';
import { problemToJson, type ProblemJson } from '../render/problems.js';
import { summarize } from './summary.js';
import { isBlocking, type Finding, type GuardrailOverride } from './types.js';

/** The documented `dbaas validate --json` shape (docs/json-output.md, section validate). */
export interface ValidateJson {
  /** True when the exit code is 0: valid input and no unwaived guardrail error. */
  ok: boolean;
  exitCode: number;
  databases: string[];
  problems: ProblemJson[];
  /** Guardrail findings, waived ones included (empty when the input is invalid). */
  findings: FindingJson[];
  /** dbaas.config.yaml guardrails.overrides in effect, with their reasons. */
  overrides: OverrideJson[];
  summary: { errors: number; warnings: number; waived: number; guardrails: number };
}

export interface ValidateOutcome {
  readonly valid: boolean;
  readonly problems: readonly Problem[];
  readonly findings: readonly Finding[];
  readonly overrides: readonly GuardrailOverride[];
  readonly databases: readonly string[];
  readonly counts: { errors: number; warnings: number; waived: number };
  /** Guardrails evaluated (0 for invalid input). */
  readonly guardrails: number;
  readonly exitCode: ExitCode;
}

export function validateOutcome(result: Guarded): ValidateOutcome {
  const findings = result.ok ? result.guard.findings : [];
  return {
    valid: result.ok,
    problems: result.ok ? result.repo.problems : result.problems,
    findings,
    overrides: result.ok ? result.guard.overrides : [],
    databases: result.ok ? result.repo.entries.map((e) => e.db.name) : [],
    counts: result.ok ? summarize(result.guard) : { errors: 0, warnings: 0, waived: 0 },
    guardrails: result.ok ? result.guard.evaluated : 0,
    exitCode: !result.ok ? ExitCode.invalid : findings.some(isBlocking) ? ExitCode.findings : ExitCode.ok,
  };
}

export function validateJson(outcome: ValidateOutcome): ValidateJson {
  return {
    ok: outcome.exitCode === ExitCode.ok,
    exitCode: outcome.exitCode,
    databases: [...outcome.databases],
    problems: outcome.problems.map(problemToJson),
    findings: outcome.findings.map(findingToJson),
    overrides: outcome.overrides.map(overrideToJson),
    summary: { ...outcome.counts, guardrails: outcome.guardrails },
  };
}
