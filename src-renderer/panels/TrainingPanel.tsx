import { useState } from 'react';
import { runsDirOf } from '../state/project-doc.ts';
import { useDataNeeds } from '../state/use-data-needs.ts';
import { classCountFor } from '../state/data-needs.ts';
import { hasNewHeadFor, replaceHead } from '../../src-shared/graph/graph-edits.ts';
import { OptimizerSchema, TrainingConfigSchema, type TrainingConfig } from '../../src-shared/contract/project.ts';
import { useAppStores, useEditor, useTrainingSession } from '../state/app-context.tsx';
import { formatDuration, isActive, type TrainingSession } from '../state/training-session.ts';
import { trainBlocker } from './train-readiness.ts';
import { SaliencyTimeline } from './SaliencyTimeline.tsx';
import { TrainingCharts } from './TrainingCharts.tsx';
import { TrainingPolicySettings } from './TrainingPolicySettings.tsx';

/**
 * The training panel: settings, Train/Stop, where it runs (backend), progress with ETA,
 * live loss and accuracy, and how the run ended.
 */
/** `visible`: charts only draw while their tab shows (a hidden chart has no size to draw at). */
export function TrainingPanel({ visible }: { visible: boolean }) {
  const { editor, training: runner } = useAppStores();
  const spec = useEditor((s) => s.spec);
  const analysis = useEditor((s) => s.analysis);
  const data = useEditor((s) => s.data);
  const config = useEditor((s) => s.training);
  const projectPath = useEditor((s) => s.projectPath);
  const weights = useEditor((s) => s.weights);
  // Fields re-mount when a project is opened, so a half-typed value does not outlive it.
  const loadCount = useEditor((s) => s.loadCount);
  const session = useTrainingSession((s) => s);
  const active = isActive(session);
  const needs = useDataNeeds();
  const blocker = trainBlocker(spec, analysis, data, needs, active);
  const classes = classCountFor(needs);
  const totalEpochs = session.started?.epochs ?? config.epochs;

  return (
    <div className="panel training-panel" data-testid="panel-train">
      <div className="training-side">
        <ConfigField key={`Epochs-${loadCount}`} label="Epochs" testId="train-epochs" config={config} field="epochs" disabled={active} />
        <ConfigField key={`Batch size-${loadCount}`} label="Batch size" testId="train-batch-size" config={config} field="batchSize" disabled={active} />
        <ConfigField key={`Learning rate-${loadCount}`} label="Learning rate" testId="train-learning-rate" config={config} field="learningRate" disabled={active} />
        <div className="form-row">
          <label htmlFor="train-optimizer">Optimizer</label>
          <select id="train-optimizer" data-testid="train-optimizer" value={config.optimizer} disabled={active}
            onChange={(e) => editor.setTraining({ optimizer: OptimizerSchema.parse(e.target.value) })}>
            {OptimizerSchema.options.map((o) => <option key={o} value={o}>{o}</option>)}
          </select>
        </div>
        <TrainingPolicySettings config={config} disabled={active} />
        {weights && (
          <div className="form-hint muted weights-note" data-testid="train-initial-weights" title={weights}>
            starts from the imported weights (layers matched by name; a changed head starts fresh)
            {!active && classes !== undefined && !hasNewHeadFor(spec, classes) && (
              <button type="button" className="link-button" onClick={() => editor.edit((s) => replaceHead(s, classes).spec)} data-testid="btn-replace-head"
                title="The output layer becomes a new Dense layer with one unit per class of this dataset; it starts from fresh weights, the rest from the imported ones">
                replace the head for these {classes} classes
              </button>
            )}
            {!active && <button type="button" className="link-button" onClick={() => editor.clearWeights()} data-testid="btn-clear-weights">start from random instead</button>}
          </div>
        )}
        <div className="train-buttons">
          <button type="button" className="primary" data-testid="btn-train" disabled={blocker !== null}
            onClick={() => { if (data) void runner.start(spec, data, config, runsDirOf(projectPath), weights); }}>
            ▶ Train
          </button>
          <button type="button" data-testid="btn-pause" disabled={session.phase !== 'running' && session.phase !== 'paused'}
            onClick={() => void runner.setPaused(session.phase !== 'paused')}>
            {session.phase === 'paused' ? '▶ Resume' : '❚❚ Pause'}
          </button>
          <button type="button" data-testid="btn-stop" disabled={!active || session.phase === 'stopping'} onClick={() => void runner.stop()}>
            ■ Stop
          </button>
        </div>
        {blocker && !active && <p className="muted reason" data-testid="train-disabled-reason">{blocker}</p>}
      </div>
      <div className="training-main">
        <RunStatus session={session} />
        {session.phase === 'idle'
          ? <div className="panel-empty"><p>Loss and accuracy appear here, live, once training starts.</p></div>
          : visible && (
            <div className={`charts${session.saliency.length > 0 ? ' with-saliency' : ''}`}>
              <TrainingCharts batches={session.batches} epochs={session.epochs} totalEpochs={totalEpochs} />
              <SaliencyTimeline saliency={session.saliency} budget={config.liveSaliency.budget} />
            </div>
          )}
      </div>
    </div>
  );
}

