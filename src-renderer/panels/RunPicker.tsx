import { useEffect, useState } from 'react';
import type { RunSummary } from '../../src-shared/contract/run-record.ts';
import { useClient } from '../client/client-context.tsx';
import { useAppStores, useEditor, useTrainingSession } from '../state/app-context.tsx';
import { useStore } from '../state/external-store.ts';
import { runsDirOf } from '../state/project-doc.ts';

/**
 * The run the Explain and Evaluate tabs look at, and whether it is the one a kind of data
 * applies to: the one picked in either tab, else the run trained last in this window.
 * Only runs with trained weights (a checkpoint) can be looked at.
 */
export function useInspectedRun(): { runId: string | null; run: RunSummary | null; runs: RunSummary[]; pick(runId: string): void } {
  const client = useClient();
  const { inspected } = useAppStores();
  const picked = useStore(inspected, (s) => s);
  const sessionRun = useTrainingSession((s) => (s.checkpointEpoch > 0 ? s.runId : null));
  const sessionEnd = useTrainingSession((s) => s.end);
  const sessionCheckpoint = useTrainingSession((s) => s.checkpointEpoch);
  const runsDir = runsDirOf(useEditor((s) => s.projectPath));
  const [runs, setRuns] = useState<RunSummary[]>([]);
  useEffect(() => {
    let alive = true;
    client.invoke('runs.list', runsDir ? { runsDir } : {}).then(
      (list) => { if (alive) setRuns(list.filter((r) => r.checkpointEpoch > 0)); },
      () => { if (alive) setRuns([]); },
    );
    return () => { alive = false; };
  }, [client, runsDir, sessionEnd, sessionCheckpoint, picked]);
  // A newly trained run takes over from an older pick.
  useEffect(() => { if (sessionRun) inspected.set(null); }, [sessionRun, inspected]);
  const runId = picked ?? sessionRun ?? runs[0]?.runId ?? null;
  return { runId, run: runs.find((r) => r.runId === runId) ?? null, runs, pick: (id) => inspected.set(id) };
}

export function RunPicker({ runId, runs, onPick, testId }: { runId: string | null; runs: RunSummary[]; onPick(runId: string): void; testId: string }) {
  const listed: Array<Pick<RunSummary, 'runId' | 'name' | 'status' | 'checkpointEpoch'>> = runId && !runs.some((r) => r.runId === runId)
    ? [{ runId, name: null, status: 'running', checkpointEpoch: 0 }, ...runs]
    : runs;
  return (
    <label className="run-picker">
      Run
      <select value={runId ?? ''} onChange={(e) => onPick(e.target.value)} data-testid={testId} disabled={listed.length === 0}>
        {listed.length === 0 && <option value="">no trained run yet</option>}
        {listed.map((r) => (
          <option key={r.runId} value={r.runId}>{r.name ?? r.runId} · {r.status}{r.checkpointEpoch > 0 ? ` · epoch ${r.checkpointEpoch}` : ''}</option>
        ))}
      </select>
    </label>
  );
}
