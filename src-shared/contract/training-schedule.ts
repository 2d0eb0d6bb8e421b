import { z } from 'zod';

/**
 * How the learning rate changes over a run. Pure data and a pure function, so the window
 * plots the schedule before training with the very numbers the engine will use.
 */
export const ScheduleSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('constant') }),
  /** Multiply by `factor` every `every` epochs. */
  z.object({ kind: z.literal('step'), every: z.number().int().min(1).default(10), factor: z.number().gt(0).max(1).default(0.5) }),
  /** Multiply by `factor` after every epoch. */
  z.object({ kind: z.literal('exponential'), factor: z.number().gt(0).max(1).default(0.9) }),
  /** Half a cosine from the base rate down to `floor` × base over the run's epochs. */
  z.object({ kind: z.literal('cosine'), floor: z.number().min(0).max(1).default(0) }),
  /** Multiply by `factor` when validation loss has not improved for `patience` epochs. */
  z.object({ kind: z.literal('plateau'), factor: z.number().gt(0).max(1).default(0.5), patience: z.number().int().min(1).default(3) }),
]);
export type Schedule = z.infer<typeof ScheduleSchema>;

export const EarlyStoppingSchema = z.object({
  metric: z.enum(['val_loss', 'val_acc', 'loss']).default('val_loss'),
  /** Epochs without improvement before the run stops. */
  patience: z.number().int().min(1).max(1000).default(5),
  /** Keep the weights of the best epoch (the checkpoint is only written when the metric improves). */
  restoreBest: z.boolean().default(true),
});
export type EarlyStopping = z.infer<typeof EarlyStoppingSchema>;

/**
 * The learning rate for `epoch` (0-based) of `epochs`. For `plateau` the caller keeps the
 * count of reductions so far (each one multiplies by the factor); the others depend on the
 * epoch alone, so the whole curve can be drawn in advance.
 */
export function learningRateAt(schedule: Schedule, base: number, epoch: number, epochs: number, plateauReductions = 0): number {
  switch (schedule.kind) {
    case 'constant': return base;
    case 'step': return base * schedule.factor ** Math.floor(epoch / schedule.every);
    case 'exponential': return base * schedule.factor ** epoch;
    case 'cosine': {
      const t = epochs <= 1 ? 0 : epoch / (epochs - 1);
      const floor = base * schedule.floor;
      return floor + (base - floor) * 0.5 * (1 + Math.cos(Math.PI * t));
    }
    case 'plateau': return base * schedule.factor ** plateauReductions;
  }
}

/** Tracks validation loss for `plateau` and says when to reduce. */
export class PlateauTracker {
  private best = Infinity;
  private waited = 0;
  reductions = 0;

  constructor(private readonly patience: number) {}

  /** Feeds one epoch's validation loss; returns true when the rate was just reduced. */
  observe(valLoss: number | null | undefined): boolean {
    if (valLoss === null || valLoss === undefined || !Number.isFinite(valLoss)) return false;
    if (valLoss < this.best - 1e-12) {
      this.best = valLoss;
      this.waited = 0;
      return false;
    }
    this.waited += 1;
    if (this.waited < this.patience) return false;
    this.waited = 0;
    this.reductions += 1;
    return true;
  }
}
