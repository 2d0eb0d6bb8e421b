import { useEffect, useState } from 'react';
import type { ExportResult } from '../../src-shared/contract/export.ts';
import type { GanRunSummary } from '../../src-shared/contract/gan.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';
import { useAppStores, useEditor, useGanSession } from '../state/app-context.tsx';
import { ganCheckpointEpoch, isGanActive } from '../state/gan-session.ts';
import { runsDirOf } from '../state/project-doc.ts';
import { generatorExportPath } from './gan-view.ts';
import { usePathChooser } from './PathChooser.tsx';

/**
 * Under the GAN charts: the project's past GAN runs (open one to see its curves and
 * timeline again), and what a trained generator is for — export it (tfjs / ONNX, each
 * proven by its runtime) or write a folder of generated images.
 */
export function GanRunTools({ visible }: { visible: boolean }) {
  const session = useGanSession((s) => s);
  const ready = !isGanActive(session) && session.runId !== null && ganCheckpointEpoch(session) > 0;
  return (
    <div className="gan-tools">
      <PastRuns visible={visible} />
      {ready && session.runId && <ExportGenerator key={`x-${session.runId}`} runId={session.runId} />}
      {ready && session.runId && <GenerateImages key={`g-${session.runId}`} runId={session.runId} />}
    </div>
  );
}

function PastRuns({ visible }: { visible: boolean }) {
  const client = useClient();
  const { gan: runner } = useAppStores();
  const runsDir = runsDirOf(useEditor((s) => s.projectPath));
  const shown = useGanSession((s) => s.runId);
  const end = useGanSession((s) => s.end);
  const active = useGanSession((s) => isGanActive(s));
  const [runs, setRuns] = useState<GanRunSummary[] | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!visible) return;
    let alive = true;
    client.invoke('gan.runs', runsDir ? { runsDir } : {}).then(
      (list) => { if (alive) { setRuns(list); setError(null); } },
      (e: unknown) => { if (alive) setError(errorMessage(e)); },
    );
    return () => { alive = false; };
  }, [client, runsDir, end, visible]);
  const choice = picked ?? runs?.[0]?.runId ?? '';
  return (
    <div className="panel-toolbar gan-runs-row">
      <label htmlFor="gan-runs">Runs</label>
      <select id="gan-runs" value={choice} onChange={(e) => setPicked(e.target.value)} disabled={!runs || runs.length === 0}
        data-testid="gan-runs" data-count={runs?.length ?? 0}>
        {runs?.length === 0 && <option value="">no GAN runs in this project yet</option>}
        {runs?.map((r) => (
          <option key={r.runId} value={r.runId}>
            {r.runId} · {r.status}{r.checkpointEpoch > 0 ? ` · epoch ${r.checkpointEpoch}/${r.epochs}` : ''}{r.runId === shown ? ' (shown)' : ''}
          </option>
        ))}
      </select>
      <button type="button" disabled={!choice || active} onClick={() => runner.open(choice)} data-testid="btn-gan-open-run"
        title="Show this run's curves and sample timeline">
        Open
      </button>
      {error && <span className="warn-text" data-testid="gan-runs-error">{error}</span>}
    </div>
  );
}

