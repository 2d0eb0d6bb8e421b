/**
 * HTML built by a tagged template that escapes every interpolated value unless it is
 * already markup. The report shows names people chose (class folders, models, runs, file
 * paths); with escaping as the default, forgetting to escape one is impossible rather than
 * a review item — a class folder named `<script>` prints as text.
 */

/** Markup that is already safe: made by `html`, `svg` helpers or `raw` on a literal. */
export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

/** What may be interpolated: text (escaped), numbers, markup, lists of those, or nothing. */
export type HtmlValue = SafeHtml | string | number | boolean | null | undefined | readonly HtmlValue[];

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for element content and quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ENTITIES[c]!);
}

function render(value: HtmlValue): string {
  if (value === null || value === undefined || value === false || value === true) return '';
  if (value instanceof SafeHtml) return value.value;
  if (Array.isArray(value)) return value.map(render).join('');
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : '—';
  return escapeHtml(String(value));
}

export function html(strings: TemplateStringsArray, ...values: HtmlValue[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/** Markup the caller vouches for (CSS, literal SVG paths); never pass it user text. */
export function raw(markup: string): SafeHtml {
  return new SafeHtml(markup);
}

/** A data: URL is safe as an attribute only if it is one of ours: a base64 PNG. */
export function pngSrc(dataUrl: string): string {
  return /^data:image\/png;base64,[A-Za-z0-9+/=]+$/.test(dataUrl) ? dataUrl : '';
}

/** A number for people: fixed digits, thousands separated, '—' when unknown. */
export function fmt(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 10 ** -digits || abs >= 1e7)) return value.toExponential(2);
  return value.toFixed(digits);
}

/** Four significant digits, for data statistics whose scale is unknown (a price, a pixel). */
export function sig(value: number | null | undefined): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs !== 0 && (abs < 1e-3 || abs >= 1e7)) return value.toExponential(2);
  return Number(value.toPrecision(4)).toLocaleString('en-US', { maximumFractionDigits: 6 });
}

export function percent(value: number | null | undefined, digits = 1): string {
  return value === null || value === undefined || !Number.isFinite(value) ? '—' : `${(value * 100).toFixed(digits)} %`;
}

export function count(value: number): string {
  return value.toLocaleString('en-US');
}

/** An ISO time as `2025-03-01 14:02 UTC`: the report is read anywhere, so no local time zone. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : `${d.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

export function duration(fromIso: string, toIso: string | null): string | null {
  if (!toIso) return null;
  const seconds = (new Date(toIso).getTime() - new Date(fromIso).getTime()) / 1000;
  if (!Number.isFinite(seconds) || seconds < 0) return null;
  if (seconds < 90) return `${seconds.toFixed(0)} s`;
  if (seconds < 5400) return `${(seconds / 60).toFixed(1)} min`;
  return `${(seconds / 3600).toFixed(1)} h`;
}
