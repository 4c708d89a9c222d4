// SARIF 2.1.0 of a plan's findings and problems, for GitHub code scanning.
import { renderSarif } from '../sarif.js';
import type { Renderer } from './types.js';

export const sarif: Renderer = {
  stdout: 'json',
  plan: (report) => renderSarif({ toolVersion: report.toolVersion, findings: report.findings, problems: report.problems }),
};
