import { useCallback, useEffect, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { RunDetails, RunSummary } from '../../src-shared/contract/run-record.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';
import { useAppStores, useEditor, useTrainingSession } from '../state/app-context.tsx';
import { isActive } from '../state/training-session.ts';
import { runsDirOf } from '../state/project-doc.ts';
import { graphDiff, overlayRows, settingsDiff } from './run-compare.ts';
import { SweepBox } from './SweepBox.tsx';

const COLORS = ['#4c8dff', '#f0a04b', '#57c785', '#e05d6f', '#b28cff', '#4fc3d9', '#d6c14a', '#9aa4b2'];
const RESUMABLE = new Set(['failed', 'cancelled', 'interrupted']);

/**
 * Every run of the runs folder: status, epochs, last metrics; rename, annotate, delete,
 * resume an interrupted one. Ticking runs overlays their curves and lists what differs
 * between them — settings, data and layers.
 */
export function RunsPanel({ visible }: { visible: boolean }) {
  const client = useClient();
  const [runs, setRuns] = useState<RunSummary[]>([]);
  const [selected, setSelected] = useState<string[]>([]);
  const [details, setDetails] = useState<RunDetails[]>([]);
  const [error, setError] = useState<string | null>(null);
  const { training: runner } = useAppStores();
  const liveEnd = useTrainingSession((s) => s.end);
  const training = useTrainingSession(isActive);
  const runsDir = runsDirOf(useEditor((s) => s.projectPath));

  const refresh = useCallback(async () => {
    try {
      setRuns(await client.invoke('runs.list', runsDir ? { runsDir } : {}));
      setError(null);
    } catch (err) {
      setError(errorMessage(err));
    }
  }, [client, runsDir]);
  // Again whenever the tab shows or a run ends, so the list is never stale when looked at.
  useEffect(() => { if (visible) void refresh(); }, [visible, liveEnd, refresh]);
  // While a run listed here trains (a resumed one, a sweep's trial), keep its row current.
  const anyRunning = runs.some((r) => r.status === 'running');
  useEffect(() => {
    if (!visible || !anyRunning) return;
    const timer = setInterval(() => void refresh(), 2000);
    return () => clearInterval(timer);
  }, [visible, anyRunning, refresh]);
  useEffect(() => {
    if (selected.length === 0) { setDetails([]); return; }
    client.invoke('runs.details', { runIds: selected }).then(setDetails, (err: unknown) => setError(errorMessage(err)));
  }, [client, selected, runs]);

  const act = async (work: () => Promise<unknown>): Promise<void> => {
    try {
      await work();
      await refresh();
    } catch (err) {
      setError(errorMessage(err));
    }
  };
  const refreshList = useCallback(() => { void refresh(); }, [refresh]);
  const toggle = (runId: string): void => setSelected((s) => (s.includes(runId) ? s.filter((x) => x !== runId) : [...s, runId].slice(-8)));

  return (
    <div className="panel runs-panel" data-testid="panel-runs">
      <div className="panel-toolbar">
        <button type="button" onClick={() => void refresh()} data-testid="btn-runs-refresh">Refresh</button>
        <span className="muted">{runs.length} run{runs.length === 1 ? '' : 's'} · tick runs to compare them</span>
      </div>
      {error && <div className="error-box" role="alert" data-testid="runs-error">{error}</div>}
      <SweepBox selected={selected} onToggle={toggle} onTrialEnded={refreshList} />
      <table className="column-table runs-table" data-testid="runs-table">
        <thead><tr><th /><th>run</th><th>status</th><th>epochs</th><th>val_loss</th><th>val_acc</th><th>started</th><th>note</th><th /></tr></thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.runId} data-testid={`run-row-${r.runId}`} data-status={r.status}>
              <td><input type="checkbox" aria-label={`Compare ${r.runId}`} checked={selected.includes(r.runId)} onChange={() => toggle(r.runId)} data-testid={`run-select-${r.runId}`} /></td>
              <td className="mono" title={r.runDir}>{r.name ?? r.runId}</td>
              <td title={r.reason ?? undefined}><span className={`run-status run-${r.status}`}>{r.status}</span></td>
              <td className="num">{r.checkpointEpoch}/{r.epochs}</td>
              <td className="num">{fmt(r.lastEpoch?.val_loss, 4)}</td>
              <td className="num">{fmt(r.lastEpoch?.val_acc, 3)}</td>
              <td className="muted">{r.createdAt.replace('T', ' ').slice(0, 16)}</td>
              <td className="muted">{r.note ?? ''}</td>
              <td className="run-actions">
                {RESUMABLE.has(r.status) && r.checkpointEpoch > 0 && (
                  <button type="button" disabled={training} title={training ? 'A run is training; resume this one when it ends' : 'Continue from the last checkpoint; the Train tab follows it'}
                    onClick={() => void act(async () => {
                      await runner.resume(r.runId);
                      const refused = runner.session.get().error; // e.g. its data changed since
                      if (refused) throw new Error(refused);
                    })} data-testid={`run-resume-${r.runId}`}>Resume</button>
                )}
                <button type="button" onClick={() => { const name = window.prompt('Name this run', r.name ?? ''); if (name !== null) void act(() => client.invoke('runs.update', { runId: r.runId, name })); }} data-testid={`run-rename-${r.runId}`}>Rename</button>
                <button type="button" onClick={() => { const note = window.prompt('Note', r.note ?? ''); if (note !== null) void act(() => client.invoke('runs.update', { runId: r.runId, note })); }} data-testid={`run-note-${r.runId}`}>Note</button>
                <button type="button" className="danger" onClick={() => { if (window.confirm(`Delete ${r.name ?? r.runId} and its checkpoint? This cannot be undone.`)) { setSelected((s) => s.filter((x) => x !== r.runId)); void act(() => client.invoke('runs.delete', { runId: r.runId })); } }} data-testid={`run-delete-${r.runId}`}>Delete</button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {details.length > 0 && visible && <RunComparison runs={details} />}
    </div>
  );
}

