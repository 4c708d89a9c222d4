// Where a plan report goes, for `dbaas plan` and `dbaas plan merge` alike: the chosen format to stdout
// or --out, the --save-* copies from the same report, and in GitHub Actions annotations on stderr and
// the job summary. All files are written atomically.
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
import type { PlanReport } from '../plan/types.js';
import { annotation } from '../render/annotations.js';
import { renderMarkdown } from '../render/markdown.js';
import { renderPlanText } from '../render/plan-text.js';
import { renderSarif } from '../render/sarif.js';

export interface PlanOutputFlags {
  readonly format: string;
  readonly out?: string | undefined;
  readonly 'save-markdown'?: string | undefined;
  readonly 'save-json'?: string | undefined;
  readonly 'save-sarif'?: string | undefined;
}

export function renderPlanReport(report: PlanReport, format: string, artifact?: string): string {
  return format === 'markdown'
    ? renderMarkdown(report, artifact ? { artifact } : {})
    : format === 'json'
      ? `${JSON.stringify(report, null, 2)}\n`
      : format === 'sarif'
        ? renderSarif({ toolVersion: report.toolVersion, findings: report.findings, problems: report.problems })
        : renderPlanText(report);
}

export interface PlanOutputSinks {
  /** False under --json (oclif prints the returned report). */
  readonly printing: boolean;
  readonly stdout: (text: string, kind: 'text' | 'json') => void;
  /** Set in GitHub Actions: prints one workflow command on stderr. */
  readonly annotate?: (command: string) => void;
}

export function writePlanOutputs(report: PlanReport, flags: PlanOutputFlags, sinks: PlanOutputSinks): void {
  const artifact = flags['save-json'] || flags.out ? 'the plan.json artifact of this workflow run' : undefined;
  const saves: [string, string | undefined][] = [
    ['markdown', flags['save-markdown']],
    ['json', flags['save-json']],
    ['sarif', flags['save-sarif']],
  ];
  for (const [format, file] of saves) if (file) writeFileAtomic(resolve(file), renderPlanReport(report, format, artifact));
  if (sinks.printing) {
    const rendered = renderPlanReport(report, flags.format, artifact);
    if (flags.out) writeFileAtomic(resolve(flags.out), rendered);
    else sinks.stdout(rendered, flags.format === 'json' || flags.format === 'sarif' ? 'json' : 'text');
  }
  if (sinks.annotate) {
    // Workflow commands are read from stderr too; stdout may be carrying JSON or SARIF.
    for (const p of report.problems) {
      sinks.annotate(annotation({ severity: p.severity, code: p.code, message: p.message, ...(p.field ? { field: p.field } : {}), ...(p.file ? { location: { file: p.file, line: p.line ?? 1, column: p.column ?? 1 } } : {}) }));
    }
    for (const f of report.findings.filter((x) => !x.waived)) {
      sinks.annotate(annotation({ severity: f.severity, code: f.guardrail, message: `${f.database}: ${f.message} ${f.remediation}`, location: { file: f.file, line: f.line, column: f.column } }));
    }
    if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, renderMarkdown(report));
  }
}
