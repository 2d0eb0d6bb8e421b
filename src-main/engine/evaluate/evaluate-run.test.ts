import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataConfigSchema, type DataConfig } from '../../../src-shared/contract/data-config.ts';
import { EvaluationSchema, type ClassificationEvaluation, type Evaluation, type RegressionEvaluation } from '../../../src-shared/contract/evaluation.ts';
import { TrainingConfigSchema } from '../../../src-shared/contract/project.ts';
import type { RunRecord } from '../../../src-shared/contract/run-record.ts';
import type { ModelSpec } from '../../../src-shared/spec/model-spec.ts';
import { TEMPLATES } from '../../../src-shared/spec/templates.ts';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';
import { DIGIT_SIZE } from '../testing/mnist-digits.ts';
import { heldOutDigits, writeDigitFolder } from '../testing/write-digit-folder.ts';
import { readRunRecord } from '../train/run-store.ts';
import { runTraining } from '../train/train-run.ts';
import { evaluateRun, evaluationExamples } from './evaluate-run.ts';
import { evaluationFile } from './evaluation-store.ts';
import { writePriceTable } from '../testing/write-price-table.ts';

let work: string;
const template = (id: string) => TEMPLATES.find((t) => t.id === id)!;

async function train(spec: ModelSpec, data: DataConfig, epochs: number, learningRate = 0.003): Promise<{ runDir: string; record: RunRecord }> {
  const runDir = path.join(work, `run-${Math.random().toString(36).slice(2)}`);
  const end = await runTraining({
    runId: path.basename(runDir), runDir, spec, data,
    training: TrainingConfigSchema.parse({ epochs, batchSize: 16, learningRate, seed: 5 }),
  }, () => {}, new AbortController().signal);
  expect(end.status, end.reason).toBe('completed');
  return { runDir, record: readRunRecord(runDir) };
}

function classification(e: Evaluation): ClassificationEvaluation {
  if (e.task !== 'classification') throw new Error('expected a classification evaluation');
  return e;
}

function regression(e: Evaluation): RegressionEvaluation {
  if (e.task !== 'regression') throw new Error('expected a regression evaluation');
  return e;
}

/** What every classification evaluation must satisfy, whatever the data. */
function expectConsistent(e: ClassificationEvaluation): void {
  const total = e.confusion.flat().reduce((a, b) => a + b, 0);
  expect(total).toBe(e.count);
  expect(e.perClass.reduce((s, c) => s + c.support, 0)).toBe(e.count);
  expect(e.samples).toHaveLength(e.count);
  expect(e.topK[0]).toEqual({ k: 1, accuracy: e.accuracy });
  expect(e.confusion.reduce((s, row, c) => s + row[c]!, 0) / e.count).toBeCloseTo(e.accuracy, 12);
  expect(() => EvaluationSchema.parse(e)).not.toThrow();
}

