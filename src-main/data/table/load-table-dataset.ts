import type { TableDataConfig } from '../../../src-shared/contract/data-config.ts';
import type { ColumnProfile } from '../../../src-shared/contract/data-health.ts';
import type { TableFeature, Targets } from '../../../src-shared/contract/preprocessing.ts';
import { dataImportErrors } from '../data-import-error.ts';
import { assignSplits, type SplitName } from '../image-folder/stable-split.ts';
import { memorySplit, type DataSplit, type LoadedDataset } from '../loaded-dataset.ts';
import { inferTask, profileColumns } from './profile-columns.ts';
import { columnIndex, isMissing, parseNumber, readCsv, type CsvTable } from './read-csv.ts';

/** The rows of a table on each side of the split, and what the columns are. */
export interface SplitTable {
  table: CsvTable;
  profiles: ColumnProfile[];
  targetIndex: number;
  task: 'classification' | 'regression';
  /** Index into table.rows of each row per split; rows with no target are left out (and skipped). */
  sides: Record<SplitName, number[]>;
}

/**
 * Reads the CSV (unless it was read already) and splits its rows. A row's side is fixed by a hash of its own values, so
 * rows appended to the file later never move an existing row, and identical rows always
 * land together (a copied row cannot leak from training into validation).
 */
export function splitTable(
  config: Pick<TableDataConfig, 'path' | 'target' | 'task' | 'validationSplit' | 'testSplit' | 'seed'>,
  read?: { table: CsvTable; profiles: ColumnProfile[] },
): SplitTable {
  const table = read?.table ?? readCsv(config.path);
  const targetIndex = columnIndex(table, config.target, 'target');
  const profiles = read?.profiles ?? profileColumns(table);
  const task = config.task ?? inferTask(profiles[targetIndex]!);
  const keep: number[] = [];
  table.rows.forEach((row, r) => {
    if (isMissing(row[targetIndex]!)) table.skipped.push({ file: `row ${table.rowNumbers[r]}`, reason: `has no value in the target column "${config.target}"` });
    else if (task === 'regression' && parseNumber(row[targetIndex]!) === null) {
      table.skipped.push({ file: `row ${table.rowNumbers[r]}`, reason: `target "${row[targetIndex]}" is not a number (regression needs numbers)` });
    } else keep.push(r);
  });
  if (keep.length === 0) {
    const example = table.rows.map((row) => row[targetIndex]!).find((v) => !isMissing(v));
    throw example === undefined ? dataImportErrors.noTarget(config.path, config.target) : dataImportErrors.notNumeric(config.path, config.target, example);
  }
  const assigned = assignSplits('table', keep.map((r) => table.rows[r]!.join('\u0000')), config.validationSplit, config.testSplit, config.seed);
  const sides: Record<SplitName, number[]> = { train: [], validation: [], test: [] };
  keep.forEach((r, k) => sides[assigned[k]!].push(r));
  return { table, profiles, targetIndex, task, sides };
}

/**
 * A CSV table as training data: numeric columns standardised and categorical columns
 * one-hot encoded, with the statistics and categories taken from the training split only
 * (so validation and test say how the model does on data it has never seen, statistics
 * included). Missing numbers become the training mean; unseen categories become all zeros.
 * Free-text, empty and constant columns are left out unless chosen, and the report says so.
 */
export function loadTableDataset(config: TableDataConfig): LoadedDataset {
  const split = splitTable(config);
  const { table, profiles, targetIndex, task, sides } = split;
  const ignored = new Set(config.ignore);
  for (const name of config.ignore) columnIndex(table, name, 'column to ignore');
  const featureColumns = profiles
    .map((p, i) => ({ p, i }))
    .filter(({ p, i }) => i !== targetIndex && !ignored.has(p.name) && (p.type === 'numeric' || p.type === 'categorical') && !p.constant);
  if (featureColumns.length === 0) {
    throw dataImportErrors.noSuchColumn(config.path, 'feature', '(any usable feature)', table.columns);
  }
  const trainRows = sides.train.map((r) => table.rows[r]!);
  const features: TableFeature[] = featureColumns.map(({ p, i }) => {
    if (p.type === 'categorical') {
      const categories = [...new Set(trainRows.map((row) => row[i]!.trim()).filter((v) => !isMissing(v)))].sort();
      return { column: p.name, type: 'categorical', categories };
    }
    const xs = trainRows.map((row) => parseNumber(row[i]!)).filter((x): x is number => x !== null);
    const mean = xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 0;
    const std = xs.length ? Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length) : 0;
    return { column: p.name, type: 'numeric', mean, std: std > 0 ? std : 1 };
  });
  const width = features.reduce((w, f) => w + (f.type === 'numeric' ? 1 : f.categories.length), 0);
  const colOf = new Map(table.columns.map((c, i) => [c, i]));

  let targets: Targets;
  if (task === 'classification') {
    const classes = [...new Set(sides.train.concat(sides.validation, sides.test).map((r) => table.rows[r]![targetIndex]!.trim()))].sort(compareLabels);
    if (classes.length < 2) throw dataImportErrors.tooFewClasses(config.path, classes, 'labels');
    targets = { type: 'classes', classes };
  } else {
    const ys = trainRows.map((row) => parseNumber(row[targetIndex]!)!);
    const mean = ys.reduce((a, b) => a + b, 0) / Math.max(1, ys.length);
    const std = Math.sqrt(ys.reduce((s, y) => s + (y - mean) ** 2, 0) / Math.max(1, ys.length)) || 1;
    targets = { type: 'regression', columns: [config.target], mean: [mean], std: [std] };
  }

  const toSplit = (rowIndexes: readonly number[]): DataSplit => {
    const x = new Float32Array(rowIndexes.length * width);
    rowIndexes.forEach((r, k) => encodeRow(table.rows[r]!, features, colOf, x, k * width));
    const y = targets.type === 'classes'
      ? Int32Array.from(rowIndexes, (r) => (targets as { classes: string[] }).classes.indexOf(table.rows[r]![targetIndex]!.trim()))
      : Float32Array.from(rowIndexes, (r) => (parseNumber(table.rows[r]![targetIndex]!)! - (targets as { mean: number[] }).mean[0]!) / (targets as { std: number[] }).std[0]!);
    return memorySplit(x, width, y, rowIndexes.map((r) => `row ${table.rowNumbers[r]}`));
  };
  return {
    kind: 'csv-table', sampleShape: [width], targets,
    train: toSplit(sides.train), validation: toSplit(sides.validation), test: toSplit(sides.test),
    skipped: table.skipped, preprocessing: { kind: 'table', features, missingNumeric: 'mean' }, augmentation: null,
  };
}

/** Writes one row's features at `out[offset…]`: standardised numbers, then one-hot categories. */
export function encodeRow(row: readonly string[], features: readonly TableFeature[], colOf: ReadonlyMap<string, number>, out: Float32Array, offset: number): void {
  let o = offset;
  for (const f of features) {
    const raw = row[colOf.get(f.column)!] ?? '';
    if (f.type === 'numeric') {
      const v = parseNumber(raw);
      out[o++] = v === null ? 0 : (v - f.mean) / f.std;
    } else {
      const k = f.categories.indexOf(raw.trim());
      if (k >= 0) out[o + k] = 1;
      o += f.categories.length;
    }
  }
}

/** Numeric labels in numeric order (2 before 10), others alphabetically. */
export function compareLabels(a: string, b: string): number {
  const x = parseNumber(a);
  const y = parseNumber(b);
  if (x !== null && y !== null) return x - y;
  return a < b ? -1 : a > b ? 1 : 0;
}
