// The PR comment: counts, loud destroys, backup posture before → after, findings with file:line
// and fix, and collapsible per-stack changes. Never longer than GitHub's 65,536 characters.
import type { FindingJson } from '../guard/render.js';
import { ACTION_SIGN, type AttributeChange, type ResourceChange } from '../plan/diff.js';
import type { PlanReport, StackPlan } from '../plan/types.js';
import { POSTURE_TABLE_HEADER, postureTableLines } from './posture-table.js';

export const GITHUB_COMMENT_LIMIT = 65_536;
/** Hidden marker the workflow uses to find and update its one comment. */
export const COMMENT_MARKER = '<!-- dbaas-plan -->';

export interface MarkdownOptions {
  /** Where the full JSON report is, named in truncation notes. Default: "the plan.json artifact". */
  readonly artifact?: string;
  /** Default: GITHUB_COMMENT_LIMIT. */
  readonly limit?: number;
}

const SECRET_KEY = /(password|secret|token|webhook|private_key|auth)/i;

function shortValue(path: string, value: unknown): string {
  if (value === undefined) return '∅';
  if (SECRET_KEY.test(path)) return '(sensitive)';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

/** Lines added while they fit; the rest is counted and pointed at the artifact. */
class Section {
  private readonly lines: string[] = [];
  private used = 0;
  private dropped = 0;
  constructor(
    private readonly budget: number,
    private readonly what: string,
    private readonly artifact: string,
  ) {}
  add(line: string, itemsInLine = 1): boolean {
    if (this.dropped > 0 || this.used + line.length + 1 > this.budget) {
      this.dropped += itemsInLine;
      return false;
    }
    this.lines.push(line);
    this.used += line.length + 1;
    return true;
  }
  render(): string {
    const note = this.dropped ? [`\n_… ${this.dropped} more ${this.what} not shown (comment size limit); see ${this.artifact}._`] : [];
    return [...this.lines, ...note].join('\n');
  }
}

const ACTION_ICON: Record<string, string> = { create: '🆕', update: '✏️', delete: '🗑️', 'no-op': '·', replace: '♻️' };

function findingLine(f: FindingJson): string {
  const status = f.waived ? `waived until ${f.waived.expires}: ${f.waived.reason}` : f.severity;
  const fix = f.fix ? ` Fix: \`${JSON.stringify(f.fix)}\` (\`dbaas fix\`).` : '';
  const sentence = /[.!?)]$/.test(f.message) ? f.message : `${f.message}.`;
  return `- **${status}** \`${f.guardrail}\` on \`${f.database}\` at \`${f.file}:${f.line}\`: ${sentence} ${f.remediation}${fix}`;
}

function attributeLines(c: AttributeChange): string {
  return `      ${c.path}: ${shortValue(c.path, c.before)} → ${shortValue(c.path, c.after)}`;
}

function resourceLines(r: ResourceChange): string[] {
  const sign = ACTION_SIGN[r.action];
  const head = `${sign} ${r.address}${r.destroysData ? '   # DESTROYS DATA' : ''}${r.reason ? `   # ${r.reason}` : ''}`;
  return [head, ...r.changes.slice(0, 20).map(attributeLines), ...(r.changes.length > 20 ? [`      … ${r.changes.length - 20} more attributes`] : [])];
}

function stackDetails(s: StackPlan): string {
  const tf = s.terraform ? ` · terraform: ${s.terraform.ok ? `+${s.terraform.add} ~${s.terraform.change} -${s.terraform.destroy}` : `failed (${s.terraform.error ?? 'see log'})`}` : '';
  const body = s.resources.flatMap(resourceLines).join('\n');
  const notes = s.notes.map((n) => `> ${n}`).join('\n');
  // GitHub renders markdown inside <details> only after a blank line.
  return [
    `<details><summary>${ACTION_ICON[s.action]} <b>${s.name}</b> (${s.action}: +${s.counts.add} ~${s.counts.change} -${s.counts.destroy})${tf}</summary>`,
    '',
    s.resources.length ? '```diff\n' + body + '\n```' : '_No resource changes._',
    ...(notes ? ['', notes] : []),
    '',
    '</details>',
  ].join('\n');
}

export function renderMarkdown(report: PlanReport, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT;
  const artifact = options.artifact ?? 'the plan.json artifact';
  const c = report.counts;
  const base = report.base ? `against \`${report.base.ref}\` (${report.base.commit.slice(0, 8)})` : 'with no base (everything is new)';
  const verdict = report.exitCode === 0 ? '✅' : report.exitCode === 1 ? '⛔' : '❌';
  const header = [
    COMMENT_MARKER,
    `### ${verdict} dbaas plan: ${c.stacksChanged} stack${c.stacksChanged === 1 ? '' : 's'} changed · ${c.add} to add, ${c.change} to change, ${c.destroy} to destroy · ${c.errors} error${c.errors === 1 ? '' : 's'}, ${c.warnings} warning${c.warnings === 1 ? '' : 's'}, ${c.waived} waived`,
    `_${report.databases} databases, compared ${base}; dbaas ${report.toolVersion}._`,
  ].join('\n');
  const footer = `\n---\n_Full report: ${artifact}. Re-run locally with \`npx dbaas plan\`._`;

  let remaining = limit - header.length - footer.length - 16;
  const sections: string[] = [];
  const take = (title: string, what: string, cap: number, fill: (s: Section) => void) => {
    const section = new Section(Math.max(0, Math.min(cap, remaining - title.length - 200)), what, artifact);
    fill(section);
    const text = `${title}\n${section.render()}`;
    remaining -= text.length + 2;
    sections.push(text);
  };

  if (report.problems.length) {
    take('#### ❌ Invalid input', 'problems', 12_000, (s) => {
      for (const p of report.problems) s.add(`- \`${p.file ?? ''}:${p.line ?? ''}\` ${p.field ? `\`${p.field}\`: ` : ''}${p.message}`);
    });
  }
  if (report.destroys.length) {
    take(
      `> [!CAUTION]\n> **This plan destroys data or recovery points**${report.allowDestroy ? ' (allowed with --allow-destroy)' : ' and is refused without `--allow-destroy`'}:`,
      'destroyed resources',
      8_000,
      (s) => {
        for (const d of report.destroys) s.add(`> - \`${d.stack}\`: \`${d.address}\` (${d.reason})`);
      },
    );
  }
  if (report.refusals.length && report.exitCode !== 0) {
    take('#### ⛔ Not ready to apply', 'reasons', 4_000, (s) => {
      for (const r of report.refusals) s.add(`- ${r}`);
    });
  }
  if (report.stacks.length) {
    take(POSTURE_TABLE_HEADER, 'databases', 20_000, (s) => {
      for (const line of postureTableLines(report.stacks)) s.add(line);
    });
  }
  if (report.findings.length) {
    take('#### Guardrail findings', 'findings', 16_000, (s) => {
      const order = (f: FindingJson) => (f.waived ? 2 : f.severity === 'error' ? 0 : 1);
      for (const f of [...report.findings].sort((a, b) => order(a) - order(b))) s.add(findingLine(f));
    });
  }
  if (report.stacks.length) {
    take('#### Changes per stack', 'stacks', Number.POSITIVE_INFINITY, (s) => {
      for (const st of report.stacks) s.add(stackDetails(st));
    });
  }
  const out = `${header}\n\n${sections.join('\n\n')}${footer}\n`;
  // The budget arithmetic above keeps us under the limit; this guards the contract regardless.
  return out.length <= limit ? out : `${out.slice(0, limit - 120)}\n\n_… cut at the comment size limit; see ${artifact}._\n`;
}
