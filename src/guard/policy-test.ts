// Runs every guardrail's own pass and fail cases (dbaas policy test, and the meta-test): pass cases
// give no finding, fail cases give one, and a fix turns each fail case into a pass.
import type { SourceLocation } from '../errors.js';
import { capabilityMismatch, evaluate, matches } from './engine.js';
import { applyMergePatch } from './merge-patch.js';
import type { GuardrailRegistry } from './registry.js';
import type { CompiledGuardrail, JsonObject } from './types.js';

export interface CaseFailure {
  readonly guardrail: string;
  readonly kind: 'pass' | 'fail' | 'fix';
  /** 0-based index in tests.pass or tests.fail. */
  readonly index: number;
  readonly location: SourceLocation;
  readonly message: string;
}

export interface PolicyTestResult {
  readonly guardrails: readonly { readonly id: string; readonly cases: number; readonly failures: readonly CaseFailure[] }[];
  readonly failures: readonly CaseFailure[];
  readonly cases: number;
}

export function testGuardrail(g: CompiledGuardrail): { cases: number; failures: CaseFailure[] } {
  const failures: CaseFailure[] = [];
  let cases = 0;
  g.tests.pass.forEach((testCase, index) => {
    cases++;
    const failure = evaluate(g, testCase);
    if (failure) {
      failures.push({
        guardrail: g.id,
        kind: 'pass',
        index,
        location: g.testLocations.pass[index]!,
        message: `pass case ${index + 1} gives a finding: ${failure.detail}`,
      });
    }
  });
  g.tests.fail.forEach((testCase, index) => {
    cases++;
    const location = g.testLocations.fail[index]!;
    if (!evaluate(g, testCase)) {
      // Named only when the capability list is the one condition that leaves the case out.
      const { capability, ...rest } = g.match;
      const lacks = matches(rest, testCase) ? capabilityMismatch(capability, testCase) : undefined;
      const why = matches(g.match, testCase)
        ? 'passes the assert'
        : lacks
          ? `does not match: ${lacks}`
          : 'does not match (check environment, cloud, engine, capability, team, labels against match)';
      failures.push({ guardrail: g.id, kind: 'fail', index, location, message: `fail case ${index + 1} gives no finding: it ${why}` });
      return;
    }
    if (!g.fix) return;
    const fixed = applyMergePatch(testCase, g.fix) as JsonObject;
    const still = evaluate(g, fixed);
    if (still) failures.push({ guardrail: g.id, kind: 'fix', index, location, message: `fix does not repair fail case ${index + 1}: ${still.detail}` });
  });
  return { cases, failures };
}

export function testRegistry(registry: GuardrailRegistry): PolicyTestResult {
  const guardrails = registry.guardrails.map((g) => ({ id: g.id, ...testGuardrail(g) }));
  return {
    guardrails,
    failures: guardrails.flatMap((g) => g.failures),
    cases: guardrails.reduce((n, g) => n + g.cases, 0),
  };
}
