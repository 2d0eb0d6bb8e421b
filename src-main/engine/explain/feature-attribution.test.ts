import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataConfigSchema, type DataConfig } from '../../../src-shared/contract/data-config.ts';
import type { NonImageAttribution } from '../../../src-shared/contract/explanation.ts';
import { TrainingConfigSchema } from '../../../src-shared/contract/project.ts';
import type { ModelSpec } from '../../../src-shared/spec/model-spec.ts';
import { chain, TEMPLATES } from '../../../src-shared/spec/templates.ts';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';
import { readAll } from '../../data/loaded-dataset.ts';
import { loadTableDataset } from '../../data/table/load-table-dataset.ts';
import { loadRunModel } from '../run-model.ts';
import { runTraining } from '../train/train-run.ts';
import { explainTableRow, explainText } from './feature-attribution.ts';

let work: string;
const template = (id: string) => TEMPLATES.find((t) => t.id === id)!;

async function train(spec: ModelSpec, data: DataConfig, epochs: number, learningRate = 0.01): Promise<string> {
  const runDir = path.join(work, `run-${Math.random().toString(36).slice(2)}`);
  const end = await runTraining({
    runId: path.basename(runDir), runDir, spec, data,
    training: TrainingConfigSchema.parse({ epochs, batchSize: 16, learningRate, seed: 7 }),
  }, () => {}, new AbortController().signal);
  expect(end.status).toBe('completed');
  return runDir;
}

/** The model's raw output for one encoded sample (the run's model is cached, so this is cheap). */
async function rawOutput(runDir: string, values: number[]): Promise<number[]> {
  const { tf, model } = await loadRunModel(runDir);
  return tf.tidy(() => (model.predict(tf.tensor2d([values])) as tfType.Tensor2D).arraySync()[0]!);
}

/** The mean encoded training row, as the loader encodes it: the baseline IG should walk from. */
async function trainingMeanRow(runDir: string): Promise<number[]> {
  const { record } = await loadRunModel(runDir);
  if (record.data.kind !== 'csv-table') throw new Error('not a table run');
  const { train, sampleShape: [width] } = loadTableDataset(record.data);
  const mean = new Array<number>(width!).fill(0);
  readAll(train.x).forEach((v, j) => { mean[j % width!] = mean[j % width!]! + v / train.count; });
  return mean;
}

const features = (a: NonImageAttribution) => (a.kind === 'features' ? a.features : []);
const tokens = (a: NonImageAttribution) => (a.kind === 'tokens' ? a.tokens : []);
const largest = <T extends { attribution: number }>(items: T[]): T => items.reduce((m, i) => (Math.abs(i.attribution) > Math.abs(m.attribution) ? i : m));
const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);

/*
 * Completeness tolerance: IG's sum equals score(input) − score(baseline) up to the error of
 * the 64-step midpoint rule. Along the path a ReLU MLP's score is smooth between kinks and
 * each kink the path crosses costs at most one step's worth of gradient jump, i.e. O(1/M)
 * of the difference — a few per cent at most with M = 64 (measured: ≤ 0.8 %). So 5 % of
 * |difference|, plus 0.002 absolute for rows whose difference is ~0 (float32 rounding of 64
 * summed gradients), still catches a wrong baseline, a missing (input − baseline) factor or
 * a lost feature.
 */
const completenessSlack = (difference: number) => 0.05 * Math.abs(difference) + 0.002;
/*
 * An LSTM with a softmax head is smooth along the path (no ReLU kinks), so there the midpoint
 * rule's error is far smaller (measured: ≤ 0.03 % of the difference): 0.2 % + 1e-4 still
 * leaves a wide margin and is tight enough to notice a head that lost the padding mask
 * (which measured 0.1–2 % off).
 */
const smoothCompletenessSlack = (difference: number) => 0.002 * Math.abs(difference) + 1e-4;

