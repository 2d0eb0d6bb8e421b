import type { LayerWeight } from '../engine/io/model-weights.ts';
import { kerasSnakeCase } from '../engine/export/keras/keras-layer-order.ts';
import { withHdf5, type Hdf5Reader } from './import-hdf5.ts';
import { expectedVariables, pairVariables, variableName, type ExpectedVariable } from './import-layer-variables.ts';
import { formatBytes, IMPORT_LIMITS, parseModelJson, refuseImport } from './import-limits.ts';
import { importTopology, type ImportedTopology, type SourceLayer } from './import-topology.ts';
import { readZipEntries } from './import-zip.ts';

/**
 * Keras' two saved-model files. A Keras 3 `.keras` file is a zip of config.json (the model
 * config) and model.weights.h5, where each layer's variables are numbered datasets under
 * `layers/<snake_case class>[_n]/vars/<i>` (recurrent layers under `cell/vars`), groups
 * numbered per class in the config's layer order. A legacy `.h5` file (Keras 2, tf.keras, or
 * Keras 3's model.save("x.h5")) carries the config in a `model_config` attribute and the
 * weights under `model_weights/<layer name>`, listed by each group's `weight_names`.
 */

export interface KerasImport {
  topology: ImportedTopology;
  weights: LayerWeight[] | null;
  notes: string[];
}

const RECURRENT = new Set(['SimpleRNN', 'LSTM', 'GRU']);
const SAVE_AGAIN = 'Save the model again from Keras with model.save and import that file';

/** Why a file's weights may not fit tfjs, for the shape-mismatch message. */
function shapeHint(layer: SourceLayer): string {
  const inner = layer.className === 'Bidirectional' ? (layer.config.layer as { config?: Record<string, unknown> } | undefined)?.config : layer.config;
  const gru = layer.className === 'GRU' || (layer.className === 'Bidirectional' && (layer.config.layer as { class_name?: unknown } | undefined)?.class_name === 'GRU');
  return gru && inner?.reset_after !== false
    ? ' — the GRU was saved with reset_after=True (Keras 3\'s default), which tfjs cannot run; rebuild it in Keras with GRU(..., reset_after=False), train it again and save'
    : '';
}

/** Reads float32 values of checked pairs and names them as tfjs does. */
function collect(h5: Hdf5Reader, layer: SourceLayer, className: string, vars: readonly ExpectedVariable[], found: Array<{ path: string; shape: number[] }>, out: LayerWeight[], converted: Set<string>): void {
  const innerClass = (layer.config.layer as { class_name?: string } | undefined)?.class_name;
  for (const pair of pairVariables(h5.file, layer.specName, className, vars, found, shapeHint(layer))) {
    const { values, converted: from } = h5.readFloat32(pair.found.path);
    if (from) converted.add(from);
    out.push({ layer: layer.specName, name: variableName(pair.expected, innerClass), shape: pair.expected.shape, values });
  }
}

function datasetsIn(h5: Hdf5Reader, group: string): Array<{ path: string; shape: number[] }> {
  // Keras numbers them 0, 1, … 10: order by number, not HDF5's alphabetical order.
  return h5.datasetNames(group)
    .filter((n) => /^\d+$/.test(n))
    .sort((a, b) => Number(a) - Number(b))
    .map((n) => ({ path: `${group}/${n}`, shape: h5.dataset(`${group}/${n}`)!.shape }));
}

/** Keras 3's model.weights.h5: groups numbered per class, in the order of the config's layers. */
function readKeras3Weights(h5: Hdf5Reader, topology: ImportedTopology, expected: Map<string, ExpectedVariable[]>, converted: Set<string>): LayerWeight[] {
  const used = new Map<string, number>();
  const out: LayerWeight[] = [];
  for (const layer of topology.layers) {
    const base = kerasSnakeCase(layer.className);
    const seen = used.get(base);
    used.set(base, seen === undefined ? 0 : seen + 1);
    const group = `layers/${seen === undefined ? base : `${base}_${seen + 1}`}`;
    const vars = expected.get(layer.specName);
    if (!vars) continue;
    const className = topology.spec.config.layers.find((l) => l.name === layer.specName)!.class_name;
    if (!h5.group(group)) {
      throw refuseImport(h5.file, `model.weights.h5 has no group ${group} for layer ${layer.name} (${layer.className})`, SAVE_AGAIN);
    }
    const found = RECURRENT.has(className) ? datasetsIn(h5, `${group}/cell/vars`)
      : className === 'Bidirectional' ? [...datasetsIn(h5, `${group}/forward_layer/cell/vars`), ...datasetsIn(h5, `${group}/backward_layer/cell/vars`)]
        : datasetsIn(h5, `${group}/vars`);
    collect(h5, layer, className, vars, found, out, converted);
  }
  return out;
}

