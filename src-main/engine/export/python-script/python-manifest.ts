import fs from 'node:fs';
import path from 'node:path';
import type { DataConfig } from '../../../../src-shared/contract/data-config.ts';
import type { Preprocessing, Targets } from '../../../../src-shared/contract/preprocessing.ts';
import type { TrainingConfig } from '../../../../src-shared/contract/project.ts';
import type { RunRecord } from '../../../../src-shared/contract/run-record.ts';
import { flattenBlocks } from '../../../../src-shared/graph/graph-blocks.ts';
import { profileColumns } from '../../../data/table/profile-columns.ts';
import { readCsv } from '../../../data/table/read-csv.ts';
import { StrataError } from '../../../strata-error.ts';

/** The version train.py checks before it reads a manifest. */
export const PYTHON_MANIFEST_VERSION = 1;

/** The loss Strata trained with, by the name train.py maps to a Keras loss. */
export type PythonLoss = 'categorical_crossentropy' | 'categorical_crossentropy_from_logits' | 'mean_squared_error';

/**
 * `manifest.json` of a Python export: everything train.py needs besides the graph — where the
 * data is and how Strata prepared it, how it split it, and how the run was trained.
 */
export interface PythonManifest {
  version: typeof PYTHON_MANIFEST_VERSION;
  createdBy: 'Strata';
  run: { id: string; name: string | null; epoch: number; strata: RunRecord['lastEpoch'] };
  /** The run's data settings (absolute path as recorded), plus what Strata detected: the CSV delimiter, a text CSV's columns. */
  data: DataConfig & { delimiter: string | null };
  /** Class names in Strata's order (the model's output order); empty for regression. */
  classes: string[];
  preprocessing: Preprocessing;
  targets: Targets;
  training: Pick<TrainingConfig, 'optimizer' | 'learningRate' | 'batchSize' | 'epochs' | 'schedule' | 'classWeights' | 'earlyStopping'> & {
    seed: number;
    loss: PythonLoss;
  };
  model: {
    /** The graph as a Keras 3 config (keras.models.model_from_json). */
    architecture: string;
    /** Strata's trained model as a .keras file (train.py --from-trained), or null when not shipped. */
    weights: string | null;
    input: { layer: string; shape: number[] };
    output: { layer: string; activation: string | null };
  };
  /** Whether train.py uses MultiWorkerMirroredStrategy when TF_CONFIG is set. */
  distributed: boolean;
}

const KIND_WORDS: Record<DataConfig['kind'], string> = {
  'image-folder': 'an image folder', 'csv-table': 'a CSV table', text: 'texts', timeseries: 'a time series',
};

/** How the run prepared its inputs; runs from before the preprocessing record only had images. */
function runPreprocessing(record: RunRecord): Preprocessing {
  if (record.preprocessing) return record.preprocessing;
  if (record.data.kind === 'image-folder') return { kind: 'image', imageSize: record.data.imageSize, channels: record.data.channels };
  throw new StrataError('EXPORT_UNSUPPORTED', `The run ${record.runId} trained on ${KIND_WORDS[record.data.kind]} (${record.data.path}) but its run.json records no preprocessing (statistics, categories or vocabulary), so a Python script could not prepare the data the same way. Train the run again with this version of Strata, then export.`);
}

function runTargets(record: RunRecord): Targets {
  if (record.targets) return record.targets;
  return { type: 'classes', classes: record.classes };
}

/** The text and label columns Strata picked in a text CSV (the same choice as readTexts makes). */
function textColumns(data: Extract<DataConfig, { kind: 'text' }>): { textColumn?: string; labelColumn?: string } {
  if (data.textColumn && data.labelColumn) return { textColumn: data.textColumn, labelColumn: data.labelColumn };
  const table = readCsv(data.path);
  const profiles = profileColumns(table);
  const named = (pattern: RegExp): string | undefined => table.columns.find((c) => pattern.test(c));
  return {
    textColumn: data.textColumn ?? named(/^(text|review|message|sentence|body|content|comment|email)$/i) ?? profiles.find((p) => p.type === 'text')?.name,
    labelColumn: data.labelColumn ?? named(/^(label|labels|class|target|category|sentiment|y)$/i)
      ?? [...profiles].reverse().find((p) => p.type === 'categorical' || (p.type === 'numeric' && p.numeric?.fewValues))?.name,
  };
}

/** The data settings with what Strata detected from the files (so a script needs no guessing). */
function resolvedData(data: DataConfig): PythonManifest['data'] {
  const isCsvFile = data.kind === 'csv-table' || data.kind === 'timeseries' || (data.kind === 'text' && !isFolder(data.path));
  const delimiter = isCsvFile ? readCsvDelimiter(data.path) : null;
  // Absolute, so the script finds the data from wherever it is run.
  const where = { path: path.resolve(data.path), delimiter };
  if (data.kind === 'text' && isCsvFile) return { ...data, ...textColumns(data), ...where };
  return { ...data, ...where };
}

function isFolder(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The delimiter Strata reads the file with; null when the file is gone (the script then guesses). */
function readCsvDelimiter(file: string): string | null {
  try {
    return readCsv(file).delimiter;
  } catch {
    return null;
  }
}

/** The manifest of a run: its data, preprocessing, split and training settings, and which loss it trained. */
export function buildPythonManifest(record: RunRecord, files: { architecture: string; weights: string | null }, distributed: boolean): PythonManifest {
  const preprocessing = runPreprocessing(record);
  const targets = runTargets(record);
  const spec = flattenBlocks(record.spec);
  const layers = spec.config.layers;
  const consumed = new Set(layers.flatMap((l) => l.inbound));
  const input = layers.find((l) => l.class_name === 'Input' || l.class_name === 'InputLayer');
  const output = [...layers].reverse().find((l) => !consumed.has(l.name));
  if (!input || !output) throw new StrataError('EXPORT_UNSUPPORTED', `The graph of run ${record.runId} has no ${input ? 'output' : 'Input'} layer; it cannot be exported.`);
  const activation = typeof output.config.activation === 'string' ? output.config.activation : null;
  const loss: PythonLoss = targets.type === 'regression' ? 'mean_squared_error'
    : activation === 'softmax' ? 'categorical_crossentropy' : 'categorical_crossentropy_from_logits';
  const shape = (input.config.shape ?? input.config.batch_input_shape) as unknown;
  const { training } = record;
  return {
    version: PYTHON_MANIFEST_VERSION,
    createdBy: 'Strata',
    run: { id: record.runId, name: record.name ?? null, epoch: record.checkpointEpoch, strata: record.lastEpoch },
    data: resolvedData(record.data),
    classes: targets.type === 'classes' ? targets.classes : [],
    preprocessing,
    targets,
    training: {
      optimizer: training.optimizer, learningRate: training.learningRate, batchSize: training.batchSize, epochs: training.epochs,
      schedule: training.schedule, classWeights: training.classWeights, earlyStopping: training.earlyStopping,
      // Every run records its seed; one from before that did gets a fixed one.
      seed: training.seed ?? 1,
      loss,
    },
    model: {
      architecture: files.architecture,
      weights: files.weights,
      input: { layer: input.name, shape: Array.isArray(shape) ? shape.filter((d): d is number => typeof d === 'number') : [] },
      output: { layer: output.name, activation },
    },
    distributed,
  };
}
