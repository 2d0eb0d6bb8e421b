import type { ExportResult } from '../../../../src-shared/contract/export.ts';
import { PARITY_TARGETS } from '../../../../src-shared/contract/export.ts';
import type { RunDetails, RunRecord } from '../../../../src-shared/contract/run-record.ts';
import type { Schedule } from '../../../../src-shared/contract/training-schedule.ts';
import { dataSection } from './data-section.ts';
import { cards, keyValues } from './report-blocks.ts';
import { evaluationSection, explanationSection } from './evaluation-section.ts';
import { graphSvg, layerTable } from './graph-svg.ts';
import { count, duration, fmt, html, percent, when, type SafeHtml } from './html.ts';
import type { ReportFacts } from './report-facts.ts';
import { REPORT_CSS } from './report-style.ts';
import { lineChart, type Series } from './svg-charts.ts';

const TRAIN = '#2563eb';
const VALIDATION = '#c2410c';

function scheduleLine(s: Schedule): string {
  switch (s.kind) {
    case 'constant': return 'constant';
    case 'step': return `× ${s.factor} every ${s.every} epochs`;
    case 'exponential': return `× ${s.factor} per epoch`;
    case 'cosine': return `cosine down to ${s.floor} × the base rate`;
    case 'plateau': return `× ${s.factor} after ${s.patience} epochs without a better validation loss`;
  }
}

const DATA_KIND = { 'image-folder': 'images', 'csv-table': 'table', text: 'texts', timeseries: 'time series' } as const;

function header(f: ReportFacts): SafeHtml {
  const { record, details, analysis } = f;
  const title = record.name ?? record.spec.config.name;
  const last = record.lastEpoch;
  const params = analysis.totals.trainable + analysis.totals.nonTrainable;
  const took = duration(record.createdAt, record.endedAt);
  const classes = record.targets?.type === 'regression' ? `regression of ${record.targets.columns.join(', ')}` : `${record.classes.length} classes`;
  return html`<header>
    <p class="eyebrow">Model card · Strata</p>
    <h1>${title}</h1>
    <p class="muted">Run <span class="mono">${record.runId}</span> · model <span class="mono">${record.spec.config.name}</span> · <span class="badge ${details.status}">${details.status}</span>${details.reason ? ` — ${details.reason}` : ''}</p>
    ${record.note ? html`<p class="note">${record.note}</p>` : ''}
    ${cards([
      ['Trained', when(record.createdAt).slice(0, 10), took ? `in ${took}` : `started ${when(record.createdAt)}`],
      ['Epochs', `${details.checkpointEpoch} / ${record.training.epochs}`, `${details.history.length} logged${(record.resumes ?? 0) > 0 ? `, resumed ${record.resumes}×` : ''}`],
      ['Parameters', count(params), analysis.totals.nonTrainable > 0 ? `${count(analysis.totals.nonTrainable)} not trainable` : `${analysis.totals.layers} layers`],
      ['Data', DATA_KIND[record.data.kind], classes],
      last?.val_acc != null
        ? ['Validation accuracy', percent(last.val_acc), `loss ${fmt(last.val_loss, 4)}, last epoch`]
        : ['Validation loss', fmt(last?.val_loss ?? null, 4), 'standardised, last epoch'],
      ['Backend', record.backend.name, record.backend.native ? `native, ${record.backend.execution ?? 'op-by-op'}` : 'JavaScript fallback'],
    ])}
  </header>`;
}

function trainingSection(f: ReportFacts): SafeHtml {
  const { record, environment: env } = f;
  const t = record.training;
  const settings: Array<[string, string]> = [
    ['Optimizer', t.optimizer], ['Learning rate', `${t.learningRate}, ${scheduleLine(t.schedule)}`], ['Batch size', String(t.batchSize)], ['Epochs asked', String(t.epochs)],
    ['Seed', t.seed === undefined ? 'none recorded' : String(t.seed)], ['Class weights', t.classWeights],
    ['Early stopping', t.earlyStopping ? `on ${t.earlyStopping.metric}, patience ${t.earlyStopping.patience}${t.earlyStopping.restoreBest ? ', best weights kept' : ''}` : 'off'],
    ...(record.initialWeights ? [['Started from', `${record.initialWeights.path} (${record.initialWeights.loaded.length} layers loaded, ${record.initialWeights.fresh.length} fresh)`] as [string, string]] : []),
    ...(record.sweep ? [['Sweep', `${record.sweep.id}, trial ${record.sweep.trial}: ${Object.entries(record.sweep.params).map(([k, v]) => `${k}=${v}`).join(', ')}`] as [string, string]] : []),
  ];
  const engine: Array<[string, string]> = [
    ['Trained on', `${record.backend.name}${record.backend.native ? ` (native${record.backend.libtensorflowVersion ? `, libtensorflow ${record.backend.libtensorflowVersion}` : ''})` : ' (JavaScript fallback)'}, ${record.backend.execution ?? 'op-by-op'} execution`],
    ['Started', when(record.createdAt)], ['Ended', when(record.endedAt)],
    ['Dataset fingerprint', record.datasetFingerprint ?? 'not recorded'],
    ['Card made with', `tfjs ${env.tfjs} on ${env.backend}, Node ${env.node}, ${env.os}`],
    ['Card made', when(env.generatedAt)],
  ];
  return html`<section id="training"><h2>Training</h2><div class="two"><div><h3>Settings</h3>${keyValues(settings)}</div><div><h3>Engine and dates</h3>${keyValues(engine)}</div></div></section>`;
}

