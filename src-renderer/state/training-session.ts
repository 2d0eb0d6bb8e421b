import type { TrainEvent } from '../../src-shared/contract/streams.ts';

type Started = Extract<TrainEvent, { type: 'started' }>;
type Ended = Extract<TrainEvent, { type: 'end' }>;
export type Saliency = Extract<TrainEvent, { type: 'saliency' }>;

/** One point of the per-batch curve; x is progress in epochs (1.5 = half-way through epoch 2). */
export interface BatchPoint { x: number; loss: number | null; acc: number | null }
/** One point per finished epoch, at x = epoch. */
export interface EpochPoint { x: number; loss: number | null; acc: number | null; val_loss: number | null; val_acc: number | null; seconds: number }

export type TrainingPhase = 'idle' | 'starting' | 'running' | 'paused' | 'stopping' | 'ended';

/** Everything the training panel shows about the current (or last) run. */
export interface TrainingSession {
  phase: TrainingPhase;
  runId: string | null;
  started: Started | null;
  batches: BatchPoint[];
  epochs: EpochPoint[];
  progress: { epoch: number; batch: number; fraction: number; etaSeconds: number | null } | null;
  end: Ended | null;
  /** A failure outside the run's own end event: train.start refused, or the stream broke. */
  error: string | null;
  /** Epochs whose weights were checkpointed; explanations and exports need at least one. */
  checkpointEpoch: number;
  /** Live saliency: the probes' maps at the epochs they were computed, oldest first. */
  saliency: Saliency[];
}

export const IDLE_SESSION: TrainingSession = {
  phase: 'idle', runId: null, started: null, batches: [], epochs: [], progress: null, end: null, error: null, checkpointEpoch: 0, saliency: [],
};

/** Past this many batch points the curve is thinned by half, so a long run stays cheap to draw. */
export const MAX_BATCH_POINTS = 1200;

export function startingSession(): TrainingSession {
  return { ...IDLE_SESSION, phase: 'starting' };
}

export function reduceTrainEvent(s: TrainingSession, event: TrainEvent): TrainingSession {
  switch (event.type) {
    case 'started':
      return { ...s, phase: s.phase === 'stopping' ? 'stopping' : 'running', runId: event.runId, started: event };
    case 'batch': {
      const perEpoch = s.started?.batchesPerEpoch ?? 1;
      const point: BatchPoint = { x: event.epoch - 1 + event.batch / perEpoch, loss: event.loss, acc: event.acc };
      let batches = [...s.batches, point];
      if (batches.length > MAX_BATCH_POINTS) batches = batches.filter((_, i) => i % 2 === 1 || i === batches.length - 1);
      return { ...s, batches, progress: { epoch: event.epoch, batch: event.batch, fraction: event.progress, etaSeconds: event.etaSeconds } };
    }
    case 'epoch':
      return {
        ...s,
        epochs: [...s.epochs, { x: event.epoch, loss: event.loss, acc: event.acc, val_loss: event.val_loss, val_acc: event.val_acc, seconds: event.seconds }],
        checkpointEpoch: Math.max(s.checkpointEpoch, event.epoch),
      };
    case 'saliency':
      return { ...s, saliency: [...s.saliency, event] };
    case 'control':
      return s.phase === 'stopping' || s.phase === 'ended' ? s : { ...s, phase: event.state === 'paused' ? 'paused' : 'running' };
    case 'end':
      return {
        ...s, phase: 'ended', end: event,
        progress: event.status === 'completed' && s.progress ? { ...s.progress, fraction: 1, etaSeconds: 0 } : s.progress,
      };
  }
}

/** Whether a run is in flight (Train disabled, Stop enabled). */
export function isActive(s: TrainingSession): boolean {
  return s.phase === 'starting' || s.phase === 'running' || s.phase === 'paused' || s.phase === 'stopping';
}

/**
 * How many epochs the x axis spans: the run's length for short runs, else what has been
 * reached so far (plus one), so the first epochs of a long run are not squeezed to a sliver.
 */
export function chartEpochs(batches: readonly { x: number }[], epochs: readonly { x: number }[], totalEpochs: number): number {
  if (totalEpochs <= 10) return Math.max(1, totalEpochs);
  const reached = Math.max(batches.at(-1)?.x ?? 0, epochs.at(-1)?.x ?? 0);
  return Math.min(totalEpochs, Math.max(10, Math.ceil(reached) + 1));
}

/** "1 m 05 s" / "12 s" for the ETA. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} m ${String(s % 60).padStart(2, '0')} s`;
  return `${Math.floor(m / 60)} h ${String(m % 60).padStart(2, '0')} m`;
}