function RunStatus({ session }: { session: TrainingSession }) {
  const { started, progress, end, error, phase } = session;
  const pct = progress ? Math.round(progress.fraction * 100) : 0;
  return (
    <div className="run-status">
      {started && (
        <div className={`backend-line${started.native ? '' : ' is-fallback'}`} data-testid="train-backend" data-native={started.native}>
          {started.native ? '● ' : '▲ '}{started.backendLine}
          <div className="execution-line" data-testid="train-execution" data-execution={started.execution}>{started.executionLine}</div>
          {started.dataLine && <div className="execution-line" data-testid="train-data">{started.dataLine}</div>}
          {started.weightsLine && <div className="execution-line" data-testid="train-weights">{started.weightsLine}</div>}
        </div>
      )}
      {phase !== 'idle' && (
        <div className="progress-row">
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} data-testid="train-progress">
            <div className={`progress-fill${phase === 'ended' && end?.status !== 'completed' ? ' is-stopped' : ''}`} style={{ width: `${pct}%` }} />
          </div>
          <span className="progress-text" data-testid="train-progress-text">
            {phase === 'starting' ? 'Starting: loading data and compiling…'
              : progress && started ? `Epoch ${progress.epoch}/${started.epochs} · batch ${progress.batch}/${started.batchesPerEpoch} · ${pct} %${progress.etaSeconds !== null && phase !== 'ended' ? ` · ETA ${formatDuration(progress.etaSeconds)}` : ''}`
                : started ? `Epoch 1/${started.epochs} · ${started.trainCount} training, ${started.validationCount} validation images` : ''}
            {started?.resumedFromEpoch ? ` · resumed from epoch ${started.resumedFromEpoch}` : ''}
            {phase === 'stopping' && ' · stopping…'}
          </span>
        </div>
      )}
      {end && (
        <div className={`end-status status-${end.status}`} data-testid="train-status" data-status={end.status}>
          <strong>{END_TITLES[end.status]}</strong>
          {end.reason && <span> — {end.reason}</span>}
          {end.error && end.error.message !== end.reason && <div className="mono error-detail">{end.error.code}: {end.error.message}</div>}
          {session.checkpointEpoch > 0 && <span className="muted"> · checkpoint from epoch {session.checkpointEpoch} in <span className="mono">{end.runDir}</span></span>}
        </div>
      )}
      {error && <div className="error-box" role="alert" data-testid="train-error">{error}</div>}
    </div>
  );
}

const END_TITLES = { completed: 'Training completed', cancelled: 'Training stopped', diverged: 'Training diverged', failed: 'Training failed' } as const;

/** A numeric training setting, checked against the contract's own schema as it is typed. */
function ConfigField({ label, testId, config, field, disabled }: {
  label: string; testId: string; config: TrainingConfig; field: 'epochs' | 'batchSize' | 'learningRate'; disabled: boolean;
}) {
  const { editor } = useAppStores();
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className={`form-row${error ? ' has-error' : ''}`}>
      <label htmlFor={testId}>{label}</label>
      <input
        id={testId} type="text" inputMode="decimal" className="narrow" data-testid={testId} disabled={disabled}
        value={draft ?? String(config[field])}
        onChange={(e) => {
          setDraft(e.target.value);
          const n = e.target.value.trim() === '' ? Number.NaN : Number(e.target.value);
          const r = TrainingConfigSchema.shape[field].safeParse(n);
          if (r.success) { setError(null); editor.setTraining({ [field]: r.data }); }
          else setError(Number.isNaN(n) ? `${label} must be a number` : `${label}: ${r.error.issues[0]?.message ?? 'not allowed'}`);
        }}
        onBlur={() => { if (!error) setDraft(null); }}
      />
      {error && <div className="param-error" data-testid={`${testId}-error`}>{error}</div>}
    </div>
  );
}
