import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import { zipSync } from 'fflate';
import type { ModelSpec } from '../../../../src-shared/spec/model-spec.ts';
import { writeFileAtomic } from '../../../projects/atomic-write.ts';
import type { Tf } from '../../backend/load-engine-backend.ts';
import { kerasConfigFromPlan, planKerasModel, type KerasModelJson } from './keras-config.ts';
import { kerasWeightGroupsOf, writeKerasWeights } from './keras-weights.ts';

/**
 * A Keras 3 `.keras` file: a zip of metadata.json, config.json (the functional config) and
 * model.weights.h5, the three entries `keras.models.load_model` reads.
 */

/** The Keras release whose `model.save` output these files reproduce (metadata.json's keras_version). */
export const KERAS_FORMAT_VERSION = '3.15.1';

/** Keras' date_saved format: "2026-05-04@13:45:07". */
function dateSaved(now: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}@${pad(now.getHours())}:${pad(now.getMinutes())}:${pad(now.getSeconds())}`;
}

/**
 * Writes a trained tfjs model, built from `spec`, as a `.keras` file at `outFile` (atomically).
 * Every layer's Keras form is worked out before anything is written, so an unsupported
 * layer (StrataError KERAS_UNSUPPORTED) leaves no half file behind.
 */
export async function writeKerasFile(tf: Tf, model: tfType.LayersModel, spec: ModelSpec, outFile: string): Promise<{ config: KerasModelJson; notes: string[] }> {
  const plan = planKerasModel(spec);
  const config = kerasConfigFromPlan(plan, model.name || spec.config.name);
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'strata-keras-'));
  try {
    const weightsFile = path.join(work, 'model.weights.h5');
    await writeKerasWeights(kerasWeightGroupsOf(tf, model, plan), weightsFile);
    const json = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
    const zip = zipSync({
      'metadata.json': json({ keras_version: KERAS_FORMAT_VERSION, date_saved: dateSaved(new Date()) }),
      'config.json': json(config),
      // Stored, not deflated: Keras reads the weights straight out of the archive.
      'model.weights.h5': [new Uint8Array(fs.readFileSync(weightsFile)), { level: 0 }],
    });
    writeFileAtomic(outFile, zip);
    return { config, notes: plan.notes };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}
