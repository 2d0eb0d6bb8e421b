import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import type { DataKind } from '../../../src-shared/contract/data-config.ts';
import type { EvaluationSource } from '../../../src-shared/contract/evaluation.ts';
import type { RunRecord } from '../../../src-shared/contract/run-record.ts';
import { datasetFingerprint } from '../../data/dataset-fingerprint.ts';
import { listImages } from '../../data/image-folder/load-image-dataset.ts';
import { labelsCsvPath } from '../../data/image-folder/list-labelled-images.ts';
import { closeDataset, loadDataset, sampleNoun } from '../../data/load-dataset.ts';
import { MemorySampleStore, type LoadedDataset, type SampleStore } from '../../data/loaded-dataset.ts';
import { splitTable } from '../../data/table/load-table-dataset.ts';
import { readCsv } from '../../data/table/read-csv.ts';
import { splitTexts } from '../../data/text/load-text-dataset.ts';
import { readTexts } from '../../data/text/read-texts.ts';
import { StrataError } from '../../strata-error.ts';
import { checkKnownClasses, encodeImages, encodeTableRows, encodeTexts, runTargets, type EncodedSamples } from './encode-with-run.ts';

type SplitName = Extract<EvaluationSource, { kind: 'split' }>['split'];

/** The samples an evaluation predicts, prepared the run's way, with what they are for people. */
export interface EvaluationSet {
  dataKind: DataKind;
  sampleShape: number[];
  x: SampleStore;
  /** Class indices into the run's classes, or regression values in the data's own units (count × outputs). */
  y: Int32Array | Float64Array;
  ids: string[];
  count: number;
  /** The folder or CSV the ids are relative to (previews read samples back from it). */
  root: string;
  /** "validation split, 120 images", plus anything worth knowing about the data. */
  sourceLine: string;
  close(): void;
}

/**
 * One of the run's own splits — reproduced by loading its data config again (each sample's
 * side is a stable hash, so the split is the one training used) — or another dataset at
 * `source.path`, prepared with the run's preprocessing.
 */
export async function evaluationSet(record: RunRecord, source: EvaluationSource): Promise<EvaluationSet> {
  return source.kind === 'split' ? splitSet(record, source.split) : dataSet(record, path.resolve(source.path));
}

function emptySplit(record: RunRecord, split: SplitName): StrataError {
  const percent = (share: number) => `${Math.round(share * 100)}%`;
  const other = 'or evaluate on the other split (--split) or on other data (--data <folder or CSV>)';
  return new StrataError('EMPTY_SPLIT', split === 'test'
    ? `The run has no test samples: its data settings hold out ${percent(record.data.testSplit)} for test. `
      + `Set a test share in the data settings (testSplit; \`strata new … --test-split 0.1\`) and train again, ${other}.`
    : `The run's validation split is empty (validation share ${percent(record.data.validationSplit)} of ${record.data.path}). `
      + `Raise the validation share in the data settings (validationSplit; \`--validation-split\`) and train again, ${other}.`);
}

async function splitSet(record: RunRecord, split: SplitName): Promise<EvaluationSet> {
  const dataset = await loadDataset(record.data);
  let handedOver = false;
  try {
    const side = dataset[split];
    if (side.count === 0) throw emptySplit(record, split);
    const notes: string[] = [];
    if (record.datasetFingerprint !== undefined && datasetFingerprint(record.data, dataset) !== record.datasetFingerprint) {
      notes.push('the data changed since training: these are its samples as they are now');
    }
    const targets = runTargets(record);
    // Compared as values: run.json went through zod, which orders keys its own way.
    const preparedAlike = isDeepStrictEqual(dataset.preprocessing, record.preprocessing ?? dataset.preprocessing)
      && (targets.type === 'regression' || isDeepStrictEqual(dataset.targets, targets));
    const line = (count: number) => [`${split} split, ${sampleNoun(record.data.kind, count)}`, ...notes].join('; ');
    if (!preparedAlike && (record.data.kind === 'csv-table' || record.data.kind === 'text')) {
      // The changed data would fit other statistics, categories or words; the model only knows the run's.
      notes.push('prepared with the run\'s own preprocessing');
      let encoded: EncodedSamples;
      if (record.data.kind === 'csv-table') {
        const rows = splitTable(record.data);
        encoded = encodeTableRows(rows.table, rows.sides[split], record);
      } else {
        encoded = encodeTexts((await splitTexts(record.data)).sides[split], record, `"${record.data.path}"`);
      }
      return fromEncoded(record, encoded, dataset.sampleShape, path.resolve(record.data.path), line(encoded.ids.length));
    }
    if (!preparedAlike && record.data.kind === 'timeseries') notes.push('its windows are standardised with today\'s statistics, not the run\'s');
    const y = actualValues(record, dataset, side.y);
    handedOver = true; // the set's close() closes the dataset from here on
    return {
      dataKind: record.data.kind, sampleShape: dataset.sampleShape, x: side.x, y,
      ids: side.ids, count: side.count, root: path.resolve(record.data.path), sourceLine: line(side.count),
      close: () => closeDataset(dataset),
    };
  } finally {
    if (!handedOver) closeDataset(dataset);
  }
}

