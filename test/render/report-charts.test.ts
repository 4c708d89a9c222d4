import { describe, expect, it } from 'vitest';
import { barChart, clip, heatmap, LABEL_CHARS, targetChart, twoLines } from '../../src/render/report-charts.js';

const widths = (svg: string): number[] => [...svg.matchAll(/<rect [^>]*width="([\d.]+)"/g)].map((m) => Number(m[1]));

describe('barChart', () => {
  const svg = barChart({
    title: 'T',
    width: 400,
    labelWidth: 100,
    bars: [
      {
        label: 'a',
        segments: [
          { value: 3, cls: 'ok', title: 'ok' },
          { value: 1, cls: 'bad', title: 'bad' },
        ],
      },
      {
        label: 'b',
        segments: [
          { value: 2, cls: 'ok', title: 'ok' },
          { value: 0, cls: 'bad', title: 'bad' },
        ],
      },
    ],
  });

  it('scales segments to the longest bar and prints each total', () => {
    // Plot width 400 - 100 - 56 = 244 for the longest total (4).
    expect(widths(svg)).toEqual([183, 61, 122]);
    expect([...svg.matchAll(/<text class="value"[^>]*>(\d+)<\/text>/g)].map((m) => m[1])).toEqual(['4', '2']);
    expect(svg).toMatch(/^<svg [^>]*width="400" height="60" viewBox="0 0 400 60"/);
  });

  it('draws nothing for an empty segment and survives all-zero data', () => {
    expect(svg.match(/class="bad"/g)).toHaveLength(1);
    const empty = barChart({ title: 'E', bars: [{ label: 'x', segments: [{ value: 0, cls: 'ok', title: 'ok' }] }] });
    expect(empty).not.toContain('<rect');
    expect(empty).not.toMatch(/NaN|Infinity/);
  });

  it('escapes labels and titles', () => {
    const evil = barChart({ title: '</svg><script>', bars: [{ label: '<b onmouseover=x>', segments: [{ value: 1, cls: 'ok"><x', title: '"' }] }] });
    expect(evil).not.toMatch(/<(script|b|x)\b/);
    expect(evil).toContain('&lt;b onmouseover=x&gt;');
    expect(evil).toContain('class="ok&quot;&gt;&lt;x"');
  });
});

describe('heatmap', () => {
  const svg = heatmap({
    title: 'H',
    rows: ['t1', 't2'],
    columns: ['A', 'B'],
    cells: [
      [
        { met: 2, total: 2 },
        { met: 0, total: 2 },
      ],
      [
        { met: 1, total: 2 },
        { met: 0, total: 0 },
      ],
    ],
  });

  it('colours each cell by the share that meets the control and prints met/total', () => {
    expect([...svg.matchAll(/class="heat (h\w+)"/g)].map((m) => m[1])).toEqual(['h4', 'h0', 'h2', 'hna']);
    expect([...svg.matchAll(/<text class="cell"[^>]*>([^<]+)<\/text>/g)].map((m) => m[1])).toEqual(['2/2', '0/2', '1/2', '0/0']);
  });
});

describe('clip', () => {
  it('cuts long labels to LABEL_CHARS with an ellipsis, keeping the full text in the tooltip', () => {
    const svg = barChart({ title: 'T', bars: [{ label: 'a-very-long-team-name-that-goes-on', segments: [{ value: 1, cls: 'ok', title: 'ok' }] }] });
    expect(svg).toContain(`>${'a-very-long-team-name-that-goes-on'.slice(0, LABEL_CHARS - 1)}…<title>a-very-long-team-name-that-goes-on</title>`);
    expect(clip('short')).toBe('short');
  });
});

describe('twoLines', () => {
  it('splits a long heading at the space nearest its middle', () => {
    expect(twoLines('Retention ≥ policy')).toEqual(['Retention', '≥ policy']);
    expect(twoLines('PITR')).toEqual(['PITR', '']);
    expect(twoLines('averyveryverylongword')).toEqual(['averyveryverylongword', '']);
  });
});

describe('targetChart', () => {
  const svg = targetChart({
    title: 'R',
    unit: 'd',
    width: 300,
    labelWidth: 100,
    rows: [
      { label: 'a', value: 99, target: 35, cls: 'ok' },
      { label: 'b', value: 9, target: 35, cls: 'bad' },
      { label: 'c', value: null, target: null, cls: 'na' },
    ],
  });

  it('draws each value on a log scale with its policy as a tick, nothing for a missing value', () => {
    // Plot 300 - 100 - 70 = 130 for the largest (99): log10(100) = 2 → 130; log10(10) = 1 → 65.
    expect(widths(svg)).toEqual([130, 65]);
    const ticks = [...svg.matchAll(/<line class="target" x1="([\d.]+)"/g)].map((m) => Number(m[1]));
    expect(ticks).toHaveLength(2);
    expect(ticks[0]).toBeCloseTo(100 + (Math.log10(36) / 2) * 130, 0);
    expect(svg).toContain('>off</text>');
    expect(svg).not.toMatch(/NaN|Infinity/);
  });
});
