import type { TrainingConfig } from '../../../src-shared/contract/project.ts';
import type { GraphAnalysis } from '../../../src-shared/graph/graph-analysis.ts';
import type { ModelSpec } from '../../../src-shared/spec/model-spec.ts';
import type { GraphHandle, OutputRef, StrataGraphBinding } from './graph-binding-types.ts';
import { GRAPH_LAYER_BUILDERS, GraphUnsupportedError } from './graph-layer-builders.ts';
import { writeOptimizer, type GraphOptimizer } from './graph-optimizers.ts';
import { GraphVariables } from './graph-variables.ts';
import { boolAttr, dtypeAttr, GraphWriter } from './graph-writer.ts';

/** The outputs a session fetches from one forward pass with its loss. */
interface PassOutputs {
  /** Mean cross-entropy over the batch. */
  loss: OutputRef;
  /** Sum of per-sample losses and of correct predictions (validation adds them up over batches). */
  lossSum: OutputRef;
  correctSum: OutputRef;
  accuracy: OutputRef;
  probabilities: OutputRef;
}

/**
 * A classifier's whole training step as one TensorFlow graph: the forward pass with
 * dropout and batch statistics, the loss, every gradient (TensorFlow's own, via
 * TF_AddGradients), the optimizer's fused apply ops; and beside it an inference pass over
 * the same variables for validation. Feeds: `x` (a batch of inputs) and `labels` (class
 * indices, int32).
 */
export interface TrainingGraph {
  graph: GraphHandle;
  variables: GraphVariables;
  x: OutputRef;
  labels: OutputRef;
  train: PassOutputs;
  infer: PassOutputs;
  /** Run as targets with every training step: the optimizer and batch-norm updates. */
  stepTargets: string[];
  optimizer: GraphOptimizer;
}

/** Names the layers the graph writer cannot express yet; the run then trains op by op. */
export function unsupportedLayers(spec: ModelSpec): string[] {
  return spec.config.layers.filter((l) => l.class_name !== 'Input' && !GRAPH_LAYER_BUILDERS[l.class_name]).map((l) => `${l.name} (${l.class_name})`);
}

export function writeTrainingGraph(
  binding: StrataGraphBinding,
  spec: ModelSpec,
  analysis: GraphAnalysis,
  settings: Pick<TrainingConfig, 'optimizer' | 'learningRate' | 'seed'>,
  /** Per-class loss weights (class weights), or null for plain mean cross-entropy. */
  classWeights: readonly number[] | null = null,
): TrainingGraph {
  const missing = unsupportedLayers(spec);
  if (missing.length > 0) throw new GraphUnsupportedError(`no graph form yet for ${missing.join(', ')}`);
  if (analysis.inputs.length !== 1 || analysis.outputs.length !== 1) throw new GraphUnsupportedError('only one input and one output');

  const graph = binding.newGraph();
  const w = new GraphWriter(binding, graph);
  const variables = new GraphVariables(w);
  const inputName = analysis.inputs[0]!;
  const inputShape = analysis.nodes[inputName]!.outputShape!;
  const x = w.placeholder('x', 'float32', [-1, ...inputShape.map((d) => d ?? -1)]);
  const labels = w.placeholder('labels', 'int32', [-1]);
  const updates: string[] = [];

  const forward = (training: boolean): OutputRef => w.scoped(training ? 'train' : 'infer', () => {
    const outputs = new Map<string, OutputRef>([[inputName, x]]);
    const byName = new Map(spec.config.layers.map((l) => [l.name, l]));
    const outputName = analysis.outputs[0]!;
    for (const [index, name] of analysis.order.entries()) {
      if (name === inputName) continue;
      const layer = byName.get(name)!;
      const node = analysis.nodes[name]!;
      // The loss works on logits (as Keras does when it sees a softmax output), so the
      // output layer's softmax is left out here and applied for the probabilities only.
      const config = name === outputName && layer.config.activation === 'softmax' ? { ...layer.config, activation: 'linear' } : layer.config;
      outputs.set(name, GRAPH_LAYER_BUILDERS[layer.class_name]!({
        w, variables, name, config,
        inputs: layer.inbound.map((from) => outputs.get(from)!),
        inputShapes: node.inputShapes, outputShape: node.outputShape!,
        training, updates: training ? updates : [], seed: settings.seed ?? 0, index,
      }));
    }
    return outputs.get(outputName)!;
  });

  const trainLogits = forward(true);
  const sampleWeights = classWeights
    ? w.op('GatherV2', [w.floats(classWeights), labels, w.scalar(0, 'int32')], { Tparams: dtypeAttr('float32'), Tindices: dtypeAttr('int32'), Taxis: dtypeAttr('int32') })
    : null;
  const train = lossOf(w, trainLogits, labels, 'train_loss', sampleWeights);
  const trainable = variables.trainable;
  const batchSize = w.cast(w.op('Size', [labels], { T: dtypeAttr('int32'), out_type: dtypeAttr('int32') }), 'int32', 'float32');
  // d(mean loss)/d(logits) is the fused op's backprop output (times each sample's class
  // weight) over the batch size; TensorFlow differentiates the rest of the network from there.
  const weightedBackprop = sampleWeights ? w.binary('Mul', train.backprop, w.op('ExpandDims', [sampleWeights, w.scalar(1, 'int32')], { T: dtypeAttr('float32'), Tdim: dtypeAttr('int32') })) : train.backprop;
  const dLogits = w.binary('RealDiv', weightedBackprop, batchSize);
  const grads = binding.addGradients(graph, 'gradients', [trainLogits], trainable.map((v) => v.read), [dLogits]);
  const optimizer = writeOptimizer(w, settings, trainable, grads);
  const inferLogits = forward(false);
  const infer = lossOf(w, inferLogits, labels, 'infer_loss');
  return {
    graph, variables, x, labels, optimizer,
    train: train.outputs, infer: infer.outputs,
    stepTargets: [...optimizer.applyOps, ...updates],
  };
}

function lossOf(w: GraphWriter, logits: OutputRef, labels: OutputRef, scope: string, sampleWeights: OutputRef | null = null): { outputs: PassOutputs; backprop: OutputRef } {
  return w.scoped(scope, () => {
    const [rawPerSample, backprop] = w.multi('SparseSoftmaxCrossEntropyWithLogits', [logits, labels], { T: dtypeAttr('float32'), Tlabels: dtypeAttr('int32') });
    const perSample = sampleWeights ? w.binary('Mul', rawPerSample!, sampleWeights) : rawPerSample;
    const predicted = w.op('ArgMax', [logits, w.scalar(1, 'int32')], { T: dtypeAttr('float32'), Tidx: dtypeAttr('int32'), output_type: dtypeAttr('int32') });
    const correct = w.cast(w.op('Equal', [predicted, labels], { T: dtypeAttr('int32'), incompatible_shape_error: boolAttr(true) }), 'bool', 'float32');
    return {
      backprop: backprop!,
      outputs: {
        loss: w.mean(perSample!, [0]), lossSum: w.sum(perSample!, [0]),
        accuracy: w.mean(correct, [0]), correctSum: w.sum(correct, [0]),
        probabilities: w.unary('Softmax', logits),
      },
    };
  });
}
