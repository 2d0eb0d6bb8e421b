import type * as tfType from '@tensorflow/tfjs';
import type { TrainingConfig } from '../../../src-shared/contract/project.ts';
import { analyzeGraph } from '../../../src-shared/graph/analyze-graph.ts';
import { formatShape, type ModelSpec } from '../../../src-shared/spec/model-spec.ts';
import type { ImageDataset } from '../../data/image-folder/load-image-dataset.ts';
import { StrataError } from '../../strata-error.ts';
import type { Tf } from '../backend/load-engine-backend.ts';
import { buildModel } from '../compile/compile-model.ts';

/** Checks that the graph fits the data, then builds and compiles it for classification. */
export function compileForTraining(tf: Tf, spec: ModelSpec, training: TrainingConfig, dataset: Pick<ImageDataset, 'classes' | 'imageSize' | 'channels'>): tfType.LayersModel {
  const analysis = analyzeGraph(spec);
  if (!analysis.valid) {
    const errors = analysis.issues.filter((i) => i.severity === 'error');
    throw new StrataError('GRAPH_INVALID', `The network has ${errors.length} problem(s) to fix before training:\n${errors.map((i) => `  - ${i.layer ? `${i.layer}: ` : ''}${i.message}`).join('\n')}`, errors);
  }
  const expectedInput = [dataset.imageSize[0], dataset.imageSize[1], dataset.channels];
  const inputName = analysis.inputs[0]!;
  const inputShape = analysis.nodes[inputName]!.outputShape ?? [];
  if (inputShape.join() !== expectedInput.join()) {
    throw new StrataError('INPUT_SHAPE_MISMATCH', `The Input layer "${inputName}" has shape ${formatShape(inputShape)} but the dataset's images are ${formatShape(expectedInput)}. Set the Input shape from the data (or change the image size and channels).`);
  }
  const outputName = analysis.outputs[0]!;
  const outputShape = analysis.nodes[outputName]!.outputShape ?? [];
  if (outputShape.length !== 1 || outputShape[0] !== dataset.classes.length) {
    throw new StrataError('OUTPUT_SIZE_MISMATCH', `The last layer "${outputName}" outputs ${formatShape(outputShape)} but the dataset has ${dataset.classes.length} classes (${dataset.classes.join(', ')}). Give it ${dataset.classes.length} units.`);
  }
  const model = buildModel(tf, spec);
  const outputLayer = spec.config.layers.find((l) => l.name === outputName)!;
  const softmaxOutput = outputLayer.config.activation === 'softmax';
  model.compile({
    optimizer: makeOptimizer(tf, training),
    // A softmax output is trained on probabilities; any other output is read as logits.
    loss: softmaxOutput ? 'categoricalCrossentropy' : (yTrue: tfType.Tensor, yPred: tfType.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred),
    metrics: ['accuracy'],
  });
  return model;
}

function makeOptimizer(tf: Tf, { optimizer, learningRate }: TrainingConfig): tfType.Optimizer {
  switch (optimizer) {
    case 'adam': return tf.train.adam(learningRate);
    case 'sgd': return tf.train.sgd(learningRate);
    case 'rmsprop': return tf.train.rmsprop(learningRate);
    case 'adagrad': return tf.train.adagrad(learningRate);
  }
}
