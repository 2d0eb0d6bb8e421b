import { useState } from 'react';
import type { CommandResult } from '../../src-shared/contract/commands.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';
import { useTrainingSession } from '../state/app-context.tsx';
import { usePathChooser } from './PathChooser.tsx';

/** Exports the last run's checkpoint as a TensorFlow.js model (model.json + weight shards). */
export function ExportPanel() {
  const client = useClient();
  const runId = useTrainingSession((s) => s.runId);
  const checkpoint = useTrainingSession((s) => s.checkpointEpoch);
  const chooser = usePathChooser();
  const [outDir, setOutDir] = useState<string | null>(null);
  const [result, setResult] = useState<CommandResult<'export.tfjs'> | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const ready = runId !== null && checkpoint > 0;

  const choose = async (): Promise<void> => {
    try {
      const path = await chooser.choose({ title: 'Export into folder', mode: 'folder' });
      if (path) { setOutDir(path); setResult(null); }
    } catch (e) {
      setError(errorMessage(e));
    }
  };

  const doExport = async (): Promise<void> => {
    if (!runId || !outDir) return;
    setBusy(true);
    setError(null);
    try {
      setResult(await client.invoke('export.tfjs', { runId, outDir: outDir.trim() }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="panel export-panel" data-testid="panel-export">
      {!ready ? (
        <div className="panel-empty" data-testid="export-unavailable"><p>Train for at least one epoch to export the model.</p></div>
      ) : (
        <>
          <div className="export-format">
            <strong>TensorFlow.js</strong>
            <span className="muted"> — model.json and binary weight shards, loadable with <span className="mono">tf.loadLayersModel</span>. Uses the checkpoint from epoch {checkpoint}.</span>
          </div>
          <div className="panel-toolbar">
            <button type="button" onClick={() => void choose()} data-testid="btn-export-choose">Choose folder…</button>
            <input
              type="text" className="mono export-path" value={outDir ?? ''} placeholder="/path/to/new-or-existing/folder" spellCheck={false}
              aria-label="Export folder" data-testid="export-path" onChange={(e) => { setOutDir(e.target.value === '' ? null : e.target.value); setResult(null); }}
            />
            <button type="button" className="primary" onClick={() => void doExport()} disabled={!outDir?.trim() || busy} data-testid="btn-export">
              {busy ? 'Exporting…' : 'Export as tfjs'}
            </button>
          </div>
          {error && <div className="error-box" role="alert" data-testid="export-error">{error}</div>}
          {result && (
            <div className="export-result" data-testid="export-result">
              <p className="ok-note">Wrote {result.files.length} file{result.files.length === 1 ? '' : 's'} to <span className="mono">{result.outDir}</span></p>
              <ul className="file-list" data-testid="export-files">
                {result.files.map((f) => <li key={f} className="mono">{f}</li>)}
              </ul>
            </div>
          )}
        </>
      )}
      {chooser.element}
    </div>
  );
}
