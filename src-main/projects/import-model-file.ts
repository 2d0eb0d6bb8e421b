import fs from 'node:fs';
import path from 'node:path';
import { importKerasModel, ModelImportError } from '../../src-shared/spec/import-keras-model.ts';
import type { ModelSpec } from '../../src-shared/spec/model-spec.ts';
import { StrataError } from '../strata-error.ts';

/**
 * Reads a tfjs model.json or a Keras model config from disk as an editable graph: what
 * `strata import` and the window's Import model… both use. Every failure names the file.
 */
export function importModelFile(file: string): ModelSpec {
  const abs = path.resolve(file);
  if (!fs.existsSync(abs)) throw new StrataError('NOT_FOUND', `${abs} does not exist.`);
  let json: unknown;
  try {
    json = JSON.parse(fs.readFileSync(abs, 'utf8'));
  } catch (err) {
    throw new StrataError('NOT_A_MODEL', `${abs} is not JSON (${err instanceof Error ? err.message : String(err)}). Pass a tfjs model.json or the output of Keras' model.to_json().`);
  }
  try {
    return importKerasModel(json, abs);
  } catch (err) {
    if (err instanceof ModelImportError) throw new StrataError('MODEL_IMPORT_FAILED', err.message, { unsupported: err.unsupported });
    throw err;
  }
}
