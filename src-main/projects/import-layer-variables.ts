import { analyzeGraph } from '../../src-shared/graph/analyze-graph.ts';
import { BatchNormalizationParamsSchema } from '../../src-shared/layers/batch-normalization.ts';
import { Conv1DParamsSchema, Conv2DTransposeParamsSchema, DepthwiseConv2DParamsSchema, SeparableConv2DParamsSchema } from '../../src-shared/layers/conv-variants.ts';
import { Conv2DParamsSchema } from '../../src-shared/layers/conv2d.ts';
import { DenseParamsSchema } from '../../src-shared/layers/dense.ts';
import { LayerNormalizationParamsSchema } from '../../src-shared/layers/misc-kinds.ts';
import { BidirectionalParamsSchema, EmbeddingParamsSchema, innerRecurrent, SimpleRNNParamsSchema } from '../../src-shared/layers/recurrent-kinds.ts';
import { resolveAxis } from '../../src-shared/layers/shape-rules.ts';
import type { ModelSpec, Shape } from '../../src-shared/spec/model-spec.ts';
import { refuseImport } from './import-limits.ts';

/**
 * The variables each layer of a spec has in tfjs — names, shapes and order, the order
 * `layer.getWeights()` returns and `setWeights` takes — worked out from the spec alone, so
 * the importer can check a file's weights before reading them and never needs tfjs. A test
 * compares this with what tfjs builds for every weighted kind in the catalog.
 */

export interface ExpectedVariable {
  /** tfjs' name for it: kernel, recurrent_kernel, bias, gamma, depthwise_kernel… */
  name: string;
  shape: number[];
  /** Which half of a Bidirectional layer it belongs to. */
  direction?: 'forward' | 'backward';
}

const GATES = { SimpleRNN: 1, LSTM: 4, GRU: 3 } as const;

function known(shape: Shape | undefined, layer: string): number[] {
  if (!shape || shape.some((d) => d === null)) throw new Error(`the input shape of ${layer} is not fully known`);
  return shape as number[];
}

function withBias(vars: ExpectedVariable[], useBias: boolean, size: number): ExpectedVariable[] {
  return useBias ? [...vars, { name: 'bias', shape: [size] }] : vars;
}

function recurrentVariables(className: 'SimpleRNN' | 'LSTM' | 'GRU', features: number, config: Record<string, unknown>): ExpectedVariable[] {
  const p = SimpleRNNParamsSchema.parse(config);
  const g = GATES[className] * p.units;
  return withBias([{ name: 'kernel', shape: [features, g] }, { name: 'recurrent_kernel', shape: [p.units, g] }], p.use_bias, g);
}

/** One layer's variables from its class, config and (known) input shape. */
function variablesOf(className: string, config: Record<string, unknown>, input: number[]): ExpectedVariable[] {
  const last = input[input.length - 1]!;
  switch (className) {
    case 'Dense': {
      const p = DenseParamsSchema.parse(config);
      return withBias([{ name: 'kernel', shape: [last, p.units] }], p.use_bias, p.units);
    }
    case 'Conv1D': {
      const p = Conv1DParamsSchema.parse(config);
      return withBias([{ name: 'kernel', shape: [p.kernel_size, last, p.filters] }], p.use_bias, p.filters);
    }
    case 'Conv2D': {
      const p = Conv2DParamsSchema.parse(config);
      return withBias([{ name: 'kernel', shape: [...p.kernel_size, last, p.filters] }], p.use_bias, p.filters);
    }
    case 'Conv2DTranspose': {
      const p = Conv2DTransposeParamsSchema.parse(config);
      return withBias([{ name: 'kernel', shape: [...p.kernel_size, p.filters, last] }], p.use_bias, p.filters);
    }
    case 'DepthwiseConv2D': {
      const p = DepthwiseConv2DParamsSchema.parse(config);
      return withBias([{ name: 'depthwise_kernel', shape: [...p.kernel_size, last, p.depth_multiplier] }], p.use_bias, last * p.depth_multiplier);
    }
    case 'SeparableConv2D': {
      const p = SeparableConv2DParamsSchema.parse(config);
      return withBias([
        { name: 'depthwise_kernel', shape: [...p.kernel_size, last, p.depth_multiplier] },
        { name: 'pointwise_kernel', shape: [1, 1, last * p.depth_multiplier, p.filters] },
      ], p.use_bias, p.filters);
    }
    case 'BatchNormalization': {
      const size = input[resolveAxis(className, BatchNormalizationParamsSchema.parse(config).axis, input)]!;
      return ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((name) => ({ name, shape: [size] }));
    }
    case 'LayerNormalization': {
      const size = input[resolveAxis(className, LayerNormalizationParamsSchema.parse(config).axis, input)]!;
      return [{ name: 'gamma', shape: [size] }, { name: 'beta', shape: [size] }];
    }
    case 'Embedding': {
      const p = EmbeddingParamsSchema.parse(config);
      return [{ name: 'embeddings', shape: [p.input_dim, p.output_dim] }];
    }
    case 'SimpleRNN':
    case 'LSTM':
    case 'GRU':
      return recurrentVariables(className, last, config);
    case 'Bidirectional': {
      const p = BidirectionalParamsSchema.parse(config);
      innerRecurrent(p); // throws on an invalid inner config
      const one = recurrentVariables(p.layer.class_name, last, p.layer.config);
      return [...one.map((v) => ({ ...v, direction: 'forward' as const })), ...one.map((v) => ({ ...v, direction: 'backward' as const }))];
    }
    default:
      return [];
  }
}

