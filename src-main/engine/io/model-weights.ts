import fs from 'node:fs';
import path from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import { z } from 'zod';
import { writeFileAtomic } from '../../projects/atomic-write.ts';
import { StrataError } from '../../strata-error.ts';
import type { Tf } from '../backend/load-engine-backend.ts';

/**
 * A weights folder: the trained values of an imported model, keyed by layer name, kept
 * beside a project (`<project>.weights/`) so training can start from them (transfer
 * learning). Independent of any model format — tfjs and Keras imports both write it — and
 * plain data: a manifest and one float32 file, nothing in it is ever executed.
 */
export const WEIGHTS_MANIFEST = 'weights.json';
export const WEIGHTS_DATA = 'weights.bin';

export interface LayerWeight {
  /** The layer's name in the spec. */
  layer: string;
  /** The variable within the layer, as the source named it: kernel, bias, recurrent_kernel, gamma… */
  name: string;
  shape: number[];
  values: Float32Array;
}

const ManifestSchema = z.object({
  format: z.literal('strata-weights'),
  version: z.literal(1),
  weights: z.array(z.object({
    layer: z.string().min(1),
    name: z.string().min(1),
    shape: z.array(z.number().int().nonnegative()),
    /** Offset in float32 values into weights.bin. */
    offset: z.number().int().nonnegative(),
  })),
});

export function writeModelWeights(dir: string, weights: readonly LayerWeight[]): void {
  fs.mkdirSync(dir, { recursive: true });
  let offset = 0;
  const entries = weights.map((w) => {
    const entry = { layer: w.layer, name: w.name, shape: w.shape, offset };
    offset += w.values.length;
    return entry;
  });
  const data = new Float32Array(offset);
  weights.forEach((w, i) => data.set(w.values, entries[i]!.offset));
  writeFileAtomic(path.join(dir, WEIGHTS_DATA), new Uint8Array(data.buffer));
  writeFileAtomic(path.join(dir, WEIGHTS_MANIFEST), `${JSON.stringify({ format: 'strata-weights', version: 1, weights: entries }, null, 1)}\n`);
}

/** Reads a weights folder; a manifest that disagrees with the data file is refused, naming both. */
export function readModelWeights(dir: string): LayerWeight[] {
  const manifestFile = path.join(dir, WEIGHTS_MANIFEST);
  const dataFile = path.join(dir, WEIGHTS_DATA);
  if (!fs.existsSync(manifestFile) || !fs.existsSync(dataFile)) {
    throw new StrataError('NO_WEIGHTS', `${dir} holds no imported weights (${WEIGHTS_MANIFEST} and ${WEIGHTS_DATA} are expected). Import the model again, or start from random weights.`);
  }
  let manifest: z.infer<typeof ManifestSchema>;
  try {
    manifest = ManifestSchema.parse(JSON.parse(fs.readFileSync(manifestFile, 'utf8')));
  } catch (err) {
    throw new StrataError('BAD_WEIGHTS', `${manifestFile} is not a Strata weights manifest (${err instanceof Error ? err.message.split('\n')[0] : String(err)}). Import the model again.`);
  }
  const bytes = fs.readFileSync(dataFile);
  const data = new Float32Array(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength - (bytes.byteLength % 4)));
  return manifest.weights.map((w) => {
    const size = w.shape.reduce((a, b) => a * b, 1);
    if (w.offset + size > data.length) {
      throw new StrataError('BAD_WEIGHTS', `${manifestFile} says ${w.layer}/${w.name} has ${size} values at ${w.offset}, but ${dataFile} holds only ${data.length}. Import the model again.`);
    }
    return { layer: w.layer, name: w.name, shape: w.shape, values: data.slice(w.offset, w.offset + size) };
  });
}

/** A model's weights as LayerWeights (the variable name without its layer prefix). */
export function modelWeightsOf(model: tfType.LayersModel): LayerWeight[] {
  return model.layers.flatMap((layer) => layer.weights.map((v) => ({
    layer: layer.name,
    name: v.originalName.split('/').slice(1).join('/') || v.originalName,
    shape: [...v.shape] as number[],
    values: new Float32Array(v.read().dataSync()),
  })));
}

const shapeText = (s: readonly number[]) => `(${s.join(', ')})`;

/**
 * Sets each layer's weights from the layer of the same name, when every variable's shape
 * agrees. A layer whose shapes differ (a replaced head: 5 classes → 10) or that the import
 * does not have keeps its fresh initial weights, and says why.
 */
export function applyModelWeights(tf: Tf, model: tfType.LayersModel, weights: readonly LayerWeight[]): { loaded: string[]; skipped: Array<{ layer: string; reason: string }> } {
  const byLayer = new Map<string, LayerWeight[]>();
  for (const w of weights) byLayer.set(w.layer, [...(byLayer.get(w.layer) ?? []), w]);
  const loaded: string[] = [];
  const skipped: Array<{ layer: string; reason: string }> = [];
  for (const layer of model.layers) {
    const current = layer.getWeights();
    if (current.length === 0) continue;
    const source = byLayer.get(layer.name);
    if (!source) {
      skipped.push({ layer: layer.name, reason: 'not in the imported model' });
      continue;
    }
    const mismatch = current.length !== source.length ? `${source.length} imported variables for ${current.length}`
      : current.map((t, i) => (t.shape.join(',') === source[i]!.shape.join(',') ? null : `${source[i]!.name} ${shapeText(source[i]!.shape)} ≠ ${shapeText(t.shape)}`)).find((m) => m !== null);
    if (mismatch) {
      skipped.push({ layer: layer.name, reason: mismatch });
      continue;
    }
    const tensors = source.map((w) => tf.tensor(w.values, w.shape, 'float32'));
    layer.setWeights(tensors);
    tensors.forEach((t) => t.dispose());
    loaded.push(layer.name);
  }
  return { loaded, skipped };
}
