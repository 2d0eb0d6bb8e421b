import { html, type SafeHtml } from './html.ts';

/** Small building blocks shared by the card's sections. */

/** Label/value pairs (settings, figures) as a two-column definition list. */
export function keyValues(rows: ReadonlyArray<readonly [string, string | SafeHtml]>): SafeHtml {
  return html`<dl class="kv">${rows.map(([k, v]) => html`<dt>${k}</dt><dd>${v}</dd>`)}</dl>`;
}

/** Headline figures as a row of cards: a label, a big value, an optional line under it. */
export function cards(items: ReadonlyArray<readonly [label: string, value: string, sub?: string]>): SafeHtml {
  return html`<div class="cards">${items.map(([label, value, sub]) => html`<div class="card"><div class="label">${label}</div><div class="value">${value}</div>${sub ? html`<div class="sub">${sub}</div>` : ''}</div>`)}</div>`;
}
