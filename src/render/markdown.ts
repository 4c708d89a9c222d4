// The PR comment: counts, loud destroys, backup posture before → after, findings with file:line
// and fix, and collapsible per-stack changes. Never longer than GitHub's 65,536 characters.
import type { FindingJson } from './findings.js';
import { ACTION_SIGN, type AttributeChange, type ResourceChange } from '../plan/diff.js';
import type { PlanReport, StackPlan } from '../plan/types.js';
import { blockChangeLines, RULE_CHANGES_TITLE, ruleChangesMarkdown } from './rule-changes.js';
import { withoutMachinePaths } from '../terraform/error-lines.js';
import { closeOpenBlocks, codeBlock, htmlText, mdCode, mdText } from './escape.js';
import { POSTURE_TABLE_HEADER, postureTableLines } from './posture-table.js';
import { SECRET_KEY } from '../secrets.js';

export const GITHUB_COMMENT_LIMIT = 65_536;
/** Hidden marker the workflow uses to find and update its one comment. */
export const COMMENT_MARKER = '<!-- dbaas-plan -->';

export interface MarkdownOptions {
  /** Where the full JSON report is, named in truncation notes. Default: "the plan.json artifact". */
  readonly artifact?: string;
  /** Default: GITHUB_COMMENT_LIMIT. */
  readonly limit?: number;
}

// Every value below that comes from a spec, the config, git or terraform goes through escape.ts.
/** A changed value on one short line; secret-looking attributes are never shown. */
export function shortValue(path: string, value: unknown): string {
  if (value === undefined) return '∅';
  if (SECRET_KEY.test(path)) return '(sensitive)';
  // JSON.stringify gives undefined only for functions, symbols and the like, which String() names.
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- String() only for what JSON cannot show (undefined, functions, symbols)
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
  const status = f.waived ? `waived until ${mdText(f.waived.expires)}: ${mdText(f.waived.reason)}` : mdText(f.severity);
  const fix = f.fix ? ` Fix: ${mdCode(JSON.stringify(f.fix))} (\`dbaas fix\`).` : '';
  const sentence = /[.!?)]$/.test(f.message) ? f.message : `${f.message}.`;
  const where = `${mdCode(f.guardrail)} on ${mdCode(f.database)} at ${mdCode(`${f.file}:${f.line}`)}`;
  return `- **${status}** ${where}: ${mdText(sentence)} ${mdText(f.remediation)}${fix}`;
}

/** Why a stack is in the plan ("BackupPolicy prod-standard, dbaas.config.yaml"), as markdown text. */
const touchedText = (s: StackPlan) => mdText(s.touchedBy.join(', ') || 'its resolved settings');

function attributeLines(c: AttributeChange): string {
  return `      ${c.path}: ${shortValue(c.path, c.before)} → ${shortValue(c.path, c.after)}`;
}

function resourceLines(r: ResourceChange): string[] {
  const sign = ACTION_SIGN[r.action];
  const head = `${sign} ${r.address}${r.destroysData ? '   # DESTROYS DATA' : ''}${r.reason ? `   # ${r.reason}` : ''}`;
  return [head, ...r.changes.slice(0, 20).map(attributeLines), ...(r.changes.length > 20 ? [`      … ${r.changes.length - 20} more attributes`] : [])];
}

/** Terraform's error lines as a code block: never a machine path in a PR comment (the report already strips them; this holds for any report). */
const terraformErrorBlock = (error: string | undefined) => codeBlock(withoutMachinePaths(error ?? 'terraform failed (no error lines recorded)').split('\n'));

function stackDetails(s: StackPlan): string {
  const failed = s.terraform !== undefined && !s.terraform.ok;
  const tf = s.terraform ? ` · terraform: ${s.terraform.ok ? `+${s.terraform.add} ~${s.terraform.change} -${s.terraform.destroy}` : '<b>failed</b>'}` : '';
  const notes = s.notes.map((n) => `> ${mdText(n)}`).join('\n');
  // The <details> line is a raw HTML block: entities only (htmlText), markdown is not parsed there.
  // GitHub renders markdown inside <details> only after a blank line.
  return [
    // A stack terraform could not plan is marked as a failure, whatever its config diff says (kept
    // a plain <details>: closeOpenBlocks and the workflow's comment step count exactly that tag).
    `<details><summary>${failed ? '❌' : ACTION_ICON[s.action]} <b>${htmlText(s.name)}</b> (${s.action}: ` +
      `+${s.counts.add} ~${s.counts.change} -${s.counts.destroy})${tf}</summary>`,
    '',
    ...(failed ? ['Terraform plan failed:', '', terraformErrorBlock(s.terraform?.error), ''] : []),
    // Source names and times come from the spec: text, never markup.
    ...(s.restore ? [`**Restore:** ${mdText(s.restore.label)}`, ''] : []),
    s.resources.length || blockChangeLines(s).length
      ? codeBlock([...s.resources.flatMap(resourceLines), ...blockChangeLines(s)], 'diff')
      : `_No resource changes${s.action === 'no-op' ? `: listed because ${touchedText(s)} changed, and the stack built from it is the same_` : '_'}.`,
    ...(notes ? ['', notes] : []),
    '',
    '</details>',
  ].join('\n');
}

