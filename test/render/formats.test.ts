// The one output-format registry: the --format options every command offers are read from it (so a
// new format is one file plus its registry line), and every renderer renders a real document.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import Drift from '../../src/commands/drift.js';
import PlanMerge from '../../src/commands/plan/merge.js';
import Plan from '../../src/commands/plan.js';
import Report from '../../src/commands/report.js';
import type { DriftReport } from '../../src/drift/index.js';
import { planRepo } from '../../src/plan/index.js';
import type { PlanReport } from '../../src/plan/types.js';
import { renderMarkdown } from '../../src/render/markdown.js';
import { formatsFor, render, RENDERERS, stdoutKind, type DocumentKind, type Format, type Renderer } from '../../src/render/formats.js';
import { cleanupTempRepos, REPO_ROOT, tempRepo } from '../helpers/repo.js';
import { sampleReport } from './report-sample.js';

process.env.DBAAS_NOW = '2026-11-21';

type WithFormat = { flags: { format: { options?: readonly string[] | undefined } } };
const COMMANDS: [string, WithFormat, DocumentKind][] = [
  ['plan', Plan, 'plan'],
  ['plan merge', PlanMerge, 'plan'],
  ['drift', Drift, 'drift'],
  ['report', Report, 'report'],
];

let plan: PlanReport;
const drift: DriftReport = {
  schemaVersion: 1,
  toolVersion: '0.1.0',
  stacks: [
    {
      name: 'orders',
      cloud: 'aws',
      status: 'drifted',
      resources: [{ address: 'aws_backup_plan.backup_plan', action: 'update', changedOutside: true, attributes: ['rule'] }],
    },
    { name: 'ledger', cloud: 'aws', status: 'failed', resources: [], error: 'Error: no credentials' },
    { name: 'carts', cloud: 'aws', status: 'clean', resources: [] },
  ],
  counts: { checked: 3, clean: 1, drifted: 1, failed: 1 },
  exitCode: 1,
};
const documents = () => ({ plan, drift, report: sampleReport(4) });

beforeAll(async () => {
  plan = (await planRepo({ dir: tempRepo('pass-minimal') })).report;
  cleanupTempRepos();
});

describe('the --format options', () => {
  it.each(COMMANDS)('of dbaas %s are exactly the registry formats that render its document, in registry order', (_, command, kind) => {
    const offered = command.flags.format?.options;
    expect(offered).toEqual(formatsFor(kind));
    expect(offered!.length).toBeGreaterThan(0);
  });

  it('together are exactly the registry keys: no format is registered that no command offers', () => {
    const offered = new Set(COMMANDS.flatMap(([, command]) => command.flags.format.options!));
    expect([...offered].sort()).toEqual(Object.keys(RENDERERS).sort());
  });

  it('are never listed by hand in a command: each --format flag reads formatsFor', () => {
    const dir = join(REPO_ROOT, 'src', 'commands');
    const files = readdirSync(dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
    const formatFlags = files.flatMap((f) =>
      readFileSync(join(dir, f), 'utf8')
        .split('\n')
        .filter((l) => /^\s*format: Flags\./.test(l))
        .map((l) => [f, l] as const),
    );
    expect(formatFlags.length).toBe(COMMANDS.length);
    for (const [, line] of formatFlags) expect(line).toMatch(/options: formatsFor\('(plan|drift|report)'\)/);
  });

  it('keep the order --help and usage errors have always listed them in', () => {
    expect(formatsFor('plan')).toEqual(['text', 'markdown', 'json', 'sarif']);
    expect(formatsFor('drift')).toEqual(['text', 'markdown', 'json']);
    expect(formatsFor('report')).toEqual(['html', 'markdown', 'json']);
  });
});

describe('every renderer', () => {
  const pairs = (Object.entries(RENDERERS) as [Format, Renderer][]).flatMap(([format, renderer]) =>
    (['plan', 'drift', 'report'] as const).filter((kind) => renderer[kind]).map((kind) => [format, kind] as const),
  );

  it('covers each document at least twice (text or html, and json)', () => {
    for (const kind of ['plan', 'drift', 'report'] as const) expect(pairs.filter(([, k]) => k === kind).length).toBeGreaterThanOrEqual(3);
  });

  it.each(pairs)('%s renders a %s document', (format, kind) => {
    const doc = documents()[kind];
    const out = render(kind, format, doc as never);
    expect(out.endsWith('\n') || format === 'html').toBe(true);
    if (format === 'json') expect(JSON.parse(out)).toEqual(JSON.parse(JSON.stringify(doc)));
    if (format === 'sarif') expect(JSON.parse(out).version).toBe('2.1.0');
    if (format === 'html') expect(out).toMatch(/^<!doctype html>/i);
    if (kind === 'plan' && format !== 'json' && format !== 'sarif') expect(out).toContain(plan.stacks[0]!.name);
    if (kind === 'drift' && format !== 'json') expect(out).toMatch(/orders[\s\S]*aws\\?_backup\\?_plan\.backup\\?_plan/);
    if (kind === 'report' && format !== 'json') expect(out).toContain(documents().report.databases[0]!.name);
    // JSON and SARIF are sanitised as JSON on stdout, everything else as text.
    expect(stdoutKind(format)).toBe(format === 'json' || format === 'sarif' ? 'json' : 'text');
  });

  it('refuses a format its document has no renderer for, naming the ones it has', () => {
    expect(() => render('report', 'sarif', documents().report)).toThrow(/no sarif renderer for a report document; expected one of html, markdown, json/);
    expect(() => render('plan', 'constructor', plan)).toThrow(/no constructor renderer/);
  });

  it('passes the artifact to the markdown plan only', () => {
    const big = { ...plan, stacks: Array.from({ length: 3000 }, (_, i) => ({ ...plan.stacks[0]!, name: `db-${i}` })) };
    expect(render('plan', 'markdown', big, { artifact: 'the-artifact.json' })).toBe(renderMarkdown(big, { artifact: 'the-artifact.json' }));
    expect(render('plan', 'markdown', big, { artifact: 'the-artifact.json' })).toContain('the-artifact.json');
    expect(render('plan', 'text', plan, { artifact: 'the-artifact.json' })).toBe(render('plan', 'text', plan));
  });
});
