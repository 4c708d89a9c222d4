// A small inline-SVG chart renderer for the report page: horizontal stacked bars and a heat map.
// No script, no external reference: the page stays one file that opens offline. Every label passes
// through escapeHtml; numbers are formatted here.
import { escapeHtml } from './escape-html.js';

export interface Segment {
  readonly value: number;
  /** A CSS class from the page's stylesheet (fill colour). */
  readonly cls: string;
  /** Shown as the segment's tooltip. */
  readonly title: string;
}

export interface Bar {
  readonly label: string;
  readonly segments: readonly Segment[];
}

/** Labels longer than this are cut with an ellipsis (the full text is in the row's tooltip). */
export const LABEL_CHARS = 24;
export const clip = (text: string): string => (text.length > LABEL_CHARS ? `${text.slice(0, LABEL_CHARS - 1)}…` : text);

const n = (x: number): string => (Number.isInteger(x) ? String(x) : x.toFixed(1));

/** A row's label, right-aligned before the plot at baseline y, clipped, the full text as its tooltip. */
const rowLabel = (labelWidth: number, y: number, label: string): string =>
  `<text class="label" x="${labelWidth - 6}" y="${y}" text-anchor="end">${escapeHtml(clip(label))}<title>${escapeHtml(label)}</title></text>`;

/** The chart's <svg> element: its title as the accessible name and the first child. */
const svgChart = (title: string, width: number, height: number, content: string): string =>
  `<svg class="chart" role="img" aria-label="${escapeHtml(title)}" width="${width}" height="${height}" ` +
  `viewBox="0 0 ${width} ${height}" xmlns="http://www.w3.org/2000/svg"><title>${escapeHtml(title)}</title>${content}</svg>`;

/** Stacked horizontal bars on a shared linear scale; the total is printed after each bar. */
export function barChart(options: { readonly title: string; readonly bars: readonly Bar[]; readonly width?: number; readonly labelWidth?: number }): string {
  const width = options.width ?? 640;
  const labelWidth = options.labelWidth ?? 160;
  const row = 22;
  const top = 8;
  const plot = width - labelWidth - 56;
  const max = Math.max(1, ...options.bars.map((b) => b.segments.reduce((s, x) => s + x.value, 0)));
  const height = top * 2 + row * options.bars.length;
  const rows = options.bars.map((bar, i) => {
    const y = top + i * row;
    let x = labelWidth;
    const total = bar.segments.reduce((s, seg) => s + seg.value, 0);
    const rects = bar.segments
      .filter((seg) => seg.value > 0)
      .map((seg) => {
        const w = Math.max(1, (seg.value / max) * plot);
        const rect =
          `<rect class="${escapeHtml(seg.cls)}" x="${n(x)}" y="${y + 3}" width="${n(w)}" ` +
          `height="${row - 6}"><title>${escapeHtml(`${bar.label}: ${seg.title} ${n(seg.value)}`)}</title></rect>`;
        x += w;
        return rect;
      })
      .join('');
    const baseline = y + row / 2 + 4;
    return `${rowLabel(labelWidth, baseline, bar.label)}${rects}<text class="value" x="${n(x + 4)}" y="${baseline}">${n(total)}</text>`;
  });
  return svgChart(options.title, width, height, rows.join(''));
}

export interface HeatCell {
  /** met / total */
  readonly met: number;
  readonly total: number;
}

/** A heading split at the space nearest its middle, so narrow columns do not overlap. */
export function twoLines(text: string): [string, string] {
  if (text.length <= 12) return [text, ''];
  const spaces = [...text.matchAll(/ /g)].map((m) => m.index);
  if (!spaces.length) return [text, ''];
  const cut = spaces.reduce((best, i) => (Math.abs(i - text.length / 2) < Math.abs(best - text.length / 2) ? i : best));
  return [text.slice(0, cut), text.slice(cut + 1)];
}