export function renderMarkdown(report: PlanReport, options: MarkdownOptions = {}): string {
  const limit = options.limit ?? GITHUB_COMMENT_LIMIT;
  const artifact = mdText(options.artifact ?? 'the plan.json artifact');
  const c = report.counts;
  const base = report.base ? `against ${mdCode(report.base.ref)} (${mdText(report.base.commit.slice(0, 8))})` : 'with no base (everything is new)';
  // Never a success sign over a failed terraform plan, whatever the exit code says.
  const terraformFailed = report.stacks.some((s) => s.terraform && !s.terraform.ok);
  const verdict = report.exitCode === 0 && !terraformFailed ? '✅' : report.exitCode === 2 ? '❌' : '⛔';
  const header = [
    COMMENT_MARKER,
    `### ${verdict} dbaas plan: ${c.stacksChanged} stack${c.stacksChanged === 1 ? '' : 's'} changed · ` +
      `${c.add} to add, ${c.change} to change, ${c.destroy} to destroy · ${c.errors} ` +
      `error${c.errors === 1 ? '' : 's'}, ${c.warnings} warning${c.warnings === 1 ? '' : 's'}, ${c.waived} ` +
      `waived`,
    `_${report.databases} databases, compared ${base}; dbaas ${mdText(report.toolVersion)}._`,
  ].join('\n');
  // Blank lines around the rule: after </details> a line without one is still part of the HTML
  // block (shown raw), and "---" right under a paragraph would make it a heading.
  const footer = `\n\n---\n\n_Full report: ${artifact}. Re-run locally with \`npx dbaas plan\`._`;

  let remaining = limit - header.length - footer.length - 16;
  const sections: string[] = [];
  const take = (title: string, what: string, cap: number, fill: (s: Section) => void) => {
    const section = new Section(Math.max(0, Math.min(cap, remaining - title.length - 200)), what, artifact);
    fill(section);
    const text = `${title}\n${section.render()}`;
    remaining -= text.length + 2;
    sections.push(text);
  };

  if (report.ruleChanges) {
    take(RULE_CHANGES_TITLE, 'rule changes', 12_000, (s) => {
      for (const line of ruleChangesMarkdown(report.ruleChanges!)) s.add(line);
    });
  }
  if (report.problems.length) {
    take('#### ❌ Invalid input', 'problems', 12_000, (s) => {
      for (const p of report.problems) s.add(`- ${mdCode(`${p.file ?? ''}:${p.line ?? ''}`)} ${p.field ? `${mdCode(p.field)}: ` : ''}${mdText(p.message)}`);
    });
  }
  if (report.destroys.length) {
    take(
      `> [!CAUTION]\n> **This plan destroys data or recovery ` +
        `points**${report.allowDestroy ? ' (allowed with --allow-destroy)' : ' and is refused without `--allow-destroy`'}:`,
      'destroyed resources',
      8_000,
      (s) => {
        for (const d of report.destroys) s.add(`> - ${mdCode(d.stack)}: ${mdCode(d.address)} (${mdText(d.reason)})`);
      },
    );
  }
  if (report.refusals.length && report.exitCode !== 0) {
    take('#### ⛔ Not ready to apply', 'reasons', 4_000, (s) => {
      for (const r of report.refusals) s.add(`- ${mdText(r)}`);
    });
  }
  if (terraformFailed) {
    take('#### ❌ Terraform plan failed', 'failed stacks', 8_000, (s) => {
      for (const st of report.stacks.filter((x) => x.terraform && !x.terraform.ok))
        s.add(`- ${mdCode(st.name)}:\n\n${terraformErrorBlock(st.terraform?.error)}\n`);
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
  if (out.length <= limit) return out;
  const note = `\n\n_… cut at the comment size limit; see ${artifact}._\n`;
  // Close what the cut left open (a fence, a <details>), shortening the cut until both fit.
  let keep = Math.max(0, limit - note.length);
  for (;;) {
    const cut = out.slice(0, keep);
    const closers = closeOpenBlocks(cut);
    if (cut.length + closers.length + note.length <= limit || keep === 0) return `${cut}${closers}${note}`;
    keep = Math.max(0, keep - closers.length);
  }
}
