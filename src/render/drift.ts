// Drift reports as text, markdown, and one GitHub issue per stack for the scheduled drift workflow.
import type { DriftedResource, DriftReport, StackDrift } from '../drift/index.js';
import { mdText } from './escape.js';

const SIGN: Record<DriftedResource['action'], string> = { create: '+', update: '~', delete: '-', replace: '-/+' };

function describe(r: DriftedResource): string {
  const why = r.changedOutside
    ? 'changed outside dbaas'
    : r.action === 'create'
      ? 'missing from the cloud'
      : r.action === 'delete'
        ? 'in state, not in the stack'
        : 'differs from the stack';
  return `${SIGN[r.action]} ${r.address} (${why}${r.attributes.length ? `: ${r.attributes.join(', ')}` : ''})`;
}

function headline(report: DriftReport): string {
  const { checked, drifted, failed, clean } = report.counts;
  return `dbaas drift: ${checked} stack(s) checked: ${drifted} drifted, ${failed} could not be checked, ${clean} clean`;
}

export function renderDriftText(report: DriftReport): string {
  const lines = [headline(report)];
  for (const s of report.stacks) {
    if (s.status === 'clean') continue;
    lines.push(
      '',
      s.status === 'failed' ? `${s.name} (${s.cloud}): could not be checked` : `${s.name} (${s.cloud}): ${s.resources.length} resource(s) drifted`,
    );
    if (s.error) for (const l of s.error.split('\n')) lines.push(`  ${l}`);
    for (const r of s.resources) lines.push(`  ${describe(r)}`);
  }
  return `${lines.join('\n')}\n`;
}

function stackSection(s: StackDrift): string[] {
  const lines: string[] = [];
  if (s.error) lines.push('Terraform could not check this stack:', '', ...s.error.split('\n').map((l) => `> ${mdText(l)}`), '');
  for (const r of s.resources) lines.push(`- ${mdText(describe(r))}`);
  return lines;
}

export function renderDriftMarkdown(report: DriftReport): string {
  const sign = report.exitCode === 0 ? '✅' : '⚠️';
  const lines = [`### ${sign} ${mdText(headline(report))}`, ''];
  for (const s of report.stacks.filter((x) => x.status !== 'clean')) {
    lines.push(
      `#### ${mdText(s.name)} (${s.cloud}): ${s.status === 'failed' ? 'not checked' : `${s.resources.length} resource(s) drifted`}`,
      '',
      ...stackSection(s),
      '',
    );
  }
  return `${lines.join('\n').trimEnd()}\n`;
}

/** What the drift workflow does with a stack's issue: open or update it while drifted, close it when clean. */
export interface DriftIssue {
  readonly stack: string;
  /** `failed` leaves an open issue as it is: not knowing is not the same as clean. */
  readonly status: StackDrift['status'];
  /** Hidden in the body; the workflow finds the stack's issue by it. */
  readonly marker: string;
  readonly title: string;
  readonly body: string;
}

export const DRIFT_LABEL = 'dbaas-drift';

export function driftIssues(report: DriftReport, runUrl?: string): DriftIssue[] {
  return report.stacks.map((s) => {
    const marker = `<!-- dbaas-drift:${s.name} -->`;
    const body = [
      marker,
      `The ${mdText(s.name)} stack (${s.cloud}) differs from what dbaas built: ${s.resources.length} resource(s).`,
      '',
      ...stackSection(s),
      '',
      'Either change the spec to match (and let the apply workflow reconcile), or re-apply the stack from ' +
        'main to undo the change made outside dbaas. This issue closes itself when the stack is clean again.',
      ...(runUrl ? ['', `Checked by [this run](${runUrl}).`] : []),
    ].join('\n');
    return { stack: s.name, status: s.status, marker, title: `Drift in ${s.name}`, body };
  });
}
