// Spec text is text in the PR comment, the job summary and GUARDRAILS.md: a report (or guardrail)
// whose every spec-derived string is hostile renders to exactly the elements of a benign one.
import { beforeAll, describe, expect, it } from 'vitest';
import { renderGuardrailsMarkdown } from '../../src/render/guardrails-md.js';
import { BASELINE_DIR, loadRegistry } from '../../src/guard/registry.js';
import type { CompiledGuardrail } from '../../src/guard/types.js';
import { planRepo } from '../../src/plan/index.js';
import type { PlanReport } from '../../src/plan/types.js';
import { closeOpenBlocks, codeBlock, htmlText, mdCode, mdText } from '../../src/render/escape.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { renderPlanText } from '../../src/render/plan-text.js';
import { cleanupTempRepos, REPO_ROOT, tempRepo } from '../helpers/repo.js';
import { elementCounts, githubTextLinks, renderGfm, visibleText } from './gfm.js';

process.env.DBAAS_NOW = '2026-11-21';

const PAYLOADS = [
  '<!-- hidden',
  '-->',
  '<img src=x onerror=alert(1)>',
  '[x](http://evil)',
  '![x](http://evil/i.png)',
  'ok\n# heading',
  'ok\r\n## heading',
  '@org/team',
  '@someone',
  '| cell | cell |',
  '`code` ``x``',
  'a\rb',
  '<details><summary>open</summary>',
  '</details>',
  '</summary>',
  'www.evil.com',
  'https://evil',
  '<https://evil.example>',
  'mail@evil.com',
  '#123',
  '*em* _em_ ~~del~~ **b**',
  '&lt;b&gt; &amp;',
  'back\\slash\\',
  ':shipit:',
  '$x^2$',
  '```\n# fenced',
  '</code><a href=x>y</a>',
  '1. item',
  '- item',
  '> quote',
  '[ref]: http://evil',
  'x\n\n---\n\n- list',
  '<script>alert(1)</script>',
  '\u202eevil\u202c',
];

/** One payload per field, the next field the next payload; a run per offset gives every field each. */
let n = 0;
const hostile = () => PAYLOADS[n++ % PAYLOADS.length]!;
const shown = (p: string) => p.replace(/\r\n|[\r\n]/g, ' ').replace(/[\u202a-\u202e]/g, '\uFFFD');
let b = 0;
const benign = () => `value${b++}`;

// Strings the renderer switches on (not spec text) keep their values.
const KEEP = new Set(['action', 'severity', 'cloud', 'code', 'kind']);
function mapStrings<T>(value: T, make: () => string, key = ''): T {
  if (typeof value === 'string') return (KEEP.has(key) ? value : make()) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, make, key)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, make, k)])) as T;
  return value;
}

let report: PlanReport;
beforeAll(async () => {
  const real = (await planRepo({ dir: tempRepo('example') })).report;
  cleanupTempRepos();
  const [first, second, ...rest] = real.stacks;
  // Every section of the comment: problems, destroys, refusals, notes, a failed terraform, a no-op.
  report = {
    ...real,
    base: { ref: 'main', commit: '0123456789abcdef' },
    problems: [{ code: 'DBAAS_X', severity: 'error', message: 'm', file: 'f.yaml', line: 1, column: 2, field: 'spec.x' }],
    destroys: [{ stack: 's', address: 'aws_db_instance.database', reason: 'r' }],
    refusals: ['r'],
    exitCode: 1,
    stacks: [
      { ...first!, notes: ['n1', 'n2'], terraform: { ok: false, add: 0, change: 0, destroy: 0, error: 'e' } },
      { ...second!, action: 'no-op', resources: [], touchedBy: ['BackupPolicy p', 'dbaas.config.yaml'] },
      ...rest,
    ],
  };
});

const LIMIT = { limit: 10_000_000, artifact: 'the artifact' };

describe('the PR comment renders spec text as text', () => {
  it('gives a hostile report exactly the elements of a benign one, with every payload in every field', () => {
    const good = elementCounts(renderGfm(renderMarkdown(mapStrings(report, benign), LIMIT)));
    // The baseline has no image, h1/h2, script or link and one comment (the marker), so one that got
    // through would show.
    for (const tag of ['img', 'h1', 'h2', 'script', 'a']) expect(good[tag], tag).toBeUndefined();
    expect(good['!--']).toBe(1);
    expect(good.details).toBe(report.stacks.length);
    for (let offset = 0; offset < PAYLOADS.length; offset++) {
      n = offset;
      const bad = renderGfm(renderMarkdown(mapStrings(report, hostile), LIMIT));
      expect(elementCounts(bad), `offset ${offset}`).toEqual(good);
      expect(githubTextLinks(bad), `offset ${offset}`).toEqual([]);
    }
  });

  it('the github.com check sees mentions, references, autolinks and emoji when they are not escaped', () => {
    const html = '<p>hi @org/team see #123 at www.evil.com or https://evil, mail@evil.com :shipit:</p>';
    expect(githubTextLinks(html)).toEqual(['@org/team', '#123', 'https://evil,', 'www.evil.com', 'mail@evil.com', ':shipit:']);
  });

  it('shows each hostile value in full, as the reader typed it (line breaks as spaces)', () => {
    for (let offset = 0; offset < PAYLOADS.length; offset++) {
      n = offset;
      const hostileReport = mapStrings(report, hostile);
      const text = visibleText(renderGfm(renderMarkdown(hostileReport, LIMIT))).replace(/\u2060/g, '');
      const values = [
        hostileReport.findings.find((f) => f.waived)!.waived!.reason,
        hostileReport.stacks[0]!.notes[0]!,
        hostileReport.stacks[0]!.name,
        hostileReport.problems[0]!.message,
      ];
      for (const value of values) expect(text, JSON.stringify(value)).toContain(shown(value));
    }
  });

  it('says why a no-op stack is listed, in its row and its details', () => {
    const md = renderMarkdown(report, LIMIT);
    const row = md.split('\n').find((l) => l.includes(`<code>${report.stacks[1]!.name}</code>`))!;
    expect(row).toContain('· no-op: BackupPolicy p, dbaas.config.yaml changed, no resource change |');
    expect(md).toContain('_No resource changes: listed because BackupPolicy p, dbaas.config.yaml changed, and the stack built from it is the same_.');
    // The terminal plan says the same.
    expect(renderPlanText(report)).toContain(
      `${report.stacks[1]!.name} (${report.stacks[1]!.cloud}, ${report.stacks[1]!.environment}): no-op: listed because BackupPolicy p, dbaas.config.yaml changed, and the stack built from it is the same\n`,
    );
  });

  it('renders the footer as a rule and a paragraph after the last </details>', () => {
    const html = renderGfm(renderMarkdown(report, LIMIT));
    expect(html).toMatch(/<\/details>\s*<hr \/>\s*<p><em>Full report: the artifact\. Re-run locally with <code>npx dbaas plan<\/code>\.<\/em><\/p>\s*$/);
  });
});

