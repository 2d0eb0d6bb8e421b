import { useEffect, useState } from 'react';
import { SweepSpecSchema, type SweepStatus } from '../../src-shared/contract/sweep.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';
import { useEditor } from '../state/app-context.tsx';
import { runsDirOf } from '../state/project-doc.ts';

type SortKey = 'trial' | 'val_loss' | 'val_acc';

/**
 * A sweep from the window: the settings to vary as JSON (the same as `strata sweep`),
 * grid or random, started on the current graph, data and training settings. Its trials
 * appear as they finish, sortable, each a run that can be ticked for comparison.
 */
export function SweepBox({ selected, onToggle, onTrialEnded }: { selected: readonly string[]; onToggle(runId: string): void; onTrialEnded(): void }) {
  const client = useClient();
  const spec = useEditor((s) => s.spec);
  const data = useEditor((s) => s.data);
  const training = useEditor((s) => s.training);
  const runsDir = runsDirOf(useEditor((s) => s.projectPath));
  const [params, setParams] = useState('{"learningRate": [0.001, 0.01]}');
  const [mode, setMode] = useState<'grid' | 'random'>('grid');
  const [trials, setTrials] = useState(4);
  const [metric, setMetric] = useState<'val_loss' | 'val_acc'>('val_loss');
  const [status, setStatus] = useState<SweepStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [sort, setSort] = useState<SortKey>('trial');

  useEffect(() => {
    if (!status || status.done) return;
    const timer = setInterval(() => {
      client.invoke('sweep.status', { sweepId: status.id }).then((next) => {
        if (next.rows.length !== status.rows.length) onTrialEnded();
        setStatus(next);
      }, (err: unknown) => setError(errorMessage(err)));
    }, 1000);
    return () => clearInterval(timer);
  }, [client, status, onTrialEnded]);

  const start = async (): Promise<void> => {
    setError(null);
    let parsedParams: unknown;
    try {
      parsedParams = JSON.parse(params);
    } catch (err) {
      setError(`The settings are not JSON: ${errorMessage(err)}`);
      return;
    }
    const sweep = SweepSpecSchema.safeParse({ mode, params: parsedParams, metric, ...(mode === 'random' ? { trials } : {}) });
    if (!sweep.success) { setError(sweep.error.issues.map((i) => i.message).join('; ')); return; }
    if (!data) { setError('Choose a dataset in the Data tab first.'); return; }
    try {
      const { sweepId } = await client.invoke('sweep.start', { spec, data, training, sweep: sweep.data, ...(runsDir ? { runsDir } : {}) });
      setStatus(await client.invoke('sweep.status', { sweepId }));
    } catch (err) {
      setError(errorMessage(err));
    }
  };

  const rows = status ? [...status.rows].sort((a, b) => {
    if (sort === 'trial') return a.trial - b.trial;
    const x = a.best?.[sort] ?? null;
    const y = b.best?.[sort] ?? null;
    if (x === null || y === null) return x === null ? 1 : -1;
    return sort === 'val_acc' ? y - x : x - y;
  }) : [];
  const keys = rows[0] ? Object.keys(rows[0].params) : [];
  const running = status !== null && !status.done;

  return (
    <details className="sweep-box" data-testid="sweep-box">
      <summary>Sweep: try several settings, one run each</summary>
      <div className="form-row">
        <label htmlFor="sweep-params">Settings</label>
        <textarea id="sweep-params" rows={2} value={params} onChange={(e) => setParams(e.target.value)} data-testid="sweep-params" spellCheck={false} />
      </div>
      <p className="muted">Training settings (learningRate, batchSize, epochs, optimizer) or a layer's parameter as <span className="mono">layer.parameter</span>, each with its values.</p>
      <div className="form-row">
        <label htmlFor="sweep-mode">Search</label>
        <span className="param-pair">
          <select id="sweep-mode" value={mode} onChange={(e) => setMode(e.target.value === 'random' ? 'random' : 'grid')} data-testid="sweep-mode">
            <option value="grid">every combination</option>
            <option value="random">random draws</option>
          </select>
          {mode === 'random' && <input type="number" min={1} max={1000} value={trials} onChange={(e) => setTrials(Number(e.target.value))} className="narrow" aria-label="Trials" data-testid="sweep-trials" />}
          <select aria-label="Rank by" value={metric} onChange={(e) => setMetric(e.target.value === 'val_acc' ? 'val_acc' : 'val_loss')} data-testid="sweep-metric">
            <option value="val_loss">rank by val_loss</option>
            <option value="val_acc">rank by val_acc</option>
          </select>
          <button type="button" className="primary" onClick={() => void start()} disabled={running} data-testid="btn-sweep-start">Start sweep</button>
          {running && <button type="button" onClick={() => void client.invoke('sweep.stop', { sweepId: status.id })} data-testid="btn-sweep-stop">Stop</button>}
        </span>
      </div>
      {error && <div className="error-box" role="alert" data-testid="sweep-error">{error}</div>}
      {status && (
        <>
          <p className="muted" data-testid="sweep-progress">{status.rows.length} of {status.trials} trials done{status.current ? ` · training ${status.current}` : status.done ? ' · finished' : ''}</p>
          <table className="column-table" data-testid="sweep-table">
            <thead>
              <tr>
                <th />
                <th><button type="button" className="link" onClick={() => setSort('trial')}>#</button></th>
                {keys.map((k) => <th key={k} className="mono">{k}</th>)}
                <th>status</th>
                <th><button type="button" className="link" onClick={() => setSort('val_loss')} data-testid="sweep-sort-val_loss">val_loss</button></th>
                <th><button type="button" className="link" onClick={() => setSort('val_acc')} data-testid="sweep-sort-val_acc">val_acc</button></th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.runId} data-testid={`sweep-row-${r.trial}`}>
                  <td><input type="checkbox" aria-label={`Compare trial ${r.trial}`} checked={selected.includes(r.runId)} onChange={() => onToggle(r.runId)} /></td>
                  <td className="num">{r.trial}</td>
                  {keys.map((k) => <td key={k} className="mono">{String(r.params[k])}</td>)}
                  <td title={r.reason ?? undefined}>{r.status}</td>
                  <td className="num">{r.best?.val_loss?.toFixed(4) ?? '–'}</td>
                  <td className="num">{r.best?.val_acc?.toFixed(3) ?? '–'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </details>
  );
}
