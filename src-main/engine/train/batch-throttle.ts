import type { TrainEvent } from '../../../src-shared/contract/streams.ts';

/**
 * Per-batch metrics are throttled at the source: at most one batch event per `minGapMs`
 * (20/s), plus always the last batch of each epoch, so a fast model on a fast engine
 * does not flood the window or the log. Progress and ETA come from the whole run.
 */
export class BatchThrottle {
  private lastSent = -Infinity;
  private done = 0;
  private readonly start = performance.now();

  constructor(
    private readonly totalBatches: number,
    private readonly send: (e: TrainEvent) => void,
    private readonly minGapMs = 50,
    private readonly now: () => number = () => performance.now(),
  ) {}

  batch(epoch: number, batch: number, loss: number | null, acc: number | null, lastOfEpoch: boolean): void {
    this.done += 1;
    const t = this.now();
    if (!lastOfEpoch && t - this.lastSent < this.minGapMs) return;
    this.lastSent = t;
    const progress = Math.min(1, this.done / this.totalBatches);
    const elapsed = (t - this.start) / 1000;
    const etaSeconds = this.done >= 2 ? (elapsed / this.done) * (this.totalBatches - this.done) : null;
    this.send({ type: 'batch', epoch, batch, loss, acc, progress, etaSeconds });
  }
}
