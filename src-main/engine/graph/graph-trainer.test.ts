import type * as tfType from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { TrainingConfig } from '../../../src-shared/contract/project.ts';
import { analyzeGraph } from '../../../src-shared/graph/analyze-graph.ts';
import type { ModelSpec } from '../../../src-shared/spec/model-spec.ts';
import { chain } from '../../../src-shared/spec/templates.ts';
import { loadEngineBackend, type Tf } from '../backend/load-engine-backend.ts';
import { buildModel } from '../compile/compile-model.ts';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';
import { loadDigits } from '../testing/mnist-digits.ts';
import { memorySplit } from '../../data/loaded-dataset.ts';
import { fitLoop, type EpochLogs } from '../train/fit-loop.ts';
import { graphStepper } from '../train/train-steppers.ts';
import type { FeedSet } from './graph-trainer.ts';
import { GraphTrainer } from './graph-trainer.ts';
import { loadGraphBinding } from './load-graph-binding.ts';
import type { StrataGraphBinding } from './graph-binding-types.ts';

let tf: Tf;
let binding: StrataGraphBinding;
beforeAll(async () => {
  const backend = await loadEngineBackend();
  tf = backend.tf;
  binding = loadGraphBinding();
});

// Every graph-expressible kind in one small network (dropout at rate 0, so a tfjs step and
// a graph step see the same function): conv+BN+pool, a skip connection, a concatenation.
function everyKindSpec(): ModelSpec {
  const spec = chain('every_kind', [8, 8, 2], [
    // No bias before a batch norm (as Keras advises): BN cancels its gradient to ~0, and Adam
    // blows float noise that small up into steps that differ between any two engines.
    ['Conv2D', { filters: 4, kernel_size: [3, 3], padding: 'same', activation: 'relu', use_bias: false }],
    ['BatchNormalization', {}],
    ['MaxPooling2D', { pool_size: [2, 2] }],
    ['AveragePooling2D', { pool_size: [2, 2], strides: [1, 1], padding: 'same' }],
    ['Conv2D', { filters: 4, kernel_size: [1, 1], activation: 'tanh' }],
    ['Dropout', { rate: 0 }],
    ['Flatten'],
    ['Reshape', { target_shape: [4, -1] }],
    ['Flatten'],
    ['Dense', { units: 6, activation: 'swish', use_bias: false }],
    ['BatchNormalization', {}],
    ['Activation', { activation: 'elu' }],
    ['Dense', { units: 3, activation: 'softmax' }],
  ]);
  // Add a skip connection and a concatenation around the first Dense's output.
  const layers = spec.config.layers;
  const dense1 = layers.find((l) => l.name.startsWith('dense'))!;
  const act = layers.find((l) => l.class_name === 'Activation')!;
  const last = layers.at(-1)!;
  layers.push({ class_name: 'Add', name: 'skip', config: {}, inbound: [dense1.name, act.name] });
  layers.push({ class_name: 'Concatenate', name: 'joined', config: { axis: -1 }, inbound: ['skip', act.name] });
  last.inbound = ['joined'];
  return spec;
}

/** A FeedSet as the training loop reads it. */
function splitOf(set: FeedSet) {
  return memorySplit(set.pixels, set.sampleShape.reduce((a, b) => a * b, 1), set.labels, Array.from({ length: set.count }, (_, i) => String(i)));
}

function randomSet(count: number, sampleShape: number[], classes: number, seed: number): FeedSet {
  const random = seededRandom(seed);
  const size = sampleShape.reduce((a, b) => a * b, 1);
  return {
    pixels: Float32Array.from({ length: count * size }, () => random()),
    labels: Int32Array.from({ length: count }, () => Math.floor(random() * classes)),
    count, sampleShape,
  };
}

/** One tfjs step (op by op) on the same batch, from the same weights. */
async function tfjsStep(model: tfType.LayersModel, set: FeedSet, training: TrainingConfig['optimizer'], lr: number, steps: number): Promise<void> {
  const optimizer = { adam: tf.train.adam(lr), sgd: tf.train.sgd(lr), rmsprop: tf.train.rmsprop(lr), adagrad: tf.train.adagrad(lr) }[training];
  model.compile({ optimizer, loss: (y: tfType.Tensor, p: tfType.Tensor) => tf.losses.softmaxCrossEntropy(y, p) });
  const x = tf.tensor(set.pixels, [set.count, ...set.sampleShape]);
  const y = tf.oneHot(tf.tensor1d(set.labels, 'int32'), 3).toFloat();
  await model.fit(x, y, { batchSize: set.count, epochs: steps, shuffle: false, verbose: 0 });
  tf.dispose([x, y]);
}

function weightsOf(model: tfType.LayersModel): Map<string, Float32Array> {
  return new Map(model.layers.flatMap((layer) => layer.weights.map((w, i) => [`${layer.name}/${i}`, layer.getWeights()[i]!.dataSync() as Float32Array] as const)));
}