/** The loader's targets as the run's: class indices into the run's classes, regression values un-standardised. */
function actualValues(record: RunRecord, dataset: LoadedDataset, y: Int32Array | Float32Array): Int32Array | Float64Array {
  const t = dataset.targets;
  if (t.type === 'regression') return Float64Array.from(y, (v, i) => v * t.std[i % t.std.length]! + t.mean[i % t.mean.length]!);
  checkKnownClasses(record, t.classes, `"${record.data.path}"`, 'class(es) now');
  return Int32Array.from(y, (c) => record.classes.indexOf(t.classes[c]!));
}

async function dataSet(record: RunRecord, root: string): Promise<EvaluationSet> {
  const data = record.data;
  let encoded: EncodedSamples;
  let sampleShape: number[];
  switch (data.kind) {
    case 'image-folder': {
      // A flat folder labelled by a CSV of the same name as the run's is read that way; else a folder per class.
      const labels = data.labels && fs.statSync(root, { throwIfNoEntry: false })?.isDirectory() && fs.existsSync(labelsCsvPath(root, data.labels)) ? data.labels : null;
      encoded = await encodeImages(await listImages({ path: root, labels }), record, data.imageSize, data.channels);
      sampleShape = [data.imageSize[0], data.imageSize[1], data.channels];
      break;
    }
    case 'csv-table':
      encoded = encodeTableRows(readCsv(root), null, record);
      sampleShape = [encoded.sampleSize];
      break;
    case 'text':
      encoded = encodeTexts((await readTexts({ path: root, textColumn: data.textColumn, labelColumn: data.labelColumn })).items, record, `"${root}"`);
      sampleShape = [encoded.sampleSize];
      break;
    case 'timeseries':
      throw new StrataError('NOT_SUPPORTED', `Evaluating a time-series run on another CSV is not available yet; evaluate it on its own validation or test split (--split validation|test). `
        + 'Other data works for image, table and text runs.');
  }
  const count = encoded.ids.length;
  if (count === 0) {
    const first = encoded.skipped[0];
    throw new StrataError('EMPTY_DATA', `"${root}" has nothing to evaluate: no usable ${sampleNoun(data.kind, 2).replace(/^2 /, '')}`
      + `${first ? ` (${encoded.skipped.length} skipped, e.g. "${first.file}": ${first.reason})` : ''}.`);
  }
  const skippedNote = encoded.skipped.length === 0 ? '' : `; ${encoded.skipped.length} skipped (e.g. "${encoded.skipped[0]!.file}": ${encoded.skipped[0]!.reason})`;
  return fromEncoded(record, encoded, sampleShape, root, `${root}: ${sampleNoun(data.kind, count)}${skippedNote}`);
}

function fromEncoded(record: RunRecord, encoded: EncodedSamples, sampleShape: number[], root: string, sourceLine: string): EvaluationSet {
  return {
    dataKind: record.data.kind, sampleShape, x: new MemorySampleStore(encoded.x, encoded.sampleSize), y: encoded.y,
    ids: encoded.ids, count: encoded.ids.length, root, sourceLine, close: () => {},
  };
}
