import type * as tfType from '@tensorflow/tfjs';
import type { TrainingConfig } from '../../../src-shared/contract/project.ts';
import { analyzeGraph } from '../../../src-shared/graph/analyze-graph.ts';
import { formatShape, type ModelSpec } from '../../../src-shared/spec/model-spec.ts';
import type { LoadedDataset } from '../../data/loaded-dataset.ts';
import { outputsPerSample } from '../../data/loaded-dataset.ts';
import { StrataError } from '../../strata-error.ts';
import type { Tf } from '../backend/load-engine-backend.ts';
import { buildModel } from '../compile/compile-model.ts';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';

/** Checks that the graph fits the data, then builds and compiles it for classification or regression. */
export function compileForTraining(
  tf: Tf, spec: ModelSpec, training: TrainingConfig, dataset: Pick<LoadedDataset, 'targets' | 'sampleShape' | 'kind'>, classWeights: readonly number[] | null = null,
): tfType.LayersModel {
  const analysis = analyzeGraph(spec);
  if (!analysis.valid) {
    const errors = analysis.issues.filter((i) => i.severity === 'error');
    throw new StrataError('GRAPH_INVALID', `The network has ${errors.length} problem(s) to fix before training:\n${errors.map((i) => `  - ${i.layer ? `${i.layer}: ` : ''}${i.message}`).join('\n')}`, errors);
  }
  const expectedInput = dataset.sampleShape;
  const inputName = analysis.inputs[0]!;
  const inputShape = analysis.nodes[inputName]!.outputShape ?? [];
  if (inputShape.join() !== expectedInput.join()) {
    throw new StrataError('INPUT_SHAPE_MISMATCH', `The Input layer "${inputName}" has shape ${formatShape(inputShape)} but the dataset's samples are ${formatShape(expectedInput)} (${SAMPLE_WORDS[dataset.kind]}). Set the Input shape from the data.`);
  }
  const outputName = analysis.outputs[0]!;
  const outputShape = analysis.nodes[outputName]!.outputShape ?? [];
  const { targets } = dataset;
  const outputs = outputsPerSample(targets);
  if (outputShape.length !== 1 || outputShape[0] !== outputs) {
    const what = targets.type === 'classes'
      ? `the dataset has ${outputs} classes (${targets.classes.join(', ')})`
      : `the dataset has ${outputs} value(s) to predict (${targets.columns.join(', ')})`;
    throw new StrataError('OUTPUT_SIZE_MISMATCH', `The last layer "${outputName}" outputs ${formatShape(outputShape)} but ${what}. Give it ${outputs} unit${outputs === 1 ? '' : 's'}.`);
  }
  // tfjs draws every initializer's seed from Math.random: with a run seed, those draws repeat.
  const model = training.seed === undefined ? buildModel(tf, spec) : withSeededMathRandom(training.seed, () => buildModel(tf, spec));
  const outputLayer = spec.config.layers.find((l) => l.name === outputName)!;
  if (targets.type === 'regression') {
    const activation = outputLayer.config.activation;
    if (activation === 'softmax' || activation === 'sigmoid') {
      throw new StrataError('OUTPUT_ACTIVATION', `The last layer "${outputName}" uses ${activation}, but this dataset asks for numbers (regression on ${targets.columns.join(', ')}). Set its activation to linear.`);
    }
    // Targets are standardised, so a linear output and mean squared error train well at any scale.
    model.compile({ optimizer: makeOptimizer(tf, training), loss: 'meanSquaredError' });
    return model;
  }
  const softmaxOutput = outputLayer.config.activation === 'softmax';
  // A softmax output is trained on probabilities; any other output is read as logits.
  const plain = softmaxOutput ? 'categoricalCrossentropy' : (yTrue: tfType.Tensor, yPred: tfType.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred);
  model.compile({
    optimizer: makeOptimizer(tf, training),
    loss: classWeights ? weightedCrossEntropy(tf, classWeights, softmaxOutput) : plain,
    metrics: ['accuracy'],
  });
  return model;
}

const SAMPLE_WORDS: Record<LoadedDataset['kind'], string> = {
  'image-folder': 'height × width × channels',
  'csv-table': 'one value per numeric feature and per category of each categorical feature',
  text: 'token ids, one per position of the sequence length',
  timeseries: 'window rows × feature columns',
};

function makeOptimizer(tf: Tf, { optimizer, learningRate }: TrainingConfig): tfType.Optimizer {
  switch (optimizer) {
    case 'adam': return tf.train.adam(learningRate);
    case 'sgd': return tf.train.sgd(learningRate);
    case 'rmsprop': return tf.train.rmsprop(learningRate);
    case 'adagrad': return tf.train.adagrad(learningRate);
  }
}

/**
 * Runs `build` with Math.random replaced by a seeded generator, and puts it back. tfjs seeds
 * each weight initializer it creates from Math.random (when the layer names no seed), so
 * this makes a model's initial weights a function of the seed. `build` is synchronous, so
 * nothing else runs while the replacement is in place.
 */
export function withSeededMathRandom<T>(seed: number, build: () => T): T {
  const original = Math.random;
  Math.random = seededRandom(seed);
  try {
    return build();
  } finally {
    Math.random = original;
  }
}

/**
 * Cross-entropy with each sample scaled by its class's weight, averaged over the batch —
 * what Keras does with class_weight, and what the graph engine's weighted loss computes.
 */
function weightedCrossEntropy(tf: Tf, classWeights: readonly number[], probabilities: boolean) {
  const values = Float32Array.from(classWeights);
  return (yTrue: tfType.Tensor, yPred: tfType.Tensor): tfType.Scalar => tf.tidy(() => {
    const weights = tf.tensor1d(values); // made per batch inside the tidy: nothing outlives the run
    return tf.mean(tf.mul(crossEntropyPerSample(tf, yTrue, yPred, probabilities), tf.sum(tf.mul(yTrue, weights), -1))) as tfType.Scalar;
  });
}

/**
 * Each sample's cross-entropy against one-hot targets: on probabilities the way tfjs'
 * categoricalCrossentropy computes it (normalised, clipped to [1e-7, 1 − 1e-7]), on logits
 * through softmax. Call inside a tidy.
 */
export function crossEntropyPerSample(tf: Tf, yTrue: tfType.Tensor, yPred: tfType.Tensor, probabilities: boolean): tfType.Tensor {
  return probabilities
    ? tf.neg(tf.sum(tf.mul(yTrue, tf.log(tf.clipByValue(tf.div(yPred, tf.sum(yPred, -1, true)), 1e-7, 1 - 1e-7))), -1))
    : tf.losses.softmaxCrossEntropy(yTrue, yPred, undefined, undefined, tf.Reduction.NONE);
}

/** Balanced class weights from the training labels: n / (classes × count of the class). */
export function balancedClassWeights(labels: Int32Array, classes: number): number[] {
  const counts = new Array<number>(classes).fill(0);
  for (const label of labels) counts[label]! += 1;
  return counts.map((c) => (c === 0 ? 0 : labels.length / (classes * c)));
}
