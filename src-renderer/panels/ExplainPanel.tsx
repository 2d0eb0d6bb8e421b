import { useEffect, useState } from 'react';
import type { CommandResult } from '../../src-shared/contract/commands.ts';
import { errorMessage, useClient } from '../client/client-context.tsx';
import { FeatureExplainer } from './FeatureExplainer.tsx';
import { ImageExplainer } from './ImageExplainer.tsx';
import { RunPicker, useInspectedRun } from './RunPicker.tsx';

export type Sample = CommandResult<'run.samples'>[number];

/**
 * Why did the model say that? Pick a run and one of its validation samples (or, for an
 * image run, any image file): image runs get five attribution methods side by side with
 * a sanity check each; table runs a bar per column; text runs a weight per token.
 */
export function ExplainPanel() {
  const client = useClient();
  const { runId, run, runs, pick } = useInspectedRun();
  const [samples, setSamples] = useState<Sample[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const checkpoint = run?.checkpointEpoch ?? 0;

  // Samples come from the run's validation split; reload them when the run or its weights change.
  useEffect(() => {
    if (!runId || checkpoint === 0) return;
    let alive = true;
    setSamples(null);
    setError(null);
    client.invoke('run.samples', { runId, count: 12 }).then(
      (s) => { if (alive) setSamples(s); },
      (e: unknown) => { if (alive) setError(errorMessage(e)); },
    );
    return () => { alive = false; };
  }, [client, runId, checkpoint]);

  if (!runId) {
    return (
      <div className="panel explain-panel is-empty" data-testid="panel-explain">
        <div className="panel-empty" data-testid="explain-unavailable">
          <p>Explanations need trained weights: train for at least one epoch, then pick a sample here.</p>
        </div>
      </div>
    );
  }
  const toolbar = <RunPicker runId={runId} runs={runs} onPick={pick} testId="explain-run" />;
  if (!run) return <div className="panel" data-testid="panel-explain">{toolbar}<p className="muted">Loading the run…</p></div>;
  return run.dataKind === 'image-folder'
    ? <ImageExplainer key={runId} runId={runId} samples={samples} samplesError={error} toolbar={toolbar} classification={run.task === 'classification'} />
    : <FeatureExplainer key={runId} runId={runId} run={run} samples={samples} samplesError={error} toolbar={toolbar} />;
}
