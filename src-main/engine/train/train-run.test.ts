import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ImageDataConfigSchema } from '../../../src-shared/contract/data-config.ts';
import { TrainingConfigSchema } from '../../../src-shared/contract/project.ts';
import type { TrainEvent } from '../../../src-shared/contract/streams.ts';
import { TEMPLATES } from '../../../src-shared/spec/templates.ts';
import { loadEngineBackend } from '../backend/load-engine-backend.ts';
import { loadModelFolder } from '../io/model-folder.ts';
import { exportTfjs, predictFiles } from '../run-services.ts';
import { heldOutDigits, writeDigitFolder } from '../testing/write-digit-folder.ts';
import { readRunEvents, readRunRecord } from './run-store.ts';
import { runTraining } from './train-run.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
let work: string;
let digits: string;

const lenet = () => TEMPLATES.find((t) => t.id === 'lenet')!.build({ inputShape: [28, 28, 1], classes: 10 });
const data = (p = digits) => ImageDataConfigSchema.parse({ kind: 'image-folder', path: p, imageSize: [28, 28], channels: 1, validationSplit: 0.2, seed: 3 });

async function train(overrides: { epochs?: number; learningRate?: number; optimizer?: 'sgd' | 'adam'; spec?: ReturnType<typeof lenet>; dataPath?: string; abortAfterBatches?: number }) {
  const events: TrainEvent[] = [];
  const controller = new AbortController();
  let batches = 0;
  const runDir = path.join(work, `run-${Math.random().toString(36).slice(2)}`);
  const end = await runTraining({
    runId: path.basename(runDir), runDir, spec: overrides.spec ?? lenet(), data: data(overrides.dataPath),
    training: TrainingConfigSchema.parse({ epochs: overrides.epochs ?? 1, batchSize: 32, learningRate: overrides.learningRate ?? 0.001, optimizer: overrides.optimizer ?? 'adam' }),
  }, (e) => {
    events.push(e);
    if (e.type === 'batch' && overrides.abortAfterBatches !== undefined && ++batches === overrides.abortAfterBatches) controller.abort();
  }, controller.signal);
  return { end, events, runDir };
}

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-train-'));
  digits = path.join(work, 'digits');
  await writeDigitFolder(digits, { perClass: 800, seed: 11 });
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('a training run on real digits', () => {
  it('trains LeNet to ≥ 95% validation accuracy, logs every event and checkpoints each epoch', async () => {
    const { end, events, runDir } = await train({ epochs: 5 });
    expect(end).toMatchObject({ type: 'end', status: 'completed', runDir });
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(epochs.map((e) => e.epoch)).toEqual([1, 2, 3, 4, 5]);
    const last = epochs.at(-1)!;
    expect(last.val_acc).toBeGreaterThanOrEqual(0.95);
    expect(epochs[4]!.loss!).toBeLessThan(epochs[0]!.loss!);
    expect(events[0]).toMatchObject({ type: 'started', backend: 'tensorflow', native: true, execution: 'graph', classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'] });
    expect(readRunEvents(runDir)).toEqual(events); // the log on disk is the stream
    expect(readRunRecord(runDir)).toMatchObject({ status: 'completed', checkpointEpoch: 5, backend: { name: 'tensorflow', native: true, execution: 'graph' } });

    // The tfjs export loads in a fresh process (plain tfjs-node, no Strata code) and
    // predicts held-out digits exactly as Strata does.
    const exportDir = path.join(work, 'export');
    const exported = await exportTfjs(runDir, exportDir);
    expect(exported.files).toEqual(['model.json', 'weights.bin', 'metadata.json']);
    const test = heldOutDigits({ perClass: 800, seed: 11, perClassOut: 20 }); // never in the folder
    const heldOut = path.join(work, 'held-out.bin');
    fs.writeFileSync(heldOut, Buffer.from(test.pixels.buffer));
    const script = `
      const tf = require('@tensorflow/tfjs-node');
      const fs = require('fs');
      (async () => {
        const model = await tf.loadLayersModel('file://' + ${JSON.stringify(path.join(exportDir, 'model.json'))});
        const buf = fs.readFileSync(${JSON.stringify(heldOut)});
        const x = tf.tensor4d(new Float32Array(buf.buffer, buf.byteOffset, buf.byteLength / 4), [${test.count}, 28, 28, 1]);
        process.stdout.write(JSON.stringify(Array.from(model.predict(x).dataSync())));
      })();`;
    const fresh = spawnSync(process.execPath, ['-e', script], { cwd: root, encoding: 'utf8', env: { ...process.env, TF_CPP_MIN_LOG_LEVEL: '3' } });
    expect(fresh.stderr).not.toMatch(/Error/);
    const freshProbs = JSON.parse(fresh.stdout) as number[];
    const { tf } = await loadEngineBackend();
    const model = await loadModelFolder(tf, exportDir);
    const ours = Array.from((model.predict(tf.tensor4d(test.pixels, [test.count, 28, 28, 1])) as ReturnType<typeof tf.tensor2d>).dataSync());
    expect(freshProbs.length).toBe(ours.length);
    expect(Math.max(...freshProbs.map((p, i) => Math.abs(p - ours[i]!)))).toBeLessThan(1e-5);
    const predicted = Array.from({ length: test.count }, (_, i) => freshProbs.slice(i * 10, i * 10 + 10).indexOf(Math.max(...freshProbs.slice(i * 10, i * 10 + 10))));
    expect(predicted.filter((p, i) => p === test.labels[i]).length / test.count).toBeGreaterThan(0.93);

    // predict on image files uses the same preprocessing as training.
    const sevens = fs.readdirSync(path.join(digits, '7')).slice(0, 5).map((f) => path.join(digits, '7', f));
    const predictions = await predictFiles(runDir, sevens);
    expect(predictions.filter((p) => p.predicted === '7').length).toBeGreaterThanOrEqual(4);
  });

  it('trains op by op when told to (STRATA_EXECUTION=op-by-op), and says so', async () => {
    process.env.STRATA_EXECUTION = 'op-by-op';
    try {
      const { end, events, runDir } = await train({ epochs: 1 });
      expect(end.status).toBe('completed');
      expect(events[0]).toMatchObject({ type: 'started', execution: 'op-by-op', executionLine: expect.stringContaining('STRATA_EXECUTION=op-by-op') });
      expect(events.find((e) => e.type === 'epoch')!.val_acc).toBeGreaterThan(0.8);
      expect(readRunRecord(runDir).backend.execution).toBe('op-by-op');
    } finally {
      delete process.env.STRATA_EXECUTION;
    }
  });

  it('stops within one batch when asked, says it was cancelled, and leaves no tensor behind', async () => {
    const { tf } = await loadEngineBackend();
    const tensorsBefore = tf.memory().numTensors;
    const { end, events } = await train({ epochs: 3, abortAfterBatches: 2 });
    expect(tf.memory().numTensors).toBe(tensorsBefore);
    expect(end.status).toBe('cancelled');
    const batchesAfterStop = events.filter((e) => e.type === 'batch').length - 2;
    expect(batchesAfterStop).toBeLessThanOrEqual(1);
    expect(events.filter((e) => e.type === 'epoch')).toEqual([]);
  });

  it('ends as diverged, naming the batch, when the loss becomes NaN', async () => {
    // A linear network (nothing saturates or dies) and a huge step: the weights overflow.
    const spec = lenet();
    for (const layer of spec.config.layers) {
      if ('activation' in layer.config) layer.config = { ...layer.config, activation: 'linear' };
    }
    const { end, runDir } = await train({ spec, learningRate: 10, optimizer: 'sgd', epochs: 2 });
    expect(end.status).toBe('diverged');
    expect(end.reason).toMatch(/epoch 1, batch \d+/);
    expect(readRunRecord(runDir).status).toBe('diverged');
  });

  it('holds the same number of tensors at every epoch end from the third on (no leak per epoch)', async () => {
    const { tf } = await loadEngineBackend();
    for (const execution of ['graph', 'op-by-op']) {
      if (execution === 'op-by-op') process.env.STRATA_EXECUTION = 'op-by-op';
      const counts: number[] = [];
      try {
        const runDir = path.join(work, `leak-${execution}`);
        await runTraining({
          runId: 'leak', runDir, spec: lenet(), data: data(),
          training: TrainingConfigSchema.parse({ epochs: 6, batchSize: 64, schedule: { kind: 'exponential' } }),
        }, (e) => { if (e.type === 'epoch') counts.push(tf.memory().numTensors); }, new AbortController().signal);
      } finally {
        delete process.env.STRATA_EXECUTION;
      }
      expect(counts, execution).toHaveLength(6);
      expect(new Set(counts.slice(2)).size, `${execution}: ${counts.join(' ')}`).toBe(1);
    }
  });

  it('ends as diverged within the first epoch at a learning rate of 1e6', async () => {
    for (const execution of ['graph', 'op-by-op']) {
      if (execution === 'op-by-op') process.env.STRATA_EXECUTION = 'op-by-op';
      try {
        const { end, events } = await train({ learningRate: 1e6, optimizer: 'sgd', epochs: 3 });
        expect(end.status, execution).toBe('diverged');
        expect(end.reason).toMatch(/at epoch 1, batch \d+; the weights from that point were not saved/);
        expect(events.filter((e) => e.type === 'epoch')).toEqual([]);
      } finally {
        delete process.env.STRATA_EXECUTION;
      }
    }
  });

  it('fails with a clear error for a graph that does not fit the data', async () => {
    const spec = TEMPLATES.find((t) => t.id === 'lenet')!.build({ inputShape: [28, 28, 1], classes: 7 });
    const { end } = await train({ spec });
    expect(end).toMatchObject({ status: 'failed', error: { code: 'OUTPUT_SIZE_MISMATCH' } });
    expect(end.reason).toMatch(/10 classes/);
  });

  it('fails with a clear error for a folder without class sub-folders', async () => {
    const flat = path.join(work, 'flat');
    fs.mkdirSync(flat, { recursive: true });
    fs.copyFileSync(path.join(digits, '1', fs.readdirSync(path.join(digits, '1'))[0]!), path.join(flat, 'a.png'));
    const { end } = await train({ dataPath: flat });
    expect(end).toMatchObject({ status: 'failed', error: { code: 'NO_CLASS_FOLDERS' } });
    expect(end.reason).toContain(flat);
  });
});
