// Where a plan report goes, for `dbaas plan` and `dbaas plan merge` alike: the chosen format to stdout
// or --out, the --save-* copies from the same report, and in GitHub Actions annotations on stderr and
// the job summary. All files are written atomically.
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AtomicFile, writeFileAtomic } from '../fs/atomic.js';
import { isPlanSource, sourceOf, type PlanSource } from '../plan/source.js';
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

/** The JSON report and SARIF come from the summary (plan merge's stacks stay unparsed text); text and markdown from the whole report. */
function renderSource(source: PlanSource, format: string, artifact?: string): string {
  if (format === 'json') return Buffer.concat([...source.jsonChunks()].map((c) => (typeof c === 'string' ? Buffer.from(c) : c))).toString('utf8');
  if (format === 'sarif') return renderSarif({ toolVersion: source.summary.toolVersion, findings: source.summary.findings, problems: source.summary.problems });
  return renderPlanReport(source.report(), format, artifact);
}

/** Writes a file atomically; the JSON report in pieces, so 100 MB of it is never one string. */
function writeOutput(file: string, source: PlanSource, format: string, artifact?: string): void {
  if (format !== 'json') return writeFileAtomic(file, renderSource(source, format, artifact));
  const out = new AtomicFile(file);
  for (const chunk of source.jsonChunks()) out.write(chunk);
  out.commit();
}

export function writePlanOutputs(input: PlanReport | PlanSource, flags: PlanOutputFlags, sinks: PlanOutputSinks): void {
  const source = isPlanSource(input) ? input : sourceOf(input);
  const summary = source.summary;
  const artifact = flags['save-json'] || flags.out ? 'the plan.json artifact of this workflow run' : undefined;
  const saves: [string, string | undefined][] = [
    ['markdown', flags['save-markdown']],
    ['json', flags['save-json']],
    ['sarif', flags['save-sarif']],
  ];
  for (const [format, file] of saves) if (file) writeOutput(resolve(file), source, format, artifact);
  if (sinks.printing) {
    if (flags.out) writeOutput(resolve(flags.out), source, flags.format, artifact);
    else sinks.stdout(renderSource(source, flags.format, artifact), flags.format === 'json' || flags.format === 'sarif' ? 'json' : 'text');
  }
  if (sinks.annotate) {
    // Workflow commands are read from stderr too; stdout may be carrying JSON or SARIF.
    for (const p of summary.problems) {
      sinks.annotate(annotation({ severity: p.severity, code: p.code, message: p.message, ...(p.field ? { field: p.field } : {}), ...(p.file ? { location: { file: p.file, line: p.line ?? 1, column: p.column ?? 1 } } : {}) }));
    }
    for (const f of summary.findings.filter((x) => !x.waived)) {
      sinks.annotate(annotation({ severity: f.severity, code: f.guardrail, message: `${f.database}: ${f.message} ${f.remediation}`, location: { file: f.file, line: f.line, column: f.column } }));
    }
    if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, renderMarkdown(source.report()));
  }
}
