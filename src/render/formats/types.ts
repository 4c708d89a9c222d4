// What one output format is: how it renders each kind of document a command prints. A format renders
// the documents it has a function for; a command offers exactly the formats that render its document
// (src/render/formats.ts), so a --format option is never listed by hand.
import type { DriftReport } from '../../drift/index.js';
import type { PlanReport } from '../../plan/types.js';
import type { ReportJson } from '../../report/types.js';

export interface PlanRenderOptions {
  /** Where the full JSON report is, named in the markdown comment's truncation notes. */
  readonly artifact?: string;
}

/** The documents a command prints with --format. */
export interface Documents {
  /** dbaas plan and dbaas plan merge. */
  readonly plan: PlanReport;
  /** dbaas drift. */
  readonly drift: DriftReport;
  /** dbaas report. */
  readonly report: ReportJson;
}

export type DocumentKind = keyof Documents;

export type Renderer = {
  /**
   * How stdout treats the output: 'json' text is sanitised as JSON (src/render/printed.ts), so a
   * spec's text inside a JSON string cannot start a workflow command and the document stays valid.
   */
  readonly stdout: 'text' | 'json';
} & { readonly [K in DocumentKind]?: (document: Documents[K], options?: PlanRenderOptions) => string };
