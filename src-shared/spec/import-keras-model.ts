import { z } from 'zod';
import { autoLayout, layerBaseName } from '../graph/graph-edits.ts';
import { getLayerKind } from '../layers/layer-catalog.ts';
import { LayerNameSchema, MODEL_SPEC_VERSION, type LayerSpec, type ModelSpec } from './model-spec.ts';

/**
 * Turns an existing model's topology into an editable Strata graph: a tfjs layers
 * `model.json` (its `modelTopology`), or a Keras model config as `model.to_json()` writes
 * it — Keras 2 and tf.keras (`inbound_nodes` as nested lists) and Keras 3 (`inbound_nodes`
 * as call arguments holding `keras_history`). Sequential and functional models both work.
 * Configs keep the keys Strata's catalog knows; the rest (initialisers, regularisers…) is
 * dropped by the kinds' schemas when the graph is analysed.
 */

export class ModelImportError extends Error {
  override name = 'ModelImportError';
  constructor(message: string, readonly unsupported: readonly string[] = []) {
    super(message);
  }
}

const KerasLayerSchema = z.object({
  class_name: z.string(),
  config: z.record(z.string(), z.unknown()).default({}),
  name: z.string().optional(),
  inbound_nodes: z.array(z.unknown()).optional(),
});
type KerasLayer = z.infer<typeof KerasLayerSchema>;

const KerasModelSchema = z.object({
  class_name: z.string(),
  config: z.union([
    z.object({ name: z.string().optional(), layers: z.array(KerasLayerSchema) }).loose(),
    z.array(KerasLayerSchema), // very old Sequential configs: a bare list of layers
  ]),
});

/** Keras class names that mean the same Strata kind. */
const ALIASES: Record<string, string> = { InputLayer: 'Input', Convolution2D: 'Conv2D', Convolution1D: 'Conv1D' };

function sampleShape(config: Record<string, unknown>): number[] | null {
  const batch = config.batch_shape ?? config.batch_input_shape;
  if (Array.isArray(batch)) return batch.slice(1).map((d) => (typeof d === 'number' ? d : -1));
  if (Array.isArray(config.input_shape)) return config.input_shape.map((d) => (typeof d === 'number' ? d : -1));
  if (Array.isArray(config.shape)) return config.shape.map((d) => (typeof d === 'number' ? d : -1));
  return null;
}

/** Inbound layer names from either serialisation of `inbound_nodes` (first call only). */
function inboundNames(layer: KerasLayer): string[] {
  const [firstCall] = layer.inbound_nodes ?? [];
  if (firstCall === undefined) return [];
  const names: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      // Keras 2: ["conv2d", 0, 0, {}]
      if (typeof value[0] === 'string' && typeof value[1] === 'number') names.push(value[0]);
      else value.forEach(visit);
    } else if (value && typeof value === 'object') {
      const history = (value as { config?: { keras_history?: unknown } }).config?.keras_history;
      if (Array.isArray(history) && typeof history[0] === 'string') names.push(history[0]);
      else if ('args' in value) visit((value as { args: unknown }).args);
    }
  };
  visit(firstCall);
  return names;
}

function strataName(name: string, used: Set<string>, className: string): string {
  let candidate = LayerNameSchema.safeParse(name).success ? name : layerBaseName(className);
  for (let n = 1; used.has(candidate); n++) candidate = `${layerBaseName(className)}_${n}`;
  used.add(candidate);
  return candidate;
}

/**
 * `source` names the file in every message. Throws ModelImportError listing every layer
 * kind Strata cannot represent yet, all at once, so the user sees the whole gap.
 */
