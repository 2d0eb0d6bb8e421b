import type { TimeSeriesDataConfig } from '../../../src-shared/contract/data-config.ts';
import { dataImportErrors } from '../data-import-error.ts';
import { memorySplit, type DataSplit, type LoadedDataset } from '../loaded-dataset.ts';
import { profileColumns } from './profile-columns.ts';
import { columnIndex, isMissing, parseNumber, readCsv } from './read-csv.ts';

/**
 * An ordered CSV as forecasting data: each sample is `window` consecutive rows of the
 * feature columns, its target the target column `horizon` rows after the window's last row.
 * The split is in time order — the earliest windows train, then validation, then test —
 * with a gap of `window + horizon − 1` windows dropped at each boundary, so no validation
 * window shares a row with a training window or target (a shuffled split would let the
 * model see the future). Features and target are standardised with the training rows'
 * statistics. A missing value is carried forward from the row before (and said so).
 */
export function loadTimeSeriesDataset(config: TimeSeriesDataConfig): LoadedDataset {
  const table = readCsv(config.path);
  const targetIndex = columnIndex(table, config.target, 'target');
  const profiles = profileColumns(table);
  let featureNames = config.features;
  if (featureNames.length === 0) {
    // Every numeric column — except a time index (always increasing), whose later values
    // the model would never have seen in training; it orders the rows, it is not a signal.
    const numeric = profiles.filter((p) => p.type === 'numeric' && !p.constant).map((p) => p.name);
    const indexes = numeric.filter((name) => name !== config.target && alwaysIncreasing(table.rows.map((r) => r[table.columns.indexOf(name)]!)));
    for (const name of indexes) table.skipped.push({ file: `column ${name}`, reason: 'always increasing (a time index?): not used as a feature; list it in the features to use it' });
    featureNames = numeric.filter((name) => !indexes.includes(name));
  }
  if (!featureNames.includes(config.target) && config.features.length === 0) featureNames = [...featureNames, config.target];
  const featureIndexes = featureNames.map((name) => columnIndex(table, name, 'feature'));

  // Columns as numbers, missing values carried forward.
  const series = [...featureIndexes, targetIndex].map((c) => {
    const values = new Float64Array(table.rows.length);
    let last: number | null = null;
    let filled = 0;
    table.rows.forEach((row, r) => {
      const raw = row[c]!;
      const v = isMissing(raw) ? null : parseNumber(raw);
      if (v === null && !isMissing(raw)) throw dataImportErrors.notNumeric(config.path, table.columns[c]!, raw);
      if (v === null) filled++;
      last = v ?? last;
      values[r] = last ?? Number.NaN;
    });
    const firstKnown = values.findIndex((v) => !Number.isNaN(v));
    for (let r = 0; r < firstKnown; r++) values[r] = values[firstKnown]!;
    if (filled > 0) table.skipped.push({ file: `column ${table.columns[c]}`, reason: `${filled} missing value(s) filled with the value before them` });
    if (firstKnown < 0) throw dataImportErrors.notNumeric(config.path, table.columns[c]!, '(no numbers at all)');
    return values;
  });
  const target = series[series.length - 1]!;
  const span = config.window + config.horizon - 1; // rows from a window's first row to its target
  const windows = table.rows.length - span;
  const gap = span;
  const nTest = Math.floor(windows * config.testSplit);
  const nValidation = Math.max(1, Math.floor(windows * config.validationSplit));
  const nTrain = windows - nTest - nValidation - gap * (nTest > 0 ? 2 : 1);
  if (nTrain < 1) {
    throw dataImportErrors.tooFewRows(config.path, table.rows.length, span + 2 * gap + 3, `a window of ${config.window} rows with a horizon of ${config.horizon} (and a gap between the splits)`);
  }
  const trainStart = 0;
  const validationStart = nTrain + gap;
  const testStart = validationStart + nValidation + gap;

  // Statistics over the rows training windows and targets touch, and no others.
  const trainRows = nTrain + span;
  const stats = series.map((values) => {
    let sum = 0;
    for (let r = 0; r < trainRows; r++) sum += values[r]!;
    const mean = sum / trainRows;
    let sq = 0;
    for (let r = 0; r < trainRows; r++) sq += (values[r]! - mean) ** 2;
    return { mean, std: Math.sqrt(sq / trainRows) || 1 };
  });
  const f = featureIndexes.length;
  const sampleSize = config.window * f;
  const targetStats = stats[stats.length - 1]!;

  const toSplit = (start: number, count: number): DataSplit => {
    const x = new Float32Array(count * sampleSize);
    const y = new Float32Array(count);
    const ids: string[] = [];
    for (let s = 0; s < count; s++) {
      const first = start + s;
      for (let t = 0; t < config.window; t++) {
        for (let j = 0; j < f; j++) x[s * sampleSize + t * f + j] = (series[j]![first + t]! - stats[j]!.mean) / stats[j]!.std;
      }
      y[s] = (target[first + span]! - targetStats.mean) / targetStats.std;
      ids.push(`rows ${table.rowNumbers[first]}–${table.rowNumbers[first + config.window - 1]} → row ${table.rowNumbers[first + span]}`);
    }
    return memorySplit(x, sampleSize, y, ids);
  };
  return {
    kind: 'timeseries',
    sampleShape: [config.window, f],
    targets: { type: 'regression', columns: [config.target], mean: [targetStats.mean], std: [targetStats.std] },
    train: toSplit(trainStart, nTrain),
    validation: toSplit(validationStart, nValidation),
    test: toSplit(testStart, nTest),
    skipped: table.skipped,
    preprocessing: {
      kind: 'timeseries', window: config.window, horizon: config.horizon,
      features: featureNames.map((column, j) => ({ column, type: 'numeric' as const, mean: stats[j]!.mean, std: stats[j]!.std })),
    },
    augmentation: null,
  };
}

function alwaysIncreasing(values: readonly string[]): boolean {
  let last = -Infinity;
  for (const v of values) {
    const n = parseNumber(v);
    if (n === null || n <= last) return false;
    last = n;
  }
  return values.length > 2;
}
