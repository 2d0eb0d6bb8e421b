import { useState, type ReactNode } from 'react';
import type { CommandArgs } from '../../src-shared/contract/commands.ts';
import {
  BaselineSchema, EXPLAIN_METHOD_TITLES, ExplainMethodSchema, ExplainOptionsSchema,
  type ExplainMethod, type ExplainOptions, type Explanation, type SanityCheck,
} from '../../src-shared/contract/explanation.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';
import { useAppStores, useEditor } from '../state/app-context.tsx';
import { NumberBox } from './data-controls.tsx';
import type { Sample } from './ExplainPanel.tsx';
import { topProbabilities } from './explain-view.ts';
import { usePathChooser } from './PathChooser.tsx';

type ExplainInput = CommandArgs<'explain.run'>['input'];
const METHODS = ExplainMethodSchema.options;

/**
 * The image side of Explain: a validation sample or any image file, the chosen methods'
 * maps side by side over it (one opacity slider for all), each with its time on the engine
 * and a "check" that compares it with the map of a randomised model. A sample can be
 * pinned as a live-saliency probe for the next training run.
 */
export function ImageExplainer({ runId, samples, samplesError, toolbar, classification }: {
  runId: string; samples: Sample[] | null; samplesError: string | null; toolbar: ReactNode; classification: boolean;
}) {
  const client = useClient();
  const chooser = usePathChooser();
  const { editor } = useAppStores();
  const probes = useEditor((s) => s.training.liveSaliency.probes);
  const [methods, setMethods] = useState<ExplainMethod[]>([...METHODS]);
  const [options, setOptions] = useState<ExplainOptions>(() => ExplainOptionsSchema.parse({}));
  const [picked, setPicked] = useState<{ input: ExplainInput; id: string | null } | null>(null);
  const [result, setResult] = useState<Explanation | null>(null);
  const [checks, setChecks] = useState<Record<string, SanityCheck | 'running' | string>>({});
  const [error, setError] = useState<string | null>(samplesError);
  const [busy, setBusy] = useState(false);
  const [opacity, setOpacity] = useState(0.7);

  const explain = async (input: ExplainInput, id: string | null, chosen = methods, opts = options): Promise<void> => {
    setPicked({ input, id });
    setBusy(true);
    setError(null);
    setChecks({});
    try {
      setResult(await client.invoke('explain.run', { runId, input, methods: chosen, options: opts }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const check = async (method: ExplainMethod): Promise<void> => {
    if (!picked) return;
    setChecks((c) => ({ ...c, [method]: 'running' }));
    try {
      const r = await client.invoke('explain.sanity', { runId, input: picked.input, method, options });
      setChecks((c) => ({ ...c, [method]: r }));
    } catch (e) {
      setChecks((c) => ({ ...c, [method]: errorMessage(e) }));
    }
  };
  const chooseFile = async (): Promise<void> => {
    const path = await chooser.choose({ title: 'Explain an image file', mode: 'file' });
    if (path) await explain({ kind: 'file', path }, null);
  };
  const toggle = (m: ExplainMethod): void => setMethods((ms) => (ms.includes(m) ? (ms.length > 1 ? ms.filter((x) => x !== m) : ms) : METHODS.filter((x) => ms.includes(x) || x === m)));
  const pinned = picked?.id ? probes.includes(picked.id) : false;

  if (!classification) {
    return <div className="panel" data-testid="panel-explain">{toolbar}<p className="muted">Saliency maps explain a class; this image run predicts numbers (regression). Evaluate it instead.</p></div>;
  }
  return (
    <div className="panel explain-panel" data-testid="panel-explain">
      <section className="explain-pick">
        {toolbar}
        <h3>Validation samples</h3>
        {!samples && !samplesError && <p className="muted">Loading samples…</p>}
        <ul className="sample-grid">
          {samples?.map((s) => (
            <li key={s.index}>
              <button
                type="button" className={`sample${picked?.input.kind === 'sample' && picked.input.index === s.index ? ' is-picked' : ''}`}
                onClick={() => void explain({ kind: 'sample', index: s.index }, s.id ?? null)} disabled={busy}
                data-testid={`sample-${s.index}`} title={`sample ${s.index}: ${s.label}`}
              >
                <img src={s.thumbnail} alt={s.label} />
                <span>{s.label}</span>
              </button>
            </li>
          ))}
        </ul>
        <button type="button" onClick={() => void chooseFile()} disabled={busy} data-testid="btn-explain-file">Explain an image file…</button>
        <MethodSettings methods={methods} onToggle={toggle} options={options} onOptions={setOptions} convLayers={result?.convLayers ?? []} />
        <button type="button" className="primary" disabled={!picked || busy} onClick={() => { if (picked) void explain(picked.input, picked.id); }} data-testid="btn-explain-again">
          Explain again with these settings
        </button>
      </section>
      <section className="explain-result">
        {error && <div className="error-box" role="alert" data-testid="explain-error">{error}</div>}
        {busy && <p className="muted"><span className="spinner" /> Computing {methods.length} map{methods.length === 1 ? '' : 's'}…</p>}
        {!result && !busy && !error && <div className="panel-empty"><p>Pick a sample to see what the model looks at.</p></div>}
        {result && (
          <div className="explanation" data-testid="explanation">
            <div className="explain-summary">
              <Verdict result={result} />
              <label className="opacity-row">
                Overlay
                <input type="range" min={0} max={1} step={0.05} value={opacity} onChange={(e) => setOpacity(Number(e.target.value))} data-testid="explain-opacity" />
                <span className="mono">{Math.round(opacity * 100)}%</span>
              </label>
              {picked?.id && (
                <button type="button" disabled={pinned || probes.length >= 8} data-testid="btn-pin-probe"
                  title="Watch this image's Grad-CAM and saliency form while the next run trains"
                  onClick={() => editor.setTraining({ liveSaliency: { ...editor.get().training.liveSaliency, enabled: true, probes: [...probes, picked.id!] } })}>
                  {pinned ? '✓ pinned as a live probe' : 'Pin as live-saliency probe'}
                </button>
              )}
            </div>
            <div className="saliency-row is-wrapping">
              <figure className="saliency">
                <img src={result.image} alt="input" />
                <figcaption>Input</figcaption>
              </figure>
              {Object.entries(result.maps).map(([method, map]) => (
                <MapFigure key={method} method={method as ExplainMethod} image={result.image} map={map} opacity={opacity}
                  ms={result.timings[method] ?? null} layer={method === 'gradcam' ? result.gradcamLayer : null}
                  check={checks[method]} onCheck={() => void check(method as ExplainMethod)} />
              ))}
            </div>
          </div>
        )}
      </section>
      {chooser.element}
    </div>
  );
}

function Verdict({ result }: { result: Explanation }) {
  const correct = result.actual === null ? null : result.actual === result.predicted;
  return (
    <>
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
    </>
  );
}

function MapFigure({ method, image, map, opacity, ms, layer, check, onCheck }: {
  method: ExplainMethod; image: string; map: string; opacity: number; ms: number | null; layer: string | null;
  check: SanityCheck | 'running' | string | undefined; onCheck(): void;
}) {
  return (
    <figure className="saliency" data-testid={`saliency-${method}`}>
      <div className="saliency-stack">
        <img src={image} alt="" />
        <img src={map} alt={`${method} map`} className="saliency-overlay" style={{ opacity }} />
      </div>
      <figcaption>
        {EXPLAIN_METHOD_TITLES[method]}{layer ? ` · ${layer}` : ''}
        {ms !== null && <span className="muted" data-testid={`saliency-ms-${method}`}> · {ms < 10 ? ms.toFixed(1) : Math.round(ms)} ms</span>}
      </figcaption>
      {check === undefined && <button type="button" className="link-button" onClick={onCheck} data-testid={`btn-check-${method}`}>check this explanation</button>}
      {check === 'running' && <span className="muted"><span className="spinner" /> randomising the model…</span>}
      {typeof check === 'string' && check !== 'running' && <span className="bad-text">{check}</span>}
      {typeof check === 'object' && (
        <div className={`sanity ${check.passed ? 'is-passed' : 'is-failed'}`} data-testid={`sanity-${method}`} data-passed={check.passed} title={check.verdict}>
          <img src={check.randomisedMap} alt={`${method} map of a randomised model`} />
          <span>{check.passed ? '✓' : '✗'} ρ = {check.rankCorrelation.toFixed(2)} vs random weights</span>
        </div>
      )}
    </figure>
  );
}

/** Which methods to compute, and each one's settings. */
function MethodSettings({ methods, onToggle, options, onOptions, convLayers }: {
  methods: ExplainMethod[]; onToggle(m: ExplainMethod): void; options: ExplainOptions; onOptions(o: ExplainOptions): void; convLayers: string[];
}) {
  const set = <K extends keyof ExplainOptions>(key: K, patch: Partial<ExplainOptions[K]>): void => onOptions({ ...options, [key]: { ...options[key], ...patch } });
  return (
    <div className="method-settings" data-testid="explain-methods">
      {METHODS.map((m) => (
        <div key={m} className="method-row">
          <label className="check-row"><input type="checkbox" checked={methods.includes(m)} onChange={() => onToggle(m)} data-testid={`method-${m}`} />{EXPLAIN_METHOD_TITLES[m]}</label>
          {m === 'smoothgrad' && methods.includes(m) && (
            <span className="method-options">
              N <NumberBox id="sg-samples" testId="opt-sg-samples" value={options.smoothgrad.samples} min={1} max={200} onValue={(samples) => set('smoothgrad', { samples })} />
              σ <NumberBox id="sg-sigma" testId="opt-sg-sigma" value={options.smoothgrad.sigma} min={0} max={1} step={0.05} onValue={(sigma) => set('smoothgrad', { sigma })} />
            </span>
          )}
          {m === 'integrated-gradients' && methods.includes(m) && (
            <span className="method-options">
              steps <NumberBox id="ig-steps" testId="opt-ig-steps" value={options.integratedGradients.steps} min={1} max={300} onValue={(steps) => set('integratedGradients', { steps })} />
              <select aria-label="Baseline" value={options.integratedGradients.baseline} data-testid="opt-ig-baseline"
                onChange={(e) => set('integratedGradients', { baseline: BaselineSchema.parse(e.target.value) })}>
                {BaselineSchema.options.map((b) => <option key={b} value={b}>{b}</option>)}
              </select>
            </span>
          )}
          {m === 'gradcam' && methods.includes(m) && convLayers.length > 1 && (
            <span className="method-options">
              <select aria-label="Conv layer" value={options.gradcam.layer ?? ''} data-testid="opt-gradcam-layer"
                onChange={(e) => set('gradcam', { layer: e.target.value || undefined })}>
                <option value="">last conv layer</option>
                {convLayers.map((l) => <option key={l} value={l}>{l}</option>)}
              </select>
            </span>
          )}
          {m === 'occlusion' && methods.includes(m) && (
            <span className="method-options">
              patch <NumberBox id="occ-patch" testId="opt-occ-patch" value={options.occlusion.patch ?? 0} min={0} max={512} onValue={(p) => set('occlusion', { patch: p > 0 ? p : undefined })} />
              stride <NumberBox id="occ-stride" testId="opt-occ-stride" value={options.occlusion.stride ?? 0} min={0} max={512} onValue={(st) => set('occlusion', { stride: st > 0 ? st : undefined })} />
            </span>
          )}
        </div>
      ))}
    </div>
  );
}
