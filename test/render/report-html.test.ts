import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { HEATMAP_TEAMS, LIST_LIMIT, PER_DATABASE_CHARTS, renderReportHtml } from '../../src/render/report-html.js';
import { HOSTILE, sampleReport } from './report-sample.js';

const count = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0;

describe('report HTML', () => {
  const html = renderReportHtml(sampleReport(60));

  it('is one self-contained page: a CSP that forbids every fetch and script, the stylesheet pinned by hash', () => {
    const csp = /<meta http-equiv="Content-Security-Policy" content="([^"]+)">/.exec(html)?.[1];
    expect(csp).toBeDefined();
    for (const directive of [
      "default-src 'none'",
      "script-src 'none'",
      "connect-src 'none'",
      "img-src 'none'",
      "font-src 'none'",
      "base-uri 'none'",
      "form-action 'none'",
    ])
      expect(csp).toContain(directive);
    const style = /<style>([\s\S]*?)<\/style>/.exec(html)![1]!;
    expect(csp).toContain(`style-src 'sha256-${createHash('sha256').update(style).digest('base64')}'`);
    // Nothing that would load: no script, link, img, iframe, @import or url(); the only URL is the SVG namespace.
    expect(html).not.toMatch(/<(script|link|img|iframe|object|embed)\b/i);
    expect(html).not.toMatch(/@import|url\(/);
    expect(html.match(/https?:\/\/[^\s"'<]+/g)?.filter((u) => u !== 'http://www.w3.org/2000/svg') ?? []).toEqual([]);
    // No inline style attributes (the CSP would block them): colours come from classes.
    expect(html).not.toMatch(/\sstyle="/);
  });

  it('draws the charts as inline SVG: coverage heat map, retention, RPO, waivers, and per database up to the limit', () => {
    expect(count(html, /<svg /g)).toBe(6);
    expect(count(html, /<\/svg>/g)).toBe(6);
    // Per database (60 ≤ PER_DATABASE_CHARTS): a bar each, the policy as a tick where one asks.
    const perDb = /aria-label="Retention per database against policy"[\s\S]*?<\/svg>/.exec(html)![0];
    expect(count(perDb, /<text class="label"/g)).toBe(PER_DATABASE_CHARTS);
    expect(count(perDb, /<line class="target"/g)).toBe(20); // the production ones: db-0, 3, 6, …
    expect(perDb).toMatch(/<rect class="bad" [^>]*><title>db-0: 3 d, policy 35 d<\/title>/);
    expect(perDb).toMatch(/<rect class="ok" [^>]*><title>db-3: 35 d, policy 35 d<\/title>/);
    expect(renderReportHtml(sampleReport(PER_DATABASE_CHARTS + 1))).not.toContain('Retention per database');
    for (const title of ['Coverage per team: databases that meet each control', 'Retention against policy', 'RPO against target', 'Waivers by expiry'])
      expect(html).toContain(`aria-label="${title}"`);
    // Heat map: one row per team plus "All teams", one cell per control.
    expect(count(html, /<rect class="heat /g)).toBe((5 + 1) * 9);
    expect(html).toContain('All teams (60)');
  });

  it('puts every database in a collapsed section of its team, with its posture and policy', () => {
    expect(count(html, /<details>/g)).toBe(5);
    expect(count(html, /<tr(?: class="gap")?><td>db-/g)).toBe(60);
    // db-3: production, 35 d retention against a 35 d minimum, RPO 24 h against 25 h.
    expect(html).toMatch(/<td>db-3<br>.*?<td class="yes">24 h \(target 25 h\)<\/td><td class="yes">35 d \(min 35 d\)<\/td>/);
    // db-0: production, 3 d retention: below policy, and its open error is counted.
    expect(html).toMatch(/<td>db-0<br>.*?<td class="no">3 d \(min 35 d\)<\/td>.*?<td class="no">1 errors, 0 warnings<\/td>/);
    expect(html).toContain('baseline-aws-production-eu-west-1: not built');
  });

  it('escapes every spec-derived string: hostile names, teams, reasons, files and messages stay text', () => {
    const hostile = renderReportHtml(sampleReport(40, { hostile: true }));
    expect(hostile).not.toMatch(/<(script|img)\b/i);
    expect(hostile).not.toContain('<svg onload');
    expect(hostile).not.toContain("' onfocus='");
    expect(count(hostile, /<svg /g)).toBe(6);
    expect(count(hostile, /<\/svg>/g)).toBe(6);
    expect(hostile).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(hostile).toContain('&quot;&gt;&lt;img src=x onerror=alert(1)&gt;');
    expect(hostile).toContain('&lt;/svg&gt;&lt;svg onload=alert(2)&gt;');
    expect(hostile).toContain('&#39; onfocus=&#39;alert(3)');
    for (const h of HOSTILE.slice(0, 4)) expect(hostile).not.toContain(h);
  });

  it('shows the teams with the lowest coverage when there are more than the heat map holds', () => {
    const many = renderReportHtml(sampleReport(600, { teams: 100 }));
    expect(count(many, /<rect class="heat /g)).toBe((HEATMAP_TEAMS + 1) * 9);
    expect(many).toContain(`The ${HEATMAP_TEAMS} teams with the lowest coverage of 100`);
    expect(count(many, /<details>/g)).toBe(100);
  });

  it('stays one readable page at 10,000 databases: charts aggregate, lists stop at the limit', () => {
    const report = sampleReport(10_000, { teams: 20 });
    const started = performance.now();
    const big = renderReportHtml(report);
    const ms = performance.now() - started;
    console.log(`report HTML at 10,000 databases: ${(big.length / 1024 / 1024).toFixed(2)} MiB, rendered in ${ms.toFixed(0)} ms`);
    expect(count(big, /<svg /g)).toBe(4);
    // Bars per bucket, not per database: 7 retention buckets + not built, 8 RPO buckets + off, 4 waiver buckets.
    expect(count(big, /<text class="label"/g)).toBe(21 + 8 + 9 + 4);
    expect(count(big, /<details>/g)).toBe(20);
    const waiverTable = /<th>Expires<\/th>[\s\S]*?<\/table>/.exec(big)![0];
    expect(count(waiverTable, /<tr>/g)).toBe(LIST_LIMIT); // rows after the header
    expect(big).toMatch(/\d+ more in the JSON report/);
  });
});
