import { useEffect, useState } from 'react';
import type { EvaluationExample, EvaluationSource } from '../../src-shared/contract/evaluation.ts';
import { EXPLAIN_METHOD_TITLES, type ExplainMethod } from '../../src-shared/contract/explanation.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';
import type { Cell } from './ConfusionMatrix.tsx';

/**
 * The samples behind one confusion-matrix cell, most confident first: each with its
 * probabilities and — for images — a saliency map beside it, so a mistake can be read at a
 * glance ("it looked at the background"). Maps load one after another, after the cards.
 */
export function EvaluationExamples({ runId, source, cell, classes, method }: {
  runId: string; source: EvaluationSource; cell: Cell; classes: string[]; method: ExplainMethod;
}) {
  const client = useClient();
  const [examples, setExamples] = useState<EvaluationExample[] | null>(null);
  const [maps, setMaps] = useState<Record<number, string>>({});
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let alive = true;
    setExamples(null);
    setMaps({});
    setError(null);
    (async () => {
      const list = await client.invoke('evaluate.examples', { runId, source, actual: cell.actual, predicted: cell.predicted, limit: 24 });
      if (!alive) return;
      setExamples(list);
      for (const ex of list) {
        if (!alive || !ex.file) continue;
        try {
          const r = await client.invoke('explain.run', { runId, input: { kind: 'file', path: ex.file }, methods: [method] });
          if (alive && r.maps[method]) setMaps((m) => ({ ...m, [ex.index]: r.maps[method]! }));
        } catch {
          // A map that cannot be computed leaves its card without one; the probabilities still tell.
        }
      }
    })().catch((e: unknown) => { if (alive) setError(errorMessage(e)); });
    return () => { alive = false; };
  }, [client, runId, source, cell.actual, cell.predicted, method]);

  const title = cell.actual === cell.predicted
    ? `${classes[cell.actual]} recognised correctly`
    : `${classes[cell.actual]} mistaken for ${classes[cell.predicted]}`;
  return (
    <section className="eval-examples" data-testid="eval-examples">
      <h3>{title} <span className="muted">· {examples ? `${examples.length} shown, most confident first` : 'loading…'}{examples?.some((e) => e.file) ? ` · ${EXPLAIN_METHOD_TITLES[method]} beside each` : ''}</span></h3>
      {error && <div className="error-box" role="alert" data-testid="eval-examples-error">{error}</div>}
      <ul className="example-grid">
        {examples?.map((ex) => (
          <li key={ex.index} className="example-card" data-testid={`eval-example-${ex.index}`} title={ex.id}>
            {ex.preview.kind === 'image'
              ? (
                <div className="example-images">
                  <img src={ex.preview.image} alt={ex.id} />
                  {maps[ex.index]
                    ? (
                      <div className="saliency-stack" data-testid="eval-example-map">
                        <img src={ex.preview.image} alt="" />
                        <img src={maps[ex.index]} alt={`${method} map of ${ex.id}`} className="saliency-overlay" style={{ opacity: 0.75 }} />
                      </div>
                    )
                    : ex.file ? <div className="map-pending" /> : null}
                </div>
              )
              : <p className="example-text">{ex.preview.text}</p>}
            <div className="example-caption">
              <span className="mono">{ex.id}</span>
              <ProbabilityList probabilities={ex.probabilities} classes={classes} actual={ex.actual} />
            </div>
          </li>
        ))}
      </ul>
    </section>
  );
}

function ProbabilityList({ probabilities, classes, actual }: { probabilities: number[]; classes: string[]; actual: string }) {
  const top = probabilities.map((p, i) => ({ name: classes[i]!, p })).sort((a, b) => b.p - a.p).slice(0, 3);
  return (
    <ul className="example-probs">
      {top.map((t) => (
        <li key={t.name} className={t.name === actual ? 'is-actual' : ''}>
          <span>{t.name}</span><span className="prob-bar"><span style={{ width: `${Math.max(1, t.p * 100)}%` }} /></span><span className="num">{(t.p * 100).toFixed(1)}%</span>
        </li>
      ))}
    </ul>
  );
}