function ExportGenerator({ runId }: { runId: string }) {
  const client = useClient();
  const chooser = usePathChooser();
  const [format, setFormat] = useState<'tfjs' | 'onnx'>('onnx');
  const [out, setOut] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<ExportResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const choose = async (): Promise<void> => {
    try {
      const folder = await chooser.choose({ title: format === 'tfjs' ? 'Export the generator into a new folder in…' : 'Folder for the generator\'s .onnx file', mode: 'folder' });
      if (folder) { setOut(generatorExportPath(format, folder, runId)); setResult(null); }
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const run = async (): Promise<void> => {
    setBusy(true); setError(null); setResult(null);
    try {
      setResult(await client.invoke('export.run', { runId, format, out: out.trim(), distributed: false }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  const parity = result?.parity;
  return (
    <div className="gan-tool" data-testid="gan-export">
      <div className="panel-toolbar">
        <strong>Export generator</strong>
        <select value={format} aria-label="Format" data-testid="gan-export-format"
          onChange={(e) => { setFormat(e.target.value === 'tfjs' ? 'tfjs' : 'onnx'); setOut(''); setResult(null); }}>
          <option value="onnx">ONNX (.onnx)</option>
          <option value="tfjs">TensorFlow.js (folder)</option>
        </select>
        <button type="button" onClick={() => void choose()} data-testid="btn-gan-export-choose">Choose folder…</button>
        <input type="text" className="mono export-path" value={out} spellCheck={false} aria-label="Export the generator to" data-testid="gan-export-path"
          placeholder={format === 'tfjs' ? '/path/to/new/folder' : '/path/to/generator.onnx'} onChange={(e) => { setOut(e.target.value); setResult(null); }} />
        <button type="button" className="primary" disabled={!out.trim() || busy} onClick={() => void run()} data-testid="btn-gan-export">
          {busy ? 'Exporting and checking…' : 'Export'}
        </button>
      </div>
      {error && <div className="error-box" role="alert" data-testid="gan-export-error">{error}</div>}
      {result && (
        <div className="export-result" data-testid="gan-export-result">
          <span className="ok-note">Wrote <span className="mono">{result.path}</span> ({result.files.length} file{result.files.length === 1 ? '' : 's'})</span>
          {parity && (parity.skipped
            ? <div className="parity is-skipped" data-testid="gan-export-parity" data-passed="skipped"><b>Not checked</b> — {parity.skipped}</div>
            : (
              <div className={`parity ${parity.passed ? 'is-passed' : 'is-failed'}`} data-testid="gan-export-parity" data-passed={parity.passed}>
                <b>{parity.passed ? '✓ Same images' : '✗ Images differ'}</b> in {parity.runtime} for {parity.samples} noise inputs:
                {' '}max abs pixel difference <span className="mono">{parity.maxAbsDiff === null ? 'n/a' : parity.maxAbsDiff.toExponential(2)}</span> (target &lt; 1e-4).
              </div>
            ))}
          {result.notes.map((n) => <p key={n} className="muted">{n}</p>)}
        </div>
      )}
      {chooser.element}
    </div>
  );
}

function GenerateImages({ runId }: { runId: string }) {
  const client = useClient();
  const chooser = usePathChooser();
  const [count, setCount] = useState('16');
  const [out, setOut] = useState('');
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ files: string[]; epoch: number } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const n = Number(count);
  const countOk = Number.isInteger(n) && n >= 1 && n <= 10_000;
  const choose = async (): Promise<void> => {
    try {
      const folder = await chooser.choose({ title: 'Write the generated images into…', mode: 'folder' });
      if (folder) { setOut(folder); setResult(null); }
    } catch (e) {
      setError(errorMessage(e));
    }
  };
  const run = async (): Promise<void> => {
    setBusy(true); setError(null); setResult(null);
    try {
      setResult(await client.invoke('gan.generate', { runId, count: n, out: out.trim(), seed: 1 }));
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="gan-tool" data-testid="gan-generate">
      <div className="panel-toolbar">
        <strong>Generate images</strong>
        <input type="text" inputMode="numeric" className={`narrow${countOk ? '' : ' invalid'}`} value={count} aria-label="How many images"
          title="1 to 10,000 images" data-testid="gan-generate-count" onChange={(e) => setCount(e.target.value)} />
        <button type="button" onClick={() => void choose()} data-testid="btn-gan-generate-choose">Choose folder…</button>
        <input type="text" className="mono export-path" value={out} spellCheck={false} aria-label="Write the images to" data-testid="gan-generate-path"
          placeholder="/path/to/folder" onChange={(e) => { setOut(e.target.value); setResult(null); }} />
        <button type="button" className="primary" disabled={!countOk || !out.trim() || busy} onClick={() => void run()} data-testid="btn-gan-generate">
          {busy ? 'Generating…' : `Generate ${countOk ? n : ''} PNG${n === 1 ? '' : 's'}`}
        </button>
      </div>
      {error && <div className="error-box" role="alert" data-testid="gan-generate-error">{error}</div>}
      {result && (
        <p className="ok-note" data-testid="gan-generate-result">
          Wrote {result.files.length} image{result.files.length === 1 ? '' : 's'} from the generator of epoch {result.epoch} to <span className="mono">{out.trim()}</span>
        </p>
      )}
      {chooser.element}
    </div>
  );
}