function flops(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} GFLOPs`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} MFLOPs`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} kFLOPs`;
  return `${n} FLOPs`;
}

function graphSection(f: ReportFacts): SafeHtml {
  const issues = f.analysis.issues;
  return html`<section id="graph"><h2>Model graph</h2>
    <p>${count(f.analysis.totals.layers)} layers, ${count(f.analysis.totals.trainable)} trainable and ${count(f.analysis.totals.nonTrainable)} non-trainable parameters, about ${flops(f.analysis.totals.flops)} per sample.</p>
    ${issues.length > 0 ? html`<ul class="findings">${issues.map((i) => html`<li><span class="badge ${i.severity}">${i.severity}</span> ${i.message}</li>`)}</ul>` : ''}
    <div class="graph-layout"><figure>${graphSvg(f.record.spec, f.analysis)}</figure><div>${layerTable(f.record.spec, f.analysis)}</div></div></section>`;
}

function series(history: RunDetails['history'], key: 'loss' | 'val_loss' | 'acc' | 'val_acc' | 'learningRate', name: string, color: string, dashed = false): Series {
  // The log counts epochs from 1, as the Training panel shows them.
  const points = history.flatMap((h) => (h[key] === null ? [] : [{ x: h.epoch, y: h[key] }]));
  return { id: key, name, color, dashed, points };
}

function curvesSection(f: ReportFacts): SafeHtml {
  const h = f.details.history;
  if (h.length === 0) return html`<section id="curves"><h2>Training curves</h2><p class="notice">No epoch completed, so there are no curves.</p></section>`;
  const domain: [number, number] = [h[0]!.epoch, h[h.length - 1]!.epoch];
  const charts = [lineChart({
    id: 'curve-loss', title: 'Loss per epoch', xLabel: 'epoch', yLabel: 'loss', integerX: true, xDomain: domain,
    series: [series(h, 'loss', 'training', TRAIN), series(h, 'val_loss', 'validation', VALIDATION, true)],
  })];
  if (h.some((e) => e.acc !== null || e.val_acc !== null)) {
    charts.push(lineChart({
      id: 'curve-accuracy', title: 'Accuracy per epoch', xLabel: 'epoch', yLabel: 'accuracy', integerX: true, xDomain: domain, yDomain: [0, 1],
      series: [series(h, 'acc', 'training', TRAIN), series(h, 'val_acc', 'validation', VALIDATION, true)],
    }));
  }
  const rates = new Set(h.map((e) => e.learningRate).filter((r) => r !== null));
  if (rates.size > 1) {
    charts.push(lineChart({ id: 'curve-lr', title: 'Learning rate per epoch', xLabel: 'epoch', yLabel: 'learning rate', integerX: true, xDomain: domain, series: [series(h, 'learningRate', 'learning rate', '#475569')] }));
  }
  return html`<section id="curves" data-epochs="${h.length}"><h2>Training curves</h2><div class="charts">${charts}</div></section>`;
}

/** Differences near float32 precision read best in scientific notation (3.50e-7). */
function diff(value: number | null): string {
  return value === null ? 'not compared' : value === 0 ? '0' : value.toExponential(2);
}

function verdict(p: NonNullable<ExportResult['parity']>): SafeHtml {
  if (p.skipped) return html`<span class="badge skipped">skipped</span> ${p.skipped}`;
  return p.passed ? html`<span class="badge pass">pass</span>` : html`<span class="badge fail">fail</span>`;
}

function exportsSection(f: ReportFacts): SafeHtml {
  if (f.exports.length === 0) {
    return html`<section id="exports"><h2>Export parity</h2><p class="muted">No exports recorded yet. Each export (tfjs, ONNX, Keras, Python) loads the exported model in its own runtime, predicts the validation inputs and records how close it came; the results appear here.</p></section>`;
  }
  const rows = f.exports.map((r) => {
    const p = r.parity;
    const compared = p !== null && p.skipped === null;
    return html`<tr data-format="${r.format}"><td><b>${r.format}</b></td><td>${p?.runtime ?? '—'}</td><td class="num">${compared ? count(p.samples) : '—'}</td>
      <td class="num">${compared ? diff(p.maxAbsDiff) : '—'}</td><td class="num">${compared ? percent(p.argmaxAgreement) : '—'}</td><td>${p ? verdict(p) : html`<span class="muted">no parity check</span>`}</td>
      <td class="nowrap">${when(r.at)}</td><td class="mono path">${r.path}</td></tr>`;
  });
  return html`<section id="exports"><h2>Export parity</h2>
    <p>Each export was loaded by the runtime that will consume it and given the run's validation inputs; it passes when the largest difference from Strata's outputs is below ${PARITY_TARGETS.maxAbsDiff} and every top class agrees.</p>
    <div class="scroll"><table class="parity"><thead><tr><th>Format</th><th>Runtime</th><th class="num">Samples</th><th class="num">Max |diff|</th><th class="num">Agreement</th><th>Result</th><th>When</th><th>Written to</th></tr></thead><tbody>${rows}</tbody></table></div></section>`;
}

/** The whole model card: one HTML document with everything inline. */
export function renderReport(f: ReportFacts): string {
  const record: RunRecord = f.record;
  const page = html`<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="Strata">
<title>${record.name ?? record.spec.config.name} — model card</title>
<style>${REPORT_CSS}</style></head>
<body><main>
${header(f)}
${trainingSection(f)}
${dataSection(record.data, f.health)}
${graphSection(f)}
${curvesSection(f)}
${evaluationSection(f.evaluation)}
${explanationSection(f.explanations)}
${exportsSection(f)}
<footer>Made by Strata from the run folder <span class="mono">${f.runDir}</span> on ${when(f.environment.generatedAt)}. Everything in this page is inline; it opens offline.</footer>
</main></body></html>
`;
  return page.value;
}