export function importKerasModel(json: unknown, source: string): ModelSpec {
  const topology = json && typeof json === 'object' && 'modelTopology' in json ? (json as { modelTopology: unknown }).modelTopology : json;
  const inner = topology && typeof topology === 'object' && 'model_config' in topology ? (topology as { model_config: unknown }).model_config : topology;
  const parsed = KerasModelSchema.safeParse(inner);
  if (!parsed.success) {
    throw new ModelImportError(`${source} is not a Keras or tfjs model: expected {"class_name": "Sequential" | "Functional" | "Model", "config": {"layers": [...]}} (a tfjs model.json or Keras' model.to_json()); ${parsed.error.issues[0]?.path.join('.') || 'top level'}: ${parsed.error.issues[0]?.message}`);
  }
  const { class_name: modelClass, config } = parsed.data;
  const layers = Array.isArray(config) ? config : config.layers;
  const modelName = (!Array.isArray(config) && typeof config.name === 'string' && LayerNameSchema.safeParse(config.name).success) ? config.name : 'imported';
  if (!['Sequential', 'Functional', 'Model'].includes(modelClass)) {
    throw new ModelImportError(`${source}: a "${modelClass}" model cannot be imported; Strata reads Sequential and functional (Model/Functional) models`);
  }
  if (layers.length === 0) throw new ModelImportError(`${source}: the model has no layers`);

  const unsupported = layers
    .map((l) => ALIASES[l.class_name] ?? l.class_name)
    .filter((cls) => !getLayerKind(cls));
  if (unsupported.length > 0) {
    const named = layers.filter((l) => !getLayerKind(ALIASES[l.class_name] ?? l.class_name)).map((l) => `${String(l.config.name ?? l.name ?? '?')} (${l.class_name})`);
    throw new ModelImportError(`${source}: ${named.length} layer(s) have no Strata equivalent yet: ${named.join(', ')}. Replace them in the source model, or rebuild those parts from the palette.`, [...new Set(unsupported)]);
  }

  const used = new Set<string>();
  const renamed = new Map<string, string>();
  const out: LayerSpec[] = [];
  const sequential = modelClass === 'Sequential';
  for (const [i, layer] of layers.entries()) {
    const className = ALIASES[layer.class_name] ?? layer.class_name;
    const originalName = String(layer.config.name ?? layer.name ?? `${layerBaseName(className)}_${i + 1}`);
    const shape = sampleShape(layer.config);
    // A Sequential model's first layer may carry the input shape itself (Keras 2, tfjs).
    if (sequential && i === 0 && className !== 'Input') {
      if (!shape) throw new ModelImportError(`${source}: the first layer ${originalName} does not say its input shape (batch_input_shape), so the Input cannot be made`);
      out.push({ class_name: 'Input', name: strataName('input_1', used, 'Input'), config: { shape }, inbound: [] });
    }
    const name = strataName(originalName, used, className);
    renamed.set(originalName, name);
    const inbound = sequential ? (out.length > 0 ? [out.at(-1)!.name] : []) : inboundNames(layer).map((n) => renamed.get(n) ?? n);
    const cfg: Record<string, unknown> = className === 'Input' ? { shape: shape ?? [] } : { ...layer.config };
    delete cfg.name;
    // tf.keras 2 writes an axis as a one-element list ([3]); Strata's kinds take the number.
    if (Array.isArray(cfg.axis) && cfg.axis.length === 1) cfg.axis = cfg.axis[0];
    // Keras stores a 1-D layer's sizes as one-element lists ([3]); Strata's 1-D kinds take the number.
    if (/1D$/.test(className)) {
      for (const key of ['kernel_size', 'strides', 'pool_size', 'dilation_rate']) {
        const v = cfg[key];
        if (Array.isArray(v) && v.length === 1) cfg[key] = v[0];
      }
    }
    // Keras 3 names LeakyReLU's slope negative_slope; tfjs and Strata call it alpha.
    if (className === 'LeakyReLU' && typeof cfg.negative_slope === 'number' && cfg.alpha === undefined) cfg.alpha = cfg.negative_slope;
    out.push({ class_name: className, name, config: cfg, inbound });
  }
  if (out.some((l) => l.config.shape && Array.isArray(l.config.shape) && (l.config.shape as number[]).includes(-1))) {
    const input = out.find((l) => Array.isArray(l.config.shape) && (l.config.shape as number[]).includes(-1))!;
    throw new ModelImportError(`${source}: the input ${input.name} has an unknown size (${JSON.stringify(input.config.shape).replace(/-1/g, 'None')}); Strata needs every size of the input known — set it in the source model`);
  }
  return autoLayout({ schemaVersion: MODEL_SPEC_VERSION, class_name: 'Model', config: { name: modelName, layers: out }, layout: {} });
}
