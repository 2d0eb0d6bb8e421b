import { Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { TrainingConfig } from '../../src-shared/contract/project.ts';
import { EarlyStoppingSchema, learningRateAt, ScheduleSchema, type Schedule } from '../../src-shared/contract/training-schedule.ts';
import { useAppStores, useEditor } from '../state/app-context.tsx';
import { NumberBox } from './data-controls.tsx';

const SCHEDULE_LABELS: Record<Schedule['kind'], string> = {
  constant: 'constant', step: 'step decay', exponential: 'exponential decay', cosine: 'cosine', plateau: 'reduce on plateau',
};

/** The learning rate of every epoch, as the engine will use it (plateau: until its first reduction). */
export function scheduleCurve(training: Pick<TrainingConfig, 'schedule' | 'learningRate' | 'epochs'>): Array<{ epoch: number; lr: number }> {
  return Array.from({ length: training.epochs }, (_, e) => ({ epoch: e + 1, lr: learningRateAt(training.schedule, training.learningRate, e, training.epochs) }));
}

/**
 * How the learning rate moves over the run — plotted before training, from the same
 * function the engine uses — and when to stop early. Disabled while a run is going.
 */
export function TrainingPolicySettings({ config, disabled }: { config: TrainingConfig; disabled: boolean }) {
  const { editor } = useAppStores();
  const loadCount = useEditor((s) => s.loadCount);
  const schedule = config.schedule;
  const setSchedule = (next: Record<string, unknown>): void => editor.setTraining({ schedule: ScheduleSchema.parse(next) });
  const stopping = config.earlyStopping;
  const setStopping = (patch: Record<string, unknown> | null): void =>
    editor.setTraining({ earlyStopping: patch === null ? null : EarlyStoppingSchema.parse({ ...stopping, ...patch }) });
  const curve = scheduleCurve(config);
  return (
    <div className="training-policy">
      <div className="form-row">
        <label htmlFor="train-schedule">LR schedule</label>
        <select id="train-schedule" data-testid="train-schedule" value={schedule.kind} disabled={disabled}
          onChange={(e) => setSchedule({ kind: e.target.value })}>
          {ScheduleSchema.options.map((o) => o.shape.kind.value).map((k) => <option key={k} value={k}>{SCHEDULE_LABELS[k]}</option>)}
        </select>
      </div>
      {schedule.kind === 'step' && (
        <div className="form-row">
          <label htmlFor="train-schedule-every">Every</label>
          <span className="param-pair">
            <NumberBox key={`every${loadCount}`} id="train-schedule-every" testId="train-schedule-every" value={schedule.every} min={1} max={10_000} onValue={(every) => setSchedule({ ...schedule, every })} />
            <span className="muted">epochs ×</span>
            <FactorBox value={schedule.factor} onValue={(factor) => setSchedule({ ...schedule, factor })} disabled={disabled} />
          </span>
        </div>
      )}
      {(schedule.kind === 'exponential' || schedule.kind === 'plateau') && (
        <div className="form-row">
          <label htmlFor="train-schedule-factor">Factor</label>
          <FactorBox value={schedule.factor} onValue={(factor) => setSchedule({ ...schedule, factor })} disabled={disabled} />
          {schedule.kind === 'plateau' && <span className="form-hint muted">after {schedule.patience} epochs without a better validation loss</span>}
        </div>
      )}
      <figure className="schedule-chart" data-testid="schedule-chart" data-points={curve.map((p) => p.lr.toPrecision(4)).join(' ')}>
        <ResponsiveContainer width="100%" height={70}>
          <LineChart data={curve} margin={{ top: 4, right: 6, bottom: 0, left: 0 }}>
            <XAxis dataKey="epoch" hide />
            <YAxis hide domain={[0, 'auto']} />
            <Tooltip formatter={(v) => (typeof v === 'number' ? v.toPrecision(3) : String(v))} labelFormatter={(e) => `epoch ${String(e)}`} />
            <Line type="stepAfter" dataKey="lr" stroke="#4c8dff" dot={false} isAnimationActive={false} />
          </LineChart>
        </ResponsiveContainer>
      </figure>
      <div className="form-row">
        <label htmlFor="train-class-weights">Class weights</label>
        <select id="train-class-weights" data-testid="train-class-weights" value={config.classWeights} disabled={disabled}
          onChange={(e) => editor.setTraining({ classWeights: e.target.value === 'balanced' ? 'balanced' : 'none' })}>
          <option value="none">none</option>
          <option value="balanced">balanced (rare classes count more)</option>
        </select>
      </div>
      <div className="form-row">
        <label htmlFor="train-seed">Seed</label>
        <input id="train-seed" type="text" inputMode="numeric" className="narrow" data-testid="train-seed" disabled={disabled} placeholder="random"
          key={`seed${loadCount}`} defaultValue={config.seed ?? ''}
          onChange={(e) => {
            const v = e.target.value.trim();
            const n = Number(v);
            if (v === '') editor.setTraining({ seed: undefined });
            else if (Number.isInteger(n) && n >= 1 && n < 2 ** 31) editor.setTraining({ seed: n });
          }} />
        <span className="form-hint muted">same seed, same curve</span>
      </div>
      <label className="check-row">
        <input type="checkbox" checked={stopping !== null} disabled={disabled} data-testid="train-early-stop"
          onChange={(e) => setStopping(e.target.checked ? {} : null)} />
        Stop early, keep the best epoch
      </label>
      {stopping && (
        <>
          <div className="form-row">
            <label htmlFor="train-early-metric">Watch</label>
            <select id="train-early-metric" value={stopping.metric} disabled={disabled} data-testid="train-early-metric" onChange={(e) => setStopping({ metric: e.target.value })}>
              <option value="val_loss">val_loss</option>
              <option value="val_acc">val_acc</option>
              <option value="loss">loss</option>
            </select>
          </div>
          <div className="form-row">
            <label htmlFor="train-early-patience">Patience</label>
            <NumberBox key={`pat${loadCount}`} id="train-early-patience" testId="train-early-patience" value={stopping.patience} min={1} max={1000} onValue={(patience) => setStopping({ patience })} />
            <span className="form-hint muted">epochs without gain</span>
          </div>
        </>
      )}
      <LiveSaliencySettings config={config} disabled={disabled} />
    </div>
  );
}

/** Live saliency: on/off, its time budget, and the pinned probe images (pinned from the Explain tab). */
function LiveSaliencySettings({ config, disabled }: { config: TrainingConfig; disabled: boolean }) {
  const { editor } = useAppStores();
  const live = config.liveSaliency;
  const set = (patch: Partial<TrainingConfig['liveSaliency']>): void => editor.setTraining({ liveSaliency: { ...live, ...patch } });
  return (
    <>
      <label className="check-row" title="Image classifiers: Grad-CAM and gradient maps of a few probe images at epoch ends, shown as a timeline beside the curves">
        <input type="checkbox" checked={live.enabled} disabled={disabled} data-testid="train-live-saliency" onChange={(e) => set({ enabled: e.target.checked })} />
        Live saliency of probe images
      </label>
      {live.enabled && (
        <>
          <div className="form-row">
            <label htmlFor="train-saliency-budget">Budget</label>
            <select id="train-saliency-budget" value={live.budget} disabled={disabled} data-testid="train-saliency-budget" onChange={(e) => set({ budget: Number(e.target.value) })}>
              {[...new Set([0.01, 0.02, 0.05, 0.1, 0.25, 1, live.budget])].sort((a, b) => a - b).map((b) => <option key={b} value={b}>{b === 1 ? 'every epoch' : `${b * 100} % of training time`}</option>)}
            </select>
          </div>
          <div className="form-hint muted" data-testid="train-probes">
            {live.probes.length === 0 ? 'probes: one validation image per class (pin others in Explain)' : `${live.probes.length} pinned probe${live.probes.length === 1 ? '' : 's'}`}
            {live.probes.length > 0 && !disabled && <button type="button" className="link-button" onClick={() => set({ probes: [] })} data-testid="btn-unpin-probes">unpin all</button>}
          </div>
        </>
      )}
    </>
  );
}

function FactorBox({ value, onValue, disabled }: { value: number; onValue(v: number): void; disabled: boolean }) {
  return (
    <select aria-label="Factor" value={value} disabled={disabled} data-testid="train-schedule-factor" onChange={(e) => onValue(Number(e.target.value))}>
      {[...new Set([0.1, 0.2, 0.5, 0.8, 0.9, 0.95, 0.99, value])].sort((a, b) => a - b).map((f) => <option key={f} value={f}>×{f}</option>)}
    </select>
  );
}