/** Legacy .h5: `model_weights/<layer>` lists its datasets in `weight_names`, in Keras' variable order. */
function readLegacyWeights(h5: Hdf5Reader, topology: ImportedTopology, expected: Map<string, ExpectedVariable[]>, converted: Set<string>): LayerWeight[] {
  const out: LayerWeight[] = [];
  for (const layer of topology.layers) {
    const vars = expected.get(layer.specName);
    if (!vars) continue;
    const className = topology.spec.config.layers.find((l) => l.name === layer.specName)!.class_name;
    const group = `model_weights/${layer.name}`;
    const names = h5.attribute(group, 'weight_names');
    if (!h5.group(group) || names === null) {
      throw refuseImport(h5.file, `it has no weights for layer ${layer.name} (${layer.className}) (no group ${group} with weight_names)`, SAVE_AGAIN);
    }
    const found = (Array.isArray(names) ? names : [names]).map((n) => {
      const info = h5.dataset(`${group}/${n}`);
      if (!info) throw refuseImport(h5.file, `${group} lists the weight ${n} but has no such dataset`, SAVE_AGAIN);
      return { path: info.path, shape: info.shape };
    });
    // pairVariables names variables by the dataset path's last segment, which is the weight name.
    collect(h5, layer, className, vars, found, out, converted);
  }
  return out;
}

function conversionNotes(converted: Set<string>): string[] {
  return converted.size > 0 ? [`${[...converted].join(', ')} weights converted to float32`] : [];
}

function checkedExpected(file: string, topology: ImportedTopology): { expected: Map<string, ExpectedVariable[]> } | { note: string } {
  const { layers, problems } = expectedVariables(topology.spec);
  if (problems.length > 0) {
    return { note: `weights not loaded: the graph has problems, so they cannot be checked against it — ${problems.join('; ')}. Fix these in the source model and import it again.` };
  }
  // The config decides how much is read (datasets must match it), so bound it before reading.
  const bytes = [...layers.values()].flat().reduce((sum, v) => sum + 4 * v.shape.reduce((a, b) => a * b, 1), 0);
  if (bytes > IMPORT_LIMITS.maxWeightBytes) {
    throw refuseImport(file, `its config describes ${formatBytes(bytes)} of weights, beyond the ${formatBytes(IMPORT_LIMITS.maxWeightBytes)} Strata reads`, 'Import a smaller model');
  }
  return { expected: layers };
}

/** A Keras 3 `.keras` archive: config.json and model.weights.h5. */
export async function importKerasArchive(file: string, bytes: Uint8Array): Promise<KerasImport> {
  const entries = readZipEntries(bytes, file, { 'config.json': IMPORT_LIMITS.maxJsonBytes, 'model.weights.h5': IMPORT_LIMITS.maxWeightBytes });
  const config = entries.get('config.json');
  if (!config) throw refuseImport(file, 'the archive has no config.json, so it is not a Keras 3 model file', SAVE_AGAIN);
  const topology = importTopology(parseModelJson(new TextDecoder().decode(config), file, 'config.json in the archive'), file);
  const weightsFile = entries.get('model.weights.h5');
  if (!weightsFile) return { topology, weights: null, notes: ['the archive has no model.weights.h5; the model starts from fresh weights'] };
  const checked = checkedExpected(file, topology);
  if ('note' in checked) return { topology, weights: null, notes: [checked.note] };
  const converted = new Set<string>();
  const weights = await withHdf5(weightsFile, file, (h5) => readKeras3Weights(h5, topology, checked.expected, converted));
  return { topology, weights, notes: [`weights of ${checked.expected.size} layer${checked.expected.size === 1 ? '' : 's'} read from model.weights.h5`, ...conversionNotes(converted)] };
}

/** A legacy Keras `.h5` model file (model_config attribute + model_weights group). */
export async function importKerasH5(file: string, bytes: Uint8Array): Promise<KerasImport> {
  const converted = new Set<string>();
  let checkedLayers = 0;
  const result = await withHdf5(bytes, file, (h5): KerasImport => {
    const config = h5.attribute('/', 'model_config');
    if (typeof config !== 'string') {
      throw refuseImport(file, h5.group('layers') || h5.attribute('/', 'layer_names') !== null
        ? 'it holds weights only (model.save_weights), with no model config to build the graph from'
        : 'it has no model_config attribute, so it is not a Keras model file', 'Save the whole model with model.save("model.h5") or model.save("model.keras") and import that file');
    }
    const topology = importTopology(parseModelJson(config, file, 'the model_config attribute'), file);
    if (!h5.group('model_weights')) return { topology, weights: null, notes: ['the file has no model_weights group; the model starts from fresh weights'] };
    const checked = checkedExpected(file, topology);
    if ('note' in checked) return { topology, weights: null, notes: [checked.note] };
    checkedLayers = checked.expected.size;
    return { topology, weights: readLegacyWeights(h5, topology, checked.expected, converted), notes: [] };
  });
  if (result.weights) result.notes.push(`weights of ${checkedLayers} layer${checkedLayers === 1 ? '' : 's'} read from model_weights`, ...conversionNotes(converted));
  return result;
}
