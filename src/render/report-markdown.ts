// The report as markdown, for the weekly job summary: totals, coverage per team, waivers that
// expire soon and the databases below policy. Every spec value goes through md().
import { CONTROLS } from '../report/index.js';
import type { ReportJson } from '../report/types.js';
import { mdText } from './escape.js';

/** Rows per list; GitHub caps a job summary at 1 MiB, and the artifact has everything. */
export const MD_LIST_LIMIT = 100;

/** Spec text as inert markdown: the shared helper, for any value. */
export const md = (value: unknown): string => mdText(String(value));

export function renderReportMarkdown(report: ReportJson): string {
  const s = report.summary;
  const out: string[] = [];
  // The date is ours (an ISO date from the clock or DBAAS_NOW), not spec text.
  out.push(`### Backup posture report, ${report.date}`, '');
  out.push(
    `**${s.databases}** databases in **${s.teams}** teams · **${s.compliant}** with no open guardrail ` +
      `error · ${s.errors} errors, ${s.warnings} warnings, ${s.waived} waived · ` +
      `waivers: ${s.waivers.expired} expired, ${s.waivers.next30Days} expire within 30 days, ` +
      `${s.waivers.days31to90} in 31–90 days · account baselines built: ${s.baselinesBuilt}`,
    '',
  );

  out.push(
    '#### Coverage per team',
    '',
    `| Team | Databases | ${CONTROLS.map((c) => c.label).join(' | ')} |`,
    `| --- | ---: | ${CONTROLS.map(() => '---:').join(' | ')} |`,
  );
  for (const t of report.teams) out.push(`| ${md(t.team)} | ${t.databases} | ${CONTROLS.map((c) => `${t.coverage[c.id]}`).join(' | ')} |`);
  out.push('');

  const expiring = report.databases
    .flatMap((d) => d.waivers.filter((w) => w.daysLeft <= 90).map((w) => ({ d, w })))
    .sort((a, b) => a.w.daysLeft - b.w.daysLeft);
  out.push('#### Waivers expired or expiring within 90 days', '');
  if (!expiring.length) out.push('None.', '');
  else {
    out.push('| Expires | Database | Team | Guardrail | Reason |', '| --- | --- | --- | --- | --- |');
    for (const { d, w } of expiring.slice(0, MD_LIST_LIMIT))
      out.push(
        `| ${md(w.expires)} (${w.daysLeft < 0 ? `expired ${-w.daysLeft}d ago` : `${w.daysLeft}d`}) | ` +
          `${md(d.name)} | ${md(d.team)} | ${md(w.guardrail)} | ${md(w.reason)} |`,
      );
    if (expiring.length > MD_LIST_LIMIT) out.push('', `_${expiring.length - MD_LIST_LIMIT} more in the report artifact._`);
    out.push('');
  }

  const gaps = report.databases.filter((d) => !d.controls.compliant || !d.controls.retention || !d.controls.rpo);
  out.push('#### Databases with open errors or below policy', '');
  if (!gaps.length) out.push('None.', '');
  else {
    out.push('| Database | Team | Env | RPO (target) | Retention (min) | Open errors |', '| --- | --- | --- | --- | --- | ---: |');
    for (const d of gaps.slice(0, MD_LIST_LIMIT)) {
      const p = d.posture;
      const rpo = !p
        ? 'not built'
        : `${p.rpoHours === null ? 'off' : `${p.rpoHours}h`}${d.policy.rpoTargetHours === null ? '' : ` (${d.policy.rpoTargetHours}h)`}`;
      const ret = !p ? 'not built' : `${p.retentionDays}d${d.policy.retentionMinDays === null ? '' : ` (${d.policy.retentionMinDays}d)`}`;
      const errors = d.findings.filter((f) => f.severity === 'error' && !f.waived).length;
      out.push(
        `| ${md(d.name)} | ${md(d.team)} | ${md(d.environment)} | ${d.controls.rpo ? '' : '❌ '}${rpo} | ` +
          `${d.controls.retention ? '' : '❌ '}${ret} | ${errors} |`,
      );
    }
    if (gaps.length > MD_LIST_LIMIT) out.push('', `_${gaps.length - MD_LIST_LIMIT} more in the report artifact._`);
    out.push('');
  }
  if (report.problems.length) {
    out.push('#### Problems', '');
    for (const p of report.problems) out.push(`- ${md(p.file ? `${p.file}:${p.line ?? 1}:${p.column ?? 1}: ` : '')}${md(p.message)}`);
    out.push('');
  }
  out.push('_Account baselines (AWS Config rules, Backup Audit Manager, GCP org policies) are not built yet: no database is covered by one._', '');
  return `${out.join('\n')}\n`;
}
