import fs from 'node:fs';
import path from 'node:path';
import type { ModelSpec } from '../../src-shared/spec/model-spec.ts';
import type { LayerWeight } from '../engine/io/model-weights.ts';
import { StrataError } from '../strata-error.ts';
import { isHdf5 } from './import-hdf5.ts';
import { importKerasArchive, importKerasH5 } from './import-keras-file.ts';
import { formatBytes, IMPORT_LIMITS, readModelJsonFile, refuseImport } from './import-limits.ts';
import { readTfjsWeights } from './import-tfjs-folder.ts';
import { importTopology, type ImportedTopology } from './import-topology.ts';
import { isZip } from './import-zip.ts';

/** Which kind of file a model came from. */
export type ImportSource = 'tfjs' | 'keras-json' | 'keras-zip' | 'keras-h5';

/** A model file read as an editable graph plus, when the file has them, its trained weights. */
export interface ImportedModel {
  spec: ModelSpec;
  /** Keyed by the spec's layer names, each layer's variables in tfjs order; null when the file has none. */
  weights: LayerWeight[] | null;
  source: ImportSource;
  /** What the import did that the user should know (conversions, skipped parts, why no weights). */
  notes: string[];
}

function existing(file: string): string {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) throw new StrataError('NOT_FOUND', `${abs} does not exist.`);
  if (fs.statSync(abs).isDirectory()) {
    // A tfjs model is often handed over as its folder.
    const json = path.join(abs, 'model.json');
    if (fs.existsSync(json)) return json;
    throw new StrataError('NOT_A_MODEL', `${abs} is a folder without a model.json. Pass a tfjs model.json, a .keras or .h5 file, or a Keras model config (.json).`);
  }
  return abs;
}

function readHead(file: string): Uint8Array {
  const fd = fs.openSync(file, 'r');
  try {
    const head = new Uint8Array(8);
    fs.readSync(fd, head, 0, 8, 0);
    return head;
  } finally {
    fs.closeSync(fd);
  }
}

function readArchive(file: string): Uint8Array {
  const size = fs.statSync(file).size;
  if (size > IMPORT_LIMITS.maxArchiveBytes) {
    throw refuseImport(file, `the file is ${formatBytes(size)}, beyond the ${formatBytes(IMPORT_LIMITS.maxArchiveBytes)} Strata reads`, 'Import a smaller model');
  }
  return new Uint8Array(fs.readFileSync(file));
}

const KERAS_JSON_NOTE = 'a Keras model config holds no weights: the model starts from fresh weights. To keep the trained weights, import the .keras or .h5 file model.save writes';

/** The spec of a tfjs model.json or Keras config, with the safety checks of every import. */
function importJson(file: string): { json: unknown; topology: ImportedTopology; source: 'tfjs' | 'keras-json' } {
  const json = readModelJsonFile(file);
  if (json && typeof json === 'object' && (json as { format?: unknown }).format === 'graph-model') {
    throw new StrataError('NOT_A_MODEL', `${file} is a tfjs graph model (converted from a SavedModel): it has operations, not layers, so there is no graph to edit. Import the Keras model it came from, or a tfjs layers model.`);
  }
  const source = json && typeof json === 'object' && 'modelTopology' in json ? 'tfjs' : 'keras-json';
  return { json, topology: importTopology(json, file), source };
}

/**
 * Reads a model file with its weights: a tfjs layers model.json (weights from the shard files
 * its manifest names, beside it), a Keras 3 `.keras` file, a legacy Keras `.h5` file, or a
 * Keras config as model.to_json() writes it (no weights). Nothing in the file is executed;
 * what could be unsafe or does not fit is refused with StrataError MODEL_IMPORT_REFUSED,
 * naming the file, the problem and what to do.
 */
export async function importModelWithWeights(file: string): Promise<ImportedModel> {
  const abs = existing(file);
  const head = readHead(abs);
  if (isZip(head)) {
    const { topology, weights, notes } = await importKerasArchive(abs, readArchive(abs));
    return { spec: topology.spec, weights, source: 'keras-zip', notes };
  }
  if (isHdf5(head)) {
    const { topology, weights, notes } = await importKerasH5(abs, readArchive(abs));
    return { spec: topology.spec, weights, source: 'keras-h5', notes };
  }
  const { json, topology, source } = importJson(abs);
  if (source === 'keras-json') return { spec: topology.spec, weights: null, source, notes: [KERAS_JSON_NOTE] };
  const manifest = (json as { weightsManifest?: unknown }).weightsManifest;
  if (manifest === undefined) {
    return { spec: topology.spec, weights: null, source, notes: ['the model.json has no weightsManifest (a topology only): the model starts from fresh weights'] };
  }
  const { weights, notes } = readTfjsWeights(abs, manifest, topology);
  return { spec: topology.spec, weights, source, notes };
}

/**
 * Reads a tfjs model.json or a Keras model config from disk as an editable graph, without
 * weights (the same checks as importModelWithWeights). Every failure names the file.
 */
export function importModelFile(file: string): ModelSpec {
  const abs = existing(file);
  const head = readHead(abs);
  if (isZip(head) || isHdf5(head)) {
    throw new StrataError('NOT_A_MODEL', `${abs} is a Keras ${isZip(head) ? '.keras' : '.h5'} file; it is read with its weights by importModelWithWeights (strata import).`);
  }
  return importJson(abs).topology.spec;
}
