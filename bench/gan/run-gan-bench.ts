/**
 * How long the DCGAN templates must train on the real digits before the quality figure
 * reaches the issue's targets (≥ 60 % of samples classified with confidence > 0.9, ≥ 8 of
 * 10 classes present). The same path as `strata gan-train` and the quality test
 * (runGanTraining, seed 7, batch 64, 9,000 real digits); the generator of every epoch is
 * kept and scored afterwards on 500 samples from fixed noise by a LeNet judge trained on the
 * same real digits — so epoch 2 of seed 7 is exactly the CI test's 2-epoch run. The fixed
 * run the targets are measured after is 30 epochs (the default here and in the window). The
 * kept generator is the run's moving average of the generator's weights (generatorAverage
 * 0.999, the default); --generator-average 0 scores the last step's weights instead. Several
 * seeds (run one after another; one process per seed runs them side by side) show how
 * reliable a figure is: the last lines say where each seed ended and at which epochs every
 * seed met the targets.
 *
 *   npm run bench:gan -- [--epochs 30] [--batch-size 64] [--seeds 7,8,9] [--generator-average 0.999]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { dcganTemplate, GanTrainingConfigSchema } from '../../src-shared/contract/gan.ts';
import { loadEngineBackend } from '../../src-main/engine/backend/load-engine-backend.ts';
import { classifierAccuracy, scoreDigitSamples, trainDigitClassifier, type DigitSampleScore } from '../../src-main/engine/gan/digit-quality.ts';
import { generateImages, loadGanGenerator } from '../../src-main/engine/gan/generate-images.ts';
import { GAN_RUN_FILES, readGanRunRecord, writeGanRunRecord } from '../../src-main/engine/gan/gan-run-store.ts';
import { runGanTraining } from '../../src-main/engine/gan/gan-run.ts';
import { loadDigits } from '../../src-main/engine/testing/mnist-digits.ts';

const { values } = parseArgs({ options: {
  epochs: { type: 'string', default: '30' }, 'batch-size': { type: 'string', default: '64' }, seeds: { type: 'string', default: '7' }, 'generator-average': { type: 'string', default: '0.999' },
} });
const seeds = values.seeds.split(',').map(Number);
const configFor = (seed: number) => GanTrainingConfigSchema.parse({ epochs: Number(values.epochs), batchSize: Number(values['batch-size']), seed, generatorAverage: Number(values['generator-average']) });

const backend = await loadEngineBackend();
const { tf } = backend;
if (!backend.native) console.warn(`warning: running on the ${backend.name} backend, not native TensorFlow; times are not comparable`);
console.log(`engine: ${backend.name}${backend.libtensorflowVersion ? ` (libtensorflow ${backend.libtensorflowVersion})` : ''}, ${os.availableParallelism()} threads, load average ${os.loadavg()[0]!.toFixed(1)}`);

const { train, test } = loadDigits({ trainCount: 9000, testCount: 1000, seed: 11 });
let t = performance.now();
const judge = await trainDigitClassifier(tf, train, { epochs: 8 });
console.log(`judge: LeNet on ${train.count} real digits, held-out accuracy ${(classifierAccuracy(tf, judge, test) * 100).toFixed(1)} % (${((performance.now() - t) / 1000).toFixed(0)} s)`);

/** Trains one seed's run and scores the generator it kept at every epoch. */
async function benchSeed(seed: number): Promise<DigitSampleScore[]> {
  const training = configFor(seed);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-gan-bench-'));
  const runDir = path.join(work, 'run');
  const seconds: number[] = [];
  t = performance.now();
  const end = await runGanTraining({
    runId: `gan-bench-${seed}`, runDir, gan: dcganTemplate(), training,
    images: { pixels: train.pixels, count: train.count, shape: [28, 28, 1], source: 'mnist package (9,000 real digits)' },
  }, (e) => {
    if (e.type !== 'epoch') return;
    seconds.push(e.seconds);
    // The checkpoint is written before the epoch event: keep this epoch's generator to score later.
    fs.cpSync(path.join(runDir, GAN_RUN_FILES.generator), path.join(work, `epoch-${e.epoch}`, GAN_RUN_FILES.generator), { recursive: true });
  }, new AbortController().signal);
  if (end.status !== 'completed') throw new Error(`the GAN run ended ${end.status}: ${end.reason}`);
  const steps = Math.floor(train.count / training.batchSize);
  console.log(`\nseed ${seed}: ${seconds.length} epochs of ${steps} steps, ${(seconds.reduce((a, b) => a + b, 0) / seconds.length).toFixed(1)} s per epoch on average (${((performance.now() - t) / 1000).toFixed(0)} s in all)`);

  const record = readGanRunRecord(runDir);
  const scores: DigitSampleScore[] = [];
  console.log('epoch  steps  confident  classes  per-class counts');
  for (let epoch = 1; epoch <= seconds.length; epoch++) {
    const dir = path.join(work, `epoch-${epoch}`);
    writeGanRunRecord(dir, { ...record, checkpointEpoch: epoch });
    const generator = await loadGanGenerator(dir);
    const { pixels } = generateImages(generator, 500, 99);
    generator.model.dispose();
    const images = tf.tensor4d(pixels, [500, 28, 28, 1]);
    const score = scoreDigitSamples(tf, judge, images);
    images.dispose();
    scores.push(score);
    const meets = meetsTargets(score) ? '  ← meets the targets' : '';
    console.log(`${String(epoch).padStart(5)}  ${String(epoch * steps).padStart(5)}  ${(score.confidentFraction * 100).toFixed(1).padStart(7)} %  ${String(score.classesPresent).padStart(7)}  ${score.classCounts.join(' ')}${meets}`);
  }
  fs.rmSync(work, { recursive: true, force: true });
  return scores;
}

const meetsTargets = (s: DigitSampleScore): boolean => s.confidentFraction >= 0.6 && s.classesPresent >= 8;
const bySeed: DigitSampleScore[][] = [];
for (const seed of seeds) bySeed.push(await benchSeed(seed));
const epochs = Number(values.epochs);
const last = bySeed.map((scores, i) => {
  const score = scores[epochs - 1]!;
  return `seed ${seeds[i]} ${(score.confidentFraction * 100).toFixed(1)} % / ${score.classesPresent} classes${meetsTargets(score) ? '' : ' (below the targets)'}`;
}).join(', ');
console.log(`\nafter the ${epochs}-epoch run: ${last}`);
if (seeds.length > 1) {
  const everyone = Array.from({ length: epochs }, (_, i) => i + 1).filter((e) => bySeed.every((scores) => meetsTargets(scores[e - 1]!)));
  console.log(everyone.length > 0 ? `every seed meets the targets at epochs ${everyone.join(', ')}` : 'no epoch where every seed meets the targets');
}
