import { html, raw, type SafeHtml } from './html.ts';

/**
 * Inline SVG charts for the model card: line charts (training curves, ROC/PR), a scatter
 * of predicted vs actual and a histogram. Plain SVG with a viewBox, so they scale with the
 * page, print sharply and need no script.
 */

export interface Point { x: number; y: number }
export interface Series {
  name: string;
  /** Series id for tests and print styles (`loss`, `val_loss`, …). */
  id: string;
  color: string;
  dashed?: boolean;
  points: Point[];
}

interface Frame {
  width: number;
  height: number;
  left: number;
  right: number;
  top: number;
  bottom: number;
}

const FRAME: Frame = { width: 560, height: 320, left: 64, right: 18, top: 38, bottom: 52 };

/** About `target` round tick values covering [min, max] (1, 2, 2.5 or 5 × a power of ten). */
export function niceTicks(min: number, max: number, target = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (min === max) {
    const pad = Math.abs(min) * 0.1 || 1;
    return niceTicks(min - pad, max + pad, target);
  }
  const raw = (max - min) / target;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.floor(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  if (ticks[ticks.length - 1]! < max) ticks.push(Number((ticks[ticks.length - 1]! + step).toPrecision(12)));
  return ticks;
}

function tickLabel(v: number): string {
  const abs = Math.abs(v);
  if (abs !== 0 && (abs >= 1e5 || abs < 1e-3)) return v.toExponential(1);
  return String(Number(v.toPrecision(4)));
}

interface Axes {
  x: (v: number) => number;
  y: (v: number) => number;
  markup: SafeHtml;
}

/** Grid, ticks and axis titles; returns the scales for the data (x spans the ticks unless told). */
function axes(f: Frame, xTicks: number[], yTicks: number[], xLabel: string, yLabel: string, xSpan?: [number, number]): Axes {
  const [x0, x1] = xSpan ?? [xTicks[0]!, xTicks[xTicks.length - 1]!];
  const [y0, y1] = [yTicks[0]!, yTicks[yTicks.length - 1]!];
  const plotW = f.width - f.left - f.right;
  const plotH = f.height - f.top - f.bottom;
  const x = (v: number) => f.left + (x1 === x0 ? plotW / 2 : ((v - x0) / (x1 - x0)) * plotW);
  const y = (v: number) => f.top + plotH - (y1 === y0 ? plotH / 2 : ((v - y0) / (y1 - y0)) * plotH);
  const markup = html`
    <g class="grid">${yTicks.map((t) => html`<line x1="${f.left}" x2="${f.width - f.right}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}"/>`)}</g>
    <g class="ticks y">${yTicks.map((t) => html`<text x="${f.left - 8}" y="${(y(t) + 4.5).toFixed(1)}" text-anchor="end">${tickLabel(t)}</text>`)}</g>
    <g class="ticks x">${xTicks.map((t) => html`<text x="${x(t).toFixed(1)}" y="${f.height - f.bottom + 19}" text-anchor="middle">${tickLabel(t)}</text>`)}</g>
    <line class="axis" x1="${f.left}" x2="${f.width - f.right}" y1="${f.height - f.bottom}" y2="${f.height - f.bottom}"/>
    <line class="axis" x1="${f.left}" x2="${f.left}" y1="${f.top}" y2="${f.height - f.bottom}"/>
    <text class="axis-title" x="${f.left + plotW / 2}" y="${f.height - 8}" text-anchor="middle">${xLabel}</text>
    <text class="axis-title" transform="translate(16 ${f.top + plotH / 2}) rotate(-90)" text-anchor="middle">${yLabel}</text>`;
  return { x, y, markup };
}

function legend(f: Frame, series: readonly Series[]): SafeHtml {
  let at = f.left;
  return html`<g class="legend">${series.map((s) => {
    const item = html`<g transform="translate(${at} 14)"><line x1="0" x2="22" y1="0" y2="0" stroke="${s.color}" stroke-width="2.5"${s.dashed ? raw(' stroke-dasharray="5 3"') : ''}/><text x="28" y="5">${s.name}</text></g>`;
    at += 40 + s.name.length * 7.8;
    return item;
  })}</g>`;
}

function extent(values: number[]): [number, number] {
  return values.length ? [Math.min(...values), Math.max(...values)] : [0, 1];
}

/**
 * A line chart of several series. `integerX` keeps ticks on whole numbers (epochs);
 * `yDomain` fixes the y range (accuracy is 0–1). A single point shows as a marker.
 */
export function lineChart(options: {
  title: string; xLabel: string; yLabel: string; series: Series[]; integerX?: boolean; yDomain?: [number, number]; xDomain?: [number, number]; id?: string;
  /** Dots on the data points (epochs); off for threshold curves, whose points are not events. */
  markers?: boolean;
}): SafeHtml {
  const f = FRAME;
  const shown = options.series.filter((s) => s.points.length > 0);
  const xs = shown.flatMap((s) => s.points.map((p) => p.x));
  const ys = shown.flatMap((s) => s.points.map((p) => p.y));
  const [xMin, xMax] = options.xDomain ?? extent(xs);
  let xTicks = niceTicks(xMin, xMax, 6);
  let xSpan: [number, number] | undefined;
  if (options.integerX) {
    // Whole epochs only, the axis ending at the last one (a tick every `step` of them).
    const step = Math.max(1, Math.ceil((xMax - xMin) / 10));
    xTicks = [];
    for (let t = xMin; t <= xMax; t += step) xTicks.push(t);
    xSpan = xMin === xMax ? [xMin - 1, xMax + 1] : [xMin, xMax];
  }
  const [yMin, yMax] = options.yDomain ?? extent(ys);
  const yTicks = niceTicks(yMin, yMax, 5);
  const a = axes(f, xTicks, yTicks, options.xLabel, options.yLabel, xSpan);
  const lines = shown.map((s) => {
    const pts = s.points.map((p) => `${a.x(p.x).toFixed(1)},${a.y(p.y).toFixed(1)}`).join(' ');
    const markers = (options.markers ?? true) && s.points.length <= 60
      ? s.points.map((p) => html`<circle cx="${a.x(p.x).toFixed(1)}" cy="${a.y(p.y).toFixed(1)}" r="2.8" fill="${s.color}"/>`)
      : [];
    return html`<g class="series" data-series="${s.id}" data-points="${s.points.length}"><polyline points="${pts}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? raw(' stroke-dasharray="5 3"') : ''}/>${markers}</g>`;
  });
  return html`<figure class="chart"${options.id ? html` id="${options.id}"` : ''}><svg viewBox="0 0 ${f.width} ${f.height}" role="img" aria-label="${options.title}">${a.markup}${lines}${legend(f, shown)}</svg><figcaption>${options.title}</figcaption></figure>`;
}

/** Predicted vs actual, with the y = x line a perfect model would sit on. */
export function scatterChart(options: { title: string; xLabel: string; yLabel: string; points: Point[] }): SafeHtml {
  const f = { ...FRAME, height: 360, top: 16 };
  const [lo, hi] = extent(options.points.flatMap((p) => [p.x, p.y]));
  const ticks = niceTicks(lo, hi, 5);
  const a = axes(f, ticks, ticks, options.xLabel, options.yLabel);
  const [t0, t1] = [ticks[0]!, ticks[ticks.length - 1]!];
  const dots = options.points.map((p) => html`<circle cx="${a.x(p.x).toFixed(1)}" cy="${a.y(p.y).toFixed(1)}" r="2.4"/>`);
  return html`<figure class="chart scatter"><svg viewBox="0 0 ${f.width} ${f.height}" role="img" aria-label="${options.title}">${a.markup}
    <line class="diagonal" x1="${a.x(t0)}" y1="${a.y(t0)}" x2="${a.x(t1)}" y2="${a.y(t1)}"/>
    <g class="dots" data-points="${options.points.length}">${dots}</g></svg><figcaption>${options.title}</figcaption></figure>`;
}

/** Bars over contiguous bins (residuals). */
export function histogramChart(options: { title: string; xLabel: string; bins: Array<{ from: number; to: number; count: number }> }): SafeHtml {
  const f = FRAME;
  const bins = options.bins;
  const xTicks = niceTicks(bins[0]?.from ?? 0, bins[bins.length - 1]?.to ?? 1, 6);
  const yTicks = niceTicks(0, Math.max(1, ...bins.map((b) => b.count)), 4);
  const a = axes(f, xTicks, yTicks, options.xLabel, 'count');
  const bars = bins.map((b) => {
    const x = a.x(b.from);
    const w = Math.max(1, a.x(b.to) - x - 1);
    const y = a.y(b.count);
    return html`<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${w.toFixed(1)}" height="${(a.y(0) - y).toFixed(1)}"/>`;
  });
  return html`<figure class="chart histogram"><svg viewBox="0 0 ${f.width} ${f.height}" role="img" aria-label="${options.title}">${a.markup}<g class="bars">${bars}</g></svg><figcaption>${options.title}</figcaption></figure>`;
}
