import path from 'node:path';
import { writeFileAtomic } from '../../../projects/atomic-write.ts';
import type { RunModel } from '../../run-model.ts';
import { writeKerasFile } from '../keras/keras-file.ts';

/** What the export wrote for the graph: the architecture file, Strata's trained model, notes. */
export interface ArchitectureFiles {
  architecture: string;
  weights: string;
  files: string[];
  notes: string[];
}

export const ARCHITECTURE_FILE = 'model.json';
export const TRAINED_MODEL_FILE = 'model.keras';

/**
 * Writes the run's graph for train.py: model.json, the Keras 3 functional config it builds
 * with fresh weights, and model.keras, Strata's trained model (`--from-trained` starts from
 * it). Both come from the Keras export's own mapping, so a layer Keras has no form for is
 * refused (StrataError KERAS_UNSUPPORTED, naming it) before a script is written.
 */
export async function writeArchitecture(run: RunModel, dir: string): Promise<ArchitectureFiles> {
  const { config } = await writeKerasFile(run.tf, run.model, run.record.spec, path.join(dir, TRAINED_MODEL_FILE));
  writeFileAtomic(path.join(dir, ARCHITECTURE_FILE), `${JSON.stringify(config, null, 2)}\n`);
  const notes: string[] = [];
  if (run.record.spec.config.layers.some((l) => l.class_name === 'GRU' || (l.class_name === 'Bidirectional' && JSON.stringify(l.config.layer ?? '').includes('"GRU"')))) {
    notes.push('GRU layers are built with reset_after=False, the GRU Strata trains (Keras defaults to reset_after=True).');
  }
  return { architecture: ARCHITECTURE_FILE, weights: TRAINED_MODEL_FILE, files: [ARCHITECTURE_FILE, TRAINED_MODEL_FILE], notes };
}
