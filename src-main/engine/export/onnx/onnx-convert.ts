import type * as tfType from '@tensorflow/tfjs';
import { analyzeGraph } from '../../../../src-shared/graph/analyze-graph.ts';
import { flattenBlocks } from '../../../../src-shared/graph/graph-blocks.ts';
import type { ModelSpec, Shape } from '../../../../src-shared/spec/model-spec.ts';
import { StrataError } from '../../../strata-error.ts';
import type { Tf } from '../../backend/load-engine-backend.ts';
import { attr, ONNX_FLOAT, OnnxGraph } from './onnx-graph.ts';
import type { LayerWeight, OnnxLayerConverter } from './onnx-layer-context.ts';
import { describeUnsupported, onnxUnsupportedLayers } from './onnx-layer-support.ts';
import { paddingMaskFlow } from './onnx-mask-flow.ts';
import { CORE_ONNX_CONVERTERS } from './onnx-layers-core.ts';
import { RECURRENT_ONNX_CONVERTERS } from './onnx-layers-recurrent.ts';
import { SPATIAL_ONNX_CONVERTERS } from './onnx-layers-spatial.ts';

/** The ONNX writer of every supported kind except Input, keyed by Keras class name. */
export const ONNX_LAYER_CONVERTERS: Readonly<Record<string, OnnxLayerConverter>> = {
  ...CORE_ONNX_CONVERTERS,
  ...SPATIAL_ONNX_CONVERTERS,
  ...RECURRENT_ONNX_CONVERTERS,
};

/** A converted model: the ModelProto's bytes and how to feed it. */
export interface OnnxModel {
  bytes: Uint8Array;
  /** Graph input names (the spec's Input layers) and their sample shapes, batch left out. */
  inputs: Array<{ name: string; shape: number[] }>;
  /** The graph output (named after the model's output layer) and its sample shape. */
  output: { name: string; shape: number[] };
  /** How the model was written, where a person may care (ExportResult.notes). */
  notes: string[];
}

function knownShape(layer: string, shape: Shape | null | undefined): number[] {
  if (!shape || shape.some((d) => d === null)) throw new StrataError('ONNX_SHAPE_UNKNOWN', `The ONNX export needs every size of ${layer}'s tensors known, but Strata could not infer them; fix the model's errors first.`);
  return shape as number[];
}

function layerOf(model: tfType.LayersModel, name: string): tfType.layers.Layer {
  try {
    return model.getLayer(name);
  } catch {
    throw new StrataError('ONNX_MODEL_MISMATCH', `The tfjs model has no layer ${name}, which its spec has; the checkpoint and the spec disagree.`);
  }
}

/**
 * Converts a tfjs model built from `blockSpec` (buildModel, or a run's checkpoint) to ONNX:
 * the spec gives each layer's kind and parameters, the model its trained weights. Throws
 * StrataError('ONNX_UNSUPPORTED') naming every layer it cannot write, before writing any.
 */
