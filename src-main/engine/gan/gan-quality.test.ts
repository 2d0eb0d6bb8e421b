import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import { afterAll, describe, expect, it } from 'vitest';
import { dcganTemplate, GanTrainingConfigSchema, type GanEvent } from '../../../src-shared/contract/gan.ts';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';
import { loadEngineBackend } from '../backend/load-engine-backend.ts';
import { loadDigits } from '../testing/mnist-digits.ts';
import { classifierAccuracy, scoreDigitSamples, trainDigitClassifier } from './digit-quality.ts';
import { generateImages, loadGanGenerator } from './generate-images.ts';
import { runGanTraining } from './gan-run.ts';
import { buildGanModels, fromGanRange, normalNoise } from './gan-trainer.ts';

const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-gan-quality-'));
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

/**
 * The quality figure, checked on a 2-epoch run (CI time): the DCGAN templates trained on 9,000
 * real digits (280 steps of 64), 500 samples scored by a LeNet judge trained on the same
 * real digits. This is a regression check of the pipeline (training, checkpoint, generate,
 * scoring), NOT the issue's target: ≥ 60 % confident with ≥ 8 classes is not reached here
 * (2-epoch runs of seeds 7–11 read 40.0–43.8 % with 9–10 classes). The target is
 * measured after the fixed 30-epoch run (~16 min on 2 cores, too long for CI) by
 * `npm run bench:gan`; README, "How good is it?". What the short run
 * must show: far above the untrained generator, and no mode collapse.
 */
describe('GAN quality figure', () => {
  it('a 2-epoch DCGAN run on real digits makes samples a digit classifier recognises, spread over the classes (far below the 60 % target)', async () => {
    const { tf } = await loadEngineBackend();
    const { train, test } = loadDigits({ trainCount: 9000, testCount: 1000, seed: 11 });
    const judge = await trainDigitClassifier(tf, train, { epochs: 8 });
    const judgeAccuracy = classifierAccuracy(tf, judge, test);
    expect(judgeAccuracy).toBeGreaterThan(0.97);

    const gan = dcganTemplate();
    const training = GanTrainingConfigSchema.parse({ epochs: 2, batchSize: 64, seed: 7 });
    const scoreNoise = normalNoise(seededRandom(99), 500, gan.noiseSize);

    // The untrained generator, same seed: what the figure reads before any learning.
    const untrained = buildGanModels(tf, gan, training.seed);
    const untrainedImages = tf.tidy(() => fromGanRange(tf, untrained.generator.predict(tf.tensor2d(scoreNoise, [500, gan.noiseSize])) as tfType.Tensor)) as tfType.Tensor4D;
    const before = scoreDigitSamples(tf, judge, untrainedImages);
    tf.dispose([untrainedImages]);
    untrained.generator.dispose();
    untrained.discriminator.dispose();

    const runDir = path.join(work, 'run');
    const epochs: Array<Extract<GanEvent, { type: 'epoch' }>> = [];
    const end = await runGanTraining({
      runId: 'gan-quality', runDir, gan, training,
      images: { pixels: train.pixels, count: train.count, shape: [28, 28, 1], source: 'mnist package (9,000 real digits)' },
    }, (e) => { if (e.type === 'epoch') epochs.push(e); }, new AbortController().signal);
    expect(end.status).toBe('completed');

    // Scored as `strata generate` makes them: the checkpoint's generator in inference mode, scaled to [0, 1].
    const generator = await loadGanGenerator(runDir);
    const { pixels } = generateImages(generator, 500, 99);
    generator.model.dispose();
    const images = tf.tensor4d(pixels, [500, 28, 28, 1]);
    const after = scoreDigitSamples(tf, judge, images);
    images.dispose();
    judge.dispose();

    console.log(`GAN quality (2 epochs, ${epochs.map((e) => `${e.seconds.toFixed(0)} s`).join(' + ')}): judge accuracy ${(judgeAccuracy * 100).toFixed(1)} %; `
      + `confident ${(after.confidentFraction * 100).toFixed(1)} % (untrained ${(before.confidentFraction * 100).toFixed(1)} %), `
      + `classes ${after.classesPresent}/10 [${after.classCounts.join(' ')}] (untrained ${before.classesPresent} [${before.classCounts.join(' ')}])`);
    expect(after.classesPresent).toBeGreaterThanOrEqual(7); // measured 9–10 on 2-epoch runs
    expect(after.confidentFraction).toBeGreaterThanOrEqual(0.3); // measured 40.0–43.8 %
    expect(after.confidentFraction).toBeGreaterThan(2 * before.confidentFraction);
  }, 600_000);
});
