import { useState, type ReactNode } from 'react';
import type { ZodType } from 'zod';
import { GanOptimizerSchema, GanSpecSchema, GanTrainingConfigSchema, type GanTrainingConfig } from '../../src-shared/contract/gan.ts';
import { formatShape } from '../../src-shared/spec/model-spec.ts';
import { useAppStores, useEditor, useGanSession } from '../state/app-context.tsx';
import { isGanActive, type GanSession } from '../state/gan-session.ts';
import { runsDirOf } from '../state/project-doc.ts';
import { formatDuration } from '../state/training-session.ts';
import { GanCharts } from './GanCharts.tsx';
import { GanRunTools } from './GanRunTools.tsx';
import { GanSampleTimeline } from './GanSampleTimeline.tsx';
import { ganReadiness, imageShapeOf, noiseInput, withNoiseSize, type GanCheck } from './gan-view.ts';

/**
 * The Train tab of a GAN project: the two networks checked against each other and the
 * data, the alternating loop's settings, Train / Stop, both losses and the discriminator's
 * accuracy live, the sample timeline, past runs, and the trained generator's exports.
 */
/** `visible`: charts only draw while their tab shows (a hidden chart has no size to draw at). */
export function GanTrainingPanel({ visible }: { visible: boolean }) {
  const { editor, gan: runner } = useAppStores();
  const spec = useEditor((s) => s.spec);
  const data = useEditor((s) => s.data);
  const settings = useEditor((s) => s.gan);
  const projectPath = useEditor((s) => s.projectPath);
  const loadCount = useEditor((s) => s.loadCount);
  const session = useGanSession((s) => s);
  const active = isGanActive(session);
  const readiness = ganReadiness(spec, data, active);
  const noise = noiseInput(spec);
  if (!settings) return null;
  const config = settings.training;
  const set = (patch: Partial<GanTrainingConfig>): void => editor.setGanTraining(patch);
  const field = (label: string, testId: string, value: number | undefined, schema: ZodType, onValue: (v: number | undefined) => void, opts: { optional?: string; hint?: string } = {}): ReactNode => (
    <SettingField key={`${testId}-${loadCount}`} label={label} testId={testId} value={value} schema={schema} onValue={onValue} disabled={active} {...opts} />
  );

  return (
    <div className="panel training-panel gan-panel" data-testid="panel-train" data-gan="true">
      <div className="training-side">
        {field('Epochs', 'gan-epochs', config.epochs, GanTrainingConfigSchema.shape.epochs, (v) => set({ epochs: v }))}
        {field('Batch size', 'gan-batch-size', config.batchSize, GanTrainingConfigSchema.shape.batchSize, (v) => set({ batchSize: v }))}
        {field('Images / epoch', 'gan-samples-per-epoch', config.samplesPerEpoch, GanTrainingConfigSchema.shape.samplesPerEpoch, (v) => set({ samplesPerEpoch: v }), { optional: 'all' })}
        {noise && (
          <NoiseField key={`noise-${loadCount}-${noise.size}`} size={noise.size} disabled={active}
            onCommit={(n) => editor.edit((s) => withNoiseSize(s, n))} />
        )}
        <h3 className="gan-side-heading">Generator (Adam)</h3>
        {field('Learning rate', 'gan-g-lr', config.generator.learningRate, GanOptimizerSchema.shape.learningRate, (v) => set({ generator: { ...config.generator, learningRate: v! } }))}
        {field('β₁', 'gan-g-beta1', config.generator.beta1, GanOptimizerSchema.shape.beta1, (v) => set({ generator: { ...config.generator, beta1: v! } }))}
        <h3 className="gan-side-heading">Discriminator (Adam)</h3>
        {field('Learning rate', 'gan-d-lr', config.discriminator.learningRate, GanOptimizerSchema.shape.learningRate, (v) => set({ discriminator: { ...config.discriminator, learningRate: v! } }))}
        {field('β₁', 'gan-d-beta1', config.discriminator.beta1, GanOptimizerSchema.shape.beta1, (v) => set({ discriminator: { ...config.discriminator, beta1: v! } }))}
        {field('Real label', 'gan-real-label', config.realLabel, GanTrainingConfigSchema.shape.realLabel, (v) => set({ realLabel: v! }), { hint: 'one-sided label smoothing: the target for real images (1 = none)' })}
        {field('Generator average', 'gan-generator-average', config.generatorAverage, GanTrainingConfigSchema.shape.generatorAverage, (v) => set({ generatorAverage: v! }), { hint: 'the run keeps a moving average of the generator\'s weights with this decay (0 = the last step\'s weights)' })}
        {field('Seed', 'gan-seed', config.seed, GanTrainingConfigSchema.shape.seed, (v) => set({ seed: v! }))}
        <div className="train-buttons">
          <button type="button" className="primary" data-testid="btn-gan-train" disabled={readiness.blocker !== null || active}
            onClick={() => { if (readiness.gan && readiness.data) void runner.start(readiness.gan, readiness.data, config, runsDirOf(projectPath)); }}>
            ▶ Train
          </button>
          <button type="button" data-testid="btn-gan-stop" disabled={!active || session.phase === 'stopping' || session.opened} onClick={() => void runner.stop()}>
            ■ Stop
          </button>
        </div>
        {readiness.blocker && !active && <p className="muted reason" data-testid="gan-train-disabled-reason">{readiness.blocker}</p>}
      </div>
      <div className="training-main">
        <GanChecks checks={readiness.checks} imageShape={imageShapeOf(data)} noiseSize={readiness.gan?.noiseSize ?? null} />
        <GanRunStatus session={session} />
        {session.phase === 'idle'
          ? <div className="panel-empty gan-empty"><p>Both losses, the discriminator's accuracy and the generator's samples appear here, live, once training starts.</p></div>
          : visible && (
            <div className="charts gan-charts">
              <GanCharts batches={session.batches} epochs={session.epochs} totalEpochs={session.started?.epochs ?? config.epochs} />
              <GanSampleTimeline frames={session.frames} runId={session.runId} />
            </div>
          )}
        <GanRunTools visible={visible} />
      </div>
    </div>
  );
}

