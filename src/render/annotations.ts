// GitHub Actions workflow commands: one ::error/::warning line per problem, shown inline on the PR.
import type { Problem } from '../errors.js';
import type { Finding } from '../guard/types.js';
import type { PlanReport } from '../plan/types.js';
import { ERR } from '../error-codes.js';

const escapeData = (s: string) => s.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A');
const escapeProperty = (s: string) => escapeData(s).replace(/:/g, '%3A').replace(/,/g, '%2C');

export function annotation(p: Pick<Problem, 'severity' | 'code' | 'message' | 'location' | 'field'>, level = p.severity): string {
  const props = [
    p.location && `file=${escapeProperty(p.location.file)}`,
    p.location && `line=${p.location.line}`,
    p.location && `col=${p.location.column}`,
    `title=${escapeProperty(p.code)}`,
  ].filter(Boolean);
  const field = p.field ? `${p.field}: ` : '';
  return `::${level === 'warning' ? 'warning' : 'error'} ${props.join(',')}::${escapeData(field + p.message)}`;
}

/** A guardrail finding as a workflow command; a waived one is only a warning. */
export function findingAnnotation(f: Finding): string {
  return annotation(
    {
      severity: f.severity,
      code: f.code === ERR.GUARDRAIL ? f.guardrail : f.code,
      message: `[${f.database}] ${f.message}${f.waived ? ` (waived until ${f.waived.expires})` : ''}`,
      location: f.location,
      field: f.field,
    },
    f.waived ? 'warning' : f.severity,
  );
}

/** A plan report's problems and unwaived findings, one workflow command each. */
export function planAnnotations(report: Pick<PlanReport, 'problems' | 'findings'>): string[] {
  return [
    ...report.problems.map((p) =>
      annotation({
        severity: p.severity,
        code: p.code,
        message: p.message,
        ...(p.field ? { field: p.field } : {}),
        ...(p.file ? { location: { file: p.file, line: p.line ?? 1, column: p.column ?? 1 } } : {}),
      }),
    ),
    ...report.findings
      .filter((x) => !x.waived)
      .map((f) =>
        annotation({
          severity: f.severity,
          code: f.guardrail,
          message: `${f.database}: ${f.message} ${f.remediation}`,
          location: { file: f.file, line: f.line, column: f.column },
        }),
      ),
  ];
}
