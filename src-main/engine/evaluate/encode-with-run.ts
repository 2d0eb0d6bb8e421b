import type { Preprocessing, TableFeature, Targets } from '../../../src-shared/contract/preprocessing.ts';
import type { RunRecord } from '../../../src-shared/contract/run-record.ts';
import { bytesToPixels, decodeImageBytes, IMAGE_IO_CONCURRENCY } from '../../data/image-folder/decode-image.ts';
import { absolutePath, type ImageFolderListing } from '../../data/image-folder/list-image-folder.ts';
import { mapWithConcurrency } from '../../data/map-with-concurrency.ts';
import type { SkippedItem } from '../../data/loaded-dataset.ts';
import { encodeRow } from '../../data/table/load-table-dataset.ts';
import { columnIndex, isMissing, parseNumber, type CsvTable } from '../../data/table/read-csv.ts';
import type { LabelledText } from '../../data/text/read-texts.ts';
import { encodeTokens, tokenize, vocabularyIndex } from '../../data/text/tokenize.ts';
import { StrataError } from '../../strata-error.ts';

/**
 * Samples prepared exactly the way a run's model was trained to take them — the run's
 * image size, its table statistics and categories, its vocabulary — never refit on the
 * data being evaluated (refitting would quietly change what the inputs mean to the model).
 * Targets come out as class indices into the run's classes, or regression values in the
 * data's own units.
 */
export interface EncodedSamples {
  x: Float32Array;
  sampleSize: number;
  /** Class indices into the run's classes, or regression values in the data's units (count × outputs). */
  y: Int32Array | Float64Array;
  ids: string[];
  skipped: SkippedItem[];
}

/** The run's targets; runs from before there were several data kinds are image classifiers. */
export function runTargets(record: RunRecord): Targets {
  return record.targets ?? { type: 'classes', classes: record.classes };
}

function preprocessingOf<K extends Preprocessing['kind']>(record: RunRecord, kind: K): Extract<Preprocessing, { kind: K }> {
  const p = record.preprocessing;
  if (p?.kind !== kind) {
    throw new StrataError('NO_PREPROCESSING', `The run ${record.runId} does not record how its ${kind === 'table' ? 'table rows' : 'texts'} were prepared (run.json has no ${kind} preprocessing); train it again to evaluate it on other data.`);
  }
  return p as Extract<Preprocessing, { kind: K }>;
}

/** Refuses labels the run was never trained on: the model has no output for them. */
export function checkKnownClasses(record: RunRecord, labels: Iterable<string>, where: string, what: string): void {
  const known = new Set(record.classes);
  const unknown = [...new Set(labels)].filter((l) => !known.has(l));
  if (unknown.length > 0) {
    throw new StrataError('UNKNOWN_CLASSES', `${where} has ${what} the run was not trained on: ${unknown.slice(0, 10).map((c) => `"${c}"`).join(', ')}${unknown.length > 10 ? ` and ${unknown.length - 10} more` : ''}. `
      + `The run knows ${record.classes.map((c) => `"${c}"`).join(', ')}; rename or remove the others.`, { unknown, known: record.classes });
  }
}

/** Decodes the listed images at the run's size and channels; files that do not decode are skipped with why. */
export async function encodeImages(listing: ImageFolderListing, record: RunRecord, imageSize: [number, number], channels: 1 | 3): Promise<EncodedSamples> {
  checkKnownClasses(record, listing.classes.map((c) => c.name), `"${listing.root}"`, 'class folder(s)');
  const jobs = listing.classes.flatMap((cls) => cls.files.map((rel) => ({ rel, classIndex: record.classes.indexOf(cls.name) })));
  const decoded = await mapWithConcurrency(jobs, IMAGE_IO_CONCURRENCY, (job) => decodeImageBytes(absolutePath(listing.root, job.rel), imageSize, channels));
  const sampleSize = imageSize[0] * imageSize[1] * channels;
  const usable = jobs.flatMap((job, i) => { const d = decoded[i]!; return d.ok ? [{ ...job, bytes: d.bytes }] : []; });
  const x = new Float32Array(usable.length * sampleSize);
  usable.forEach((u, k) => bytesToPixels(u.bytes, x, k * sampleSize));
  const skipped = [...listing.skipped, ...jobs.flatMap((job, i) => { const d = decoded[i]!; return d.ok ? [] : [{ file: job.rel, reason: d.reason }]; })];
  return { x, sampleSize, y: Int32Array.from(usable, (u) => u.classIndex), ids: usable.map((u) => u.rel), skipped };
}

/**
 * Encodes table rows with the run's feature encoding (the loader's own `encodeRow`: the
 * training split's means, deviations and categories). Rows without a usable target are
 * skipped with why; a feature or target column the table lacks is an error naming it.
 */
export function encodeTableRows(table: CsvTable, rowIndexes: readonly number[] | null, record: RunRecord): EncodedSamples {
  if (record.data.kind !== 'csv-table') throw new Error('encodeTableRows: not a table run');
  const { features } = preprocessingOf(record, 'table');
  const targets = runTargets(record);
  const target = record.data.target;
  for (const f of features) columnIndex(table, f.column, 'feature the run was trained on');
  const targetIndex = columnIndex(table, target, 'target');
  const colOf = new Map(table.columns.map((c, i) => [c, i]));
  const skipped: SkippedItem[] = [];
  const rows = (rowIndexes ?? table.rows.map((_, r) => r)).filter((r) => {
    const value = table.rows[r]![targetIndex]!;
    const where = `row ${table.rowNumbers[r]}`;
    if (isMissing(value)) skipped.push({ file: where, reason: `has no value in the target column "${target}"` });
    else if (targets.type === 'regression' && parseNumber(value) === null) skipped.push({ file: where, reason: `target "${value}" is not a number` });
    else return true;
    return false;
  });
  const labels = rows.map((r) => table.rows[r]![targetIndex]!.trim());
  if (targets.type === 'classes') checkKnownClasses(record, labels, `"${table.file}"`, `label(s) in "${target}"`);
  const sampleSize = tableWidth(features);
  const x = new Float32Array(rows.length * sampleSize);
  rows.forEach((r, k) => encodeRow(table.rows[r]!, features, colOf, x, k * sampleSize));
  const y = targets.type === 'classes' ? Int32Array.from(labels, (l) => record.classes.indexOf(l)) : Float64Array.from(labels, (l) => parseNumber(l)!);
  return { x, sampleSize, y, ids: rows.map((r) => `row ${table.rowNumbers[r]}`), skipped };
}

function tableWidth(features: readonly TableFeature[]): number {
  return features.reduce((w, f) => w + (f.type === 'numeric' ? 1 : f.categories.length), 0);
}

/** Encodes texts with the run's vocabulary, sequence length and case (words it never saw are "unknown"). */
export function encodeTexts(items: readonly LabelledText[], record: RunRecord, where: string): EncodedSamples {
  const { vocabulary, sequenceLength, lowercase } = preprocessingOf(record, 'text');
  checkKnownClasses(record, items.map((i) => i.label), where, 'label(s)');
  const index = vocabularyIndex(vocabulary);
  const x = new Float32Array(items.length * sequenceLength);
  items.forEach((item, k) => encodeTokens(tokenize(item.text, lowercase), index, sequenceLength, x, k * sequenceLength));
  return { x, sampleSize: sequenceLength, y: Int32Array.from(items, (i) => record.classes.indexOf(i.label)), ids: items.map((i) => i.id), skipped: [] };
}
