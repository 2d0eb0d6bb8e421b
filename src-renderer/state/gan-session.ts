import type { GanEvent } from '../../src-shared/contract/gan.ts';

type Started = Extract<GanEvent, { type: 'started' }>;
type Ended = Extract<GanEvent, { type: 'end' }>;

/** One point of the per-batch curves; x is progress in epochs (1.5 = half-way through epoch 2). */
export interface GanBatchPoint { x: number; d_loss: number | null; g_loss: number | null }
/** One point per finished epoch, at x = epoch: the epoch's mean losses and the discriminator's accuracy. */
export interface GanEpochPoint { x: number; d_loss: number | null; g_loss: number | null; d_acc_real: number; d_acc_fake: number; seconds: number }
/** The generator's grid of samples from the run's fixed noise at the end of one epoch. */
export interface GanFrame { epoch: number; png: string; width: number; height: number }

export type GanPhase = 'idle' | 'starting' | 'running' | 'stopping' | 'ended';

/** Everything the GAN panel shows about the run it follows: the one trained here, or a past one opened. */
export interface GanSession {
  phase: GanPhase;
  runId: string | null;
  /** True when the run was opened from the list (replayed from its events), not started in this window. */
  opened: boolean;
  started: Started | null;
  batches: GanBatchPoint[];
  epochs: GanEpochPoint[];
  /** The sample timeline, oldest first; one frame per epoch. */
  frames: GanFrame[];
  progress: { epoch: number; batch: number; fraction: number; etaSeconds: number | null } | null;
  end: Ended | null;
  /** A failure outside the run's own end event: gan.start refused, or the stream broke. */
  error: string | null;
}

export const IDLE_GAN_SESSION: GanSession = {
  phase: 'idle', runId: null, opened: false, started: null, batches: [], epochs: [], frames: [], progress: null, end: null, error: null,
};

/** Past this many batch points the curves are thinned by half, so a long run stays cheap to draw. */
export const MAX_GAN_BATCH_POINTS = 1200;

export function reduceGanEvent(s: GanSession, event: GanEvent): GanSession {
  switch (event.type) {
    case 'started':
      return { ...s, phase: s.phase === 'stopping' ? 'stopping' : 'running', started: event };
    case 'batch': {
      const perEpoch = s.started?.batchesPerEpoch ?? 1;
      let batches = [...s.batches, { x: event.epoch - 1 + event.batch / perEpoch, d_loss: event.d_loss, g_loss: event.g_loss }];
      if (batches.length > MAX_GAN_BATCH_POINTS) batches = batches.filter((_, i) => i % 2 === 1 || i === batches.length - 1);
      return { ...s, batches, progress: { epoch: event.epoch, batch: event.batch, fraction: event.progress, etaSeconds: event.etaSeconds } };
    }
    case 'epoch': {
      const point: GanEpochPoint = { x: event.epoch, d_loss: event.d_loss, g_loss: event.g_loss, d_acc_real: event.d_acc_real, d_acc_fake: event.d_acc_fake, seconds: event.seconds };
      return { ...s, epochs: [...s.epochs.filter((e) => e.x !== event.epoch), point] };
    }
    case 'samples': {
      // A replayed history and the live feed may both carry an epoch's grid: keep one per epoch.
      const frame: GanFrame = { epoch: event.epoch, png: event.png, width: event.width, height: event.height };
      return { ...s, frames: [...s.frames.filter((f) => f.epoch !== event.epoch), frame].sort((a, b) => a.epoch - b.epoch) };
    }
    case 'end':
      return {
        ...s, phase: 'ended', end: event,
        progress: event.status === 'completed' && s.progress ? { ...s.progress, fraction: 1, etaSeconds: 0 } : s.progress,
      };
  }
}

/** Whether a run is in flight (Train disabled, Stop enabled). */
export function isGanActive(s: GanSession): boolean {
  return s.phase === 'starting' || s.phase === 'running' || s.phase === 'stopping';
}

/** The epoch whose generator the run's checkpoint holds (exports and "Generate" need one). */
export function ganCheckpointEpoch(s: GanSession): number {
  return s.epochs.reduce((m, e) => Math.max(m, e.x), 0);
}
