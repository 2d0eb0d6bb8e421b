import { raw, type SafeHtml } from './html.ts';

/**
 * The card's stylesheet, inlined: system fonts only (nothing to fetch), a readable measure,
 * and print rules so the card prints or saves as PDF without charts cut across pages.
 */
export const REPORT_CSS: SafeHtml = raw(`
:root {
  --ink: #1c2430; --muted: #5b6675; --line: #d9dee5; --soft: #f4f6f9; --accent: #2563eb;
  --ok: #15803d; --warn: #b45309; --bad: #b91c1c;
  font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif;
  font-size: 15px; line-height: 1.5; color: var(--ink); background: #fff;
}
* { box-sizing: border-box; }
body { margin: 0; }
main { max-width: 1080px; margin: 0 auto; padding: 32px 40px 48px; }
h1 { font-size: 30px; line-height: 1.2; margin: 4px 0 6px; letter-spacing: -0.01em; }
h2 { font-size: 20px; margin: 40px 0 12px; padding-bottom: 6px; border-bottom: 2px solid var(--ink); }
h3 { font-size: 16px; margin: 22px 0 8px; }
h4 { font-size: 14px; font-weight: 500; margin: 16px 0 6px; }
p { margin: 8px 0; max-width: 80ch; }
.eyebrow { color: var(--muted); font-size: 13px; text-transform: uppercase; letter-spacing: 0.08em; margin: 0; }
.muted, figcaption { color: var(--muted); }
.mono, code { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: 0.9em; overflow-wrap: anywhere; }
.note { border-left: 3px solid var(--accent); padding: 4px 12px; background: var(--soft); }
.notice { border-left: 3px solid var(--warn); padding: 6px 12px; background: #fff7ed; }
.ok { color: var(--ok); }
.small { font-size: 13px; }
.badge { display: inline-block; font-size: 11px; font-weight: 600; text-transform: uppercase; letter-spacing: 0.05em; padding: 1px 7px; border-radius: 999px; border: 1px solid currentColor; vertical-align: 2px; }
.badge.completed, .badge.pass { color: var(--ok); }
.badge.cancelled, .badge.warning, .badge.skipped, .badge.interrupted, .badge.running { color: var(--warn); }
.badge.failed, .badge.diverged, .badge.error, .badge.fail { color: var(--bad); }
.badge.info { color: var(--accent); }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(140px, 1fr)); gap: 10px; margin: 18px 0 6px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 12px; }
.card .label { font-size: 12px; color: var(--muted); }
.card .value { font-size: 19px; font-weight: 600; }
.card .sub { font-size: 12px; color: var(--muted); }
dl.kv { display: grid; grid-template-columns: max-content 1fr; gap: 3px 18px; margin: 8px 0 12px; }
dl.kv dt { color: var(--muted); }
dl.kv dd { margin: 0; overflow-wrap: anywhere; }
.two { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1fr); gap: 28px; align-items: start; }
.graph-layout { display: grid; grid-template-columns: auto minmax(0, 1fr); gap: 28px; align-items: start; }
table { border-collapse: collapse; font-size: 13.5px; margin: 6px 0 10px; }
th, td { padding: 4px 10px; border-bottom: 1px solid var(--line); text-align: left; vertical-align: top; }
thead th { font-weight: 600; border-bottom: 1.5px solid var(--ink); }
.nowrap { white-space: nowrap; }
td.path { min-width: 16ch; }
.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
.scroll { overflow-x: auto; }
.bar-cell { width: 140px; }
.bar { display: block; height: 10px; background: var(--accent); border-radius: 2px; margin-top: 5px; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.bar-cell.signed { background: linear-gradient(#8a94a3, #8a94a3) 50% 0 / 1px 100% no-repeat; }
.attributions { display: grid; grid-template-columns: repeat(auto-fit, minmax(300px, 1fr)); gap: 4px 28px; }
.attributions table { width: 100%; }
.attributions td.mono { white-space: nowrap; overflow-wrap: normal; }
.attributions .bar-cell { width: 40%; }
.bar.pos { background: #2563eb; margin-left: 50%; }
.bar.neg { background: #dc2626; margin-left: auto; margin-right: 50%; }
table.confusion { font-variant-numeric: tabular-nums; }
table.confusion th, table.confusion td { border: 1px solid #fff; text-align: center; min-width: 38px; }
table.confusion th.upright { writing-mode: vertical-rl; transform: rotate(180deg); vertical-align: bottom; text-align: left; max-height: 160px; }
table.confusion tr > th:first-child { text-align: right; }
table.confusion td { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
table.confusion td.hit { background: color-mix(in srgb, #2563eb calc(var(--share) * 85%), #f4f6f9); }
table.confusion td.strong { color: #fff; font-weight: 600; }
table.confusion td.miss { background: color-mix(in srgb, #dc2626 calc(var(--share) * 85%), #f4f6f9); }
ul.findings { padding-left: 0; list-style: none; }
ul.findings li { margin: 4px 0; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(380px, 1fr)); gap: 12px 28px; }
figure { margin: 8px 0; break-inside: avoid; }
figure.chart { max-width: 640px; }
figure.chart svg { width: 100%; height: auto; display: block; }
figcaption { font-size: 13px; margin-top: 2px; }
svg text { font-family: inherit; font-size: 13px; fill: #5b6675; }
svg .grid line { stroke: #e8ebf0; }
svg .axis { stroke: #8a94a3; }
svg .axis-title { font-size: 14px; fill: #1c2430; }
svg .legend text { font-size: 14px; fill: #1c2430; }
svg .dots circle { fill: #2563eb; fill-opacity: 0.55; }
svg .diagonal { stroke: #9aa3af; stroke-dasharray: 4 4; }
svg .bars rect { fill: #2563eb; fill-opacity: 0.8; }
svg.graph { max-width: 100%; height: auto; display: block; }
svg.graph .edge { fill: none; stroke: #8a94a3; stroke-width: 1.6; }
svg.graph marker path { fill: #8a94a3; }
svg.graph .layer rect { fill: #fff; stroke: #2563eb; stroke-width: 1.5; }
svg.graph .layer.input rect { fill: #eef4ff; }
svg.graph .layer.frozen rect { stroke: #64748b; stroke-dasharray: 4 3; fill: #f1f5f9; }
svg.graph .layer.broken rect { stroke: #b91c1c; }
svg.graph .kind { font-size: 13px; font-weight: 600; fill: #1c2430; }
svg.graph .name { font-size: 12px; fill: #1c2430; font-family: ui-monospace, Menlo, Consolas, monospace; }
svg.graph .meta { font-size: 11px; fill: #5b6675; }
.saliency { display: grid; grid-template-columns: repeat(auto-fill, minmax(230px, 1fr)); gap: 14px; }
.saliency figure { border: 1px solid var(--line); border-radius: 8px; padding: 8px; margin: 0; }
.saliency figure.wrong { border-color: var(--bad); }
.saliency .pair { display: grid; grid-template-columns: 1fr 1fr; gap: 4px; }
.saliency img { width: 100%; height: auto; image-rendering: pixelated; display: block; border-radius: 3px; }
.tokens span { padding: 1px 3px; border-radius: 3px; print-color-adjust: exact; -webkit-print-color-adjust: exact; }
.tokens .pos { background: rgba(37, 99, 235, calc(var(--w) * 0.6)); }
.tokens .neg { background: rgba(220, 38, 38, calc(var(--w) * 0.6)); }
.tokens .unknown { text-decoration: underline dotted; }
footer { margin-top: 48px; padding-top: 10px; border-top: 1px solid var(--line); color: var(--muted); font-size: 12.5px; }
@media screen and (max-width: 760px) { main { padding: 20px; } .two, .graph-layout { grid-template-columns: 1fr; } }
@page { margin: 14mm 12mm; }
@media print {
  :root { font-size: 11pt; }
  main { max-width: none; padding: 0; }
  h2 { break-after: avoid; margin-top: 24px; }
  h3, h4 { break-after: avoid; }
  section { break-inside: auto; }
  table, .card, .saliency figure, .attr-sample { break-inside: avoid; }
  .scroll { overflow: visible; }
  .charts { grid-template-columns: 1fr 1fr; }
  .cards { grid-template-columns: repeat(auto-fit, minmax(100px, 1fr)); gap: 6px; }
  .card { padding: 6px 8px; }
  .card .value { font-size: 12pt; overflow-wrap: anywhere; }
  .saliency { grid-template-columns: repeat(4, 1fr); gap: 8px; }
  .saliency figcaption { font-size: 8pt; }
  table.confusion th, table.confusion td { min-width: 0; padding: 2px 4px; font-size: 9pt; }
  .two.stack-in-print { grid-template-columns: 1fr; }
  table { font-size: 9pt; }
  th, td { padding: 3px 6px; }
  .nowrap { white-space: normal; }
  table.parity td.path { min-width: 0; }
  .graph-layout { grid-template-columns: auto minmax(0, 1fr); }
}
`);
