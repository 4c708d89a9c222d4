// One self-contained HTML page (no network) of the posture report.
import { renderReportHtml } from '../report-html.js';
import type { Renderer } from './types.js';

export const html: Renderer = { stdout: 'text', report: (report) => renderReportHtml(report) };
