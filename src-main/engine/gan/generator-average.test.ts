import type * as tfType from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { dcganTemplate, GanTrainingConfigSchema } from '../../../src-shared/contract/gan.ts';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';
import { loadEngineBackend } from '../backend/load-engine-backend.ts';
import { buildGanModels, GanTrainer } from './gan-trainer.ts';

const weightsOf = (model: tfType.LayersModel): Float32Array[] => model.weights.map((w) => w.read().dataSync() as Float32Array);

/** A batch of 'real' images in [-1, 1]: any batch moves the weights, which is all these checks need. */
function batch(tf: Awaited<ReturnType<typeof loadEngineBackend>>['tf'], seed: number): tfType.Tensor4D {
  const random = seededRandom(seed);
  return tf.tensor4d(Float32Array.from({ length: 8 * 784 }, () => random() * 2 - 1), [8, 28, 28, 1]);
}

describe('the generator a GAN run keeps', () => {
  it('is the moving average of the training generator, BatchNormalization statistics included, with a warm-up', async () => {
    const { tf } = await loadEngineBackend();
    const gan = dcganTemplate();
    const training = GanTrainingConfigSchema.parse({ batchSize: 8, seed: 2, generatorAverage: 0.999 });
    const trainer = new GanTrainer(tf, buildGanModels(tf, gan, training.seed, { averaged: true }), training, gan.noiseSize, seededRandom(5));
    const { generator } = trainer.models;
    expect(trainer.keptGenerator).not.toBe(generator);
    // Before any step the average is the generator itself (not the copy's own initial weights).
    expect(weightsOf(trainer.keptGenerator)).toEqual(weightsOf(generator));

    const before = weightsOf(generator);
    const real = batch(tf, 1);
    trainer.step(real);
    const after = weightsOf(generator);
    const averaged = weightsOf(trainer.keptGenerator);
    // Step 1 of the warm-up decays by min(0.999, 2/11): the average is 2/11 old and 9/11 new.
    const d = 2 / 11;
    const names = generator.weights.map((w) => w.originalName);
    expect(names.some((n) => n.includes('moving_mean'))).toBe(true);
    for (let i = 0; i < after.length; i++) {
      const moved = after[i]!.some((v, j) => v !== before[i]![j]);
      expect(moved, `${names[i]} should change in a training step`).toBe(true);
      const j = after[i]!.findIndex((v, k) => v !== before[i]![k]);
      expect(averaged[i]![j]).toBeCloseTo(d * before[i]![j]! + (1 - d) * after[i]![j]!, 5);
      expect(averaged[i]![j]).not.toBeCloseTo(after[i]![j]!, 7);
    }

    // The sample grid and every export draw from the kept generator, not the last step's.
    const noise = new Float32Array(2 * gan.noiseSize).fill(0.5);
    const kept = trainer.generate(noise, 2);
    const last = tf.tidy(() => (generator.predict(tf.tensor2d(noise, [2, gan.noiseSize])) as tfType.Tensor).add(1).div(2).clipByValue(0, 1));
    expect(tf.tidy(() => kept.sub(last).abs().max().dataSync()[0]!)).toBeGreaterThan(1e-4);
    tf.dispose([kept, last, real]);
    trainer.dispose();
  }, 60_000);

  it('is the last step\'s generator when the average is off', async () => {
    const { tf } = await loadEngineBackend();
    const gan = dcganTemplate();
    const training = GanTrainingConfigSchema.parse({ batchSize: 8, seed: 2, generatorAverage: 0 });
    const trainer = new GanTrainer(tf, buildGanModels(tf, gan, training.seed), training, gan.noiseSize, seededRandom(5));
    expect(trainer.keptGenerator).toBe(trainer.models.generator);
    expect(trainer.models.averaged).toBeNull();
    trainer.dispose();
    // Asking for an average without building its copy is a programming error, said at once.
    const plain = buildGanModels(tf, gan, 2);
    expect(() => new GanTrainer(tf, plain, GanTrainingConfigSchema.parse({ generatorAverage: 0.99 }), gan.noiseSize, seededRandom(5)))
      .toThrow('generatorAverage is on: build the models with { averaged: true }');
    plain.generator.dispose();
    plain.discriminator.dispose();
  }, 60_000);
});
