// What `dbaas fix` concludes: the unwaived errors left after the fixes need a human (exit 1), and the
// documented JSON of the run.
import { ExitCode } from '../errors.js';
import { findingToJson, type FindingJson } from '../render/findings.js';
import type { FixChange, FixResult } from './fix.js';
import { isBlocking, type Finding, type GuardResult } from './types.js';

/** The documented `dbaas fix --json` shape. */
export interface FixJson {
  ok: boolean;
  exitCode: number;
  dryRun: boolean;
  /** Whether files were written (false with --dry-run or when nothing needed fixing). */
  written: boolean;
  files: string[];
  changes: { file: string; field: string; target: string; before: unknown; after: unknown; guardrails: string[]; databases: string[] }[];
  /** Unwaived error findings left after the fixes (they need a human). */
  remaining: FindingJson[];
}

export interface FixOutcome {
  readonly changes: readonly FixChange[];
  readonly files: readonly string[];
  /** Unwaived error findings left after the fixes. */
  readonly remaining: readonly Finding[];
  /** The guard result after the fixes (for the counts). */
  readonly guard: GuardResult;
  readonly exitCode: ExitCode;
}

/** The outcome of a fix whose result validated (the caller refuses one that did not). */
export function fixOutcome(result: FixResult & { after: { ok: true; guard: GuardResult } }): FixOutcome {
  const remaining = result.after.guard.findings.filter(isBlocking);
  return { changes: result.changes, files: result.files, remaining, guard: result.after.guard, exitCode: remaining.length ? ExitCode.findings : ExitCode.ok };
}

export function fixJson(outcome: FixOutcome, dryRun: boolean, written: boolean): FixJson {
  return {
    ok: outcome.exitCode === ExitCode.ok,
    exitCode: outcome.exitCode,
    dryRun,
    written,
    files: [...outcome.files],
    changes: outcome.changes.map((c) => ({ ...c, guardrails: [...c.guardrails], databases: [...c.databases] })),
    remaining: outcome.remaining.map(findingToJson),
  };
}
