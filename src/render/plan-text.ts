// The plan for a terminal: counts, destroys first, then one block per touched stack.
import { ACTION_SIGN } from '../plan/diff.js';
import type { PlanReport } from '../plan/types.js';
import { blockChangeLines, ruleChangesText } from './rule-changes.js';
import { postureTextLines } from './posture-table.js';

export function renderPlanText(report: PlanReport): string {
  const c = report.counts;
  const lines: string[] = [];
  const base = report.base ? `against ${report.base.ref} (${report.base.commit.slice(0, 8)})` : 'with no base: everything is new';
  lines.push(
    `dbaas plan ${base}: ${c.stacksChanged} stack(s) changed, ${c.add} to add, ${c.change} to change, ` +
      `${c.destroy} to destroy; ${c.errors} error(s), ${c.warnings} warning(s), ${c.waived} waived`,
  );
  if (report.ruleChanges) lines.push(...ruleChangesText(report.ruleChanges));
  for (const p of report.problems)
    lines.push(`${p.file ? `${p.file}:${p.line}:${p.column}: ` : ''}${p.severity} ${p.code}${p.field ? ` ${p.field}:` : ''} ${p.message}`);
  if (report.destroys.length) {
    lines.push('', `!! DESTROYS DATA${report.allowDestroy ? ' (allowed by --allow-destroy)' : ' (refused without --allow-destroy)'}:`);
    for (const d of report.destroys) lines.push(`   ${d.stack}: ${d.address} (${d.reason})`);
  }
  for (const s of report.stacks) {
    const tf = s.terraform ? (s.terraform.ok ? ` [terraform +${s.terraform.add} ~${s.terraform.change} -${s.terraform.destroy}]` : ' [TERRAFORM FAILED]') : '';
    // A no-op is listed because what it is built from changed; say so, or it reads as noise.
    const what =
      s.action === 'no-op'
        ? `no-op: listed because ${s.touchedBy.join(', ')} changed, and the stack built from it is the same`
        : `${s.action} +${s.counts.add} ~${s.counts.change} -${s.counts.destroy}${tf}  ← ${s.touchedBy.join(', ')}`;
    lines.push('', `${s.name} (${s.cloud}, ${s.environment}): ${what}`);
    // Terraform's own lines, under the stack they belong to.
    if (s.terraform && !s.terraform.ok)
      lines.push('  terraform plan failed:', ...(s.terraform.error ?? 'no error lines recorded').split('\n').map((l) => `  | ${l}`));
    if (s.restore) lines.push(`  ${s.restore.label}`);
    lines.push(...postureTextLines(s));
    for (const note of s.notes) lines.push(`  note: ${note}`);
    for (const r of s.resources) {
      const sign = ACTION_SIGN[r.action];
      lines.push(`  ${sign} ${r.address}${r.reason ? `  (${r.reason})` : ''}`);
      for (const ch of r.changes.slice(0, 10)) lines.push(`      ${ch.path}: ${JSON.stringify(ch.before) ?? '∅'} → ${JSON.stringify(ch.after) ?? '∅'}`);
    }
    lines.push(...blockChangeLines(s, '  '));
  }
  const findings = report.findings;
  if (findings.length) lines.push('', 'guardrail findings:');
  for (const f of findings) {
    const status = f.waived ? `waived (${f.waived.reason}, until ${f.waived.expires})` : f.severity;
    lines.push(`  ${f.file}:${f.line}:${f.column}: ${status} ${f.guardrail} ${f.database}: ${f.message}`);
  }
  if (report.refusals.length) lines.push('', ...report.refusals.map((r) => `refused: ${r}`));
  return `${lines.join('\n')}\n`;
}