function RunComparison({ runs }: { runs: RunDetails[] }) {
  const settings = settingsDiff(runs);
  const layers = graphDiff(runs);
  const label = (r: RunDetails) => r.name ?? r.runId;
  return (
    <section className="run-compare" data-testid="run-compare">
      <div className="charts">
        {(['val_loss', 'val_acc'] as const).map((metric) => (
          <figure className="chart" key={metric} data-testid={`compare-${metric}`}>
            <figcaption><span>{metric}</span></figcaption>
            <ResponsiveContainer width="100%" height={180}>
              <LineChart data={overlayRows(runs, metric)} margin={{ top: 6, right: 12, bottom: 0, left: 0 }}>
                <CartesianGrid stroke="#2c3139" />
                <XAxis dataKey="epoch" stroke="#8b93a1" fontSize={11} />
                <YAxis stroke="#8b93a1" fontSize={11} width={44} domain={['auto', 'auto']} />
                <Tooltip />
                <Legend />
                {runs.map((r, i) => <Line key={r.runId} dataKey={r.runId} name={label(r)} stroke={COLORS[i % COLORS.length]} dot={false} isAnimationActive={false} connectNulls />)}
              </LineChart>
            </ResponsiveContainer>
          </figure>
        ))}
      </div>
      {runs.length > 1 && (
        <table className="column-table" data-testid="compare-diff">
          <thead><tr><th>differs</th>{runs.map((r) => <th key={r.runId}>{label(r)}</th>)}</tr></thead>
          <tbody>
            {settings.length === 0 && layers.length === 0 && <tr><td colSpan={runs.length + 1} className="muted">Same settings, data and graph.</td></tr>}
            {[...settings, ...layers.map((l) => ({ ...l, key: `layer ${l.key}` }))].map((d) => (
              <tr key={d.key}><td className="mono">{d.key}</td>{d.values.map((v, i) => <td key={i} className="mono">{v}</td>)}</tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}

function fmt(v: number | null | undefined, digits: number): string {
  return v === null || v === undefined ? '–' : v.toFixed(digits);
}
