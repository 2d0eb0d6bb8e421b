import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataConfigSchema } from '../../../src-shared/contract/data-config.ts';
import { TrainingConfigSchema } from '../../../src-shared/contract/project.ts';
import type { TrainEvent } from '../../../src-shared/contract/streams.ts';
import { learningRateAt, ScheduleSchema } from '../../../src-shared/contract/training-schedule.ts';
import { TEMPLATES } from '../../../src-shared/spec/templates.ts';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';
import { EpochPolicy } from './epoch-policy.ts';
import { readRunRecord } from './run-store.ts';
import { runTraining } from './train-run.ts';

const epochOf = (epoch: number, val_loss: number | null, val_acc: number | null = null) => ({ epoch, loss: 1, acc: null, val_loss, val_acc });

describe('learning-rate schedules', () => {
  it('give the rate of each epoch as drawn before training', () => {
    const at = (json: unknown, epochs = 5) => Array.from({ length: epochs }, (_, e) => Number(learningRateAt(ScheduleSchema.parse(json), 0.1, e, epochs).toPrecision(6)));
    expect(at({ kind: 'constant' })).toEqual([0.1, 0.1, 0.1, 0.1, 0.1]);
    expect(at({ kind: 'step', every: 2, factor: 0.5 })).toEqual([0.1, 0.1, 0.05, 0.05, 0.025]);
    expect(at({ kind: 'exponential', factor: 0.9 })).toEqual([0.1, 0.09, 0.081, 0.0729, 0.06561]);
    expect(at({ kind: 'cosine', floor: 0 })).toEqual([0.1, 0.0853553, 0.05, 0.0146447, 0]);
  });

  it('reduce on plateau after `patience` epochs without a better validation loss', () => {
    const policy = new EpochPolicy(TrainingConfigSchema.parse({ learningRate: 0.1, epochs: 10, schedule: { kind: 'plateau', factor: 0.5, patience: 2 } }));
    const rates: number[] = [];
    [1.0, 0.8, 0.85, 0.9, 0.7, 0.75, 0.76].forEach((loss, e) => {
      rates.push(policy.learningRate(e));
      policy.afterEpoch(epochOf(e + 1, loss));
    });
    rates.push(policy.learningRate(7));
    expect(rates).toEqual([0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]);
  });
});

describe('early stopping', () => {
  it('stops after `patience` epochs without improvement and keeps only the best epoch as the checkpoint', () => {
    const policy = new EpochPolicy(TrainingConfigSchema.parse({ epochs: 20, earlyStopping: { metric: 'val_acc', patience: 2, restoreBest: true } }));
    const decisions = [0.5, 0.7, 0.69, 0.7].map((acc, e) => policy.afterEpoch(epochOf(e + 1, 1, acc)));
    expect(decisions.map((d) => d.checkpoint)).toEqual([true, true, false, false]); // an equal value is no improvement
    expect(decisions.map((d) => d.stop !== null)).toEqual([false, false, false, true]);
    expect(decisions[3]!.stop).toMatch(/^stopped early after epoch 4: val_acc did not improve for 2 epoch\(s\); best 0\.7000 at epoch 2, whose weights are kept$/);
  });

  it('never stops a run on a metric it does not have (no validation split)', () => {
    const policy = new EpochPolicy(TrainingConfigSchema.parse({ earlyStopping: { patience: 1 } }));
    expect([1, 2, 3].map((e) => policy.afterEpoch(epochOf(e, null)))).toEqual([1, 2, 3].map(() => ({ checkpoint: true, stop: null })));
  });
});

describe('a real run with a schedule and early stopping', () => {
  let work: string;
  beforeAll(() => {
    work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-policy-'));
    // A target that is pure noise: validation loss stops improving within a few epochs.
    const r = seededRandom(7);
    fs.writeFileSync(path.join(work, 'noise.csv'), ['a,b,y', ...Array.from({ length: 300 }, () => `${r()},${r()},${r()}`)].join('\n'));
  });
  afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

  it('trains with the scheduled rate each epoch, stops early, and keeps the best epoch', async () => {
    const events: TrainEvent[] = [];
    const runDir = path.join(work, 'run');
    const end = await runTraining({
      runId: 'run', runDir,
      spec: TEMPLATES.find((t) => t.id === 'mlp')!.build({ inputShape: [2], classes: 1, task: 'regression' }),
      data: DataConfigSchema.parse({ kind: 'csv-table', path: path.join(work, 'noise.csv'), target: 'y' }),
      training: TrainingConfigSchema.parse({
        epochs: 60, batchSize: 16, learningRate: 0.05, schedule: { kind: 'step', every: 1, factor: 0.9 },
        earlyStopping: { metric: 'val_loss', patience: 3, restoreBest: true },
      }),
    }, (e) => events.push(e), new AbortController().signal);
    const epochs = events.filter((e): e is Extract<TrainEvent, { type: 'epoch' }> => e.type === 'epoch');
    expect(end.status).toBe('completed');
    expect(end.reason).toMatch(/^stopped early after epoch \d+: val_loss did not improve for 3 epoch\(s\)/);
    expect(epochs.length).toBeLessThan(60);
    epochs.forEach((e, i) => expect(e.learningRate).toBeCloseTo(0.05 * 0.9 ** i, 8));
    const best = epochs.reduce((a, b) => (b.val_loss! < a.val_loss! ? b : a));
    expect(readRunRecord(runDir)).toMatchObject({ checkpointEpoch: best.epoch, lastEpoch: { epoch: epochs.at(-1)!.epoch } });
    expect(epochs.at(-1)!.epoch - best.epoch).toBe(3);
  });
});