/** Rows × columns of cells coloured by the share that meets (0 % red … 100 % green), "met/total" inside. */
export function heatmap(options: {
  readonly title: string;
  readonly rows: readonly string[];
  readonly columns: readonly string[];
  readonly cells: readonly (readonly HeatCell[])[];
}): string {
  const labelWidth = 150;
  const cellW = 84;
  const cellH = 24;
  const head = 40;
  const width = labelWidth + cellW * options.columns.length + 4;
  const height = head + cellH * options.rows.length + 4;
  const heads = options.columns.map((c, j) => {
    const x = labelWidth + j * cellW + cellW / 2;
    const [first, second] = twoLines(c);
    const lines = second
      ? `<tspan x="${x}" y="${head - 20}">${escapeHtml(first)}</tspan><tspan x="${x}" y="${head - 7}">${escapeHtml(second)}</tspan>`
      : `<tspan x="${x}" y="${head - 7}">${escapeHtml(first)}</tspan>`;
    return `<text class="colhead" text-anchor="middle">${lines}</text>`;
  });
  const body = options.rows.map((r, i) => {
    const y = head + i * cellH;
    const cells = options.columns.map((c, j) => {
      const cell = options.cells[i]?.[j] ?? { met: 0, total: 0 };
      const share = cell.total ? cell.met / cell.total : 1;
      // Five steps, so the page needs no inline styles (the CSP allows none).
      const step = cell.total === 0 ? 'na' : share === 1 ? '4' : share >= 0.9 ? '3' : share >= 0.5 ? '2' : share > 0 ? '1' : '0';
      const x = labelWidth + j * cellW;
      const title = escapeHtml(`${r} · ${c}: ${cell.met} of ${cell.total}`);
      return (
        `<rect class="heat h${step}" x="${x + 1}" y="${y + 1}" width="${cellW - 2}" height="${cellH - 2}"><title>${title}</title></rect>` +
        `<text class="cell" x="${x + cellW / 2}" y="${y + cellH / 2 + 4}" text-anchor="middle">${cell.met}/${cell.total}</text>`
      );
    });
    return `${rowLabel(labelWidth, y + cellH / 2 + 4, r)}${cells.join('')}`;
  });
  return svgChart(options.title, width, height, `${heads.join('')}${body.join('')}`);
}

export interface TargetRow {
  readonly label: string;
  /** null: nothing to draw (backups off, not built). */
  readonly value: number | null;
  /** The policy line; null when no policy asks. */
  readonly target: number | null;
  /** ok: meets the target; bad: misses it; na: no target. */
  readonly cls: 'ok' | 'bad' | 'na';
}

/**
 * One bar per row with its policy drawn as a tick across it: per database, how far above or below
 * policy it sits. The scale is logarithmic (1 h … a year span the same chart).
 */
export function targetChart(options: {
  readonly title: string;
  readonly unit: string;
  readonly rows: readonly TargetRow[];
  readonly width?: number;
  readonly labelWidth?: number;
}): string {
  const width = options.width ?? 540;
  const labelWidth = options.labelWidth ?? 130;
  const row = 18;
  const top = 8;
  const plot = width - labelWidth - 70;
  const values = options.rows.flatMap((r) => [r.value ?? 0, r.target ?? 0]).filter((v) => v > 0);
  const max = Math.max(2, ...values);
  const scale = (v: number): number => (Math.log10(1 + v) / Math.log10(1 + max)) * plot;
  const height = top * 2 + row * options.rows.length;
  const body = options.rows.map((r, i) => {
    const y = top + i * row;
    const policy = r.target === null ? '' : `, policy ${n(r.target)} ${options.unit}`;
    const bar =
      r.value === null
        ? ''
        : `<rect class="${r.cls}" x="${labelWidth}" y="${y + 3}" width="${n(Math.max(1, scale(r.value)))}" ` +
          `height="${row - 6}"><title>${escapeHtml(`${r.label}: ${n(r.value)} ${options.unit}${policy}`)}</title></rect>`;
    const tick =
      r.target === null
        ? ''
        : `<line class="target" x1="${n(labelWidth + scale(r.target))}" x2="${n(labelWidth + scale(r.target))}" y1="${y + 1}" y2="${y + row - 1}"></line>`;
    const text = r.value === null ? 'off' : `${n(r.value)} ${options.unit}`;
    const baseline = y + row / 2 + 4;
    const valueX = n(labelWidth + (r.value === null ? 0 : scale(r.value)) + 4);
    return `${rowLabel(labelWidth, baseline, r.label)}${bar}${tick}<text class="value" x="${valueX}" y="${baseline}">${escapeHtml(text)}</text>`;
  });
  return svgChart(options.title, width, height, body.join(''));
}
