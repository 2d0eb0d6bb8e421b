import { analyzeGraph } from '../../../../src-shared/graph/analyze-graph.ts';
import { flattenBlocks } from '../../../../src-shared/graph/graph-blocks.ts';
import type { LayerSpec, ModelSpec, Shape } from '../../../../src-shared/spec/model-spec.ts';
import { StrataError } from '../../../strata-error.ts';
import { FLOAT32_POLICY, inputShapeOf, kerasLayerKind, type KerasLayerKind } from './keras-layer-configs.ts';
import { kerasLayerOrder, kerasWeightGroups } from './keras-layer-order.ts';
import { rewriteForKeras } from './keras-rewrites.ts';

/**
 * The Keras 3 functional config (config.json inside a .keras file) of a Strata spec, in the
 * envelope Keras' own `model.save` writes: module / class_name / config / registered_name,
 * build_config with the input shape, and inbound_nodes of `__keras_tensor__` references.
 * Layers are listed in Keras' model.layers order, which also numbers the weight groups.
 */

/** One serialized layer of a functional config. */
export interface KerasLayerJson {
  module: 'keras.layers';
  class_name: string;
  config: Record<string, unknown>;
  registered_name: null;
  build_config?: { input_shape: unknown };
  name: string;
  inbound_nodes: Array<{ args: unknown[]; kwargs: Record<string, unknown> }>;
}

/** config.json of a .keras file holding a functional model. */
export interface KerasModelJson {
  module: 'keras.src.models.functional';
  class_name: 'Functional';
  config: {
    name: string;
    trainable: boolean;
    layers: KerasLayerJson[];
    input_layers: unknown;
    output_layers: unknown;
  };
  registered_name: 'Functional';
  build_config: { input_shape: null };
}

/** What both config.json and model.weights.h5 are written from. */
export interface KerasModelPlan {
  /** The spec with its blocks replaced by their layers (what tfjs built), after keras-rewrites.ts. */
  spec: ModelSpec;
  /** Spec layer names in Keras' model.layers order. */
  order: string[];
  /** Each layer's Keras class and config (the InputLayer's too). */
  kinds: Map<string, KerasLayerKind>;
  /** Each layer's output shape without the batch. */
  shapes: Map<string, Shape>;
  /** Each layer's group under `layers/` in model.weights.h5 ("conv2d", "conv2d_1", …). */
  weightGroups: Map<string, string>;
  inputs: string[];
  output: string;
  /** Layers the export added (keras-rewrites.ts): in Keras, not in the tfjs model, without weights. */
  added: Set<string>;
  /** What the user should know about how the model was written. */
  notes: string[];
}

/**
 * Works out the Keras form of every layer and the order Keras will give them. Throws
 * StrataError GRAPH_INVALID for a spec that does not analyse, and KERAS_UNSUPPORTED
 * (naming the layer) before anything is written when a layer has no Keras form.
 */
export function planKerasModel(blockSpec: ModelSpec): KerasModelPlan {
  const flat = flattenBlocks(blockSpec);
  const checked = analyzeGraph(flat);
  if (!checked.valid) {
    const errors = checked.issues.filter((i) => i.severity === 'error').map((i) => `${i.layer ? `${i.layer}: ` : ''}${i.message}`);
    throw new StrataError('GRAPH_INVALID', `The model "${flat.config.name}" cannot be exported to Keras until it is valid:\n  - ${errors.join('\n  - ')}`);
  }
  const { spec, added, notes } = rewriteForKeras(flat);
  const analysis = added.size > 0 ? analyzeGraph(spec) : checked;
  const output = analysis.outputs[0];
  if (output === undefined) throw new StrataError('GRAPH_INVALID', `The model "${spec.config.name}" has no output layer to export.`);
  const byName = new Map(spec.config.layers.map((l) => [l.name, l]));
  // As buildModel: every Input, and the first output (the one tfjs builds the model to).
  const order = kerasLayerOrder(spec.config.layers, analysis.inputs, [output]);
  const kinds = new Map<string, KerasLayerKind>();
  const shapes = new Map<string, Shape>();
  for (const name of order) {
    const layer = byName.get(name) as LayerSpec;
    kinds.set(name, layer.class_name === 'Input' ? { className: 'InputLayer', config: {} } : kerasLayerKind(layer.class_name, name, layer.config));
    shapes.set(name, analysis.nodes[name]?.outputShape ?? []);
  }
  const weightGroups = kerasWeightGroups(order.map((name) => ({ name, kerasClass: kinds.get(name)!.className })));
  return { spec, order, kinds, shapes, weightGroups, inputs: analysis.inputs, output, added, notes };
}

const batched = (shape: Shape): Array<number | null> => [null, ...shape];

function kerasTensor(name: string, shape: Shape) {
  return { class_name: '__keras_tensor__', config: { shape: batched(shape), dtype: 'float32', keras_history: [name, 0, 0] } };
}

function layerJson(plan: KerasModelPlan, layer: LayerSpec): KerasLayerJson {
  const kind = plan.kinds.get(layer.name)!;
  if (layer.class_name === 'Input') {
    return {
      module: 'keras.layers', class_name: 'InputLayer', registered_name: null, name: layer.name, inbound_nodes: [],
      config: { batch_shape: batched(inputShapeOf(layer.config)), dtype: 'float32', sparse: false, ragged: false, name: layer.name, optional: false },
    };
  }
  const inbound = layer.inbound.map((from) => ({ tensor: kerasTensor(from, plan.shapes.get(from)!), shape: batched(plan.shapes.get(from)!) }));
  // A merge is called on a list of tensors, every other layer on one.
  const many = inbound.length > 1;
  return {
    module: 'keras.layers',
    class_name: kind.className,
    config: { name: layer.name, ...(kind.takesTrainable !== false && { trainable: layer.trainable !== false }), dtype: FLOAT32_POLICY, ...kind.config },
    registered_name: null,
    build_config: { input_shape: many ? inbound.map((i) => i.shape) : inbound[0]!.shape },
    name: layer.name,
    inbound_nodes: [{ args: [many ? inbound.map((i) => i.tensor) : inbound[0]!.tensor], kwargs: {} }],
  };
}

/** The Keras 3 functional config (config.json) of a spec (blocks are flattened first). */
export function kerasModelConfig(spec: ModelSpec, modelName: string = spec.config.name): KerasModelJson {
  return kerasConfigFromPlan(planKerasModel(spec), modelName);
}

export function kerasConfigFromPlan(plan: KerasModelPlan, modelName: string): KerasModelJson {
  const byName = new Map(plan.spec.config.layers.map((l) => [l.name, l]));
  const ref = (name: string) => [name, 0, 0];
  return {
    module: 'keras.src.models.functional',
    class_name: 'Functional',
    config: {
      name: modelName,
      trainable: true,
      layers: plan.order.map((name) => layerJson(plan, byName.get(name)!)),
      // Keras writes one input or output unwrapped, several as a list.
      input_layers: plan.inputs.length === 1 ? ref(plan.inputs[0]!) : plan.inputs.map(ref),
      output_layers: ref(plan.output),
    },
    registered_name: 'Functional',
    build_config: { input_shape: null },
  };
}