describe('escape helpers', () => {
  it('mdText: any value renders as one paragraph of its own text', () => {
    for (const p of PAYLOADS) {
      const html = renderGfm(`before ${mdText(p)} after`);
      expect(elementCounts(html), p).toEqual({ p: 1 });
      expect(
        visibleText(html)
          .replace(/\u2060/g, '')
          .trim(),
        p,
      ).toBe(`before ${shown(p)} after`);
    }
  });

  it('mdText holds at the start of a line, in a table cell and in a blockquote', () => {
    for (const p of PAYLOADS) {
      expect(elementCounts(renderGfm(mdText(p))), p).toEqual({ p: 1 });
      expect(elementCounts(renderGfm(`> ${mdText(p)}`)), p).toEqual({ blockquote: 1, p: 1 });
      const table = elementCounts(renderGfm(`| a | b |\n|---|---|\n| ${mdText(p)} | ${mdCode(p)} |`));
      expect(table, p).toEqual({ table: 1, thead: 1, tr: 2, th: 2, tbody: 1, td: 2, code: 1 });
    }
  });

  it('htmlText holds inside a raw HTML block', () => {
    for (const p of PAYLOADS) {
      const html = renderGfm(`<details><summary><b>${htmlText(p)}</b></summary>\n\nbody\n\n</details>`);
      expect(elementCounts(html), p).toEqual({ details: 1, summary: 1, b: 1, p: 1 });
      expect(visibleText(html).replace(/\u2060/g, ''), p).toContain(shown(p));
    }
  });

  it('codeBlock: no line closes the fence, whatever backticks it holds', () => {
    const html = renderGfm(`${codeBlock(['+ a', '```', '````more', ...PAYLOADS], 'diff')}\n\nafter`);
    expect(elementCounts(html)).toEqual({ pre: 1, code: 1, p: 1 });
    expect(visibleText(html)).toContain('````more');
  });
});

describe('cutting at the size limit', () => {
  it('closes a code fence and <details> left open, so what follows renders', () => {
    const cut = '<details><summary>x</summary>\n\n````diff\n+ a\n```\n+ b';
    expect(closeOpenBlocks(cut)).toBe('\n````\n\n</details>');
    const html = renderGfm(`${cut}${closeOpenBlocks(cut)}\n\n_note_`);
    expect(html.trimEnd().endsWith('</details>\n<p><em>note</em></p>')).toBe(true);
    expect(closeOpenBlocks('<details><summary>x</summary>\n\n```\n+ a\n```\n\n</details>\n')).toBe('');
  });

  // 500, 700, 1,100 and 1,300 reach the last-resort cut; the others the per-section budgets.
  it.each([500, 700, 900, 1_100, 1_300, 3_000, 6_000, 12_000])('a comment cut to %i characters ends with a rendered note, every block closed', (limit) => {
    const md = renderMarkdown(report, { limit });
    expect(md.length).toBeLessThanOrEqual(limit);
    const html = renderGfm(md);
    expect(html.trimEnd()).toMatch(/<p><em>(Full report|… cut at the comment size limit)[^<]*(<code>[^<]*<\/code>[^<]*)?<\/em><\/p>$/);
    expect((html.match(/<details>/g) ?? []).length).toBe((html.match(/<\/details>/g) ?? []).length);
  });
});

describe('GUARDRAILS.md renders guardrail text as text', () => {
  it('gives hostile org guardrails exactly the elements of benign ones', () => {
    const registry = loadRegistry({ root: REPO_ROOT, repoFiles: [], baselineDir: BASELINE_DIR });
    const rewrite = (make: () => string) =>
      registry.guardrails.map((g): CompiledGuardrail => ({
        ...g,
        id: make(),
        description: make(),
        references: [make(), make()],
        remediation: make(),
        match: { environment: [make()], labels: { [make()]: make() } } as CompiledGuardrail['match'],
        fix: { labels: { owner: make() } },
      }));
    const bad = renderGfm(renderGuardrailsMarkdown(rewrite(hostile)));
    expect(elementCounts(bad)).toEqual(elementCounts(renderGfm(renderGuardrailsMarkdown(rewrite(benign)))));
    expect(githubTextLinks(bad)).toEqual([]);
  });
});
