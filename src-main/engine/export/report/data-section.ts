import type { DataConfig } from '../../../../src-shared/contract/data-config.ts';
import type { DataHealthReport, ImageHealthReport, TableHealthReport, TextHealthReport } from '../../../../src-shared/contract/data-health.ts';
import { count, fmt, html, percent, sig, type SafeHtml } from './html.ts';
import { keyValues } from './report-blocks.ts';
import type { HealthFacts } from './report-facts.ts';
import { histogramChart } from './svg-charts.ts';

/** The run's DataConfig as label/value pairs, in the words of the Data panel. */
function configRows(data: DataConfig): Array<[string, string]> {
  const split: Array<[string, string]> = [
    ['Validation split', percent(data.validationSplit, 0)], ['Test split', data.testSplit > 0 ? percent(data.testSplit, 0) : 'none'], ['Split seed', String(data.seed)],
  ];
  switch (data.kind) {
    case 'image-folder': {
      const aug = data.augmentation;
      const augmentation = aug
        ? Object.entries(aug).filter(([, v]) => v !== 0 && v !== 'none').map(([k, v]) => `${k} ${v}`).join(', ') || 'none'
        : 'none';
      return [['Kind', 'image folder'], ['Path', data.path], ...(data.labels ? [['Labels CSV', data.labels.csv] as [string, string]] : []),
        ['Image size', `${data.imageSize[0]} × ${data.imageSize[1]}`], ['Channels', data.channels === 1 ? '1 (grey)' : '3 (RGB)'], ['Augmentation', augmentation], ...split];
    }
    case 'csv-table':
      return [['Kind', 'CSV table'], ['Path', data.path], ['Target', data.target], ['Task', data.task ?? 'detected from the target'],
        ['Ignored columns', data.ignore.join(', ') || 'none'], ...split];
    case 'text':
      return [['Kind', 'texts'], ['Path', data.path], ['Vocabulary size', count(data.vocabSize)], ['Sequence length', `${data.sequenceLength} tokens`],
        ['Lower-cased', data.lowercase ? 'yes' : 'no'], ...split];
    case 'timeseries':
      return [['Kind', 'time series'], ['Path', data.path], ['Target', data.target], ['Features', data.features.join(', ') || 'every numeric column'],
        ['Window', `${data.window} rows`], ['Horizon', `${data.horizon} rows ahead`], ...split];
  }
}

const groups = (n: number) => `${count(n)} group${n === 1 ? '' : 's'}`;
const straddle = (n: number) => (n === 0 ? 'none straddles the split' : `${count(n)} straddle${n === 1 ? 's' : ''} the split (training and validation or test)`);

function findings(report: DataHealthReport): SafeHtml {
  if (report.findings.length === 0) return html`<p class="ok">No problems found.</p>`;
  return html`<ul class="findings">${report.findings.map((f) => html`<li class="${f.severity}"><span class="badge ${f.severity}">${f.severity}</span> ${f.message}</li>`)}</ul>`;
}

function classTable(classes: ImageHealthReport['classes']): SafeHtml {
  const max = Math.max(1, ...classes.map((c) => c.count));
  return html`<table class="classes"><thead><tr><th>Class</th><th class="num">Total</th><th class="num">Train</th><th class="num">Validation</th><th class="num">Test</th><th></th></tr></thead>
    <tbody>${classes.map((c) => html`<tr><td>${c.name}</td><td class="num">${count(c.count)}</td><td class="num">${count(c.train)}</td><td class="num">${count(c.validation)}</td><td class="num">${count(c.test)}</td>
      <td class="bar-cell"><span class="bar" style="width:${((c.count / max) * 100).toFixed(1)}%"></span></td></tr>`)}</tbody></table>`;
}