describe('GraphTrainer (the whole step as one TensorFlow graph)', () => {
  for (const optimizer of ['sgd', 'adam', 'rmsprop', 'adagrad'] as const) {
    it(`takes the same ${optimizer} steps as tfjs' fit from the same weights, every weight within 1e-4`, async () => {
      const spec = everyKindSpec();
      const set = randomSet(16, [8, 8, 2], 3, 11);
      // The graph's output layer is trained on logits; the spec's softmax output is the
      // same model, so compare against a tfjs twin whose output layer has no softmax and a
      // logits loss (exactly what compileForTraining does for a non-softmax output).
      const twinSpec = structuredClone(spec);
      twinSpec.config.layers.find((l) => l.config.activation === 'softmax')!.config.activation = 'linear';
      const model = buildModel(tf, spec);
      const twin = buildModel(tf, twinSpec);
      twin.setWeights(model.getWeights());
      // Adaptive optimizers step by about lr·sign(g) whatever g's size, so float noise in a
      // tiny gradient becomes a visible difference; a smaller lr keeps that far below 1e-4
      // while a wrong gradient still moves weights by ~lr. SGD's steps are exact: larger lr.
      const lr = optimizer === 'sgd' ? 0.05 : 0.001;
      const trainer = GraphTrainer.create(binding, spec, analyzeGraph(spec), { optimizer, learningRate: lr }, model);
      for (let step = 0; step < 3; step++) trainer.trainBatch(set.pixels, set.labels, set.sampleShape);
      trainer.copyWeightsTo(tf, model);
      trainer.close();
      await tfjsStep(twin, set, optimizer, lr, 3);

      const graphWeights = weightsOf(model);
      const tfjsWeights = weightsOf(twin);
      expect([...graphWeights.keys()]).toEqual([...tfjsWeights.keys()]);
      for (const [key, values] of graphWeights) {
        const reference = tfjsWeights.get(key)!;
        const worst = values.reduce((m, v, i) => Math.max(m, Math.abs(v - reference[i]!)), 0);
        expect(worst, key).toBeLessThan(1e-4);
      }
      model.dispose();
      twin.dispose();
    });
  }

  it('its inference pass gives the same probabilities as the tfjs model after copying the weights back', async () => {
    const spec = everyKindSpec();
    const model = buildModel(tf, spec);
    const set = randomSet(24, [8, 8, 2], 3, 5);
    const trainer = GraphTrainer.create(binding, spec, analyzeGraph(spec), { optimizer: 'adam', learningRate: 0.01 }, model);
    for (let step = 0; step < 5; step++) trainer.trainBatch(set.pixels, set.labels, set.sampleShape);
    trainer.copyWeightsTo(tf, model);
    const graphEval = trainer.evaluate(set, 10);
    trainer.close();
    const probs = tf.tidy(() => (model.predict(tf.tensor(set.pixels, [set.count, 8, 8, 2])) as tfType.Tensor).arraySync() as number[][]);
    const tfjsLoss = -probs.reduce((s, p, i) => s + Math.log(p[set.labels[i]!]!), 0) / set.count;
    const tfjsAcc = probs.filter((p, i) => p.indexOf(Math.max(...p)) === set.labels[i]).length / set.count;
    expect(graphEval.loss).toBeCloseTo(tfjsLoss, 4);
    expect(graphEval.acc).toBeCloseTo(tfjsAcc, 6);
    model.dispose();
  });

  it("trains Keras' mnist_cnn on real digits: the loss falls and held-out digits are recognised", async () => {
    const spec = chain('mnist_cnn', [28, 28, 1], [
      ['Conv2D', { filters: 16, kernel_size: [3, 3], activation: 'relu' }],
      ['MaxPooling2D', { pool_size: [2, 2] }],
      ['Dropout', { rate: 0.25 }],
      ['Flatten'],
      ['Dense', { units: 64, activation: 'relu' }],
      ['Dropout', { rate: 0.5 }],
      ['Dense', { units: 10, activation: 'softmax' }],
    ]);
    const { train, test } = loadDigits({ trainCount: 3000, testCount: 500, seed: 3 });
    const model = buildModel(tf, spec);
    const trainer = GraphTrainer.create(binding, spec, analyzeGraph(spec), { optimizer: 'adam', learningRate: 0.002 }, model);
    const epochs: EpochLogs[] = [];
    await fitLoop(graphStepper(trainer, [28, 28, 1]), splitOf({ ...train, labels: Int32Array.from(train.labels), sampleShape: [28, 28, 1] }), {
      epochs: 3, batchSize: 64, shuffle: true, random: seededRandom(1), targetsPerSample: 1,
      validation: splitOf({ ...test, labels: Int32Array.from(test.labels), sampleShape: [28, 28, 1] }),
    }, { onEpochEnd: (_e, logs) => { epochs.push(logs); } });
    trainer.close();
    expect(epochs).toHaveLength(3);
    expect(epochs[2]!.loss).toBeLessThan(epochs[0]!.loss * 0.7);
    expect(epochs[2]!.val_acc).toBeGreaterThan(0.85);
    model.dispose();
  });

  it('stops after the batch where shouldStop turns true', async () => {
    const spec = chain('tiny', [4], [['Dense', { units: 3, activation: 'softmax' }]]);
    const model = buildModel(tf, spec);
    const trainer = GraphTrainer.create(binding, spec, analyzeGraph(spec), { optimizer: 'sgd', learningRate: 0.1 }, model);
    const batches: number[] = [];
    await fitLoop(graphStepper(trainer, [4]), splitOf(randomSet(100, [4], 3, 2)), { epochs: 5, batchSize: 10, shuffle: true, targetsPerSample: 1, shouldStop: () => batches.length === 4 }, {
      onBatchEnd: (batch) => { batches.push(batch); },
    });
    trainer.close();
    expect(batches).toEqual([0, 1, 2, 3]);
    model.dispose();
  });
});
