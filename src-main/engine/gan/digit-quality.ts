import type * as tfType from '@tensorflow/tfjs';
import { getTemplate } from '../../../src-shared/spec/templates.ts';
import type { Tf } from '../backend/load-engine-backend.ts';
import { buildModel } from '../compile/compile-model.ts';
import { withSeededMathRandom } from '../train/compile-for-training.ts';
import type { DigitSet } from '../testing/mnist-digits.ts';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';

/**
 * The GAN's quality figure, measured rather than eyeballed: a digit classifier trained on
 * real digits reads each generated image. A good generator makes images the classifier is
 * sure about (max probability > `confidence`) and spreads them over the classes; mode
 * collapse shows as most images in one class.
 */
export interface DigitSampleScore {
  samples: number;
  /** Share of samples the classifier gives one class with probability above the threshold. */
  confidentFraction: number;
  /** Samples per predicted class (0–9), all samples counted. */
  classCounts: number[];
  /** Classes that hold at least `minClassShare` of the samples. */
  classesPresent: number;
  confidence: number;
  minClassShare: number;
}

export function scoreDigitSamples(
  tf: Tf, classifier: tfType.LayersModel, images01: tfType.Tensor4D,
  { confidence = 0.9, minClassShare = 0.02 }: { confidence?: number; minClassShare?: number } = {},
): DigitSampleScore {
  const probs = tf.tidy(() => classifier.predict(images01, { batchSize: 256 }) as tfType.Tensor2D);
  const [maxP, argMax] = tf.tidy(() => [probs.max(1), probs.argMax(1)]);
  const maxValues = maxP!.dataSync();
  const classes = argMax!.dataSync();
  tf.dispose([probs, maxP!, argMax!]);
  const samples = images01.shape[0];
  const classCounts = new Array<number>(10).fill(0);
  let confident = 0;
  for (let i = 0; i < samples; i++) {
    classCounts[classes[i]!]! += 1;
    if (maxValues[i]! > confidence) confident += 1;
  }
  return {
    samples, confidentFraction: confident / samples, classCounts,
    classesPresent: classCounts.filter((n) => n >= minClassShare * samples).length, confidence, minClassShare,
  };
}

/**
 * The LeNet template trained on real digits (pixels in [0, 1]) with Adam: the quality figure's
 * judge. Deterministic for a seed — initial weights AND the order of the batches — because a
 * judge that changes from run to run moves the figure it reads (two judges shuffled by
 * fit's own unseeded shuffle read one generator several points apart).
 */
export async function trainDigitClassifier(tf: Tf, train: DigitSet, { epochs = 3, seed = 1 }: { epochs?: number; seed?: number } = {}): Promise<tfType.LayersModel> {
  const spec = getTemplate('lenet')!.build({ inputShape: [28, 28, 1], classes: 10 });
  const model = withSeededMathRandom(seed, () => buildModel(tf, spec));
  model.compile({ optimizer: tf.train.adam(0.001), loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  const random = seededRandom(seed * 7 + 3);
  const order = Int32Array.from({ length: train.count }, (_, i) => i);
  const pixels = new Float32Array(train.pixels.length);
  const labels = new Int32Array(train.count);
  const size = 28 * 28;
  for (let epoch = 0; epoch < epochs; epoch++) {
    for (let i = order.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [order[i], order[j]] = [order[j]!, order[i]!];
    }
    order.forEach((from, to) => {
      pixels.set(train.pixels.subarray(from * size, (from + 1) * size), to * size);
      labels[to] = train.labels[from]!;
    });
    const x = tf.tensor4d(pixels, [train.count, 28, 28, 1]);
    const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 10));
    try {
      await model.fit(x, y, { epochs: 1, batchSize: 64, shuffle: false, verbose: 0 });
    } finally {
      tf.dispose([x, y]);
    }
  }
  return model;
}

/** Share of `set` the classifier gets right. */
export function classifierAccuracy(tf: Tf, classifier: tfType.LayersModel, set: DigitSet): number {
  const predicted = tf.tidy(() => (classifier.predict(tf.tensor4d(set.pixels, [set.count, 28, 28, 1]), { batchSize: 256 }) as tfType.Tensor2D).argMax(1).dataSync());
  let right = 0;
  for (let i = 0; i < set.count; i++) if (predicted[i] === set.labels[i]) right += 1;
  return right / set.count;
}
