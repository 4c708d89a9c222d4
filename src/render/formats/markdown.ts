// Markdown: the PR comment of a plan, a drift summary, the posture report for a job summary.
import { renderDriftMarkdown } from '../drift.js';
import { renderMarkdown } from '../markdown.js';
import { renderReportMarkdown } from '../report-markdown.js';
import type { Renderer } from './types.js';

export const markdown: Renderer = {
  stdout: 'text',
  plan: (report, options) => renderMarkdown(report, options?.artifact ? { artifact: options.artifact } : {}),
  drift: (report) => renderDriftMarkdown(report),
  report: (report) => renderReportMarkdown(report),
};
