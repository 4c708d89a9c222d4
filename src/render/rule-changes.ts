// Rendering of two plan sections: the PR's own rule changes (judged by the base's rules, listed at the
// top) and changes to a stack's providers, backend, data sources and outputs.
import type { BlockChange } from '../plan/diff.js';
import type { RuleChangesReport, RuleVerdict, StackPlan } from '../plan/types.js';
import { mdCode, mdText } from './escape.js';
import { shortValue } from './markdown.js';

const SIGN: Record<BlockChange['action'], string> = { create: '+', update: '~', delete: '-' };
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** Lines for a stack's block changes, in the style of its resource changes (text plan and ```diff block). */
export function blockChangeLines(stack: StackPlan, indent = ''): string[] {
  return (stack.blocks ?? []).flatMap((b) => [
    `${indent}${SIGN[b.action]} ${b.address}${b.movesState ? '   # STATE MOVES: terraform forgets every resource' : ''}`,
    ...b.changes.slice(0, 20).map((c) => `${indent}      ${c.path}: ${shortValue(c.path, c.before)} → ${shortValue(c.path, c.after)}`),
  ]);
}

const VERDICT: Record<RuleVerdict, string> = { pass: 'pass', waived: 'waived', warning: 'warning', error: 'error' };

/** The text plan's section (first after the summary line). */
export function ruleChangesText(r: RuleChangesReport): string[] {
  const lines = ['', `!! guardrail changes in this PR (${plural(r.changes.length, 'rule')}): judged by the base's rules; these take effect once merged`];
  for (const c of r.changes)
    lines.push(
      `   ${c.kind} ${c.id} ${c.action} (${c.file}): ` +
        `${c.summary}${c.databases.length ? `; changes findings of ${c.databases.join(', ')}` : '; changes no finding'}`,
    );
  if (r.differences.length) lines.push("   under base rules → under this PR's rules:");
  for (const d of r.differences) lines.push(`   ${d.database} ${d.guardrail} ${d.field}: ${VERDICT[d.underBase]} → ${VERDICT[d.underPr]}`);
  for (const p of r.problemsUnderBaseRules) lines.push(`   under base rules: ${p.file ? `${p.file}:${p.line}:${p.column}: ` : ''}${p.message}`);
  lines.push(`   exit code under this PR's rules would be ${r.exitCodeUnderPrRules}`);
  return lines;
}

export const RULE_CHANGES_TITLE =
  "> [!WARNING]\n> **Guardrail changes in this PR**: this plan is judged by the base branch's rules; " +
  'the changes below take effect only once merged (CODEOWNERS approval).';

/** The PR comment's section, as lines (the caller fits them in the size budget). */
export function ruleChangesMarkdown(r: RuleChangesReport): string[] {
  const code = mdCode;
  const lines = r.changes.map(
    (c) =>
      `- ${c.kind} ${code(c.id)} **${c.action}** in ${code(c.file)}: ` +
      `${mdText(c.summary)}${c.databases.length ? `; changes findings of ${c.databases.map(code).join(', ')}` : '; changes no finding'}`,
  );
  if (r.differences.length) {
    lines.push('', "| database | guardrail | field | under base rules | under this PR's rules |", '|---|---|---|---|---|');
    for (const d of r.differences)
      lines.push(`| ${code(d.database)} | ${code(d.guardrail)} | ${code(d.field)} | ${VERDICT[d.underBase]} | ${VERDICT[d.underPr]} |`);
  }
  for (const p of r.problemsUnderBaseRules) lines.push(`- under base rules: ${code(`${p.file ?? ''}:${p.line ?? ''}`)} ${mdText(p.message)}`);
  lines.push('', `_Under this PR's own rules the exit code would be ${r.exitCodeUnderPrRules}._`);
  return lines;
}
