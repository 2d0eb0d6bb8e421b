import { useEffect, useState } from 'react';
import { EXPLAIN_METHOD_TITLES, ExplainMethodSchema } from '../../src-shared/contract/explanation.ts';
import type { Saliency } from '../state/training-session.ts';

/**
 * Live saliency: how the model's attention on a few probe images formed, epoch by epoch.
 * The slider walks the epochs whose maps were computed; it follows the newest while it sits
 * at the end, and stays put once the user moves it back.
 */
export function SaliencyTimeline({ saliency, budget }: { saliency: Saliency[]; budget: number }) {
  const [picked, setPicked] = useState<number | null>(null); // null: follow the newest
  const [method, setMethod] = useState<string | null>(null);
  const latest = saliency.length - 1;
  const at = picked === null ? latest : Math.min(picked, latest);
  useEffect(() => { if (saliency.length === 0) setPicked(null); }, [saliency.length]);
  const frame = saliency[at];
  if (!frame) return null;
  const methods = Object.keys(frame.probes[0]?.maps ?? {});
  const shown = method && methods.includes(method) ? method : methods[0]!;
  const last = saliency[latest]!;
  const title = (m: string): string => { const r = ExplainMethodSchema.safeParse(m); return r.success ? EXPLAIN_METHOD_TITLES[r.data] : m; };
  return (
    <figure className="chart saliency-timeline" data-testid="saliency-timeline" data-epochs={saliency.map((s) => s.epoch).join(',')}>
      <figcaption>
        <span>Attention, epoch <b data-testid="saliency-epoch">{frame.epoch}</b></span>
        <span className="chart-latest" data-testid="saliency-cost"
          title="Probe maps are computed at epoch ends only while their total time stays under the budget; the epochs in between are skipped.">
          {pct(last.share)} of training time (budget {pct(budget)}) · {saliency.length} epoch{saliency.length === 1 ? '' : 's'}
        </span>
      </figcaption>
      <div className="saliency-controls">
        <input type="range" min={0} max={latest} step={1} value={at} aria-label="Epoch" data-testid="saliency-slider"
          onChange={(e) => { const v = Number(e.target.value); setPicked(v === latest ? null : v); }} />
        <select value={shown} onChange={(e) => setMethod(e.target.value)} data-testid="saliency-method" aria-label="Map">
          {methods.map((m) => <option key={m} value={m}>{title(m)}</option>)}
        </select>
      </div>
      <div className="saliency-probes">
        {frame.probes.map((p) => (
          <div key={p.id} className="saliency-probe" data-testid="saliency-probe" title={p.id}>
            <img src={p.maps[shown] ?? p.image} alt={`${title(shown)} of ${p.id} at epoch ${frame.epoch}`} />
            <span className={p.label !== null && p.label !== p.predicted ? 'is-wrong' : ''}>
              {p.label !== null ? `${p.label} → ` : ''}{p.predicted} {Math.round(p.confidence * 100)}%
            </span>
          </div>
        ))}
      </div>
    </figure>
  );
}

function pct(share: number): string {
  return `${(share * 100).toFixed(share < 0.1 ? 1 : 0)} %`;
}
