import { useEffect, useState } from 'react';
import type { CommandArgs, CommandResult, Explanation } from '../../src-shared/contract/commands.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';
import { useTrainingSession } from '../state/app-context.tsx';
import { usePathChooser } from './PathChooser.tsx';
import { topProbabilities } from './explain-view.ts';

type Sample = CommandResult<'run.samples'>[number];
type ExplainInput = CommandArgs<'explain.run'>['input'];
const METHODS = ['vanilla', 'gradcam'] as const;
const METHOD_TITLES: Record<string, string> = { vanilla: 'Saliency (gradients)', gradcam: 'Grad-CAM' };

/**
 * Why did the model say that? Pick a validation sample (or any image file), and see the
 * prediction, the top probabilities and each saliency map over the input, with a slider
 * that fades the heat map so the picture underneath stays readable.
 */
export function ExplainPanel() {
  const client = useClient();
  const runId = useTrainingSession((s) => s.runId);
  const checkpoint = useTrainingSession((s) => s.checkpointEpoch);
  const chooser = usePathChooser();
  const ready = runId !== null && checkpoint > 0;
  const [samples, setSamples] = useState<Sample[] | null>(null);
  const [picked, setPicked] = useState<ExplainInput | null>(null);
  const [result, setResult] = useState<Explanation | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [opacity, setOpacity] = useState(0.7);

  // Samples come from the run's validation split; reload them when a new run has weights.
  useEffect(() => {
    if (!ready || !runId) return;
    let alive = true;
    setSamples(null);
    setResult(null);
    client.invoke('run.samples', { runId, count: 12 }).then(
      (s) => { if (alive) setSamples(s); },
      (e: unknown) => { if (alive) setError(errorMessage(e)); },
    );
    return () => { alive = false; };
  }, [client, ready, runId]);

  const explain = async (input: ExplainInput): Promise<void> => {
    if (!runId) return;
    setPicked(input);
    setBusy(true);
    setError(null);
    try {
      setResult(await client.invoke('explain.run', { runId, input, methods: [...METHODS] }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  const chooseFile = async (): Promise<void> => {
    const path = await chooser.choose({ title: 'Explain an image file', mode: 'file' });
    if (path) await explain({ kind: 'file', path });
  };

  if (!ready) {
    return (
      <div className="panel explain-panel" data-testid="panel-explain">
        <div className="panel-empty" data-testid="explain-unavailable">
          <p>Explanations need trained weights: train for at least one epoch, then pick an image here.</p>
        </div>
      </div>
    );
  }

  return (
    <div className="panel explain-panel" data-testid="panel-explain">
      <section className="explain-pick">
        <h3>Validation samples</h3>
        {!samples && !error && <p className="muted">Loading samples…</p>}
        <ul className="sample-grid">
          {samples?.map((s) => (
            <li key={s.index}>
              <button
                type="button" className={`sample${picked?.kind === 'sample' && picked.index === s.index ? ' is-picked' : ''}`}
                onClick={() => void explain({ kind: 'sample', index: s.index })} disabled={busy}
                data-testid={`sample-${s.index}`} title={`sample ${s.index}: ${s.label}`}
              >
                <img src={s.thumbnail} alt={s.label} />
                <span>{s.label}</span>
              </button>
            </li>
          ))}
        </ul>
        <button type="button" onClick={() => void chooseFile()} disabled={busy} data-testid="btn-explain-file">Explain an image file…</button>
      </section>
      <section className="explain-result">
        {error && <div className="error-box" role="alert" data-testid="explain-error">{error}</div>}
        {busy && <p className="muted"><span className="spinner" /> Computing saliency…</p>}
        {!result && !busy && !error && <div className="panel-empty"><p>Pick a sample to see what the model looks at.</p></div>}
        {result && <ExplanationView result={result} opacity={opacity} onOpacity={setOpacity} />}
      </section>
      {chooser.element}
    </div>
  );
}

function ExplanationView({ result, opacity, onOpacity }: { result: Explanation; opacity: number; onOpacity(v: number): void }) {
  const correct = result.actual === null ? null : result.actual === result.predicted;
  return (
    <div className="explanation" data-testid="explanation">
      <div className="explain-summary">
        <div className="verdict">
          <div>Predicted <b data-testid="explain-predicted">{result.predicted}</b></div>
          {result.actual !== null && (
            <div>Actual <b data-testid="explain-actual">{result.actual}</b>{' '}
              <span className={correct ? 'ok-text' : 'bad-text'}>{correct ? '✓ correct' : '✗ wrong'}</span>
            </div>
          )}
        </div>
        <ul className="prob-bars" data-testid="explain-probabilities">
          {topProbabilities(result, 5).map((p) => (
            <li key={p.name} className={p.name === result.predicted ? 'is-top' : ''} data-testid={`prob-${p.name}`}>
              <span className="prob-name">{p.name}</span>
              <span className="prob-bar"><span style={{ width: `${Math.max(1, p.p * 100)}%` }} /></span>
              <span className="prob-value">{(p.p * 100).toFixed(1)} %</span>
            </li>
          ))}
        </ul>
        <label className="opacity-row">
          Overlay
          <input type="range" min={0} max={1} step={0.05} value={opacity} onChange={(e) => onOpacity(Number(e.target.value))} data-testid="explain-opacity" />
          <span className="mono">{Math.round(opacity * 100)}%</span>
        </label>
      </div>
      <div className="saliency-row" style={{ gridTemplateColumns: `repeat(${1 + Object.keys(result.maps).length}, minmax(0, 168px))` }}>
        <figure className="saliency">
          <img src={result.image} alt="input" />
          <figcaption>Input</figcaption>
        </figure>
        {Object.entries(result.maps).map(([method, map]) => (
          <figure key={method} className="saliency" data-testid={`saliency-${method}`}>
            <div className="saliency-stack">
              <img src={result.image} alt="" />
              <img src={map} alt={`${method} map`} className="saliency-overlay" style={{ opacity }} />
            </div>
            <figcaption>{METHOD_TITLES[method] ?? method}{method === 'gradcam' && result.gradcamLayer ? ` · ${result.gradcamLayer}` : ''}</figcaption>
          </figure>
        ))}
      </div>
    </div>
  );
}
