// `dbaas fix` for a terminal: each file with its changed fields, the errors left, one summary line.
import { ExitCode } from '../errors.js';
import type { FixChange } from '../guard/fix.js';
import type { FixOutcome } from '../guard/fix-outcome.js';
import { summarize } from '../guard/summary.js';
import { renderFlow } from '../guard/yaml-edit.js';
import { formatFinding } from './findings.js';

const show = (v: unknown) => (v === undefined ? '(unset)' : renderFlow(v));

export function describeFixChange(c: FixChange): string {
  return `${c.field}: ${show(c.before)} → ${show(c.after)}  (${c.target}; ${c.guardrails.join(', ')} for ${c.databases.join(', ')})`;
}

export function renderFixLines(outcome: FixOutcome, dryRun: boolean): string[] {
  const lines: string[] = [];
  const verb = dryRun ? 'would change' : 'changed';
  for (const file of outcome.files) {
    lines.push(`${file}`);
    for (const c of outcome.changes.filter((x) => x.file === file)) lines.push(`  ${describeFixChange(c)}`);
  }
  for (const f of outcome.remaining) lines.push(...formatFinding(f));
  const counts = summarize(outcome.guard);
  const n = outcome.changes.length;
  const head = n
    ? `${dryRun ? '(dry run) ' : ''}${verb} ${n} field${n === 1 ? '' : 's'} in ${outcome.files.length} file${outcome.files.length === 1 ? '' : 's'}`
    : 'nothing to fix';
  lines.push(
    `${outcome.exitCode === ExitCode.ok ? '✓' : '✗'} ${head}; guardrails after: ${counts.errors} errors, ${counts.warnings} warnings, ${counts.waived} waived`,
  );
  return lines;
}
