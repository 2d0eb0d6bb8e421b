import { z } from 'zod';
import { importKerasModel, ModelImportError } from '../../src-shared/spec/import-keras-model.ts';
import type { ModelSpec } from '../../src-shared/spec/model-spec.ts';
import { StrataError } from '../strata-error.ts';
import { assertNoCustomCode } from './import-custom-code.ts';
import { refuseImport } from './import-limits.ts';

/**
 * A model file's topology as an editable spec, plus what the weight readers need to find
 * each layer's weights: the layers as the file names and orders them, and the spec name each
 * became (importKerasModel renames a layer whose name Strata cannot use, or that repeats).
 */

/** One layer as the source file describes it. */
export interface SourceLayer {
  /** Keras' class name as written (InputLayer, Conv2D…), which Keras 3 numbers its weight groups by. */
  className: string;
  /** The layer's name in the file: what tfjs manifests and .h5 files key weights by. */
  name: string;
  /** The layer's name in the spec. */
  specName: string;
  config: Record<string, unknown>;
}

export interface ImportedTopology {
  spec: ModelSpec;
  /** In the file's order (Keras 3 numbers weight groups in this order). */
  layers: SourceLayer[];
}

const RawLayerSchema = z.object({
  class_name: z.string(),
  name: z.string().optional(),
  config: z.record(z.string(), z.unknown()).default({}),
});
const RawModelSchema = z.object({
  class_name: z.string(),
  config: z.union([z.object({ layers: z.array(RawLayerSchema) }).loose(), z.array(RawLayerSchema)]),
});

/** The model config inside a tfjs model.json (`modelTopology`, perhaps with `model_config`) or a bare Keras config. */
export function modelConfigOf(json: unknown): unknown {
  const topology = json && typeof json === 'object' && 'modelTopology' in json ? (json as { modelTopology: unknown }).modelTopology : json;
  return topology && typeof topology === 'object' && 'model_config' in topology ? (topology as { model_config: unknown }).model_config : topology;
}

/**
 * Reads a topology: refuses code (Lambda, custom modules) and layer kinds Strata lacks with
 * MODEL_IMPORT_REFUSED, then maps the file's layers to the spec's by position — the order
 * importKerasModel keeps, with one Input it adds before a Sequential model's first layer.
 */
export function importTopology(json: unknown, file: string): ImportedTopology {
  assertNoCustomCode(json, file);
  let spec: ModelSpec;
  try {
    spec = importKerasModel(json, file);
  } catch (err) {
    if (err instanceof ModelImportError) {
      if (err.unsupported.length > 0) {
        throw new StrataError('MODEL_IMPORT_REFUSED', `${err.message} Strata reads only the layer kinds in its palette, so the model cannot be imported as it is.`, { unsupported: err.unsupported });
      }
      throw new StrataError('MODEL_IMPORT_FAILED', err.message);
    }
    throw err;
  }
  const raw = RawModelSchema.parse(modelConfigOf(json)); // importKerasModel accepted it, so this parses
  const rawLayers = Array.isArray(raw.config) ? raw.config : raw.config.layers;
  const first = rawLayers[0];
  const addedInput = raw.class_name === 'Sequential' && first !== undefined && first.class_name !== 'InputLayer' && first.class_name !== 'Input' ? 1 : 0;
  if (spec.config.layers.length !== rawLayers.length + addedInput) {
    throw refuseImport(file, `the topology lists ${rawLayers.length} layers but became ${spec.config.layers.length} in Strata`, 'This is a Strata bug; please report it with the file');
  }
  // Strata builds images channels-last; a channels-first layer would import with the wrong shapes.
  const channelsFirst = rawLayers.filter((l) => l.config.data_format === 'channels_first').map((l) => String(l.config.name ?? l.name ?? l.class_name));
  if (channelsFirst.length > 0) {
    throw new StrataError('MODEL_IMPORT_FAILED', `${file}: ${channelsFirst.join(', ')} use data_format "channels_first"; Strata builds images channels-last (height, width, channels). Rebuild the model with channels_last in Keras, save it and import that file.`);
  }
  const layers = rawLayers.map((layer, i): SourceLayer => ({
    className: layer.class_name,
    name: String(layer.config.name ?? layer.name ?? spec.config.layers[i + addedInput]!.name),
    specName: spec.config.layers[i + addedInput]!.name,
    config: layer.config,
  }));
  return { spec, layers };
}
