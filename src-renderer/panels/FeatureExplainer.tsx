import { useState, type ReactNode } from 'react';
import type { CommandArgs } from '../../src-shared/contract/commands.ts';
import type { FeatureExplanation } from '../../src-shared/contract/explanation.ts';
import type { RunSummary } from '../../src-shared/contract/run-record.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';
import type { Sample } from './ExplainPanel.tsx';

type FeatureInput = CommandArgs<'explain.features'>['input'];

/**
 * Table and text runs: Integrated Gradients of the predicted class (or the predicted value)
 * as one signed bar per column, or as the text with each token shaded by its weight —
 * green pushes toward the prediction, red away from it.
 */
export function FeatureExplainer({ runId, run, samples, samplesError, toolbar }: {
  runId: string; run: RunSummary; samples: Sample[] | null; samplesError: string | null; toolbar: ReactNode;
}) {
  const client = useClient();
  const [picked, setPicked] = useState<number | null>(null);
  const [typed, setTyped] = useState('');
  const [result, setResult] = useState<FeatureExplanation | null>(null);
  const [error, setError] = useState<string | null>(samplesError);
  const [busy, setBusy] = useState(false);
  const isText = run.dataKind === 'text';

  const explain = async (input: FeatureInput): Promise<void> => {
    setBusy(true);
    setError(null);
    try {
      setResult(await client.invoke('explain.features', { runId, input }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="panel explain-panel" data-testid="panel-explain">
      <section className="explain-pick">
        {toolbar}
        <h3>Validation samples</h3>
        {!samples && !samplesError && <p className="muted">Loading samples…</p>}
        <ul className="text-samples">
          {samples?.map((s) => (
            <li key={s.index}>
              <button type="button" className={`text-sample${picked === s.index ? ' is-picked' : ''}`} disabled={busy}
                onClick={() => { setPicked(s.index); void explain({ kind: 'sample', index: s.index, split: 'validation' }); }}
                data-testid={`sample-${s.index}`} title={s.text ?? s.id}>
                <b>{s.label}</b> <span>{s.text ?? s.id}</span>
              </button>
            </li>
          ))}
        </ul>
        {isText && (
          <form className="explain-typed" onSubmit={(e) => { e.preventDefault(); if (typed.trim()) { setPicked(null); void explain({ kind: 'text', text: typed }); } }}>
            <textarea value={typed} onChange={(e) => setTyped(e.target.value)} rows={3} placeholder="Or type a text to explain…" data-testid="explain-text-input" />
            <button type="submit" disabled={busy || !typed.trim()} data-testid="btn-explain-text">Explain this text</button>
          </form>
        )}
      </section>
      <section className="explain-result">
        {error && <div className="error-box" role="alert" data-testid="explain-error">{error}</div>}
        {busy && <p className="muted"><span className="spinner" /> Integrated Gradients…</p>}
        {!result && !busy && !error && <div className="panel-empty"><p>Pick a sample to see which {isText ? 'words' : 'columns'} drove the prediction.</p></div>}
        {result && (
          <div className="feature-explanation" data-testid="explanation">
            <div className="feature-verdict">Predicted <b data-testid="explain-predicted">{result.predicted}</b>
              {result.classes.length > 0 && <span className="muted"> · {(Math.max(...result.probabilities) * 100).toFixed(1)} %</span>}
            </div>
            {result.attribution.kind === 'features' ? <FeatureBars features={result.attribution.features} /> : <TokenText tokens={result.attribution.tokens} />}
            <p className="muted">
              Integrated Gradients from a neutral baseline ({result.attribution.kind === 'features' ? 'the training mean' : 'a text of padding'}): the
              {result.attribution.kind === 'features' ? ' bars' : ' weights'} add up to how far this input moves the score from the baseline's.
            </p>
          </div>
        )}
      </section>
    </div>
  );
}

function FeatureBars({ features }: { features: Array<{ name: string; value: string; attribution: number }> }) {
  const sorted = [...features].sort((a, b) => Math.abs(b.attribution) - Math.abs(a.attribution));
  const max = Math.max(1e-12, ...sorted.map((f) => Math.abs(f.attribution)));
  return (
    <ul className="feature-bars" data-testid="feature-bars">
      {sorted.map((f) => (
        <li key={f.name} data-testid={`feature-${f.name}`} data-attribution={f.attribution}>
          <span className="feature-name" title={f.name}>{f.name}</span>
          <span className="feature-value mono" title={f.value}>{f.value}</span>
          <span className="feature-bar">
            <span className={f.attribution >= 0 ? 'is-positive' : 'is-negative'} style={{ width: `${(Math.abs(f.attribution) / max) * 50}%`, [f.attribution >= 0 ? 'left' : 'right']: '50%' }} />
          </span>
          <span className="num">{f.attribution >= 0 ? '+' : ''}{f.attribution.toFixed(3)}</span>
        </li>
      ))}
    </ul>
  );
}

function TokenText({ tokens }: { tokens: Array<{ token: string; attribution: number; known: boolean }> }) {
  const max = Math.max(1e-12, ...tokens.map((t) => Math.abs(t.attribution)));
  return (
    <p className="token-text" data-testid="token-text">
      {tokens.map((t, i) => {
        const a = t.attribution / max;
        const bg = a >= 0 ? `rgba(87, 199, 133, ${Math.abs(a) * 0.85})` : `rgba(224, 93, 111, ${Math.abs(a) * 0.85})`;
        return (
          <span key={i} className={`token${t.known ? '' : ' is-unknown'}`} style={{ background: bg }}
            title={`${t.attribution >= 0 ? '+' : ''}${t.attribution.toFixed(4)}${t.known ? '' : ' (not in the vocabulary)'}`} data-testid="token" data-attribution={t.attribution}>
            {t.token}
          </span>
        );
      })}
    </p>
  );
}
