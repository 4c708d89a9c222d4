import type { GuardResult } from './types.js';

/** The counts a summary line and the JSON summaries show: unwaived errors, unwaived warnings, waived. */
export function summarize(result: Pick<GuardResult, 'findings'>): { errors: number; warnings: number; waived: number } {
  let errors = 0;
  let warnings = 0;
  let waived = 0;
  for (const f of result.findings) {
    if (f.waived) waived++;
    else if (f.severity === 'error') errors++;
    else warnings++;
  }
  return { errors, warnings, waived };
}