/** The two networks checked against each other and the data; a check with a layer selects it on the canvas. */
function GanChecks({ checks, imageShape, noiseSize }: { checks: GanCheck[]; imageShape: number[] | null; noiseSize: number | null }) {
  const { editor } = useAppStores();
  const errors = checks.filter((c) => c.severity === 'error').length;
  if (checks.length === 0) {
    if (!imageShape || noiseSize === null) return null;
    return (
      <p className="ok-note gan-checks-ok" data-testid="gan-checks" data-errors={0}>
        ✓ The generator turns {noiseSize} random numbers into {formatShape(imageShape)} images; the discriminator takes them and the data's images.
      </p>
    );
  }
  return (
    <ul className="gan-checks" data-testid="gan-checks" data-errors={errors}>
      {checks.map((c, i) => (
        <li key={i} className={`gan-check is-${c.severity}`} data-testid="gan-check" data-severity={c.severity} data-layer={c.layer ?? ''}>
          <span className="gan-check-mark">{c.severity === 'error' ? '●' : '▲'}</span>
          {c.layer
            ? <button type="button" className="link-button mono" onClick={() => editor.select({ nodes: [c.layer!], edges: [] })} title="Select it on the canvas" data-testid={`gan-check-layer-${c.layer}`}>{c.layer}</button>
            : c.network && <span className="muted">{c.network}</span>}
          <span>{c.message}</span>
        </li>
      ))}
    </ul>
  );
}

const END_TITLES = { completed: 'Training completed', cancelled: 'Training stopped', diverged: 'Training diverged', failed: 'Training failed' } as const;

