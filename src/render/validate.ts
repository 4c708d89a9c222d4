// `dbaas validate` for a terminal: every problem, finding and override, then one summary line.
import { formatProblem } from '../errors.js';
import type { ValidateOutcome } from '../guard/outcome.js';
import { ExitCode } from '../errors.js';
import { formatFinding, formatOverride } from './findings.js';

const plural = (n: number, word: string) => `${word}${n === 1 ? '' : 's'}`;

/** "3 problems: 2 of 9 databases invalid; ..." */
export function invalidSummaryLine(errors: number, counted: { invalid: number; databases: number }): string {
  const scope = counted.databases ? `: ${counted.invalid} of ${counted.databases} ${plural(counted.databases, 'database')} invalid` : '';
  return `${errors} ${plural(errors, 'problem')}${scope}; fix them and run dbaas validate again`;
}

/** The lines validate prints; `invalid` is read (from disk) only when the input is invalid. */
export function renderValidateLines(outcome: ValidateOutcome, invalid: () => { invalid: number; databases: number }): string[] {
  const lines = outcome.problems.map(formatProblem);
  for (const f of outcome.findings) lines.push(...formatFinding(f));
  for (const o of outcome.overrides) lines.push(formatOverride(o));
  if (!outcome.valid) lines.push(`✗ ${invalidSummaryLine(outcome.problems.filter((p) => p.severity === 'error').length, invalid())}`);
  else {
    const c = outcome.counts;
    const tally = `guardrails: ${c.errors} errors, ${c.warnings} warnings, ${c.waived} waived (${outcome.guardrails} guardrails)`;
    lines.push(`${outcome.exitCode === ExitCode.ok ? '✓' : '✗'} ${outcome.databases.length} ${plural(outcome.databases.length, 'database')} valid; ${tally}`);
  }
  return lines;
}
