import fs from 'node:fs';
import path from 'node:path';
import type { ModelSpec } from '../../src-shared/spec/model-spec.ts';
import { writeModelWeights } from '../engine/io/model-weights.ts';
import { importModelWithWeights } from './import-model-file.ts';

export interface ImportResult {
  spec: ModelSpec;
  /** The weights folder written for this import, or null when the file had none (a config only). */
  weights: string | null;
  notes: string[];
}

/**
 * Imports a model file and keeps its weights as a weights folder at `weightsDir`, where
 * training can start from them. The folder is written only after the whole file was read
 * and checked, so a refused import leaves nothing behind.
 */
export async function importModelToFolder(file: string, weightsDir: string): Promise<ImportResult> {
  const imported = await importModelWithWeights(file);
  if (!imported.weights || imported.weights.length === 0) return { spec: imported.spec, weights: null, notes: imported.notes };
  fs.rmSync(weightsDir, { recursive: true, force: true });
  writeModelWeights(weightsDir, imported.weights);
  const layers = new Set(imported.weights.map((w) => w.layer)).size;
  return {
    spec: imported.spec,
    weights: path.resolve(weightsDir),
    notes: [...imported.notes, `weights of ${layers} layer${layers === 1 ? '' : 's'} kept in ${path.resolve(weightsDir)}; training starts from them`],
  };
}

/** The folder beside the runs folder where the window keeps imported weights (the web host allows it too). */
export const importsDirOf = (runsDir: string): string => path.join(path.dirname(path.resolve(runsDir)), 'imports');

/** Where the window keeps an import's weights: beside the runs folder, one folder per import. */
export function importWeightsDir(runsDir: string, file: string, now = new Date()): string {
  const stem = path.basename(file).replace(/\.(json|keras|h5)$/i, '').replace(/[^A-Za-z0-9_.-]+/g, '_') || 'model';
  const parent = path.basename(path.dirname(file)).replace(/[^A-Za-z0-9_.-]+/g, '_');
  const name = `${stem === 'model' && parent ? parent : stem}-${now.toISOString().replace(/[:.]/g, '-')}`;
  return path.join(importsDirOf(runsDir), name);
}