function GanRunStatus({ session }: { session: GanSession }) {
  const { started, progress, end, error, phase, opened, runId } = session;
  const pct = progress ? Math.round(progress.fraction * 100) : 0;
  return (
    <div className="run-status">
      {opened && runId && <div className="muted" data-testid="gan-run-label">Run <span className="mono">{runId}</span>, opened from the list</div>}
      {started && !opened && <div className="backend-line" data-testid="gan-backend">● {started.backendLine}</div>}
      {phase !== 'idle' && (
        <div className="progress-row">
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={pct} data-testid="gan-progress">
            <div className={`progress-fill${phase === 'ended' && end?.status !== 'completed' ? ' is-stopped' : ''}`} style={{ width: `${pct}%` }} />
          </div>
          <span className="progress-text" data-testid="gan-progress-text">
            {phase === 'starting' ? 'Starting: loading images and compiling both networks…'
              : progress && started ? `Epoch ${progress.epoch}/${started.epochs} · batch ${progress.batch}/${started.batchesPerEpoch} · ${pct} %${progress.etaSeconds !== null && phase !== 'ended' ? ` · ETA ${formatDuration(progress.etaSeconds)}` : ''}`
                : started ? `Epoch 1/${started.epochs} · ${started.trainCount} images, noise size ${started.noiseSize}` : ''}
            {phase === 'stopping' && ' · stopping…'}
          </span>
        </div>
      )}
      {end && (
        <div className={`end-status status-${end.status}`} data-testid="gan-status" data-status={end.status}>
          <strong>{END_TITLES[end.status]}</strong>
          {end.reason && <span> — {end.reason}</span>}
          {end.error && end.error.message !== end.reason && <div className="mono error-detail">{end.error.code}: {end.error.message}</div>}
          <span className="muted"> · <span className="mono">{end.runDir}</span></span>
        </div>
      )}
      {error && <div className="error-box" role="alert" data-testid="gan-error">{error}</div>}
    </div>
  );
}

/** A numeric setting, checked against the contract's schema as it is typed; `optional`: empty means that (e.g. "all"). */
function SettingField({ label, testId, value, schema, onValue, disabled, optional, hint }: {
  label: string; testId: string; value: number | undefined; schema: ZodType; onValue(v: number | undefined): void; disabled: boolean; optional?: string; hint?: string;
}) {
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  return (
    <div className={`form-row${error ? ' has-error' : ''}`} title={hint}>
      <label htmlFor={testId}>{label}</label>
      <input
        id={testId} type="text" inputMode="decimal" className="narrow" data-testid={testId} disabled={disabled}
        value={draft ?? (value === undefined ? '' : String(value))} placeholder={optional}
        onChange={(e) => {
          const text = e.target.value;
          setDraft(text);
          if (optional && text.trim() === '') { setError(null); onValue(undefined); return; }
          const n = text.trim() === '' ? Number.NaN : Number(text);
          const r = schema.safeParse(n);
          if (r.success && typeof r.data === 'number') { setError(null); onValue(r.data); }
          else setError(Number.isNaN(n) ? `${label} must be a number` : `${label}: ${r.error?.issues[0]?.message ?? 'not allowed'}`);
        }}
        onBlur={() => { if (!error) setDraft(null); }}
      />
      {error && <div className="param-error" data-testid={`${testId}-error`}>{error}</div>}
    </div>
  );
}

/**
 * The noise size is the generator's Input shape, so it is a canvas edit: committed on Enter
 * or when the field is left (one undo step, not one per keystroke).
 */
function NoiseField({ size, disabled, onCommit }: { size: number; disabled: boolean; onCommit(n: number): void }) {
  const [draft, setDraft] = useState(String(size));
  const n = Number(draft);
  const ok = GanSpecSchema.shape.noiseSize.safeParse(n).success && draft.trim() !== '';
  const commit = (): void => { if (ok && n !== size) onCommit(n); else if (!ok) setDraft(String(size)); };
  return (
    <div className={`form-row${ok ? '' : ' has-error'}`} title="How many random numbers the generator turns into one image: its Input shape on the canvas">
      <label htmlFor="gan-noise-size">Noise size</label>
      <input id="gan-noise-size" type="text" inputMode="numeric" className="narrow" data-testid="gan-noise-size" disabled={disabled} value={draft}
        onChange={(e) => setDraft(e.target.value)} onBlur={commit} onKeyDown={(e) => { if (e.key === 'Enter') commit(); }} />
      {!ok && <div className="param-error" data-testid="gan-noise-size-error">a whole number from 1 to 4096</div>}
    </div>
  );
}
