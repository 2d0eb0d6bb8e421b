import fs from 'node:fs';
import { StrataError } from '../strata-error.ts';

/**
 * The bounds an imported model file must stay within, and the refusal every import check
 * throws. A model file comes from anywhere (a download, a colleague, a model zoo), so the
 * importer treats it as hostile data: sizes are checked against what the file declares
 * before anything is allocated, and nesting before anything recurses.
 */
export const IMPORT_LIMITS = {
  /** model.json, a .keras file's config.json, an .h5 file's model_config: real configs are well under 1 MB. */
  maxJsonBytes: 32 * 1024 * 1024,
  /** Keras configs nest about 12 deep (Bidirectional → layer → initializer → config); 64 leaves room. */
  maxJsonDepth: 64,
  /** A .keras file holds metadata.json, config.json, model.weights.h5 and perhaps a few assets. */
  maxZipEntries: 64,
  /** All weights of one model (and any one zip entry): 2 GiB, what one typed array can hold. */
  maxWeightBytes: 2 * 1024 * 1024 * 1024 - 1,
  /** A .keras or .h5 file as a whole is read into memory. */
  maxArchiveBytes: 2 * 1024 * 1024 * 1024 - 1,
} as const;

/** The one error every import check throws: the file, the exact problem, what to do. */
export function refuseImport(file: string, problem: string, fix: string, details?: unknown): StrataError {
  return new StrataError('MODEL_IMPORT_REFUSED', `${file}: ${problem}. ${fix}`, details);
}

export const formatBytes = (n: number): string =>
  n >= 1024 ** 3 ? `${(n / 1024 ** 3).toFixed(1)} GiB` : n >= 1024 ** 2 ? `${(n / 1024 ** 2).toFixed(1)} MiB` : n >= 1024 ? `${(n / 1024).toFixed(1)} KiB` : `${n} bytes`;

/**
 * How deeply arrays and objects nest in a JSON text, found by a flat scan (no recursion), so
 * a file of a million `[` is measured without parsing it. Stops counting past `limit`.
 */
export function jsonNestingDepth(text: string, limit: number = IMPORT_LIMITS.maxJsonDepth): { depth: number; at: number } {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) {
      inString = true;
    } else if (c === 91 /* [ */ || c === 123 /* { */) {
      depth++;
      if (depth > max) {
        max = depth;
        if (max > limit) return { depth: max, at: i };
      }
    } else if (c === 93 /* ] */ || c === 125 /* } */) {
      depth--;
    }
  }
  return { depth: max, at: -1 };
}

/**
 * Parses a model's JSON text after checking its size and nesting. `what` says which JSON
 * inside the file this is ("config.json in the archive"), for the messages.
 */
export function parseModelJson(text: string, file: string, what: string): unknown {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes > IMPORT_LIMITS.maxJsonBytes) {
    throw refuseImport(file, `${what} is ${formatBytes(bytes)}, beyond the ${formatBytes(IMPORT_LIMITS.maxJsonBytes)} a model config may have`,
      'A real model config is far smaller; this file is not a model Strata can read. Export the model again from its source');
  }
  const { depth, at } = jsonNestingDepth(text);
  if (depth > IMPORT_LIMITS.maxJsonDepth) {
    throw refuseImport(file, `${what} nests arrays and objects more than ${IMPORT_LIMITS.maxJsonDepth} deep (at character ${at})`,
      'No Keras or tfjs model config nests that deeply; the file is damaged or crafted. Export the model again from its source');
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (err) {
    throw new StrataError('NOT_A_MODEL', `${file} is not JSON (${what}: ${err instanceof Error ? err.message : String(err)}). Pass a tfjs model.json, a .keras or .h5 file, or the output of Keras' model.to_json().`);
  }
}

/** Reads and parses a JSON file, refusing an oversized one before reading it. */
export function readModelJsonFile(file: string): unknown {
  const size = fs.statSync(file).size;
  if (size > IMPORT_LIMITS.maxJsonBytes) {
    throw refuseImport(file, `the file is ${formatBytes(size)}, beyond the ${formatBytes(IMPORT_LIMITS.maxJsonBytes)} a model's JSON may have`,
      'A model.json holds the topology only (weights live in the .bin files beside it); pass the model.json, not a weights file');
  }
  return parseModelJson(fs.readFileSync(file, 'utf8'), file, 'the JSON');
}
