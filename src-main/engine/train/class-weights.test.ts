import type * as tfType from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { TrainingConfigSchema } from '../../../src-shared/contract/project.ts';
import { analyzeGraph } from '../../../src-shared/graph/analyze-graph.ts';
import { chain } from '../../../src-shared/spec/templates.ts';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';
import { loadEngineBackend, type Tf } from '../backend/load-engine-backend.ts';
import { GraphTrainer } from '../graph/graph-trainer.ts';
import { loadGraphBinding } from '../graph/load-graph-binding.ts';
import { balancedClassWeights, compileForTraining } from './compile-for-training.ts';
import { tfjsStepper } from './train-steppers.ts';

let tf: Tf;
beforeAll(async () => { tf = (await loadEngineBackend()).tf; });

const spec = chain('weighted', [5], [['Dense', { units: 8, activation: 'tanh' }], ['Dense', { units: 3, activation: 'softmax' }]]);
const targets = { type: 'classes' as const, classes: ['a', 'b', 'c'] };

function weightsOf(model: tfType.LayersModel): number[] {
  return model.getWeights().flatMap((w) => Array.from(w.dataSync()));
}

describe('class weights', () => {
  it('are n / (classes × count) from the training labels', () => {
    expect(balancedClassWeights(Int32Array.from([0, 0, 0, 0, 0, 0, 1, 1, 2, 2, 2, 2]), 3)).toEqual([12 / 18, 12 / 6, 12 / 12]);
  });

  it('train the same weights on both engines (weighted loss, unweighted validation)', async () => {
    const random = seededRandom(3);
    const n = 24;
    const x = Float32Array.from({ length: n * 5 }, () => random() * 2 - 1);
    const y = Int32Array.from({ length: n }, (_, i) => (i < 16 ? 0 : i < 21 ? 1 : 2)); // imbalanced
    const weights = balancedClassWeights(y, 3);
    const training = TrainingConfigSchema.parse({ optimizer: 'sgd', learningRate: 0.5, seed: 4, classWeights: 'balanced' });
    const data = { kind: 'csv-table' as const, sampleShape: [5], targets };
    const viaTfjs = compileForTraining(tf, spec, training, data, weights);
    const viaGraph = compileForTraining(tf, spec, training, data, weights); // same seed: same initial weights
    expect(weightsOf(viaGraph)).toEqual(weightsOf(viaTfjs));
    const stepper = tfjsStepper(tf, viaTfjs, [5], targets, true);
    const trainer = GraphTrainer.create(loadGraphBinding(), spec, analyzeGraph(spec), training, viaGraph, weights);
    try {
      for (let step = 0; step < 3; step++) {
        const a = await stepper.trainBatch(x, y, n);
        const b = trainer.trainBatch(x, y, [5]);
        expect(b.loss).toBeCloseTo(a.loss, 4);
      }
      trainer.copyWeightsTo(tf, viaGraph);
      const diff = weightsOf(viaGraph).map((v, i) => Math.abs(v - weightsOf(viaTfjs)[i]!));
      expect(Math.max(...diff)).toBeLessThan(1e-4);
      // Validation is unweighted on both.
      const tfjsVal = stepper.evaluateBatch(x, y, n);
      const graphVal = trainer.evaluateBatch(x, y, [5]);
      expect(graphVal.lossSum).toBeCloseTo(tfjsVal.lossSum, 3);
      expect(graphVal.correct).toBe(tfjsVal.correct);
      // And the weighting is real: an unweighted step from the same start moves elsewhere.
      const plain = compileForTraining(tf, spec, training, data, null);
      await tfjsStepper(tf, plain, [5], targets, true).trainBatch(x, y, n);
      const start = compileForTraining(tf, spec, training, data, weights);
      await tfjsStepper(tf, start, [5], targets, true).trainBatch(x, y, n);
      expect(weightsOf(plain)).not.toEqual(weightsOf(start));
      for (const m of [plain, start]) { m.optimizer.dispose(); m.dispose(); }
    } finally {
      trainer.close();
      for (const m of [viaTfjs, viaGraph]) { m.optimizer.dispose(); m.dispose(); }
    }
  });
});
