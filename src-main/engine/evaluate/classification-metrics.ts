/**
 * Classification metrics as pure functions over class indices and probabilities — no engine,
 * no files — so each can be checked against numbers computed by hand (or by scikit-learn).
 */

export interface ClassMetrics {
  precision: number | null;
  recall: number | null;
  f1: number | null;
  support: number;
}

export interface CurvePoint { x: number; y: number; threshold: number }

/** The class a sample is predicted as: the most probable, the first one on a tie (as argMax does). */
export function argMax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i]! > values[best]!) best = i;
  return best;
}

/** confusion[actual][predicted] = how many samples. */
export function confusionMatrix(actual: ArrayLike<number>, predicted: ArrayLike<number>, classes: number): number[][] {
  const matrix = Array.from({ length: classes }, () => new Array<number>(classes).fill(0));
  for (let i = 0; i < actual.length; i++) matrix[actual[i]!]![predicted[i]!]! += 1;
  return matrix;
}

/**
 * Precision, recall and F1 of each class from a confusion matrix. Precision is null for a
 * class never predicted, recall for a class absent from the data; F1 is 2·TP / (2·TP + FP + FN),
 * so a class present but never predicted scores 0, and only a class neither present nor
 * predicted has no F1 (null).
 */
export function perClassMetrics(confusion: readonly (readonly number[])[]): ClassMetrics[] {
  return confusion.map((row, c) => {
    const tp = row[c]!;
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((sum, r) => sum + r[c]!, 0);
    const fp = predicted - tp;
    const fn = support - tp;
    return {
      precision: predicted === 0 ? null : tp / predicted,
      recall: support === 0 ? null : tp / support,
      f1: 2 * tp + fp + fn === 0 ? null : (2 * tp) / (2 * tp + fp + fn),
      support,
    };
  });
}

/**
 * The mean F1 over the classes that occur (in the data or the predictions) — scikit-learn's
 * `f1_score(average='macro')`, whose labels are those present. 0 when none occurs.
 */
export function macroF1(metrics: readonly ClassMetrics[]): number {
  const defined = metrics.flatMap((m) => (m.f1 === null ? [] : [m.f1]));
  return defined.length === 0 ? 0 : defined.reduce((a, b) => a + b, 0) / defined.length;
}

/**
 * The share of samples whose true class is among the k most probable. A tie is ranked the
 * way argMax breaks it (the lower class index first), so top-1 equals accuracy exactly.
 */
export function topKAccuracy(probabilities: readonly ArrayLike<number>[], actual: ArrayLike<number>, k: number): number {
  if (probabilities.length === 0) return 0;
  let hits = 0;
  probabilities.forEach((p, i) => {
    const truth = actual[i]!;
    const score = p[truth]!;
    let above = 0;
    for (let j = 0; j < p.length; j++) if (p[j]! > score || (p[j] === score && j < truth)) above++;
    if (above < k) hits++;
  });
  return hits / probabilities.length;
}

/** The k values worth reporting for this many classes (k = classes would always be 100%). */
export function reportedTopK(classes: number): number[] {
  return [1, 2, 3, 5].filter((k) => k === 1 || k < classes);
}

interface ThresholdCounts {
  /** Distinct scores, highest first: "positive when score ≥ threshold". */
  thresholds: number[];
  /** True and false positives at each threshold. */
  tps: number[];
  fps: number[];
  positives: number;
  negatives: number;
}

/** Cumulative true/false positives at each distinct score (scikit-learn's `_binary_clf_curve`). */
function thresholdCounts(isPositive: ArrayLike<boolean>, scores: ArrayLike<number>): ThresholdCounts {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
  const thresholds: number[] = [];
  const tps: number[] = [];
  const fps: number[] = [];
  let tp = 0;
  let fp = 0;
  order.forEach((i, k) => {
    if (isPositive[i]) tp++;
    else fp++;
    const next = order[k + 1];
    // Samples with the same score are counted together: one threshold cannot split them.
    if (next === undefined || scores[next] !== scores[i]) {
      thresholds.push(scores[i]!);
      tps.push(tp);
      fps.push(fp);
    }
  });
  return { thresholds, tps, fps, positives: tp, negatives: fp };
}

/**
 * The start of both curves, where nothing is predicted positive. scikit-learn (before 1.3)
 * puts its threshold at the highest score + 1; infinity, its newer choice, has no JSON form.
 */
function aboveAll(thresholds: readonly number[]): number {
  return (thresholds[0] ?? 0) + 1;
}

/**
 * The ROC curve (x = false positive rate, y = true positive rate) from (0, 0) to (1, 1), with
 * the points in the middle of straight horizontal or vertical runs dropped (scikit-learn's
 * `drop_intermediate`: the area and the shape are unchanged, the curve stays small for large
 * sets), and its area by the trapezoid rule. Null when the data has no positives or no
 * negatives (a rate would divide by zero).
 */
export function rocCurve(isPositive: ArrayLike<boolean>, scores: ArrayLike<number>): { points: CurvePoint[]; auc: number } | null {
  const counts = thresholdCounts(isPositive, scores);
  if (counts.positives === 0 || counts.negatives === 0) return null;
  // Intermediate points are dropped before the start (0, 0) is added, as scikit-learn does.
  const { fps, tps, thresholds } = counts;
  const kept = fps.flatMap((_, i) => (i === 0 || i === fps.length - 1
    || fps[i - 1]! - 2 * fps[i]! + fps[i + 1]! !== 0 || tps[i - 1]! - 2 * tps[i]! + tps[i + 1]! !== 0 ? [i] : []));
  const points = [
    { x: 0, y: 0, threshold: aboveAll(thresholds) },
    ...kept.map((i) => ({ x: fps[i]! / counts.negatives, y: tps[i]! / counts.positives, threshold: thresholds[i]! })),
  ];
  let auc = 0;
  for (let i = 1; i < points.length; i++) auc += ((points[i]!.x - points[i - 1]!.x) * (points[i]!.y + points[i - 1]!.y)) / 2;
  return { points, auc };
}

/**
 * The precision–recall curve (x = recall, y = precision) at every distinct score from the
 * lowest up, ending at (recall 0, precision 1) where nothing is predicted positive — as
 * scikit-learn's `precision_recall_curve` gives it — and the average precision the way
 * scikit-learn defines it: step-wise, not interpolated, AP = Σₙ (Rₙ − Rₙ₋₁) · Pₙ over the
 * thresholds from the highest down. Null when the data has no positives.
 */
export function precisionRecallCurve(isPositive: ArrayLike<boolean>, scores: ArrayLike<number>): { points: CurvePoint[]; averagePrecision: number } | null {
  const counts = thresholdCounts(isPositive, scores);
  if (counts.positives === 0) return null;
  const descending = counts.thresholds.map((threshold, i) => ({
    x: counts.tps[i]! / counts.positives,
    y: counts.tps[i]! / (counts.tps[i]! + counts.fps[i]!),
    threshold,
  }));
  let averagePrecision = 0;
  let lastRecall = 0;
  for (const p of descending) {
    averagePrecision += (p.x - lastRecall) * p.y;
    lastRecall = p.x;
  }
  const points = [...descending].reverse();
  points.push({ x: 0, y: 1, threshold: aboveAll(counts.thresholds) });
  return { points, averagePrecision };
}
