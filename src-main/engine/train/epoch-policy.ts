import type { TrainingConfig } from '../../../src-shared/contract/project.ts';
import { learningRateAt, PlateauTracker } from '../../../src-shared/contract/training-schedule.ts';

export interface EpochMetrics { epoch: number; loss: number | null; acc: number | null; val_loss: number | null; val_acc: number | null }

/** What to do after an epoch: keep its weights as the checkpoint, and whether to stop (with why). */
export interface EpochDecision { checkpoint: boolean; stop: string | null }

/**
 * The decisions a run makes between epochs, in one place: the learning rate of the next
 * epoch (the schedule, reduce-on-plateau included) and early stopping — which epochs'
 * weights become the checkpoint (every epoch, or only improvements when the best weights
 * are to be kept) and when patience has run out.
 */
export class EpochPolicy {
  private readonly plateau: PlateauTracker | null;
  private best: { epoch: number; value: number } | null = null;
  private waited = 0;

  constructor(private readonly training: TrainingConfig) {
    this.plateau = training.schedule.kind === 'plateau' ? new PlateauTracker(training.schedule.patience) : null;
  }

  /** The learning rate of `epoch` (0-based). */
  learningRate(epoch: number): number {
    return learningRateAt(this.training.schedule, this.training.learningRate, epoch, this.training.epochs, this.plateau?.reductions ?? 0);
  }

  afterEpoch(m: EpochMetrics): EpochDecision {
    this.plateau?.observe(m.val_loss);
    const rule = this.training.earlyStopping;
    if (!rule) return { checkpoint: true, stop: null };
    const value = m[rule.metric];
    // A metric that is missing (no validation split) cannot stop a run; every epoch is kept.
    if (value === null || !Number.isFinite(value)) return { checkpoint: true, stop: null };
    const higherIsBetter = rule.metric === 'val_acc';
    const improved = this.best === null || (higherIsBetter ? value > this.best.value : value < this.best.value);
    if (improved) {
      this.best = { epoch: m.epoch, value };
      this.waited = 0;
      return { checkpoint: true, stop: null };
    }
    this.waited += 1;
    const stop = this.waited >= rule.patience
      ? `stopped early after epoch ${m.epoch}: ${rule.metric} did not improve for ${rule.patience} epoch(s); best ${this.best!.value.toPrecision(4)} at epoch ${this.best!.epoch}${rule.restoreBest ? ', whose weights are kept' : ''}`
      : null;
    return { checkpoint: !rule.restoreBest, stop };
  }
}
