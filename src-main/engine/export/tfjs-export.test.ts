import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ExportResultSchema } from '../../../src-shared/contract/export.ts';
import { analyzeGraph } from '../../../src-shared/graph/analyze-graph.ts';
import type { ModelSpec } from '../../../src-shared/spec/model-spec.ts';
import { TEMPLATES } from '../../../src-shared/spec/templates.ts';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';
import { loadEngineBackend, type Tf } from '../backend/load-engine-backend.ts';
import { buildModel } from '../compile/compile-model.ts';
import { randomModelSpec } from '../compile/random-model-specs.ts';
import { saveModelFolder } from '../io/model-folder.ts';
import { trainTinyDigitsRun } from '../testing/train-tiny-run.ts';
import { exportRecordFile } from './export-record.ts';
import { randomizeWeights } from './onnx/onnx-parity-check.ts';
import { exportTfjsChecked, predictInCleanProcess, type TfjsPredictJob } from './tfjs-export.ts';

// The tfjs export's round trip: every template and a spread of random catalog graphs,
// saved as a layers model and loaded back by a clean tfjs-node process (one process for
// all of them), must predict what Strata's model predicts; and the export of a real run.

const TOLERANCE = 1e-4;
const RANDOM_GRAPHS = 16;

let tf: Tf;
let work: string;
beforeAll(async () => {
  ({ tf } = await loadEngineBackend());
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-tfjs-export-'));
});
afterAll(() => fs.rmSync(work, { recursive: true, force: true }));

interface Case { id: string; job: TfjsPredictJob; expected: Float32Array }

/** Builds the spec with random non-trivial weights, saves it as an export does, and keeps tfjs' own outputs. */
async function makeCase(id: string, spec: ModelSpec, seed: number): Promise<Case> {
  const model = buildModel(tf, spec);
  try {
    randomizeWeights(tf, model, seed);
    const analysis = analyzeGraph(spec);
    const sampleShape = analysis.nodes[analysis.inputs[0]!]!.outputShape as number[];
    const shape = [3, ...sampleShape];
    const next = seededRandom(seed + 1000);
    const embedding = spec.config.layers.find((l) => l.class_name === 'Embedding');
    const vocab = embedding ? Number(embedding.config.input_dim) : 0;
    const x = Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => (vocab > 0 ? Math.floor(next() * vocab) : next() * 2 - 1));
    const expected = tf.tidy(() => Float32Array.from((model.predict(tf.tensor(x, shape)) as tfType.Tensor).dataSync()));
    const dir = path.join(work, id);
    await saveModelFolder(tf, model, dir);
    return { id, job: { modelJson: path.join(dir, 'model.json'), x, shape }, expected };
  } finally {
    model.dispose();
  }
}

describe('tfjs export round trip', () => {
  it(`loads every template and ${RANDOM_GRAPHS} random graphs in a clean process with the same predictions`, async () => {
    const cases: Case[] = [];
    for (const [i, template] of TEMPLATES.entries()) {
      const spec = template.build(template.id === 'lstm-text' ? { vocabSize: 300, classes: 3 } : undefined);
      cases.push(await makeCase(`template_${template.id}`, spec, i + 1));
    }
    for (let seed = 1; seed <= RANDOM_GRAPHS; seed++) cases.push(await makeCase(`random_${seed}`, randomModelSpec(seed), 100 + seed));

    const result = predictInCleanProcess(cases.map((c) => c.job));
    if ('error' in result) throw new Error(result.error);
    expect(result.runtime).toMatch(/^tfjs-node \d+\.\d+\.\d+ \(clean process\)$/);
    for (const [i, c] of cases.entries()) {
      const actual = result.outputs[i]!;
      expect(actual.length, c.id).toBe(c.expected.length);
      let max = 0;
      for (let k = 0; k < actual.length; k++) max = Math.max(max, Math.abs(actual[k]! - c.expected[k]!));
      expect(max, c.id).toBeLessThan(TOLERANCE);
    }
  }, 180_000);

  it('exports a trained run, proves it in a clean process and records the export', async () => {
    const runDir = await trainTinyDigitsRun(work, { dropout: true });
    const out = path.join(work, 'web-model');
    const result = await exportTfjsChecked(runDir, out);
    expect(result.parity, JSON.stringify(result.parity)).toMatchObject({ format: 'tfjs', passed: true, skipped: null, argmaxAgreement: 1 });
    expect(result.parity!.maxAbsDiff).toBeLessThan(TOLERANCE);
    expect(result.parity!.samples).toBeGreaterThan(0);
    expect(fs.readdirSync(out).sort()).toEqual(['metadata.json', 'model.json', 'weights.bin']);
    expect(ExportResultSchema.parse(JSON.parse(fs.readFileSync(exportRecordFile(runDir, 'tfjs'), 'utf8')))).toEqual(result);
  }, 120_000);

  it('fails the check, saying why, when the written model cannot be loaded', () => {
    const broken = path.join(work, 'broken');
    fs.mkdirSync(broken, { recursive: true });
    fs.writeFileSync(path.join(broken, 'model.json'), '{"modelTopology": {"class_name": "NoSuchModel"}}');
    const result = predictInCleanProcess([{ modelJson: path.join(broken, 'model.json'), x: new Float32Array(4), shape: [1, 4] }]);
    expect(result).toMatchObject({ error: expect.stringMatching(/\S/) });
  }, 60_000);
});
