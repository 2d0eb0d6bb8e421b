import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataConfigSchema, type DataConfig } from '../../../src-shared/contract/data-config.ts';
import { TrainingConfigSchema } from '../../../src-shared/contract/project.ts';
import type { TrainEvent } from '../../../src-shared/contract/streams.ts';
import type { ModelSpec } from '../../../src-shared/spec/model-spec.ts';
import { TEMPLATES } from '../../../src-shared/spec/templates.ts';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';
import { exportTfjs } from '../run-services.ts';
import { writeDigitFolder } from '../testing/write-digit-folder.ts';
import { readRunRecord } from './run-store.ts';
import { runTraining } from './train-run.ts';
import { writePriceTable } from '../testing/write-price-table.ts';

let work: string;
const template = (id: string) => TEMPLATES.find((t) => t.id === id)!;

async function train(spec: ModelSpec, data: DataConfig, epochs: number, learningRate = 0.01) {
  const events: TrainEvent[] = [];
  const runDir = path.join(work, `run-${Math.random().toString(36).slice(2)}`);
  const end = await runTraining({
    runId: path.basename(runDir), runDir, spec, data,
    training: TrainingConfigSchema.parse({ epochs, batchSize: 16, learningRate }),
  }, (e) => events.push(e), new AbortController().signal);
  const epochEvents = events.filter((e): e is Extract<TrainEvent, { type: 'epoch' }> => e.type === 'epoch');
  const started = events.find((e): e is Extract<TrainEvent, { type: 'started' }> => e.type === 'started');
  return { end, last: epochEvents.at(-1)!, first: epochEvents[0]!, started: started!, runDir };
}

