// The report page in a real browser (Debian's headless Chromium through playwright-core): the
// charts render with a size, nothing is logged, nothing is fetched, hostile spec text stays text.
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderReportHtml } from '../../src/render/report-html.js';
import { sampleReport } from './report-sample.js';

const CHROMIUM = process.env.DBAAS_CHROMIUM ?? '/usr/bin/chromium';
const reason = existsSync(CHROMIUM) ? '' : `no Chromium at ${CHROMIUM} (apt-get install chromium, or set DBAAS_CHROMIUM)`;
if (reason) console.log(`skipped: [integration] report in headless Chromium: ${reason}`);
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

describe.skipIf(Boolean(reason))(`[integration] report page in headless Chromium${reason ? ` (skipped: ${reason})` : ''}`, () => {
  let browser: import('playwright-core').Browser;
  const dir = mkdtempSync(join(tmpdir(), 'dbaas-report-browser-'));

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ARGS });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function open(file: string) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const messages: string[] = [];
    const requests: string[] = [];
    page.on('console', (m) => messages.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => messages.push(`pageerror: ${e.message}`));
    page.on('request', (r) => requests.push(r.url()));
    const url = pathToFileURL(file).href;
    const started = performance.now();
    await page.goto(url, { waitUntil: 'load' });
    return { page, messages, requests: requests.filter((r) => r !== url), ms: performance.now() - started };
  }

  it('renders the six charts with a size, logs nothing, fetches nothing, and runs no spec text', async () => {
    const file = join(dir, 'report.html');
    writeFileSync(file, renderReportHtml(sampleReport(50, { teams: 6, hostile: true })));
    const { page, messages, requests } = await open(file);
    const charts = await page.$$eval('svg.chart', (svgs) =>
      svgs.map((s) => {
        const r = s.getBoundingClientRect();
        return { w: r.width, h: r.height, shapes: s.querySelectorAll('rect').length };
      }),
    );
    expect(charts).toHaveLength(6); // 50 databases: the per-database charts too
    for (const c of charts) {
      expect(c.w).toBeGreaterThan(100);
      expect(c.h).toBeGreaterThan(40);
      expect(c.shapes).toBeGreaterThan(0);
    }
    // A drawn bar has real width on screen.
    const bar = await page.$eval('svg.chart rect.ok', (r) => r.getBoundingClientRect().width);
    expect(bar).toBeGreaterThan(0);
    // Hostile names, reasons and messages stayed text: no element they could have made exists.
    expect(await page.$$eval('script, img, iframe, svg svg, [onerror], [onload], [onfocus], [onmouseover]', (els) => els.length)).toBe(0);
    expect(await page.textContent('body')).toContain('<script>alert(1)</script>');
    // The teams' tables open.
    await page.click('details summary');
    expect(await page.$eval('details[open] table', (t) => t.getBoundingClientRect().height)).toBeGreaterThan(50);
    // The CSP would report a blocked stylesheet as a console error: none, so the hash matches.
    expect(messages).toEqual([]);
    expect(requests).toEqual([]);
    const shot = join(dir, 'report.png');
    await page.screenshot({ path: shot, fullPage: true });
    expect(statSync(shot).size).toBeGreaterThan(20_000);
    // To look at it: DBAAS_REPORT_SCREENSHOT=/tmp/report.png npx vitest run test/render/report-browser.test.ts
    if (process.env.DBAAS_REPORT_SCREENSHOT) copyFileSync(shot, process.env.DBAAS_REPORT_SCREENSHOT);
    await page.close();
  }, 60_000);

  it('opens the page of 10,000 databases', async () => {
    const file = join(dir, 'report-10000.html');
    writeFileSync(file, renderReportHtml(sampleReport(10_000, { teams: 20 })));
    const { page, messages, requests, ms } = await open(file);
    console.log(`report in Chromium at 10,000 databases: ${(statSync(file).size / 1024 / 1024).toFixed(2)} MiB loaded in ${ms.toFixed(0)} ms`);
    expect(await page.$$eval('svg.chart', (s) => s.length)).toBe(4);
    expect(await page.$$eval('details', (d) => d.length)).toBe(20);
    expect(messages).toEqual([]);
    expect(requests).toEqual([]);
    await page.close();
  }, 120_000);
});
