// Where a plan report goes, for `dbaas plan` and `dbaas plan merge` alike: the chosen format to stdout
// or --out, the --save-* copies from the same report, and in GitHub Actions annotations on stderr and
// the job summary. All files are written atomically. What each format looks like is src/render/formats.ts.
import { appendFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { writeFileAtomic } from '../fs/atomic.js';
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

export function writePlanOutputs(report: PlanReport, flags: PlanOutputFlags, sinks: PlanOutputSinks): void {
  const artifact = flags['save-json'] || flags.out ? 'the plan.json artifact of this workflow run' : undefined;
  const options = artifact ? { artifact } : {};
  const saves: [string, string | undefined][] = [
    ['markdown', flags['save-markdown']],
    ['json', flags['save-json']],
    ['sarif', flags['save-sarif']],
  ];
  for (const [format, file] of saves) if (file) writeFileAtomic(resolve(file), render('plan', format, report, options));
  if (sinks.printing) {
    const rendered = render('plan', flags.format, report, options);
    if (flags.out) writeFileAtomic(resolve(flags.out), rendered);
    else sinks.stdout(rendered, stdoutKind(flags.format));
  }
  if (sinks.annotate) {
    // Workflow commands are read from stderr too; stdout may be carrying JSON or SARIF.
    for (const command of planAnnotations(report)) sinks.annotate(command);
    if (process.env.GITHUB_STEP_SUMMARY) appendFileSync(process.env.GITHUB_STEP_SUMMARY, render('plan', 'markdown', report));
  }
}
