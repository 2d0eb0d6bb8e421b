import type { ClassificationEvaluation, RegressionEvaluation } from '../../../../src-shared/contract/evaluation.ts';
import { EXPLAIN_METHOD_TITLES, type NonImageAttribution } from '../../../../src-shared/contract/explanation.ts';
import { cards } from './report-blocks.ts';
import { count, fmt, html, percent, pngSrc, sig, type SafeHtml } from './html.ts';
import type { EvaluationFacts, ExplanationFacts } from './report-facts.ts';
import { histogramChart, lineChart, scatterChart } from './svg-charts.ts';

/** confusion[actual][predicted] as a table; a cell's shade is its share of the actual class. */
function confusionTable(e: ClassificationEvaluation): SafeHtml {
  // Long class names stand upright so the matrix stays square; short ones read better flat.
  const upright = e.classes.some((c) => c.length > 4);
  const head = html`<tr><th></th>${e.classes.map((c) => html`<th class="pred${upright ? ' upright' : ''}">${c}</th>`)}</tr>`;
  const rows = e.confusion.map((row, a) => {
    const total = row.reduce((s, n) => s + n, 0) || 1;
    return html`<tr><th>${e.classes[a] ?? String(a)}</th>${row.map((n, p) => {
      const share = n / total;
      // Dark cells take light text so the count stays readable.
      const tone = `${a === p ? 'hit' : 'miss'}${share > 0.55 ? ' strong' : ''}`;
      return html`<td class="${tone}" data-actual="${a}" data-predicted="${p}" style="--share:${share.toFixed(3)}">${count(n)}</td>`;
    })}</tr>`;
  });
  return html`<p class="muted small">Rows: the actual class; columns: the predicted class. The diagonal is right.</p><div class="scroll"><table class="confusion">${head}${rows}</table></div>`;
}

function classification(e: ClassificationEvaluation): SafeHtml {
  const figures = cards([
    ['Accuracy', percent(e.accuracy)], ['Loss', fmt(e.loss, 4), 'mean cross-entropy'], ['Macro F1', fmt(e.macroF1, 3)],
    ...e.topK.filter((t) => t.k > 1).map((t): [string, string] => [`Top-${t.k} accuracy`, percent(t.accuracy)]),
    ...(e.binary ? [['ROC AUC', fmt(e.binary.auc, 3), `positive class ${e.binary.positiveClass}`] as const] : []),
  ]);
  const perClass = html`<table class="per-class"><thead><tr><th>Class</th><th class="num">Precision</th><th class="num">Recall</th><th class="num">F1</th><th class="num">Support</th></tr></thead>
    <tbody>${e.perClass.map((c) => html`<tr><td>${c.name}</td><td class="num">${fmt(c.precision)}</td><td class="num">${fmt(c.recall)}</td><td class="num">${fmt(c.f1)}</td><td class="num">${count(c.support)}</td></tr>`)}</tbody></table>`;
  const binary = e.binary && html`<div class="charts">
    ${lineChart({ title: `ROC for "${e.binary.positiveClass}" (AUC ${fmt(e.binary.auc)})`, xLabel: 'false positive rate', yLabel: 'true positive rate', xDomain: [0, 1], yDomain: [0, 1], markers: false,
      series: [{ id: 'roc', name: 'ROC', color: '#2563eb', points: e.binary.roc.map((p) => ({ x: p.x, y: p.y })) }] })}
    ${lineChart({ title: `Precision–recall for "${e.binary.positiveClass}" (AP ${fmt(e.binary.averagePrecision)})`, xLabel: 'recall', yLabel: 'precision', xDomain: [0, 1], yDomain: [0, 1], markers: false,
      series: [{ id: 'pr', name: 'precision–recall', color: '#c2410c', points: e.binary.pr.map((p) => ({ x: p.x, y: p.y })) }] })}</div>`;
  return html`<p>Evaluated on: ${e.sourceLine}.</p>${figures}<div class="two${e.classes.length > 12 ? ' stack-in-print' : ''}"><div><h3>Per class</h3>${perClass}</div><div><h3>Confusion matrix</h3>${confusionTable(e)}</div></div>${binary}`;
}