let tableCsv: string;
let signRun: string;
let shapeRun: string;
let textRun: string;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-attrib-'));
  // x1 alone decides `sign`; shape alone decides `y`; noise and colour decide nothing.
  const r = seededRandom(11);
  const shapes = { circle: -2, square: 0, triangle: 3 } as const;
  const lines = ['x1,noise,shape,colour,sign,y'];
  for (let i = 0; i < 400; i++) {
    const x1 = (r() - 0.5) * 4;
    const shape = (['circle', 'square', 'triangle'] as const)[Math.floor(r() * 3)]!;
    const colour = ['red', 'green', 'blue'][Math.floor(r() * 3)]!;
    lines.push(`${x1.toFixed(3)},${((r() - 0.5) * 4).toFixed(3)},${shape},${colour},${x1 > 0 ? 'pos' : 'neg'},${(shapes[shape] + (r() - 0.5) * 0.2).toFixed(3)}`);
  }
  tableCsv = path.join(work, 'table.csv');
  fs.writeFileSync(tableCsv, lines.join('\n'));
  const inputShape = [1 + 1 + 3 + 3];
  signRun = await train(template('mlp').build({ inputShape, classes: 2 }),
    DataConfigSchema.parse({ kind: 'csv-table', path: tableCsv, target: 'sign', ignore: ['y'] }), 15);
  shapeRun = await train(template('mlp').build({ inputShape, classes: 1, task: 'regression' }),
    DataConfigSchema.parse({ kind: 'csv-table', path: tableCsv, target: 'y', ignore: ['sign'], task: 'regression' }), 15);

  // One keyword ("good" / "bad") among filler words decides the class.
  const filler = ['the', 'a', 'movie', 'plot', 'actor', 'scene', 'was', 'very', 'and', 'it', 'film', 'story', 'long', 'music', 'ending'];
  const pick = () => filler[Math.floor(r() * filler.length)]!;
  for (const [label, keyword] of [['pos', 'good'], ['neg', 'bad']] as const) {
    fs.mkdirSync(path.join(work, 'texts', label), { recursive: true });
    for (let i = 0; i < 120; i++) {
      const words = Array.from({ length: 5 + Math.floor(r() * 6) }, pick);
      words.splice(Math.floor(r() * (words.length + 1)), 0, keyword);
      fs.writeFileSync(path.join(work, 'texts', label, `${i}.txt`), `${words.join(' ')}.`);
    }
  }
  textRun = await train(template('lstm-text').build({ inputShape: [16], classes: 2, vocabSize: 30 }),
    DataConfigSchema.parse({ kind: 'text', path: path.join(work, 'texts'), vocabSize: 30, sequenceLength: 16 }), 10);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('Integrated Gradients on a table model', () => {
  it('puts the most weight on the one numeric column that decides the class, and is complete', async () => {
    // The baseline's x1 is the training mean (≈ 0), right on the class border: IG credits x1
    // with how far the row is from there, so rows at the border (|x1| < 0.5, where the
    // model also leans on whatever else it picked up) are checked for completeness only.
    let decisive = 0;
    let clearRows = 0;
    const worst: number[] = [];
    const baselineRow = await trainingMeanRow(signRun);
    for (let rowIndex = 0; rowIndex < 20; rowIndex++) {
      const result = await explainTableRow(signRun, { rowIndex }, { steps: 64 });
      const bars = features(result.attribution);
      expect(bars.map((b) => b.name)).toEqual(['x1', 'noise', 'shape', 'colour']);
      expect(result.classes).toEqual(['neg', 'pos']);
      const x1 = Number(bars[0]!.value);
      if (Math.abs(x1) >= 0.5) {
        clearRows++;
        expect(result.predicted).toBe(x1 > 0 ? 'pos' : 'neg');
        if (largest(bars).name === 'x1') decisive++;
      }
      // Completeness against the model itself: score(row) − score(mean training row).
      const explained = result.probabilities.indexOf(Math.max(...result.probabilities));
      const difference = result.probabilities[explained]! - (await rawOutput(signRun, baselineRow))[explained]!;
      const total = sum(bars.map((b) => b.attribution));
      expect(Math.abs(total - difference)).toBeLessThanOrEqual(completenessSlack(difference));
      worst.push(Math.abs(total - difference) / Math.max(1e-9, Math.abs(difference)));
    }
    console.log(`table/sign: x1 largest in ${decisive}/${clearRows} clear rows; completeness relative error max ${Math.max(...worst).toFixed(4)} over 20 rows`);
    expect(clearRows).toBeGreaterThanOrEqual(10);
    expect(decisive).toBeGreaterThanOrEqual(clearRows - 1);
  });

  it('explains a regression model by its first output, in the target\'s units, with the categorical column summed', async () => {
    let decisive = 0;
    const worst: number[] = [];
    const { record } = await loadRunModel(shapeRun);
    if (record.targets?.type !== 'regression') throw new Error('not a regression run');
    const { mean, std } = record.targets;
    const baselineRow = await trainingMeanRow(shapeRun);
    for (let rowIndex = 0; rowIndex < 12; rowIndex++) {
      const result = await explainTableRow(shapeRun, { rowIndex });
      expect(result.probabilities).toEqual([]);
      const bars = features(result.attribution);
      if (largest(bars).name === 'shape') decisive++;
      const value = Number(result.predicted);
      expect(Math.abs(value - { circle: -2, square: 0, triangle: 3 }[bars[2]!.value as 'circle']!)).toBeLessThan(0.6);
      const difference = (value - mean[0]!) / std[0]! - (await rawOutput(shapeRun, baselineRow))[0]!;
      const total = sum(bars.map((b) => b.attribution));
      expect(Math.abs(total - difference)).toBeLessThanOrEqual(completenessSlack(difference));
      worst.push(Math.abs(total - difference) / Math.max(1e-9, Math.abs(difference)));
    }
    console.log(`table/shape regression: shape largest in ${decisive}/12 rows; completeness relative error max ${Math.max(...worst).toFixed(4)}`);
    expect(decisive).toBeGreaterThanOrEqual(11);
  });

  it('takes a row as values, and says which column is missing', async () => {
    const given = await explainTableRow(signRun, { x1: '1.5', noise: '0', shape: 'circle', colour: 'red' });
    expect(given.predicted).toBe('pos');
    expect(largest(features(given.attribution))).toMatchObject({ name: 'x1', value: '1.5' });
    expect(largest(features(given.attribution)).attribution).toBeGreaterThan(0);
    const towardNeg = await explainTableRow(signRun, { x1: '1.5', noise: '0', shape: 'circle', colour: 'red' }, { classIndex: 0 });
    expect(features(towardNeg.attribution)[0]!.attribution).toBeLessThan(0);
    await expect(explainTableRow(signRun, { x1: '1', noise: '0' })).rejects.toMatchObject({ code: 'MISSING_COLUMN', message: expect.stringMatching(/"shape", "colour"/) });
    await expect(explainTableRow(signRun, { rowIndex: 10_000 })).rejects.toMatchObject({ code: 'NO_SUCH_SAMPLE' });
    await expect(explainTableRow(signRun, { rowIndex: 0 }, { classIndex: 5 })).rejects.toMatchObject({ code: 'NO_SUCH_CLASS' });
  });

  it('leaks no tensors', async () => {
    const { tf } = await loadRunModel(signRun);
    await explainTableRow(signRun, { rowIndex: 1 });
    const before = tf.memory().numTensors;
    await explainTableRow(signRun, { rowIndex: 2 });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('Integrated Gradients on a text model', () => {
  it('puts the most weight on the keyword that decides the class, and is complete', async () => {
    let keywordFirst = 0;
    const worst: number[] = [];
    const explained = 12;
    for (let sampleIndex = 0; sampleIndex < explained; sampleIndex++) {
      const result = await explainText(textRun, { sampleIndex });
      const words = tokens(result.attribution);
      expect(words.length).toBeGreaterThan(4); // padding left out, every word kept
      expect(words.every((w) => w.known)).toBe(true);
      const keyword = words.find((w) => w.token === 'good' || w.token === 'bad')!;
      if (largest(words) === keyword) keywordFirst++;
      const best = result.probabilities.indexOf(Math.max(...result.probabilities));
      // Baseline = the padding vector at every step, i.e. the all-padding text.
      const difference = result.probabilities[best]! - (await rawOutput(textRun, new Array(16).fill(0)))[best]!;
      const total = sum(words.map((w) => w.attribution));
      expect(Math.abs(total - difference)).toBeLessThanOrEqual(smoothCompletenessSlack(difference));
      worst.push(Math.abs(total - difference) / Math.max(1e-9, Math.abs(difference)));
    }
    console.log(`text: keyword largest in ${keywordFirst}/${explained} texts; completeness relative error max ${Math.max(...worst).toFixed(4)}`);
    expect(keywordFirst).toBeGreaterThanOrEqual(explained - 1);
  });

  it('flags words outside the vocabulary and gives the keyword a positive weight toward its class', async () => {
    const result = await explainText(textRun, 'The movie was GOOD, with a xylophone soundtrack');
    expect(result.predicted).toBe('pos');
    const words = tokens(result.attribution);
    expect(words.map((w) => w.token)).toEqual(['the', 'movie', 'was', 'good', 'with', 'a', 'xylophone', 'soundtrack']);
    expect(words.filter((w) => !w.known).map((w) => w.token)).toEqual(['with', 'xylophone', 'soundtrack']);
    expect(largest(words).token).toBe('good');
    expect(largest(words).attribution).toBeGreaterThan(0);
    await expect(explainText(textRun, '... !!!')).rejects.toMatchObject({ code: 'EMPTY_TEXT' });
  });

  it('keeps the padding mask of an Embedding with mask_zero', async () => {
    const spec = chain('masked_text', [16], [
      ['Embedding', { input_dim: 30, output_dim: 16, mask_zero: true }], ['LSTM', { units: 16 }], ['Dense', { units: 2, activation: 'softmax' }],
    ]);
    const maskedRun = await train(spec, DataConfigSchema.parse({ kind: 'text', path: path.join(work, 'texts'), vocabSize: 30, sequenceLength: 16 }), 6);
    // The masked baseline is a zero vector at each word's step. Zeroing the unknown word's
    // row (no sample here has unknown words) makes that baseline a text the real model can
    // read: every word unknown, padding masked. If the rebuilt head lost the mask, padding
    // steps would count as words and the sums would not match the real model's scores.
    const { tf, model } = await loadRunModel(maskedRun);
    const embedding = model.layers.find((l) => l.getClassName() === 'Embedding')!;
    const table = embedding.getWeights()[0]!;
    const zeroed = tf.tidy(() => table.mul(tf.oneHot(1, 30).reshape([30, 1]).mul(-1).add(1)));
    embedding.setWeights([zeroed]);
    zeroed.dispose();
    let keywordFirst = 0;
    for (let sampleIndex = 0; sampleIndex < 8; sampleIndex++) {
      const result = await explainText(maskedRun, { sampleIndex });
      const words = tokens(result.attribution);
      expect(words.every((w) => w.known)).toBe(true);
      if (['good', 'bad'].includes(largest(words).token)) keywordFirst++;
      const allUnknown = [...new Array(16 - words.length).fill(0), ...new Array(words.length).fill(1)];
      const best = result.probabilities.indexOf(Math.max(...result.probabilities));
      const difference = result.probabilities[best]! - (await rawOutput(maskedRun, allUnknown))[best]!;
      expect(Math.abs(sum(words.map((w) => w.attribution)) - difference)).toBeLessThanOrEqual(smoothCompletenessSlack(difference));
    }
    console.log(`text with mask_zero: keyword largest in ${keywordFirst}/8 texts`);
    expect(keywordFirst).toBeGreaterThanOrEqual(7);
  });

  it('leaks no tensors', async () => {
    const { tf } = await loadRunModel(textRun);
    await explainText(textRun, { sampleIndex: 0 });
    const before = tf.memory().numTensors;
    await explainText(textRun, { sampleIndex: 1 });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('runs these explanations do not fit', () => {
  it('sends a text run given a row, and a table run given a text, to the right method', async () => {
    await expect(explainTableRow(textRun, { rowIndex: 0 })).rejects.toMatchObject({ code: 'WRONG_RUN_KIND', message: expect.stringMatching(/trained on texts; explain a text with explainText/) });
    await expect(explainText(signRun, 'good')).rejects.toMatchObject({ code: 'WRONG_RUN_KIND', message: expect.stringMatching(/explain a row with explainTableRow/) });
  });

  it('sends an image run to the image methods', async () => {
    for (const label of ['dark', 'light']) {
      fs.mkdirSync(path.join(work, 'images', label), { recursive: true });
      for (let i = 0; i < 4; i++) {
        const v = label === 'dark' ? 20 * i : 255 - 20 * i;
        await sharp({ create: { width: 8, height: 8, channels: 3, background: { r: v, g: v, b: v } } }).png().toFile(path.join(work, 'images', label, `${i}.png`));
      }
    }
    const imageRun = await train(template('mlp').build({ inputShape: [8, 8, 1], classes: 2 }),
      DataConfigSchema.parse({ kind: 'image-folder', path: path.join(work, 'images'), imageSize: [8, 8], channels: 1, validationSplit: 0.25 }), 1);
    await expect(explainTableRow(imageRun, { rowIndex: 0 })).rejects.toMatchObject({ code: 'WRONG_RUN_KIND', message: expect.stringMatching(/trained on images; explain its predictions with the image methods/) });
    await expect(explainText(imageRun, 'good')).rejects.toMatchObject({ code: 'WRONG_RUN_KIND', message: expect.stringMatching(/image methods/) });
  });

  it('says a text model without an Embedding cannot be explained token by token', async () => {
    const plainRun = await train(template('mlp').build({ inputShape: [16], classes: 2 }),
      DataConfigSchema.parse({ kind: 'text', path: path.join(work, 'texts'), vocabSize: 30, sequenceLength: 16 }), 1);
    await expect(explainText(plainRun, 'good movie')).rejects.toMatchObject({ code: 'NO_EMBEDDING_LAYER', message: expect.stringMatching(/Add an Embedding after the Input/) });
  });
});