function imageHealth(r: ImageHealthReport): [SafeHtml, SafeHtml] {
  return [keyValues([
    ['Images', count(r.total)], ['Classes', String(r.classes.length)], ['Imbalance', `${fmt(r.imbalance, 2)} (largest ÷ smallest class)`],
    ['Sizes', r.sizes.slice(0, 4).map((s) => `${s.size} (${count(s.count)})`).join(', ') || '—'],
    ['Duplicates', `${groups(r.duplicates.length)} of identical files, ${r.nearDuplicates.length} of near-identical ones; ${straddle(r.leakage)}`],
    ['Skipped', r.skipped.length === 0 ? 'none' : `${r.skipped.length} files`],
  ]), html`<h3>Classes</h3>${classTable(r.classes)}`];
}

function tableHealth(r: TableHealthReport): [SafeHtml, SafeHtml] {
  const columns = html`<table class="columns"><thead><tr><th>Column</th><th>Type</th><th class="num">Missing</th><th class="num">Unique</th><th class="num">Min</th><th class="num">Mean</th><th class="num">Max</th></tr></thead>
    <tbody>${r.columns.map((c) => html`<tr><td>${c.name}${r.target?.column === c.name ? html` <span class="badge info">target</span>` : ''}</td><td>${c.type}${c.constant ? ' (constant)' : ''}</td>
      <td class="num">${count(c.missing)}</td><td class="num">${count(c.unique)}</td><td class="num">${sig(c.numeric?.min)}</td><td class="num">${sig(c.numeric?.mean)}</td><td class="num">${sig(c.numeric?.max)}</td></tr>`)}</tbody></table>`;
  const target = r.target;
  const distribution = !target ? '' : target.task === 'classification'
    ? classTable(target.classes)
    : target.histogram.length > 0 ? histogramChart({ title: `Distribution of ${target.column}`, xLabel: target.column, bins: target.histogram }) : '';
  return [keyValues([
    ['Rows', count(r.rows)], ['Columns', String(r.columns.length)], ['Target', target ? `${target.column} (${target.task})` : 'none'],
    ['Duplicate rows', `${count(r.duplicateRows)}; ${straddle(r.leakage)}`], ['Skipped', r.skipped.length === 0 ? 'none' : `${r.skipped.length} rows`],
  ]), html`<h3>Columns</h3>${columns}${distribution}`];
}

function textHealth(r: TextHealthReport): [SafeHtml, SafeHtml] {
  const l = r.lengths;
  return [keyValues([
    ['Texts', count(r.total)], ['Classes', String(r.classes.length)], ['Imbalance', fmt(r.imbalance, 2)],
    ['Length (tokens)', `median ${fmt(l.median, 0)}, 95th percentile ${fmt(l.p95, 0)}, longest ${count(l.max)}; ${percent(l.truncated)} cut at ${l.sequenceLength}`],
    ['Vocabulary', `${count(r.vocabulary.distinct)} distinct words, ${count(r.vocabulary.vocabSize)} kept; covers ${percent(r.vocabulary.trainCoverage)} of training and ${percent(r.vocabulary.validationCoverage)} of validation tokens`],
    ['Duplicates', `${groups(r.duplicates.length)}; ${straddle(r.leakage)}`],
  ]), html`<h3>Classes</h3>${classTable(r.classes)}`];
}

/** The run's data settings and its health report (or why there is none). */
export function dataSection(data: DataConfig, health: HealthFacts): SafeHtml {
  const settings = html`<div><h3>Settings</h3>${keyValues(configRows(data))}</div>`;
  if (health.kind === 'unavailable') return html`<section id="data"><h2>Data</h2><div class="two">${settings}<div><h3>Health report</h3><p class="notice">${health.message}</p></div></div></section>`;
  const r = health.report;
  const [summary, details] = r.kind === 'image-folder' ? imageHealth(r) : r.kind === 'csv-table' ? tableHealth(r) : textHealth(r);
  const body = html`<div class="two">${settings}<div><h3>Health report</h3>${summary}</div></div>${findings(r)}${details}`;
  return html`<section id="data"><h2>Data</h2>${body}</section>`;
}