/** Real digits that training never saw, written as a folder per class. */
async function writeHeldOutFolder(dir: string, digits: readonly number[] = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]): Promise<void> {
  const set = heldOutDigits({ perClass: 30, seed: 21, perClassOut: 10 });
  const size = DIGIT_SIZE * DIGIT_SIZE;
  for (let i = 0; i < set.count; i++) {
    const digit = set.labels[i]!;
    if (!digits.includes(digit)) continue;
    fs.mkdirSync(path.join(dir, String(digit)), { recursive: true });
    const bytes = Buffer.from(Array.from(set.pixels.subarray(i * size, (i + 1) * size), (p) => Math.round(p * 255)));
    await sharp(bytes, { raw: { width: DIGIT_SIZE, height: DIGIT_SIZE, channels: 1 } }).toColourspace('b-w').png().toFile(path.join(dir, String(digit), `held-${i}.png`));
  }
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-evaluate-'));
  await writeDigitFolder(path.join(work, 'digits'), { perClass: 30, seed: 21 });
  await writeHeldOutFolder(path.join(work, 'held-out'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('evaluating an image classifier (LeNet on real digits)', () => {
  let lenet: { runDir: string; record: RunRecord };
  beforeAll(async () => {
    const data = DataConfigSchema.parse({ kind: 'image-folder', path: path.join(work, 'digits'), imageSize: [28, 28], channels: 1, testSplit: 0.1 });
    lenet = await train(template('lenet').build({ inputShape: [28, 28, 1], classes: 10 }), data, 4);
  });

  it('on the validation split: the accuracy training reported for the same weights, every sample once', async () => {
    const e = classification(await evaluateRun(lenet.runDir, { kind: 'split', split: 'validation' }));
    expectConsistent(e);
    expect(e.count).toBe(lenet.record.validationFiles.length);
    expect(e.samples.map((s) => s.id)).toEqual(lenet.record.validationFiles);
    expect(e.accuracy).toBeCloseTo(lenet.record.lastEpoch!.val_acc!, 6);
    expect(e.loss).toBeCloseTo(lenet.record.lastEpoch!.val_loss!, 3);
    expect(e.classes).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    expect(e.sourceLine).toBe(`validation split, ${e.count} images`);
    expect(e.binary).toBeNull();
    expect(e.topK.map((t) => t.k)).toEqual([1, 2, 3, 5]);
    for (let i = 1; i < e.topK.length; i++) expect(e.topK[i]!.accuracy).toBeGreaterThanOrEqual(e.topK[i - 1]!.accuracy);
    // Saved, and read back by the examples without predicting again.
    const saved = EvaluationSchema.parse(JSON.parse(fs.readFileSync(evaluationFile(lenet.runDir, { kind: 'split', split: 'validation' }), 'utf8')));
    expect(saved).toEqual(e);
  });

  it('gives the examples of one confusion cell, most confident first, with probabilities and the image', async () => {
    const e = classification(await evaluateRun(lenet.runDir, { kind: 'split', split: 'validation' }));
    // The busiest cell off the diagonal if the model makes mistakes, else the busiest diagonal cell.
    const cells = e.confusion.flatMap((row, a) => row.map((n, p) => ({ a, p, n }))).sort((x, y) => Number(x.a === x.p) - Number(y.a === y.p) || y.n - x.n);
    const cell = cells.find((c) => c.n > 0)!;
    const examples = await evaluationExamples(lenet.runDir, { kind: 'split', split: 'validation' }, { actual: cell.a, predicted: cell.p, limit: 50 });
    expect(examples).toHaveLength(Math.min(50, cell.n));
    for (const x of examples) {
      expect(x).toMatchObject({ actual: e.classes[cell.a], predicted: e.classes[cell.p] });
      expect(x.probabilities).toHaveLength(10);
      expect(x.probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      expect(x.preview.kind).toBe('image');
      expect(x.preview.kind === 'image' && x.preview.image).toMatch(/^data:image\/png;base64,/);
    }
    const confidences = examples.map((x) => Math.max(...x.probabilities));
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
    // A whole row: every sample of one actual class.
    const row = await evaluationExamples(lenet.runDir, { kind: 'split', split: 'validation' }, { actual: 3, limit: 1000 });
    expect(row).toHaveLength(e.perClass[3]!.support);
    await expect(evaluationExamples(lenet.runDir, { kind: 'split', split: 'validation' }, { actual: 10, limit: 5 })).rejects.toMatchObject({ code: 'NO_SUCH_CLASS' });
  });

  it('on the test split: the samples held out for test', async () => {
    const e = classification(await evaluateRun(lenet.runDir, { kind: 'split', split: 'test' }));
    expectConsistent(e);
    expect(e.samples.map((s) => s.id)).toEqual(lenet.record.testFiles);
    expect(fs.existsSync(path.join(lenet.runDir, 'evaluations', 'test.json'))).toBe(true);
  });

  it('on another folder of held-out digits, prepared the run\'s way', async () => {
    const dir = path.join(work, 'held-out');
    const e = classification(await evaluateRun(lenet.runDir, { kind: 'data', path: dir }));
    expectConsistent(e);
    expect(e.count).toBe(100);
    expect(e.source).toEqual({ kind: 'data', path: dir });
    expect(e.sourceLine).toBe(`${dir}: 100 images`);
    expect(e.accuracy).toBeGreaterThan(0.5); // ten classes: chance is 0.1
    expect(path.basename(evaluationFile(lenet.runDir, e.source))).toMatch(/^data-[0-9a-f]{12}\.json$/);
    const examples = await evaluationExamples(lenet.runDir, { kind: 'data', path: dir }, { actual: 7, predicted: 7, limit: 3 });
    expect(examples.every((x) => x.id.startsWith('7/held-') && x.preview.kind === 'image')).toBe(true);
  });

  it('refuses a folder with a class the run does not know, naming it', async () => {
    const dir = path.join(work, 'with-cats');
    await writeHeldOutFolder(dir, [1, 2]);
    fs.mkdirSync(path.join(dir, 'cat'));
    fs.copyFileSync(path.join(dir, '1', fs.readdirSync(path.join(dir, '1'))[0]!), path.join(dir, 'cat', 'tom.png'));
    const error = await evaluateRun(lenet.runDir, { kind: 'data', path: dir }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'UNKNOWN_CLASSES' });
    expect((error as Error).message).toMatch(/class folder\(s\) the run was not trained on: "cat"/);
  });

  it('refuses a folder that does not exist, and a folder that is not a run or has no weights', async () => {
    await expect(evaluateRun(lenet.runDir, { kind: 'data', path: path.join(work, 'nowhere') })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(evaluateRun(path.join(work, 'digits'), { kind: 'split', split: 'validation' })).rejects.toMatchObject({ code: 'NOT_A_RUN' });
    const untrained = path.join(work, 'untrained');
    fs.mkdirSync(untrained);
    fs.writeFileSync(path.join(untrained, 'run.json'), JSON.stringify({ ...lenet.record, runId: 'untrained', checkpointEpoch: 0 }));
    const error = await evaluateRun(untrained, { kind: 'split', split: 'validation' }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'NO_CHECKPOINT' });
    expect((error as Error).message).toMatch(/Train for at least one epoch/);
  });
});

describe('evaluating a two-class image classifier', () => {
  it('adds ROC and precision–recall curves for the second class, and says how to get a test split', async () => {
    const two = path.join(work, 'three-or-eight');
    for (const d of ['3', '8']) fs.cpSync(path.join(work, 'digits', d), path.join(two, d), { recursive: true });
    const data = DataConfigSchema.parse({ kind: 'image-folder', path: two, imageSize: [28, 28], channels: 1, validationSplit: 0.3 });
    const { runDir, record } = await train(template('lenet').build({ inputShape: [28, 28, 1], classes: 2 }), data, 4);
    const e = classification(await evaluateRun(runDir, { kind: 'split', split: 'validation' }));
    expectConsistent(e);
    expect(e.accuracy).toBeCloseTo(record.lastEpoch!.val_acc!, 6);
    expect(e.topK).toEqual([{ k: 1, accuracy: e.accuracy }]);
    const binary = e.binary!;
    expect(binary.positiveClass).toBe('8');
    expect(binary.auc).toBeGreaterThan(0.5);
    expect(binary.auc).toBeLessThanOrEqual(1);
    expect(binary.averagePrecision).toBeGreaterThan(0);
    expect(binary.averagePrecision).toBeLessThanOrEqual(1);
    expect(binary.roc[0]).toMatchObject({ x: 0, y: 0 });
    expect(binary.roc.at(-1)).toMatchObject({ x: 1, y: 1 });
    expect(binary.pr.at(-1)).toMatchObject({ x: 0, y: 1 });
    const error = await evaluateRun(runDir, { kind: 'split', split: 'test' }).catch((err: unknown) => err);
    expect(error).toMatchObject({ code: 'EMPTY_SPLIT' });
    expect((error as Error).message).toMatch(/no test samples.*testSplit.*--test-split/);
  });
});

describe('evaluating a CSV table', () => {
  it('regression: errors in the price\'s own units (MSE = validation loss × std²), R² > 0.9', async () => {
    const file = path.join(work, 'prices.csv');
    writePriceTable(file);
    const data = DataConfigSchema.parse({ kind: 'csv-table', path: file, target: 'price' });
    const { runDir, record } = await train(template('mlp').build({ inputShape: [4], classes: 1, task: 'regression' }), data, 15, 0.01);
    const e = regression(await evaluateRun(runDir, { kind: 'split', split: 'validation' }));
    expect(e.count).toBe(record.validationFiles.length);
    const [price] = e.columns;
    expect(price!.name).toBe('price');
    expect(e.sourceLine).toBe(`validation split, ${e.count} rows`);
    expect(price!.r2).toBeGreaterThan(0.9);
    const std = record.targets!.type === 'regression' ? record.targets!.std[0]! : NaN;
    expect(price!.mse / (record.lastEpoch!.val_loss! * std * std)).toBeCloseTo(1, 3);
    expect(price!.mae).toBeGreaterThan(0);
    expect(price!.mae).toBeLessThan(Math.sqrt(price!.mse) + 1e-9);
    expect(e.points).toHaveLength(e.count);
    expect(e.points[0]!.id).toMatch(/^row \d+$/);
    expect(e.residualHistogram.reduce((s, b) => s + b.count, 0)).toBe(e.count);
    await expect(evaluationExamples(runDir, { kind: 'split', split: 'validation' }, { limit: 5 })).rejects.toMatchObject({ code: 'NOT_CLASSIFICATION' });
  });

  it('classification on a second CSV with the same columns (in another order), encoded with the run\'s statistics', async () => {
    const rows = (seed: number, count: number, header: string[], labels = ['heavy', 'light']) => {
      const r = seededRandom(seed);
      const lines = [header.join(';')];
      for (let i = 0; i < count; i++) {
        const heavy = r() < 0.5;
        const row: Record<string, string> = {
          id: String(i), size: ((heavy ? 8 : 3) + r() * 2).toFixed(2), weight: ((heavy ? 50 : 20) + r() * 10).toFixed(1),
          origin: heavy === r() < 0.8 ? 'north' : 'south', kind: heavy ? labels[0]! : labels[1]!,
        };
        lines.push(header.map((h) => row[h]).join(';'));
      }
      return lines.join('\n');
    };
    const trainFile = path.join(work, 'items.csv');
    fs.writeFileSync(trainFile, rows(1, 300, ['id', 'size', 'weight', 'origin', 'kind']));
    const data = DataConfigSchema.parse({ kind: 'csv-table', path: trainFile, target: 'kind', ignore: ['id'] });
    const { runDir, record } = await train(template('mlp').build({ inputShape: [4], classes: 2 }), data, 8, 0.01);
    const validation = classification(await evaluateRun(runDir, { kind: 'split', split: 'validation' }));
    expect(validation.accuracy).toBeCloseTo(record.lastEpoch!.val_acc!, 6);

    const other = path.join(work, 'more-items.csv');
    fs.writeFileSync(other, rows(77, 100, ['kind', 'origin', 'weight', 'size', 'id']));
    const e = classification(await evaluateRun(runDir, { kind: 'data', path: other }));
    expectConsistent(e);
    expect(e.count).toBe(100);
    expect(e.dataKind).toBe('csv-table');
    expect(e.accuracy).toBeGreaterThan(0.9);
    expect(e.binary!.auc).toBeGreaterThan(0.9);
    const [example] = await evaluationExamples(runDir, { kind: 'data', path: other }, { actual: 0, predicted: 0, limit: 1 });
    expect(example!.preview).toEqual({ kind: 'text', text: expect.stringMatching(/^kind=heavy, origin=(north|south), weight=[\d.]+, size=[\d.]+, id=\d+$/) });

    // Rows added to the training file since: today's statistics would differ, so the run's own are used, and said so.
    fs.appendFileSync(trainFile, `\n${rows(79, 60, ['id', 'size', 'weight', 'origin', 'kind']).split('\n').slice(1).map((l) => l.replace(/^(\d+);/, '9$1;')).join('\n')}`);
    const changed = classification(await evaluateRun(runDir, { kind: 'split', split: 'validation' }));
    expectConsistent(changed);
    expect(changed.sourceLine).toBe(`validation split, ${changed.count} rows; the data changed since training: these are its samples as they are now; prepared with the run's own preprocessing`);
    expect(changed.count).toBeGreaterThan(validation.count);
    const changedIds = new Set(changed.samples.map((x) => x.id));
    expect(validation.samples.every((v) => changedIds.has(v.id))).toBe(true); // appended rows never move an existing row
    expect(changed.accuracy).toBeGreaterThan(0.9);

    const unknown = path.join(work, 'odd-items.csv');
    fs.writeFileSync(unknown, rows(78, 20, ['id', 'size', 'weight', 'origin', 'kind'], ['heavy', 'medium']));
    await expect(evaluateRun(runDir, { kind: 'data', path: unknown })).rejects.toThrow(/label\(s\) in "kind" the run was not trained on: "medium"/);
    const missing = path.join(work, 'no-weight.csv');
    fs.writeFileSync(missing, 'id;size;origin;kind\n1;3.1;north;light\n');
    await expect(evaluateRun(runDir, { kind: 'data', path: missing })).rejects.toMatchObject({ code: 'NO_SUCH_COLUMN', message: expect.stringMatching(/no column "weight"/) });
  });
});

describe('evaluating texts and a time series', () => {
  it('texts: the validation split and another folder, encoded with the run\'s vocabulary', async () => {
    const r = seededRandom(3);
    const filler = ['the', 'a', 'movie', 'plot', 'actor', 'scene', 'was', 'very', 'and', 'it', 'film', 'story'];
    const pick = (words: readonly string[]) => words[Math.floor(r() * words.length)]!;
    const write = (dir: string, perClass: number) => {
      for (const [label, cues] of [['pos', ['great', 'wonderful', 'loved']], ['neg', ['awful', 'boring', 'hated']]] as const) {
        fs.mkdirSync(path.join(dir, label), { recursive: true });
        for (let i = 0; i < perClass; i++) {
          const words = Array.from({ length: 6 + Math.floor(r() * 6) }, () => pick(filler));
          words.splice(Math.floor(r() * words.length), 0, pick(cues));
          fs.writeFileSync(path.join(dir, label, `${i}.txt`), `${words.join(' ')}.`);
        }
      }
    };
    write(path.join(work, 'texts'), 100);
    write(path.join(work, 'more-texts'), 20);
    const data = DataConfigSchema.parse({ kind: 'text', path: path.join(work, 'texts'), vocabSize: 40, sequenceLength: 16 });
    const { runDir, record } = await train(template('lstm-text').build({ inputShape: [16], classes: 2, vocabSize: 40 }), data, 8, 0.01);
    const validation = classification(await evaluateRun(runDir, { kind: 'split', split: 'validation' }));
    expectConsistent(validation);
    expect(validation.accuracy).toBeCloseTo(record.lastEpoch!.val_acc!, 6);
    const e = classification(await evaluateRun(runDir, { kind: 'data', path: path.join(work, 'more-texts') }));
    expectConsistent(e);
    expect(e.count).toBe(40);
    expect(e.accuracy).toBeGreaterThan(0.8);
    const [example] = await evaluationExamples(runDir, { kind: 'data', path: path.join(work, 'more-texts') }, { actual: 1, limit: 1 });
    expect(example!.preview).toMatchObject({ kind: 'text', text: expect.stringMatching(/(great|wonderful|loved)/) });
  });

  it('a time series: errors in the signal\'s units on the validation windows; other data is refused with what works', async () => {
    const r = seededRandom(4);
    const lines = ['t,signal'];
    for (let t = 0; t < 400; t++) lines.push(`${t},${(3 * Math.sin(t / 8) + 10 + (r() - 0.5) * 0.3).toFixed(4)}`);
    const file = path.join(work, 'sine.csv');
    fs.writeFileSync(file, lines.join('\n'));
    const data = DataConfigSchema.parse({ kind: 'timeseries', path: file, target: 'signal', features: ['signal'], window: 16, horizon: 1 });
    const { runDir, record } = await train(template('mlp').build({ inputShape: [16, 1], classes: 1, task: 'regression' }), data, 10, 0.01);
    const e = regression(await evaluateRun(runDir, { kind: 'split', split: 'validation' }));
    expect(e.dataKind).toBe('timeseries');
    expect(e.sourceLine).toBe(`validation split, ${e.count} windows`);
    expect(e.count).toBe(record.validationFiles.length);
    const std = record.targets!.type === 'regression' ? record.targets!.std[0]! : NaN;
    expect(e.columns[0]!.mse / (record.lastEpoch!.val_loss! * std * std)).toBeCloseTo(1, 3);
    expect(e.columns[0]!.r2).toBeGreaterThan(0.8);
    expect(e.points[0]!.id).toMatch(/^rows \d+–\d+ → row \d+$/);
    await expect(evaluateRun(runDir, { kind: 'data', path: file })).rejects.toMatchObject({ code: 'NOT_SUPPORTED', message: expect.stringMatching(/--split validation\|test/) });
  });
});
