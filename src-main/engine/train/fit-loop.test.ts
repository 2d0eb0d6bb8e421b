import { describe, expect, it } from 'vitest';
import { memorySplit } from '../../data/loaded-dataset.ts';
import { fitLoop, type BatchStepper } from './fit-loop.ts';

/** A stepper that records what it was fed (the loop's contract is what reaches the engine). */
function recorder() {
  const trained: number[][] = [];
  const evaluated: number[][] = [];
  const stepper: BatchStepper = {
    trainBatch: (x, _y, n) => { trained.push(Array.from(x.subarray(0, n))); return { loss: 1, acc: 0.5 }; },
    evaluateBatch: (x, _y, n) => { evaluated.push(Array.from(x.subarray(0, n))); return { lossSum: n * 2, correct: n }; },
    setLearningRate: () => {},
  };
  return { stepper, trained, evaluated };
}

describe('fitLoop', () => {
  it('augments training batches only, visits every sample once per epoch, and evaluates validation unchanged', async () => {
    const train = memorySplit(Float32Array.from({ length: 10 }, (_, i) => i), 1, Int32Array.from({ length: 10 }, () => 0), Array.from({ length: 10 }, (_, i) => `t${i}`));
    const validation = memorySplit(Float32Array.from([100, 101, 102]), 1, Int32Array.from([0, 0, 0]), ['v0', 'v1', 'v2']);
    const { stepper, trained, evaluated } = recorder();
    const epochs: unknown[] = [];
    await fitLoop(stepper, train, {
      epochs: 2, batchSize: 4, shuffle: true, targetsPerSample: 1, validation,
      augment: (x, n) => { for (let i = 0; i < n; i++) x[i] = -x[i]! - 1; },
    }, { onEpochEnd: (_e, logs) => { epochs.push(logs); } });
    expect(trained.map((b) => b.length)).toEqual([4, 4, 2, 4, 4, 2]);
    expect(trained.slice(0, 3).flat().map((v) => -v - 1).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(evaluated).toEqual([[100, 101, 102], [100, 101, 102]]); // never augmented
    expect(epochs).toEqual([{ loss: 1, acc: 0.5, val_loss: 2, val_acc: 1 }, { loss: 1, acc: 0.5, val_loss: 2, val_acc: 1 }]);
    // The training data itself is untouched (augmentation works on the batch copy).
    expect(Array.from((train.x as unknown as { data: Float32Array }).data)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('carries regression targets per sample and reports no accuracy', async () => {
    const train = memorySplit(Float32Array.from([1, 2, 3]), 1, Float32Array.from([10, 11, 20, 21, 30, 31]), ['a', 'b', 'c']);
    const seen: number[][] = [];
    const stepper: BatchStepper = {
      trainBatch: (_x, y) => { seen.push(Array.from(y)); return { loss: 0.5, acc: null }; },
      evaluateBatch: () => ({ lossSum: 0, correct: null }),
      setLearningRate: () => {},
    };
    let logs: unknown;
    await fitLoop(stepper, train, { epochs: 1, batchSize: 3, shuffle: false, targetsPerSample: 2 }, { onEpochEnd: (_e, l) => { logs = l; } });
    expect(seen).toEqual([[10, 11, 20, 21, 30, 31]]);
    expect(logs).toEqual({ loss: 0.5, acc: null });
  });
});
