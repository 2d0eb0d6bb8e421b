/** Regression metrics as pure functions, in whatever units the values are given. */

export interface ColumnErrors { mse: number; mae: number; r2: number }

/**
 * Mean squared error, mean absolute error and the coefficient of determination
 * R² = 1 − SS_res / SS_tot. When the actual values are all equal (SS_tot = 0) R² is 1 for a
 * perfect prediction and 0 otherwise, scikit-learn's `force_finite` convention.
 */
export function regressionErrors(actual: ArrayLike<number>, predicted: ArrayLike<number>): ColumnErrors {
  const n = actual.length;
  if (n === 0) return { mse: 0, mae: 0, r2: 0 };
  let mean = 0;
  for (let i = 0; i < n; i++) mean += actual[i]!;
  mean /= n;
  let squared = 0;
  let absolute = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const e = predicted[i]! - actual[i]!;
    squared += e * e;
    absolute += Math.abs(e);
    total += (actual[i]! - mean) ** 2;
  }
  const r2 = total === 0 ? (squared === 0 ? 1 : 0) : 1 - squared / total;
  return { mse: squared / n, mae: absolute / n, r2 };
}

export interface HistogramBin { from: number; to: number; count: number }

/**
 * Equal-width bins from the smallest to the largest value (the last bin includes its upper
 * edge). All values equal: one bin of zero width. No values: no bins.
 */
export function histogram(values: ArrayLike<number>, bins = 20): HistogramBin[] {
  if (values.length === 0) return [];
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) { min = Math.min(min, values[i]!); max = Math.max(max, values[i]!); }
  if (min === max) return [{ from: min, to: max, count: values.length }];
  const width = (max - min) / bins;
  const out = Array.from({ length: bins }, (_, b) => ({ from: min + b * width, to: b === bins - 1 ? max : min + (b + 1) * width, count: 0 }));
  for (let i = 0; i < values.length; i++) out[Math.min(bins - 1, Math.floor((values[i]! - min) / width))]!.count++;
  return out;
}

/** At most `limit` indices out of `count`, evenly spaced and starting at 0 (all when they fit). */
export function evenlySpaced(count: number, limit: number): number[] {
  if (count <= limit) return Array.from({ length: count }, (_, i) => i);
  return Array.from({ length: limit }, (_, k) => Math.floor((k * count) / limit));
}
