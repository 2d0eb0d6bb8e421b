import type * as tfType from '@tensorflow/tfjs';
import type { Targets } from '../../../src-shared/contract/preprocessing.ts';
import { outputsPerSample } from '../../data/loaded-dataset.ts';
import type { Tf } from '../backend/load-engine-backend.ts';
import type { GraphTrainer } from '../graph/graph-trainer.ts';
import { crossEntropyPerSample } from './compile-for-training.ts';
import type { BatchStepper, StepResult } from './fit-loop.ts';

/** Steps on the native graph engine (classification only; it feeds class indices). */
export function graphStepper(trainer: GraphTrainer, sampleShape: readonly number[]): BatchStepper {
  return {
    trainBatch: (x, y) => trainer.trainBatch(x, y as Int32Array, sampleShape),
    evaluateBatch: (x, y) => trainer.evaluateBatch(x, y as Int32Array, sampleShape),
    setLearningRate: (learningRate) => { trainer.learningRate = learningRate; },
  };
}

/**
 * Steps with tfjs, one op at a time: trainOnBatch for training, evaluate for the inference
 * pass. Class indices become one-hot rows here, regression targets go in as they are.
 *
 * tfjs seeds each random op of a training step (dropout masks, Gaussian noise) from
 * Math.random when the layer names no seed, so `stepRandom` — a generator seeded from the
 * run's seed — stands in for Math.random during each training step: the same seed draws
 * the same masks. The engine process trains one run at a time and nothing else in it draws
 * from Math.random while a step is in flight.
 */
export function tfjsStepper(tf: Tf, model: tfType.LayersModel, sampleShape: readonly number[], targets: Targets, outputIsProbabilities: boolean, stepRandom?: () => number): BatchStepper {
  const k = outputsPerSample(targets);
  const classes = targets.type === 'classes';
  const tensors = (x: Float32Array, y: Int32Array | Float32Array, n: number): [tfType.Tensor, tfType.Tensor] => [
    tf.tensor(x, [n, ...sampleShape], 'float32'),
    classes ? tf.tidy(() => tf.oneHot(tf.tensor1d(y as Int32Array, 'int32'), k).toFloat()) : tf.tensor2d(y as Float32Array, [n, k]),
  ];
  const scalars = (out: tfType.Scalar | tfType.Scalar[] | number | number[]): number[] => {
    const list = Array.isArray(out) ? out : [out];
    return list.map((v) => (typeof v === 'number' ? v : v.dataSync()[0]!));
  };
  return {
    // Adam, RMSProp and Adagrad read their learningRate field at every step; SGD keeps a
    // scalar made by its setLearningRate.
    setLearningRate: (learningRate) => {
      const optimizer = model.optimizer as unknown as { learningRate: number; setLearningRate?(lr: number): void };
      if (optimizer.setLearningRate) optimizer.setLearningRate(learningRate);
      else optimizer.learningRate = learningRate;
    },
    async trainBatch(x, y, n): Promise<StepResult> {
      const [xs, ys] = tensors(x, y, n);
      const original = Math.random;
      if (stepRandom) Math.random = stepRandom;
      try {
        const [loss, acc] = scalars(await model.trainOnBatch(xs, ys));
        return { loss: loss!, acc: classes ? acc ?? null : null };
      } finally {
        Math.random = original;
        tf.dispose([xs, ys]);
      }
    },
    // The unweighted loss, whatever the training loss weighs (class weights leave
    // validation alone, as in Keras and on the graph engine).
    evaluateBatch(x, y, n) {
      const [xs, ys] = tensors(x, y, n);
      try {
        const sums = tf.tidy((): tfType.Tensor[] => {
          const out = model.predict(xs) as tfType.Tensor;
          if (!classes) return [tf.sum(tf.mean(tf.square(tf.sub(out, ys)), -1))];
          const perSample = crossEntropyPerSample(tf, ys, out, outputIsProbabilities);
          return [tf.sum(perSample), tf.sum(tf.cast(tf.equal(tf.argMax(out, -1), tf.argMax(ys, -1)), 'float32'))];
        });
        const [lossSum, correct] = sums.map((t) => t.dataSync()[0]!);
        tf.dispose(sums);
        return { lossSum: lossSum!, correct: classes ? correct! : null };
      } finally {
        tf.dispose([xs, ys]);
      }
    },
  };
}