beforeAll(() => { work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-kinds-')); });
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('training on a CSV table', () => {
  it('classifies rows from numeric and categorical columns (the graph engine, one-hot inputs)', async () => {
    const r = seededRandom(1);
    const lines = ['id;size;weight;origin;kind'];
    for (let i = 0; i < 300; i++) {
      const heavy = r() < 0.5;
      // The class is readable from size+weight, and a little from origin.
      lines.push(`${i};${((heavy ? 8 : 3) + r() * 2).toFixed(2)};${((heavy ? 50 : 20) + r() * 10).toFixed(1)};${heavy === r() < 0.8 ? 'north' : 'south'};${heavy ? 'heavy' : 'light'}`);
    }
    const file = path.join(work, 'items.csv');
    fs.writeFileSync(file, `\uFEFF${lines.join('\r\n')}\r\n`);
    const data = DataConfigSchema.parse({ kind: 'csv-table', path: file, target: 'kind', ignore: ['id'], testSplit: 0.1 });
    const spec = template('mlp').build({ inputShape: [4], classes: 2 });
    const { end, last, started, runDir } = await train(spec, data, 8);
    expect(end.status).toBe('completed');
    expect(started).toMatchObject({ execution: 'graph', classes: ['heavy', 'light'] });
    expect(started.dataLine).toMatch(/^data: \d+ rows for training, \d+ for validation, \d+ held out for test \(in memory\)$/);
    expect(last.val_acc).toBeGreaterThanOrEqual(0.95);
    const record = readRunRecord(runDir);
    expect(record.preprocessing).toMatchObject({ kind: 'table', features: [{ column: 'size', type: 'numeric' }, { column: 'weight' }, { column: 'origin', categories: ['north', 'south'] }] });
    expect(record.testFiles!.length).toBeGreaterThan(10);
  });

  it('predicts a number (regression, standardised target) and says why it runs on tfjs', async () => {
    const file = path.join(work, 'prices.csv');
    writePriceTable(file);
    const data = DataConfigSchema.parse({ kind: 'csv-table', path: file, target: 'price' });
    const spec = template('mlp').build({ inputShape: [4], classes: 1, task: 'regression' });
    const { end, first, last, started, runDir } = await train(spec, data, 15);
    expect(end.status).toBe('completed');
    expect(started).toMatchObject({ execution: 'op-by-op', classes: [] });
    expect(started.executionLine).toMatch(/regression runs on tfjs/);
    expect(last.acc).toBeNull();
    // Mean squared error on standardised prices: 1 is "no better than the mean".
    expect(last.val_loss!).toBeLessThan(0.05);
    expect(last.val_loss!).toBeLessThan(first.val_loss!);
    expect(readRunRecord(runDir).targets).toMatchObject({ type: 'regression', columns: ['price'] });
    // The export says how to prepare a row and how to read the prediction back.
    const out = path.join(work, 'price-model');
    await exportTfjs(runDir, out);
    const metadata = JSON.parse(fs.readFileSync(path.join(out, 'metadata.json'), 'utf8'));
    expect(metadata.input.preprocessing).toMatchObject({ kind: 'table', features: [{ column: 'a' }, { column: 'b' }, { column: 'colour', categories: ['green', 'red'] }] });
    expect(metadata.output).toMatchObject({ values: ['price'], standardised: { mean: [expect.any(Number)], std: [expect.any(Number)] } });
  });

  it('refuses a softmax head for regression with the fix in the message', async () => {
    const file = path.join(work, 'prices.csv');
    const data = DataConfigSchema.parse({ kind: 'csv-table', path: file, target: 'price' });
    const spec = template('mlp').build({ inputShape: [4], classes: 1 });
    const { end } = await train(spec, data, 1);
    expect(end).toMatchObject({ status: 'failed', error: { code: 'OUTPUT_ACTIVATION' } });
    expect(end.reason).toMatch(/Set its activation to linear/);
  });
});

describe('training on texts (a folder per class)', () => {
  it('learns which words decide the class with an Embedding + LSTM', async () => {
    const r = seededRandom(3);
    const filler = ['the', 'a', 'movie', 'plot', 'actor', 'scene', 'was', 'very', 'and', 'it', 'film', 'story'];
    const pick = (words: string[]) => words[Math.floor(r() * words.length)]!;
    for (const [label, cues] of [['pos', ['great', 'wonderful', 'loved']], ['neg', ['awful', 'boring', 'hated']]] as const) {
      fs.mkdirSync(path.join(work, 'texts', label), { recursive: true });
      for (let i = 0; i < 120; i++) {
        const words = Array.from({ length: 6 + Math.floor(r() * 6) }, () => pick(filler));
        words.splice(Math.floor(r() * words.length), 0, pick([...cues]));
        fs.writeFileSync(path.join(work, 'texts', label, `${i}.txt`), `${words.join(' ')}.`);
      }
    }
    const data = DataConfigSchema.parse({ kind: 'text', path: path.join(work, 'texts'), vocabSize: 40, sequenceLength: 16 });
    const spec = template('lstm-text').build({ inputShape: [16], classes: 2, vocabSize: 40 });
    const { end, last, started } = await train(spec, data, 12);
    expect(end.status).toBe('completed');
    expect(started.classes).toEqual(['neg', 'pos']);
    expect(last.val_acc).toBeGreaterThanOrEqual(0.9);
  });
});

describe('training on a time series', () => {
  it('forecasts the next value of a noisy sine from a window of the past', async () => {
    const r = seededRandom(4);
    const lines = ['t,signal'];
    for (let t = 0; t < 600; t++) lines.push(`${t},${(Math.sin(t / 8) + (r() - 0.5) * 0.1).toFixed(4)}`);
    const file = path.join(work, 'sine.csv');
    fs.writeFileSync(file, lines.join('\n'));
    const data = DataConfigSchema.parse({ kind: 'timeseries', path: file, target: 'signal', features: ['signal'], window: 16, horizon: 1 });
    const spec = template('lstm-forecast').build({ inputShape: [16, 1], classes: 1, task: 'regression' });
    const { end, last } = await train(spec, data, 10);
    expect(end.status).toBe('completed');
    expect(last.val_loss!).toBeLessThan(0.05); // standardised: a sine of amplitude 1 has variance ~0.5 before scaling to 1
  });
});

describe('training on images labelled by a CSV, streamed from disk, augmented', () => {
  it('reads a flat folder through labels.csv, streams it from the decoded-sample cache and still learns', async () => {
    const digits = path.join(work, 'digit-classes');
    await writeDigitFolder(digits, { perClass: 60, seed: 5 });
    const flat = path.join(work, 'flat');
    fs.mkdirSync(flat);
    const rows = ['filename,label'];
    for (const digit of ['0', '1', '2']) {
      for (const name of fs.readdirSync(path.join(digits, digit))) {
        fs.copyFileSync(path.join(digits, digit, name), path.join(flat, `img-${name}`));
        rows.push(`img-${name},digit ${digit}`);
      }
    }
    rows.push('missing.png,digit 0', '../escape.png,digit 1');
    fs.writeFileSync(path.join(flat, 'labels.csv'), rows.join('\n'));
    const cacheBefore = process.env.STRATA_CACHE_DIR;
    process.env.STRATA_CACHE_DIR = path.join(work, 'cache');
    const data = DataConfigSchema.parse({
      kind: 'image-folder', path: flat, labels: { csv: 'labels.csv' }, imageSize: [28, 28], channels: 1, storage: 'disk',
      augmentation: { rotation: 10, translation: 0.05 },
    });
    const spec = template('lenet').build({ inputShape: [28, 28, 1], classes: 3 });
    const { end, last, started, runDir } = await train(spec, data, 6, 0.003);
    if (cacheBefore === undefined) delete process.env.STRATA_CACHE_DIR;
    else process.env.STRATA_CACHE_DIR = cacheBefore;
    expect(end.status).toBe('completed');
    expect(started.classes).toEqual(['digit 0', 'digit 1', 'digit 2']);
    expect(started.dataLine).toMatch(/streamed from the decoded-sample cache on disk\); training batches augmented$/);
    expect(last.val_acc).toBeGreaterThanOrEqual(0.85);
    const record = readRunRecord(runDir);
    expect(record.validationLabels!.every((l) => l.startsWith('digit '))).toBe(true);
    expect(record.validationFiles.every((f) => f.startsWith('img-'))).toBe(true);
    expect(fs.readdirSync(path.join(work, 'cache', 'decoded')).length).toBe(1); // one decoded cache for this folder
  });
});