export function convertToOnnx(tf: Tf, model: tfType.LayersModel, blockSpec: ModelSpec): OnnxModel {
  const spec = flattenBlocks(blockSpec);
  const unsupported = onnxUnsupportedLayers(spec);
  if (unsupported.length > 0) {
    throw new StrataError('ONNX_UNSUPPORTED', `The model "${spec.config.name}" cannot be exported to ONNX: ${describeUnsupported(unsupported)}.`, { layers: unsupported });
  }
  const analysis = analyzeGraph(spec);
  if (!analysis.valid) {
    const first = analysis.issues.find((i) => i.severity === 'error');
    throw new StrataError('GRAPH_INVALID', `The model "${spec.config.name}" has errors to fix before it can be exported to ONNX: ${first?.layer ? `${first.layer}: ` : ''}${first?.message ?? ''}`);
  }
  const byName = new Map(spec.config.layers.map((l) => [l.name, l]));
  const outputLayer = model.outputs[0]?.sourceLayer.name;
  if (!outputLayer || !byName.has(outputLayer) || model.outputs.length !== 1) {
    throw new StrataError('ONNX_MODEL_MISMATCH', `The tfjs model's output ${outputLayer ?? '(none)'} is not a layer of the spec "${spec.config.name}"; the checkpoint and the spec disagree.`);
  }

  // Only what the output depends on: a dangling branch on the canvas is not in the model.
  const needed = new Set<string>();
  const visit = (name: string): void => {
    if (needed.has(name)) return;
    needed.add(name);
    for (const from of byName.get(name)?.inbound ?? []) visit(from);
  };
  visit(outputLayer);

  const g = new OnnxGraph();
  const tensors = new Map<string, string>();
  const masks = paddingMaskFlow(spec).applied;
  const maskTensors = new Map<string, string>();
  // tfjs' Embedding.computeMask: the float ids ≠ 0, as 1/0 per step.
  const maskOf = (embedding: string): string => {
    const known = maskTensors.get(embedding);
    if (known) return known;
    const ids = tensors.get(byName.get(embedding)?.inbound[0] ?? '')!;
    const padding = g.op('Equal', [ids, g.float(0)], [], `${embedding}/is_padding`);
    const mask = g.op('Cast', [g.op('Not', [padding], [], `${embedding}/is_step`)], [attr.int('to', ONNX_FLOAT)], `${embedding}/mask`);
    maskTensors.set(embedding, mask);
    return mask;
  };
  const inputs: OnnxModel['inputs'] = [];
  const graphOutput = g.reserve(outputLayer);
  for (const name of analysis.order) {
    const layer = byName.get(name);
    const node = analysis.nodes[name];
    if (!layer || !node || !needed.has(name)) continue;
    if (layer.class_name === 'Input') {
      inputs.push({ name: g.reserve(name === outputLayer ? `${name}_input` : name), shape: knownShape(name, node.outputShape) });
      tensors.set(name, inputs[inputs.length - 1]!.name);
      continue;
    }
    const convert = ONNX_LAYER_CONVERTERS[layer.class_name];
    if (!convert) throw new Error(`no ONNX converter for ${layer.class_name}, though the support table lists it`);
    const weights: LayerWeight[] = layerOf(model, name).getWeights().map((w) => ({ shape: [...w.shape], values: Float32Array.from(w.dataSync()) }));
    const out = convert({
      g, name, params: layer.config, weights,
      inputs: layer.inbound.map((from) => tensors.get(from)!),
      inputShapes: node.inputShapes.map((s) => knownShape(name, s)),
      outputShape: knownShape(name, node.outputShape),
      ...(masks.has(name) && { mask: maskOf(masks.get(name)!) }),
    });
    tensors.set(name, out);
  }
  g.opInto('Identity', [tensors.get(outputLayer)!], graphOutput);
  const output = { name: graphOutput, shape: knownShape(outputLayer, analysis.nodes[outputLayer]?.outputShape) };
  const bytes = g.toBytes({
    graphName: spec.config.name,
    inputs,
    output,
    docString: `Exported by Strata from tfjs (${tf.version.tfjs}). Inputs keep Strata's layout: channels-last images (batch, height, width, channels), sequences (batch, steps, features), word ids as float32.`,
    metadata: { strata_model: spec.config.name, input_layout: 'channels_last' },
  });
  const readsIds = (input: string) => spec.config.layers.some((l) => l.class_name === 'Embedding' && l.inbound.includes(input));
  const layout = inputs.map((i) => `${i.name} takes float32 (batch, ${i.shape.join(', ')})${readsIds(i.name) ? ': word ids as numbers' : i.shape.length === 3 ? ': images channels-last, prepared as in Strata' : ''}`);
  return { bytes, inputs, output, notes: [`Input ${layout.join('; ')}; the batch size is free.`, ...g.notes] };
}
