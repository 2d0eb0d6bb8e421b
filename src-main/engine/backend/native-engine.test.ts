import { describe, expect, it } from 'vitest';
import { loadDigits } from '../testing/mnist-digits.ts';
import { loadEngineBackend } from './load-engine-backend.ts';

// The engine that CI gets from `npm install` is the one users get: native libtensorflow.
describe('native engine', () => {
  it('is the backend chosen after npm install', async () => {
    const backend = await loadEngineBackend();
    expect(backend.problems).toEqual([]);
    expect({ name: backend.name, native: backend.native }).toEqual({ name: 'tensorflow', native: true });
  });

  it('trains a small CNN on real digits: the loss falls and held-out digits are recognised', async () => {
    const { tf } = await loadEngineBackend();
    const { train, test } = loadDigits({ trainCount: 3000, testCount: 500, seed: 7 });
    const model = tf.sequential({
      layers: [
        tf.layers.conv2d({ inputShape: [28, 28, 1], filters: 8, kernelSize: 3, activation: 'relu' }),
        tf.layers.maxPooling2d({ poolSize: 2 }),
        tf.layers.flatten(),
        tf.layers.dense({ units: 10, activation: 'softmax' }),
      ],
    });
    model.compile({ optimizer: tf.train.adam(0.003), loss: 'sparseCategoricalCrossentropy', metrics: ['accuracy'] });
    const xs = tf.tensor4d(train.pixels, [train.count, 28, 28, 1]);
    const ys = tf.tensor1d(train.labels, 'float32');
    const losses: number[] = [];
    await model.fit(xs, ys, {
      epochs: 3, batchSize: 64, shuffle: true, verbose: 0,
      callbacks: { onEpochEnd: (_e, logs) => { losses.push(logs!.loss as number); } },
    });
    const predicted = Array.from(tf.tidy(() => (model.predict(tf.tensor4d(test.pixels, [test.count, 28, 28, 1])) as ReturnType<typeof tf.tensor2d>).argMax(-1).dataSync()));
    const accuracy = predicted.filter((p, i) => p === test.labels[i]).length / test.count;
    xs.dispose();
    ys.dispose();
    expect(losses[2]!).toBeLessThan(losses[0]! * 0.7);
    expect(accuracy).toBeGreaterThan(0.85);
  });
});
