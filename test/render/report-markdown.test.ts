import { micromark } from 'micromark';
import { gfm, gfmHtml } from 'micromark-extension-gfm';
import { describe, expect, it } from 'vitest';
import { md, MD_LIST_LIMIT, renderReportMarkdown } from '../../src/render/report-markdown.js';
import { HOSTILE, sampleReport } from './report-sample.js';

const toHtml = (text: string): string => micromark(text, { extensions: [gfm()], htmlExtensions: [gfmHtml()] });

describe('md()', () => {
  it.each(HOSTILE)('renders %s as its own text, with no markup', (value) => {
    const html = toHtml(`| a |\n| --- |\n| ${md(value)} |\n`);
    expect(html).not.toMatch(/<(script|img|a|strong|svg)\b/);
    // The cell holds exactly the original characters, HTML-escaped by micromark.
    const cell = /<td>([\s\S]*?)<\/td>/.exec(html)![1]!;
    // The shared helper puts an invisible word joiner after what github.com would autolink (@, ://, www.).
    expect(
      cell
        .replace(/\u2060/g, '')
        .replace(/&lt;/g, '<')
        .replace(/&gt;/g, '>')
        .replace(/&quot;/g, '"')
        .replace(/&amp;/g, '&'),
    ).toBe(value);
  });

  it('keeps a value on one line', () => {
    expect(md('a\nb\r\nc')).toBe('a b c');
  });
});

describe('report markdown', () => {
  it('has the totals, one coverage row per team and the databases below policy', () => {
    const text = renderReportMarkdown(sampleReport(30));
    expect(text).toContain('**30** databases in **5** teams');
    const html = toHtml(text);
    const coverage = /<h4>Coverage per team<\/h4>\s*<table>([\s\S]*?)<\/table>/.exec(html)![1]!;
    expect(coverage.match(/<tr>/g)).toHaveLength(1 + 5);
    // team-0 holds db-0, 5, 10, 15, 20, 25: 6 databases, 2 of them production with 3 d retention (db-0, db-15) → open errors.
    expect(coverage).toMatch(/<td>team-0<\/td>\s*<td align="right">6<\/td>/);
    expect(text).toMatch(/\| db-0 \| team-0 \| production \| .* \| ❌ 3d \(35d\) \| 1 \|/);
  });

  it('keeps spec text inert in the rendered summary', () => {
    const html = toHtml(renderReportMarkdown(sampleReport(40, { hostile: true })));
    // <strong> only around our own totals, never from spec text.
    expect(html).not.toMatch(/<(script|img|a|svg)\b/);
    expect(html.match(/<strong>/g)).toHaveLength(toHtml(renderReportMarkdown(sampleReport(40))).match(/<strong>/g)!.length);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
  });

  it('caps each list and says where the rest is, so the job summary stays small at 10,000 databases', () => {
    const text = renderReportMarkdown(sampleReport(10_000, { teams: 20 }));
    expect(Buffer.byteLength(text)).toBeLessThan(100 * 1024);
    expect(text).toMatch(/_\d+ more in the report artifact\._/);
    const rows = text.split('\n').filter((l) => /^\| db-\d+ \|/.test(l));
    expect(rows).toHaveLength(MD_LIST_LIMIT);
  });
});
