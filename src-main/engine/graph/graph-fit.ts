import type { BatchResult, FeedSet, GraphTrainer } from './graph-trainer.ts';

export interface EpochLogs { loss: number; acc: number; val_loss?: number; val_acc?: number }

/** The same moments tfjs' model.fit calls back at, so one training loop serves both engines. */
export interface FitCallbacks {
  onEpochBegin?(epoch: number): Promise<void> | void;
  onBatchEnd?(batch: number, logs: BatchResult): Promise<void> | void;
  onEpochEnd?(epoch: number, logs: EpochLogs): Promise<void> | void;
}

export interface FitOptions {
  epochs: number;
  batchSize: number;
  shuffle: boolean;
  validation?: FeedSet | null;
  /** Checked after every batch: true ends the run there (as model.stopTraining does). */
  shouldStop?: () => boolean;
  /** Random source for the shuffle (tests pass a seeded one). */
  random?: () => number;
}

/**
 * model.fit's loop over a GraphTrainer: each epoch visits every training example once in
 * a fresh random order, in batches (the last one may be smaller), then evaluates on the
 * validation set. The epoch's loss and accuracy are sample-weighted means over its batches,
 * as tfjs and Keras report them.
 */
export async function fitOnGraph(trainer: GraphTrainer, train: FeedSet, options: FitOptions, callbacks: FitCallbacks = {}): Promise<void> {
  const size = train.sampleShape.reduce((a, b) => a * b, 1);
  const order = Int32Array.from({ length: train.count }, (_, i) => i);
  const batchPixels = new Float32Array(options.batchSize * size);
  const batchLabels = new Int32Array(options.batchSize);
  const random = options.random ?? Math.random;
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    await callbacks.onEpochBegin?.(epoch);
    if (options.shuffle) shuffleInPlace(order, random);
    let lossSum = 0;
    let accSum = 0;
    let seen = 0;
    let batch = 0;
    for (let from = 0; from < train.count; from += options.batchSize, batch++) {
      const n = Math.min(options.batchSize, train.count - from);
      for (let i = 0; i < n; i++) {
        const sample = order[from + i]!;
        batchPixels.set(train.pixels.subarray(sample * size, (sample + 1) * size), i * size);
        batchLabels[i] = train.labels[sample]!;
      }
      const result = trainer.trainBatch(batchPixels.subarray(0, n * size), batchLabels.subarray(0, n), train.sampleShape);
      lossSum += result.loss * n;
      accSum += result.acc * n;
      seen += n;
      await callbacks.onBatchEnd?.(batch, result);
      if (options.shouldStop?.()) return;
    }
    const logs: EpochLogs = { loss: lossSum / seen, acc: accSum / seen };
    if (options.validation && options.validation.count > 0) {
      const val = trainer.evaluate(options.validation);
      logs.val_loss = val.loss;
      logs.val_acc = val.acc;
    }
    await callbacks.onEpochEnd?.(epoch, logs);
    if (options.shouldStop?.()) return;
  }
}

function shuffleInPlace(order: Int32Array, random: () => number): void {
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = order[i]!;
    order[i] = order[j]!;
    order[j] = t;
  }
}
