import fs from 'node:fs';
import path from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import type { Tf } from '../backend/load-engine-backend.ts';
import { writeFileAtomic } from '../../projects/atomic-write.ts';

export const MODEL_JSON = 'model.json';
export const WEIGHTS_BIN = 'weights.bin';

/**
 * Saves a LayersModel as a tfjs layers-model folder (model.json + one weights.bin), the
 * format `tf.loadLayersModel` reads. Written through our own handler rather than tfjs-node's
 * `file://` so it works on every backend, and atomically so a crash mid-save never leaves a
 * checkpoint that does not load.
 */
export async function saveModelFolder(tf: Tf, model: tfType.LayersModel, dir: string): Promise<string[]> {
  fs.mkdirSync(dir, { recursive: true });
  await model.save(tf.io.withSaveHandler(async (artifacts) => {
    const weightData = artifacts.weightData;
    const bytes = weightData === undefined ? new Uint8Array(0)
      : weightData instanceof ArrayBuffer ? new Uint8Array(weightData)
        : new Uint8Array(tf.io.concatenateArrayBuffers(weightData));
    writeFileAtomic(path.join(dir, WEIGHTS_BIN), bytes);
    const modelJson = {
      modelTopology: artifacts.modelTopology,
      format: 'layers-model',
      generatedBy: `TensorFlow.js tfjs-layers v${tf.version_layers}`,
      convertedBy: 'Strata',
      weightsManifest: [{ paths: [`./${WEIGHTS_BIN}`], weights: artifacts.weightSpecs ?? [] }],
    };
    writeFileAtomic(path.join(dir, MODEL_JSON), JSON.stringify(modelJson));
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON', weightDataBytes: bytes.byteLength } };
  }));
  return [MODEL_JSON, WEIGHTS_BIN];
}

/** Loads a folder written by saveModelFolder (or any single-shard tfjs layers model). */
export async function loadModelFolder(tf: Tf, dir: string): Promise<tfType.LayersModel> {
  const jsonPath = path.join(dir, MODEL_JSON);
  if (!fs.existsSync(jsonPath)) throw Object.assign(new Error(`No model in ${dir}: ${MODEL_JSON} is missing.`), { code: 'NO_CHECKPOINT' });
  const json = JSON.parse(fs.readFileSync(jsonPath, 'utf8')) as {
    modelTopology: object; weightsManifest: Array<{ paths: string[]; weights: tfType.io.WeightsManifestEntry[] }>;
  };
  const weightSpecs = json.weightsManifest.flatMap((g) => g.weights);
  const buffers = json.weightsManifest.flatMap((g) => g.paths).map((p) => fs.readFileSync(path.join(dir, p)));
  const joined = Buffer.concat(buffers);
  const weightData = joined.buffer.slice(joined.byteOffset, joined.byteOffset + joined.byteLength) as ArrayBuffer;
  return tf.loadLayersModel(tf.io.fromMemory({ modelTopology: json.modelTopology, weightSpecs, weightData }));
}
