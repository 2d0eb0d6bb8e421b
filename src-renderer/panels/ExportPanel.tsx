import { useEffect, useRef, useState } from 'react';
import type { ExportFormat, ExportResult, ParityResult } from '../../src-shared/contract/export.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';
import { usePathChooser } from './PathChooser.tsx';
import { RunPicker, useInspectedRun } from './RunPicker.tsx';

const FORMATS: Array<{ id: ExportFormat; title: string; what: string; target: 'folder' | string }> = [
  { id: 'tfjs', title: 'TensorFlow.js', what: 'model.json + weights for tf.loadLayersModel, in the browser or Node', target: 'folder' },
  { id: 'onnx', title: 'ONNX', what: 'one .onnx file for onnxruntime, TensorRT, OpenVINO, …', target: '.onnx' },
  { id: 'keras', title: 'Keras', what: 'a .keras file for keras.models.load_model in Python', target: '.keras' },
  { id: 'python', title: 'Python training script', what: 'train.py + a data manifest: this graph on this data in Keras, on one machine or a TF cluster', target: 'folder' },
  { id: 'report', title: 'Model card', what: 'one self-contained HTML page: data, graph, curves, evaluation, saliency, export checks', target: '.html' },
];

/**
 * The Export dialog: a run, a format and where to write it. Every model export is proven
 * by the runtime that will load it — its predictions on the run's validation inputs are
 * compared with Strata's and shown here.
 */
export function ExportPanel() {
  const client = useClient();
  const chooser = usePathChooser();
  const { runId, run, runs, pick } = useInspectedRun();
  const [format, setFormat] = useState<ExportFormat>('tfjs');
  const [out, setOut] = useState<string | null>(null);
  const [distributed, setDistributed] = useState(false);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const chosen = FORMATS.find((f) => f.id === format)!;
  // The outcome appears under the cards, below the fold of a short panel: bring it into view.
  const outcome = useRef<HTMLDivElement>(null);
  useEffect(() => {
    outcome.current?.scrollIntoView({ block: 'nearest' });
  }, [result, error]);

  const choose = async (): Promise<void> => {
    try {
      const folder = await chooser.choose({ title: chosen.target === 'folder' ? 'Export into folder' : `Folder for the ${chosen.target} file`, mode: 'folder' });
      if (folder) {
        setOut(chosen.target === 'folder' ? folder : `${folder.replace(/[\\/]$/, '')}/${run?.name ?? runId ?? 'model'}${chosen.target}`);
        setResult(null);
      }
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const doExport = async (): Promise<void> => {
    if (!runId || !out) return;
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      setResult(await client.invoke('export.run', { runId, format, out: out.trim(), distributed: format === 'python' && distributed }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  if (!runId) {
    return <div className="panel export-panel" data-testid="panel-export"><div className="panel-empty" data-testid="export-unavailable"><p>Train for at least one epoch to export the model.</p></div></div>;
  }
  return (
    <div className="panel export-panel" data-testid="panel-export">
      <div className="panel-toolbar"><RunPicker runId={runId} runs={runs} onPick={pick} testId="export-run" /></div>
      <div className="export-formats" role="radiogroup" aria-label="Format">
        {FORMATS.map((f) => (
          <label key={f.id} className={`export-format-card${format === f.id ? ' is-picked' : ''}`} data-testid={`export-format-${f.id}`}>
            <input type="radio" name="export-format" checked={format === f.id} onChange={() => { setFormat(f.id); setResult(null); setOut(null); }} />
            <strong>{f.title}</strong>
            <span className="muted">{f.what}</span>
          </label>
        ))}
      </div>
      {format === 'python' && (
        <label className="check-row">
          <input type="checkbox" checked={distributed} onChange={(e) => setDistributed(e.target.checked)} data-testid="export-distributed" />
          Train under MultiWorkerMirroredStrategy (each worker reads its role from TF_CONFIG)
        </label>
      )}
      <div className="panel-toolbar">
        <button type="button" onClick={() => void choose()} data-testid="btn-export-choose">Choose folder…</button>
        <input
          type="text" className="mono export-path" value={out ?? ''} spellCheck={false} aria-label="Export to" data-testid="export-path"
          placeholder={chosen.target === 'folder' ? '/path/to/new-or-existing/folder' : `/path/to/model${chosen.target}`}
          onChange={(e) => { setOut(e.target.value === '' ? null : e.target.value); setResult(null); }}
        />
        <button type="button" className="primary" onClick={() => void doExport()} disabled={!out?.trim() || busy} data-testid="btn-export">
          {busy ? 'Exporting and checking…' : `Export as ${chosen.title}`}
        </button>
      </div>
      <div ref={outcome}>
      {error && <div className="error-box" role="alert" data-testid="export-error">{error}</div>}
      {result && (
        <div className="export-result" data-testid="export-result">
          <p className="ok-note">Wrote {result.files.length} file{result.files.length === 1 ? '' : 's'} to <span className="mono">{result.path}</span></p>
          <ul className="file-list" data-testid="export-files">
            {result.files.map((f) => <li key={f} className="mono">{f}</li>)}
          </ul>
          {result.parity && <ParityBox parity={result.parity} />}
          {result.notes.map((n) => <p key={n} className="muted">{n}</p>)}
        </div>
      )}
      </div>
      {chooser.element}
    </div>
  );
}

function ParityBox({ parity }: { parity: ParityResult }) {
  if (parity.skipped) {
    return <div className="parity is-skipped" data-testid="export-parity" data-passed="skipped"><b>Not checked</b> — {parity.skipped}</div>;
  }
  return (
    <div className={`parity ${parity.passed ? 'is-passed' : 'is-failed'}`} data-testid="export-parity" data-passed={parity.passed}>
      <b>{parity.passed ? '✓ Same predictions' : '✗ Predictions differ'}</b> in {parity.runtime} on {parity.samples} validation inputs:
      {' '}max abs difference <span className="mono" data-testid="parity-diff">{parity.maxAbsDiff === null ? 'n/a' : parity.maxAbsDiff.toExponential(2)}</span>
      {' '}(target &lt; 1e-4), top class agrees on <span className="mono" data-testid="parity-agreement">{(parity.argmaxAgreement * 100).toFixed(1)} %</span>.
    </div>
  );
}
