// Where a plan report goes, for `dbaas plan` and `dbaas plan merge` alike: the chosen format to stdout
// or --out, the --save-* copies from the same report, and in GitHub Actions annotations on stderr and
// the job summary. All files are written atomically. What each format looks like is src/render/formats.ts.
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { AtomicFile, writeFileAtomic } from '../fs/atomic.js';
import { isPlanSource, sourceOf, type PlanSource } from '../plan/source.js';
import type { PlanReport } from '../plan/types.js';
import { planAnnotations } from '../render/annotations.js';
import { render, stdoutKind } from '../render/formats.js';

export interface PlanOutputFlags {
  readonly format: string;
  readonly out?: string | undefined;
  readonly 'save-markdown'?: string | undefined;
  readonly 'save-json'?: string | undefined;
  readonly 'save-sarif'?: string | undefined;
}

export interface PlanOutputSinks {
  /** False under --json (oclif prints the returned report). */
  readonly printing: boolean;
  readonly stdout: (text: string, kind: 'text' | 'json') => void;
  /** Set in GitHub Actions: prints one workflow command on stderr. */
  readonly annotate?: (command: string) => void;
}

/**
 * The JSON report and SARIF come from the summary (plan merge's stacks stay unparsed text: JSON is
 * copied in pieces, SARIF reads findings and problems only); the other formats from the whole report.
 */
function renderSource(source: PlanSource, format: string, options: { artifact?: string }): string {
  if (format === 'json') return Buffer.concat([...source.jsonChunks()].map((c) => (typeof c === 'string' ? Buffer.from(c) : c))).toString('utf8');
  if (format === 'sarif') return render('plan', format, { ...source.summary, stacks: [] }, options);
  return render('plan', format, source.report(), options);
}

/** Writes a file atomically; the JSON report in pieces, so a large one is never one string. */
function writeOutput(file: string, source: PlanSource, format: string, options: { artifact?: string }): void {
  if (format !== 'json') return writeFileAtomic(file, renderSource(source, format, options));
  const out = new AtomicFile(file);
  for (const chunk of source.jsonChunks()) out.write(chunk);
  out.commit();
}

export function writePlanOutputs(input: PlanReport | PlanSource, flags: PlanOutputFlags, sinks: PlanOutputSinks): void {
  const source = isPlanSource(input) ? input : sourceOf(input);
  const summary = source.summary;
  const artifact = flags['save-json'] || flags.out ? 'the plan.json artifact of this workflow run' : undefined;
  const options = artifact ? { artifact } : {};
  const saves: [string, string | undefined][] = [
    ['markdown', flags['save-markdown']],
    ['json', flags['save-json']],
    ['sarif', flags['save-sarif']],
  ];
  for (const [format, file] of saves) if (file) writeOutput(resolve(file), source, format, options);
  if (sinks.printing) {
    if (flags.out) writeOutput(resolve(flags.out), source, flags.format, options);
    else sinks.stdout(renderSource(source, flags.format, options), stdoutKind(flags.format));
  }
  if (sinks.annotate) {
    // Workflow commands are read from stderr too; stdout may be carrying JSON or SARIF.
    for (const command of planAnnotations(summary)) sinks.annotate(command);
    if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, render('plan', 'markdown', source.report()));
  }
}