const elements = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/**
 * Every layer of the spec that has variables, in spec order, with them in tfjs order. When
 * the graph has problems (an unknown size, a setting Strata rejects) the weights cannot be
 * checked against it: `problems` says which layers, and `layers` is empty.
 */
export function expectedVariables(spec: ModelSpec): { layers: Map<string, ExpectedVariable[]>; problems: string[] } {
  const analysis = analyzeGraph(spec);
  const layers = new Map<string, ExpectedVariable[]>();
  const problems: string[] = [];
  for (const layer of spec.config.layers) {
    const node = analysis.nodes[layer.name];
    const error = node?.issues.find((i) => i.severity === 'error');
    if (!node || error || !node.params) {
      problems.push(`${layer.name} (${layer.class_name}): ${error?.message ?? 'its shape is unknown'}`);
      continue;
    }
    const declared = node.params.trainable + node.params.nonTrainable;
    if (declared === 0) continue;
    let vars: ExpectedVariable[];
    try {
      vars = variablesOf(layer.class_name, layer.config, known(node.inputShapes[0], layer.name));
    } catch (err) {
      problems.push(`${layer.name} (${layer.class_name}): ${err instanceof Error ? err.message : String(err)}`);
      continue;
    }
    // A weighted kind this table does not know would otherwise load as "no weights".
    const counted = vars.reduce((sum, v) => sum + elements(v.shape), 0);
    if (counted !== declared) {
      problems.push(`${layer.name} (${layer.class_name}): Strata cannot yet lay out its ${declared} weights for import`);
      continue;
    }
    layers.set(layer.name, vars);
  }
  return problems.length > 0 ? { layers: new Map(), problems } : { layers, problems };
}

/** A variable as found in a file: its path there (for names and messages) and its shape. */
export interface FoundVariable {
  path: string;
  shape: number[];
}

const leafName = (p: string) => (p.split('/').pop() ?? p).replace(/:\d+$/, '');
const directionOf = (p: string) => p.split('/').find((s) => /^(forward|backward)(_|$)/.test(s))?.replace(/_.*$/, '') as 'forward' | 'backward' | undefined;
const keyOf = (name: string, direction?: string) => `${direction ?? ''}/${name}`;

/**
 * Pairs a layer's variables in a file with the ones tfjs has, checking count and shapes.
 * Files that name variables (tfjs manifests, legacy .h5) are paired by name; where names
 * do not say (Keras 3 numbers them, DepthwiseConv2D calls its kernel "kernel"), by
 * position, which Keras and tfjs share. `hint` adds a reason the shapes may differ.
 */
export function pairVariables<T extends FoundVariable>(file: string, layer: string, className: string, expected: readonly ExpectedVariable[], found: readonly T[], hint = ''): Array<{ expected: ExpectedVariable; found: T }> {
  const list = (vs: readonly { shape: number[] }[], names: string[]) => vs.map((v, i) => `${names[i]} (${v.shape.join(', ')})`).join(', ');
  if (found.length !== expected.length) {
    throw refuseImport(file, `layer ${layer} (${className}) has ${found.length} weight arrays in the file [${list(found, found.map((f) => f.path))}] but needs ${expected.length} [${list(expected, expected.map((e) => keyOf(e.name, e.direction).replace(/^\//, '')))}]${hint}`,
      'The weights do not belong to this model config; save the model again from its source (model.save) and import that file');
  }
  const byKey = new Map(found.map((f) => [keyOf(leafName(f.path), directionOf(f.path)), f]));
  const named = byKey.size === found.length && expected.every((e) => byKey.has(keyOf(e.name, e.direction)));
  const pairs = expected.map((e, i) => ({ expected: e, found: named ? byKey.get(keyOf(e.name, e.direction))! : found[i]! }));
  for (const { expected: e, found: f } of pairs) {
    if (e.shape.length !== f.shape.length || e.shape.some((d, i) => d !== f.shape[i])) {
      throw refuseImport(file, `layer ${layer} (${className}): ${f.path} has shape (${f.shape.join(', ')}) in the file, but the layer as configured needs ${e.name} of shape (${e.shape.join(', ')})${hint}`,
        'The weights do not match the model config beside them; save the model again from its source and import that file');
    }
  }
  return pairs;
}

/** The LayerWeight name for a paired variable: tfjs' name, under its direction for Bidirectional. */
export function variableName(v: ExpectedVariable, innerClass?: string): string {
  return v.direction ? `${v.direction}_${(innerClass ?? 'rnn').toLowerCase()}/${v.name}` : v.name;
}
