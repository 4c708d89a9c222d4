// Plain text for a terminal.
import { renderDriftText } from '../drift.js';
import { renderPlanText } from '../plan-text.js';
import type { Renderer } from './types.js';

export const text: Renderer = {
  stdout: 'text',
  plan: (report) => renderPlanText(report),
  drift: (report) => renderDriftText(report),
};
