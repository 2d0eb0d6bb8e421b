import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DataConfigSchema } from '../../../src-shared/contract/data-config.ts';
import { ExplainOptionsSchema, type ExplainMethod } from '../../../src-shared/contract/explanation.ts';
import { TrainingConfigSchema } from '../../../src-shared/contract/project.ts';
import { TEMPLATES } from '../../../src-shared/spec/templates.ts';
import { decodeImageFile } from '../../data/image-folder/decode-image.ts';
import { loadRunModel, type RunModel } from '../run-model.ts';
import { writePatchDataset } from '../testing/write-patch-dataset.ts';
import { runTraining } from '../train/train-run.ts';
import { massInside, randomisedModel, sanityCheck, spearman } from './explain-sanity.ts';

describe('spearman', () => {
  it('is 1 for the same order, −1 for the reverse, averages ties, and is 0 against a constant', () => {
    expect(spearman([1, 5, 9, 20], [0, 2, 3, 100])).toBeCloseTo(1, 12);
    expect(spearman([1, 2, 3, 4], [8, 6, 4, 2])).toBeCloseTo(-1, 12);
    // Ranks [1, 2.5, 2.5, 4] vs [1, 2, 3, 4]: 4.5 / √(4.5 · 5).
    expect(spearman([1, 2, 2, 3], [1, 2, 3, 4])).toBeCloseTo(4.5 / Math.sqrt(22.5), 12);
    expect(spearman([3, 3, 3], [1, 2, 3])).toBe(0);
    expect(() => spearman([1, 2], [1])).toThrow(RangeError);
  });
});

describe('massInside', () => {
  it('is the share of the map inside the rectangle, clipped to the map', () => {
    const map = { width: 4, height: 2, map: Float32Array.from([1, 1, 0, 0, 1, 1, 0, 4]) };
    expect(massInside(map, { x: 0, y: 0, width: 2, height: 2 })).toBeCloseTo(0.5, 12);
    expect(massInside(map, { x: 3, y: 1, width: 5, height: 5 })).toBeCloseTo(0.5, 12);
    expect(massInside({ width: 2, height: 1, map: new Float32Array(2) }, { x: 0, y: 0, width: 1, height: 1 })).toBe(0);
  });
});

const spec = TEMPLATES.find((t) => t.id === 'resnet')!.build({ inputShape: [32, 32, 1], classes: 2 });
const SHAPE = [32, 32, 1] as const;
const METHODS: ExplainMethod[] = ['vanilla', 'smoothgrad', 'integrated-gradients', 'gradcam', 'occlusion'];
const OPTIONS = ExplainOptionsSchema.parse({});
let work: string;
let run: RunModel;
let pixels: Float32Array;
let markedIndex: number;

beforeAll(async () => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-sanity-'));
  await writePatchDataset(path.join(work, 'patches'), { perClass: 120, seed: 3 });
  const runDir = path.join(work, 'run');
  const end = await runTraining({
    runId: 'sanity', runDir, spec,
    data: DataConfigSchema.parse({ kind: 'image-folder', path: path.join(work, 'patches'), imageSize: [32, 32], channels: 1 }),
    training: TrainingConfigSchema.parse({ epochs: 12, batchSize: 16, seed: 1 }),
  }, () => {}, new AbortController().signal);
  if (end.status !== 'completed') throw new Error(`training did not complete: ${end.status}`);
  run = await loadRunModel(runDir);
  markedIndex = run.record.classes.indexOf('marked');
  const file = run.record.validationFiles.find((f) => f.startsWith('marked'))!;
  pixels = await decodeImageFile(path.join(work, 'patches', file), [32, 32], 1);
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

describe('randomisedModel', () => {
  it('re-draws every kernel from a seed and leaves the trained model alone', () => {
    const { tf } = run;
    const trained = run.model.getWeights().map((w) => w.dataSync().slice());
    const a = randomisedModel(tf, run.model, 3);
    const b = randomisedModel(tf, run.model, 3);
    try {
      expect(a.layers.map((l) => l.name)).toEqual(run.model.layers.map((l) => l.name));
      const drawn = a.getWeights();
      drawn.forEach((w, i) => {
        if (w.rank >= 2) expect(w.dataSync()).not.toEqual(trained[i]);
        else expect(new Set(w.dataSync()).size).toBe(1); // biases back at their initial 0
      });
      expect(b.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(drawn.map((w) => Array.from(w.dataSync())));
      expect(run.model.getWeights().map((w) => w.dataSync())).toEqual(trained);
    } finally {
      a.dispose();
      b.dispose();
    }
  });
});

describe('the model-randomisation sanity check (Adebayo et al.)', () => {
  it.each(METHODS)('%s: the map changes when the weights are re-drawn', (method) => {
    const before = run.tf.memory().numTensors;
    const check = sanityCheck(run.tf, run.model, spec, pixels, SHAPE, markedIndex, method, OPTIONS);
    console.log(`${method}: rank correlation trained vs randomised ${check.rankCorrelation.toFixed(3)} (threshold ${check.threshold})`);
    expect(run.tf.memory().numTensors).toBe(before);
    expect([check.randomMap.width, check.randomMap.height]).toEqual([32, 32]);
    expect(check.passed).toBe(true);
  });

  it.each(METHODS)('%s: fails against an unchanged copy of the trained model (negative control)', (method) => {
    const copy = (tf: RunModel['tf'], model: RunModel['model']) => {
      const clone = randomisedModel(tf, model);
      clone.setWeights(model.getWeights());
      return clone;
    };
    const check = sanityCheck(run.tf, run.model, spec, pixels, SHAPE, markedIndex, method, OPTIONS, copy);
    expect({ rankCorrelation: Number(check.rankCorrelation.toFixed(6)), passed: check.passed }).toEqual({ rankCorrelation: 1, passed: false });
  });
});