function regression(e: RegressionEvaluation): SafeHtml {
  const columns = html`<table class="per-column"><thead><tr><th>Target</th><th class="num">MSE</th><th class="num">RMSE</th><th class="num">MAE</th><th class="num">R²</th></tr></thead>
    <tbody>${e.columns.map((c) => html`<tr><td>${c.name}</td><td class="num">${sig(c.mse)}</td><td class="num">${sig(Math.sqrt(c.mse))}</td><td class="num">${sig(c.mae)}</td><td class="num">${fmt(c.r2, 4)}</td></tr>`)}</tbody></table>`;
  const first = e.columns[0]?.name ?? 'target';
  const main = e.columns[0];
  const figures = main ? cards([['R²', fmt(main.r2, 3), main.name], ['RMSE', sig(Math.sqrt(main.mse)), `in ${main.name}'s units`], ['MAE', sig(main.mae), `in ${main.name}'s units`]]) : '';
  return html`<p>Evaluated on: ${e.sourceLine}.</p>${figures}${columns}
    <div class="charts">${scatterChart({ title: `Predicted vs actual ${first} (the line is a perfect model)`, xLabel: `actual ${first}`, yLabel: `predicted ${first}`, points: e.points.map((p) => ({ x: p.actual, y: p.predicted })) })}
    ${histogramChart({ title: 'Residuals (predicted − actual)', xLabel: `residual (${first})`, bins: e.residualHistogram })}</div>`;
}

export function evaluationSection(facts: EvaluationFacts): SafeHtml {
  const body = facts.kind === 'unavailable'
    ? html`<p class="notice">${facts.message}</p>`
    : html`${facts.note ? html`<p class="notice">${facts.note}</p>` : ''}${facts.evaluation.task === 'classification' ? classification(facts.evaluation) : regression(facts.evaluation)}`;
  return html`<section id="evaluation"><h2>Evaluation</h2>${body}</section>`;
}

/** A CSV number written with float noise (1.786223278613761) reads better as 1.78622. */
function shortValue(value: string): string {
  const n = Number(value);
  return value.trim() !== '' && Number.isFinite(n) && value.length > 8 ? String(Number(n.toPrecision(6))) : value;
}

/** One bar per feature, or the text with each token shaded by its attribution. */
function attributionView(a: NonImageAttribution): SafeHtml {
  if (a.kind === 'tokens') {
    const max = Math.max(1e-12, ...a.tokens.map((t) => Math.abs(t.attribution)));
    return html`<p class="tokens">${a.tokens.map((t) => html`<span class="${t.attribution >= 0 ? 'pos' : 'neg'}${t.known ? '' : ' unknown'}" style="--w:${(Math.abs(t.attribution) / max).toFixed(3)}" title="${sig(t.attribution)}">${t.token}</span> `)}</p>`;
  }
  const max = Math.max(1e-12, ...a.features.map((f) => Math.abs(f.attribution)));
  const sorted = [...a.features].sort((x, y) => Math.abs(y.attribution) - Math.abs(x.attribution));
  return html`<table class="attribution"><tbody>${sorted.map((f) => html`<tr><td>${f.name}</td><td class="mono">${shortValue(f.value)}</td>
    <td class="bar-cell signed"><span class="bar ${f.attribution >= 0 ? 'pos' : 'neg'}" style="width:${((Math.abs(f.attribution) / max) * 50).toFixed(1)}%"></span></td><td class="num">${sig(f.attribution)}</td></tr>`)}</tbody></table>`;
}

export function explanationSection(facts: ExplanationFacts): SafeHtml {
  let body: SafeHtml;
  if (facts.kind === 'unavailable') {
    body = html`<p class="notice">${facts.message}</p>`;
  } else if (facts.kind === 'images') {
    const how = facts.method === 'gradcam'
      ? `Grad-CAM on ${facts.layer ?? 'the last convolution'}: where the last convolution's evidence for the predicted class lies.`
      : `${EXPLAIN_METHOD_TITLES[facts.method]} saliency (the network has no convolution for Grad-CAM): which pixels change the predicted class's score most.`;
    body = html`<p>${how} Validation images, one per class first.</p><div class="saliency">${facts.items.map((x) => html`<figure class="${x.actual === null || x.actual === x.predicted ? 'right' : 'wrong'}">
      <div class="pair"><img src="${pngSrc(x.input)}" alt="input ${x.id}"><img src="${pngSrc(x.overlay)}" alt="${EXPLAIN_METHOD_TITLES[facts.method]} of ${x.id}"></div>
      <figcaption><span class="mono">${x.id}</span><br>true <b>${x.actual ?? '?'}</b> · predicted <b>${x.predicted}</b> (${percent(x.confidence, 0)})</figcaption></figure>`)}</div>`;
  } else {
    body = html`<p>Integrated Gradients on validation samples: how much each input moved the prediction away from a neutral input (blue raises, red lowers it).</p>
      <div class="attributions">${facts.items.map((x) => html`<div class="attr-sample"><h4><span class="mono">${x.id}</span> — predicted <b>${x.predicted}</b>${x.actual ? html`, true <b>${x.actual}</b>` : ''}</h4>${attributionView(x.attribution)}</div>`)}</div>`;
  }
  return html`<section id="explanations"><h2>Explanations</h2>${body}</section>`;
}
