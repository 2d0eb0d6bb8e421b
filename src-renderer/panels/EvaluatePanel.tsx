import { useEffect, useState } from 'react';
import type { ClassificationEvaluation, Evaluation, EvaluationSource } from '../../src-shared/contract/evaluation.ts';
import type { ExplainMethod } from '../../src-shared/contract/explanation.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';
import { ConfusionMatrix, PerClassTable, type Cell } from './ConfusionMatrix.tsx';
import { BinaryCurves, RegressionCharts } from './EvaluationCharts.tsx';
import { EvaluationExamples } from './EvaluationExamples.tsx';
import { usePathChooser } from './PathChooser.tsx';
import { RunPicker, useInspectedRun } from './RunPicker.tsx';

type SourceChoice = 'validation' | 'test' | 'data';

/**
 * How good is the model, and where does it fail? Evaluates a run on its validation or test
 * split or on another folder/CSV: accuracy, loss, top-k, per-class precision/recall/F1, a
 * confusion matrix whose cells open their examples (with saliency beside each image), ROC
 * and PR curves for two classes, and predicted-vs-actual with residuals for regression.
 */
export function EvaluatePanel() {
  const client = useClient();
  const chooser = usePathChooser();
  const { runId, runs, pick } = useInspectedRun();
  const [choice, setChoice] = useState<SourceChoice>('validation');
  const [dataPath, setDataPath] = useState<string | null>(null);
  const [evaluation, setEvaluation] = useState<Evaluation | null>(null);
  const [cell, setCell] = useState<Cell | null>(null);
  const [sortBy, setSortBy] = useState<'name' | 'precision' | 'recall' | 'f1' | 'support'>('name');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  // Another run: the old figures would be misleading.
  useEffect(() => { setEvaluation(null); setCell(null); setError(null); }, [runId]);

  const evaluate = async (source: EvaluationSource): Promise<void> => {
    if (!runId) return;
    setBusy(true);
    setError(null);
    setCell(null);
    try {
      setEvaluation(await client.invoke('evaluate.run', { runId, source }));
    } catch (e) {
      setEvaluation(null);
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const start = async (): Promise<void> => {
    if (choice !== 'data') return evaluate({ kind: 'split', split: choice });
    const path = dataPath ?? await chooser.choose({ title: 'Evaluate on another folder of images or a CSV', mode: 'data' });
    if (!path) return;
    setDataPath(path);
    return evaluate({ kind: 'data', path });
  };

  return (
    <div className="panel evaluate-panel" data-testid="panel-evaluate">
      <div className="panel-toolbar">
        <RunPicker runId={runId} runs={runs} onPick={pick} testId="evaluate-run" />
        <label>
          on
          <select value={choice} onChange={(e) => { setChoice(e.target.value as SourceChoice); setDataPath(null); }} data-testid="evaluate-source">
            <option value="validation">validation split</option>
            <option value="test">test split</option>
            <option value="data">other data…</option>
          </select>
        </label>
        {choice === 'data' && dataPath && <span className="mono muted" data-testid="evaluate-data-path" title={dataPath}>{dataPath}</span>}
        <button type="button" className="primary" onClick={() => void start()} disabled={!runId || busy} data-testid="btn-evaluate">
          {busy ? 'Evaluating…' : 'Evaluate'}
        </button>
        {choice === 'data' && dataPath && <button type="button" onClick={() => { setDataPath(null); }} disabled={busy}>Other data…</button>}
      </div>
      {!runId && <div className="panel-empty"><p>Train a run (or pick one in Runs) to evaluate it.</p></div>}
      {error && <div className="error-box" role="alert" data-testid="evaluate-error">{error}</div>}
      {evaluation && runId && (
        <div className="evaluation" data-testid="evaluation" data-task={evaluation.task}>
          <Summary evaluation={evaluation} />
          {evaluation.task === 'classification'
            ? (
              <>
                <div className="eval-grid">
                  <ConfusionMatrix evaluation={evaluation} picked={cell} onPick={setCell} />
                  <PerClassTable evaluation={evaluation} sortBy={sortBy} onSort={setSortBy} />
                </div>
                {evaluation.binary && <BinaryCurves binary={evaluation.binary} />}
                {cell
                  ? <EvaluationExamples runId={runId} source={evaluation.source} cell={cell} classes={evaluation.classes} method={mapMethod(evaluation)} />
                  : <p className="muted">Click a cell of the matrix to see its examples — off the diagonal are the mistakes.</p>}
              </>
            )
            : <RegressionCharts evaluation={evaluation} />}
        </div>
      )}
      {chooser.element}
    </div>
  );
}

/** Images get a map beside each example: Grad-CAM reads best at a glance. */
function mapMethod(evaluation: ClassificationEvaluation): ExplainMethod {
  return evaluation.dataKind === 'image-folder' ? 'gradcam' : 'vanilla';
}

function Summary({ evaluation }: { evaluation: Evaluation }) {
  const pct = (v: number): string => `${(v * 100).toFixed(2)} %`;
  return (
    <div className="eval-summary" data-testid="evaluation-summary">
      <span className="muted" data-testid="evaluation-source">{evaluation.sourceLine}</span>
      {evaluation.task === 'classification'
        ? (
          <dl className="eval-figures">
            <div><dt>accuracy</dt><dd data-testid="eval-accuracy" data-value={evaluation.accuracy}>{pct(evaluation.accuracy)}</dd></div>
            <div><dt>loss</dt><dd>{evaluation.loss.toFixed(4)}</dd></div>
            {evaluation.topK.filter((t) => t.k > 1).map((t) => <div key={t.k}><dt>top-{t.k}</dt><dd data-testid={`eval-top-${t.k}`}>{pct(t.accuracy)}</dd></div>)}
            <div><dt>macro F1</dt><dd>{evaluation.macroF1.toFixed(3)}</dd></div>
            <div><dt>samples</dt><dd>{evaluation.count}</dd></div>
          </dl>
        )
        : (
          <dl className="eval-figures">
            {evaluation.columns.map((c) => (
              <div key={c.name} data-testid={`eval-column-${c.name}`}><dt>{c.name}</dt><dd>MSE {c.mse.toPrecision(4)} · MAE {c.mae.toPrecision(4)} · R² {c.r2.toFixed(3)}</dd></div>
            ))}
            <div><dt>samples</dt><dd>{evaluation.count}</dd></div>
          </dl>
        )}
    </div>
  );
}
