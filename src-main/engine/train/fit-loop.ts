import type { DataSplit } from '../../data/loaded-dataset.ts';

/** One batch's mean loss and, for classification, accuracy. */
export interface StepResult { loss: number; acc: number | null }
export interface EpochLogs { loss: number; acc: number | null; val_loss?: number; val_acc?: number | null }

/**
 * What the loop needs of an engine: one optimizer step on a batch, and the inference pass
 * on a batch. The graph engine and tfjs' op-by-op path both provide it (train-steppers.ts).
 */
export interface BatchStepper {
  trainBatch(x: Float32Array, y: Int32Array | Float32Array, n: number): StepResult | Promise<StepResult>;
  /** Summed loss over the batch and the number classified right (null for regression). */
  evaluateBatch(x: Float32Array, y: Int32Array | Float32Array, n: number): { lossSum: number; correct: number | null };
  /** The learning rate of the steps that follow (a schedule calls it between epochs). */
  setLearningRate(learningRate: number): void;
}

/** The same moments tfjs' model.fit calls back at, so one loop serves both engines. */
export interface FitCallbacks {
  onEpochBegin?(epoch: number): Promise<void> | void;
  onBatchEnd?(batch: number, logs: StepResult): Promise<void> | void;
  onEpochEnd?(epoch: number, logs: EpochLogs): Promise<void> | void;
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  validation?: DataSplit | null;
  /** Outputs per sample in `y` (1 for class indices; the target count for regression). */
  targetsPerSample: number;
  /** Changes a training batch in place before the step (augmentation); never called for validation. */
  augment?: (x: Float32Array, n: number) => void;
  /** Checked after every batch: true ends the run there (as model.stopTraining does). */
  shouldStop?: () => boolean;
  /** Random source for the shuffle (tests pass a seeded one). */
  random?: () => number;
  /** The first epoch to run (0-based): a resumed run starts after its last checkpoint. */
  initialEpoch?: number;
}

const EVAL_BATCH = 256;

/**
 * model.fit's loop over any BatchStepper and any SampleStore (in memory or streamed from
 * disk): each epoch visits every training sample once in a fresh random order, in batches
 * (the last may be smaller), then evaluates on validation in batches. The epoch's loss and
 * accuracy are sample-weighted means over its batches, as tfjs and Keras report them.
 * Only two batch buffers exist, so a dataset far larger than memory trains in constant memory.
 */
export async function fitLoop(stepper: BatchStepper, train: DataSplit, options: FitOptions, callbacks: FitCallbacks = {}): Promise<void> {
  const size = train.x.sampleSize;
  const per = options.targetsPerSample;
  const order = Int32Array.from({ length: train.count }, (_, i) => i);
  const bx = new Float32Array(options.batchSize * size);
  const by = train.y instanceof Int32Array ? new Int32Array(options.batchSize * per) : new Float32Array(options.batchSize * per);
  const random = options.random ?? Math.random;
  for (let epoch = options.initialEpoch ?? 0; epoch < options.epochs; epoch++) {
    await callbacks.onEpochBegin?.(epoch);
    if (options.shuffle) shuffleInPlace(order, random);
    let lossSum = 0;
    let accSum = 0;
    let seen = 0;
    let batch = 0;
    for (let from = 0; from < train.count; from += options.batchSize, batch++) {
      const n = Math.min(options.batchSize, train.count - from);
      const indices = order.subarray(from, from + n);
      train.x.gather(indices, bx);
      // A streamed store reads the next batch while this one trains.
      if (from + options.batchSize < train.count) train.x.prefetch?.(order.subarray(from + options.batchSize, Math.min(train.count, from + 2 * options.batchSize)));
      for (let i = 0; i < n; i++) by.set(train.y.subarray(indices[i]! * per, (indices[i]! + 1) * per), i * per);
      options.augment?.(bx, n);
      const result = await stepper.trainBatch(bx.subarray(0, n * size), by.subarray(0, n * per), n);
      lossSum += result.loss * n;
      accSum += (result.acc ?? 0) * n;
      seen += n;
      await callbacks.onBatchEnd?.(batch, result);
      if (options.shouldStop?.()) return;
    }
    const logs: EpochLogs = { loss: lossSum / seen, acc: per === 1 && train.y instanceof Int32Array ? accSum / seen : null };
    if (options.validation && options.validation.count > 0) Object.assign(logs, evaluateSplit(stepper, options.validation, per));
    await callbacks.onEpochEnd?.(epoch, logs);
    if (options.shouldStop?.()) return;
  }
}

/** Mean loss and accuracy of the inference pass over a split, read in batches. */
export function evaluateSplit(stepper: BatchStepper, split: DataSplit, per: number): { val_loss: number; val_acc: number | null } {
  const size = split.x.sampleSize;
  const bx = new Float32Array(EVAL_BATCH * size);
  let lossSum = 0;
  let correct: number | null = 0;
  for (let from = 0; from < split.count; from += EVAL_BATCH) {
    const n = Math.min(EVAL_BATCH, split.count - from);
    split.x.gather(Int32Array.from({ length: n }, (_, i) => from + i), bx);
    const r = stepper.evaluateBatch(bx.subarray(0, n * size), split.y.subarray(from * per, (from + n) * per), n);
    lossSum += r.lossSum;
    correct = r.correct === null || correct === null ? null : correct + r.correct;
  }
  return { val_loss: lossSum / split.count, val_acc: correct === null ? null : correct / split.count };
}

function shuffleInPlace(order: Int32Array, random: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
}
