import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../../src-shared/util/seeded-random.ts';
import {
  argMax, confusionMatrix, macroF1, perClassMetrics, precisionRecallCurve, reportedTopK, rocCurve, topKAccuracy,
} from './classification-metrics.ts';
import { evenlySpaced, histogram, regressionErrors } from './regression-metrics.ts';

const xs = (points: { x: number }[]) => points.map((p) => p.x);
const ys = (points: { y: number }[]) => points.map((p) => p.y);

describe('confusion matrix and per-class metrics', () => {
  // actual   0 0 1 1 2 2
  // predicted 0 1 1 1 0 2
  const confusion = confusionMatrix([0, 0, 1, 1, 2, 2], [0, 1, 1, 1, 0, 2], 3);

  it('counts confusion[actual][predicted]', () => {
    expect(confusion).toEqual([[1, 1, 0], [0, 2, 0], [1, 0, 1]]);
  });

  it('gives precision, recall and F1 per class, and their macro mean (sklearn: 0.6556)', () => {
    const m = perClassMetrics(confusion);
    expect(m.map((c) => c.support)).toEqual([2, 2, 2]);
    expect(m[0]).toMatchObject({ precision: 0.5, recall: 0.5, f1: 0.5 });
    expect(m[1]!.precision).toBeCloseTo(2 / 3, 12);
    expect(m[1]).toMatchObject({ recall: 1, f1: 0.8 });
    expect(m[2]).toMatchObject({ precision: 1, recall: 0.5 });
    expect(m[2]!.f1).toBeCloseTo(2 / 3, 12);
    expect(macroF1(m)).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 12);
  });

  it('leaves precision undefined for a class never predicted, and everything for a class that never occurs', () => {
    const m = perClassMetrics(confusionMatrix([0, 1, 2], [0, 1, 1], 4));
    expect(m[2]).toEqual({ precision: null, recall: 0, f1: 0, support: 1 });
    expect(m[3]).toEqual({ precision: null, recall: null, f1: null, support: 0 });
    // Class 3 occurs nowhere, so it is not averaged (sklearn's labels present); class 2 counts as 0.
    expect(macroF1(m)).toBeCloseTo((1 + 2 / 3 + 0) / 3, 12);
  });
});

describe('top-k accuracy', () => {
  const probabilities = [[0.5, 0.3, 0.2], [0.1, 0.2, 0.7], [0.4, 0.4, 0.2]];
  const actual = [1, 2, 1];

  it('counts the true class among the k most probable, ranking a tie as argMax does', () => {
    expect(topKAccuracy(probabilities, actual, 1)).toBeCloseTo(1 / 3, 12);
    expect(topKAccuracy(probabilities, actual, 2)).toBe(1);
    // Top-1 is exactly the accuracy of argMax, ties included.
    const accuracy = probabilities.filter((p, i) => argMax(p) === actual[i]).length / probabilities.length;
    expect(topKAccuracy(probabilities, actual, 1)).toBe(accuracy);
  });

  it('reports k values below the class count', () => {
    expect(reportedTopK(2)).toEqual([1]);
    expect(reportedTopK(3)).toEqual([1, 2]);
    expect(reportedTopK(10)).toEqual([1, 2, 3, 5]);
  });
});

describe('ROC curve and AUC', () => {
  it('matches scikit-learn\'s roc_curve example (y = [1,1,2,2], scores [0.1,0.4,0.35,0.8]): AUC 0.75', () => {
    const roc = rocCurve([false, false, true, true], [0.1, 0.4, 0.35, 0.8])!;
    expect(xs(roc.points)).toEqual([0, 0, 0.5, 0.5, 1]);
    expect(ys(roc.points)).toEqual([0, 0.5, 0.5, 1, 1]);
    expect(roc.points.map((p) => p.threshold)).toEqual([1.8, 0.8, 0.4, 0.35, 0.1]);
    expect(roc.auc).toBe(0.75);
  });

  it('drops the middle of straight runs as scikit-learn does (a perfect ranking: fpr [0,0,0,1], tpr [0,⅓,1,1])', () => {
    const roc = rocCurve([false, false, false, true, true, true], [0.1, 0.2, 0.3, 0.7, 0.8, 0.9])!;
    expect(xs(roc.points)).toEqual([0, 0, 0, 1]);
    expect(ys(roc.points)).toEqual([0, 1 / 3, 1, 1]);
    expect(roc.auc).toBe(1);
  });

  it('counts tied scores together (one threshold) and is null without both classes', () => {
    expect(rocCurve([false, true], [0.5, 0.5])!.auc).toBe(0.5);
    expect(rocCurve([true, true], [0.2, 0.9])).toBeNull();
    expect(rocCurve([false, false], [0.2, 0.9])).toBeNull();
  });

  it('equals the chance that a random positive outscores a random negative (ties half)', () => {
    const r = seededRandom(9);
    const labels = Array.from({ length: 300 }, () => r() < 0.4);
    // Scores rounded to 2 decimals, so there are many ties.
    const scores = labels.map((pos) => Math.round((r() * 0.7 + (pos ? 0.3 : 0)) * 100) / 100);
    let wins = 0;
    let pairs = 0;
    labels.forEach((pi, i) => labels.forEach((pj, j) => {
      if (!pi || pj) return;
      pairs++;
      wins += scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0;
    }));
    expect(rocCurve(labels, scores)!.auc).toBeCloseTo(wins / pairs, 12);
  });
});

describe('precision–recall curve and average precision', () => {
  it('matches scikit-learn\'s precision_recall_curve example: AP 0.8333', () => {
    const pr = precisionRecallCurve([false, false, true, true], [0.1, 0.4, 0.35, 0.8])!;
    expect(ys(pr.points).map((v) => Number(v.toFixed(8)))).toEqual([0.5, 0.66666667, 0.5, 1, 1]);
    expect(xs(pr.points)).toEqual([1, 1, 0.5, 0.5, 0]);
    expect(pr.points.slice(0, -1).map((p) => p.threshold)).toEqual([0.1, 0.35, 0.4, 0.8]);
    expect(pr.averagePrecision).toBeCloseTo(0.5 * 1 + 0.5 * (2 / 3), 12); // 0.8333…
  });

  it('is step-wise (not interpolated) and null without positives', () => {
    // Ranked − + +: precision 0.5 at recall 0.5, then 2/3 at recall 1. Step-wise AP = 0.5·0.5 + 0.5·⅔ = 0.5833;
    // interpolating (the best precision at any higher recall) would give ⅔.
    expect(precisionRecallCurve([false, true, true], [0.9, 0.8, 0.7])!.averagePrecision).toBeCloseTo(0.5 * 0.5 + 0.5 * (2 / 3), 12);
    expect(precisionRecallCurve([false, false], [0.1, 0.2])).toBeNull();
  });
});

describe('regression metrics', () => {
  it('matches scikit-learn\'s examples (y = [3,-0.5,2,7], ŷ = [2.5,0,2,8]): MSE 0.375, MAE 0.5, R² 0.9486', () => {
    const e = regressionErrors([3, -0.5, 2, 7], [2.5, 0, 2, 8]);
    expect(e.mse).toBeCloseTo(0.375, 12);
    expect(e.mae).toBeCloseTo(0.5, 12);
    expect(e.r2).toBeCloseTo(0.9486081370449679, 12);
  });

  it('gives R² 1 for a perfect fit of constant values and 0 otherwise (sklearn\'s force_finite)', () => {
    expect(regressionErrors([2, 2], [2, 2]).r2).toBe(1);
    expect(regressionErrors([2, 2], [1, 3]).r2).toBe(0);
  });

  it('bins residuals into equal widths, the last bin closed', () => {
    expect(histogram([0, 1, 2, 3, 4], 4)).toEqual([
      { from: 0, to: 1, count: 1 }, { from: 1, to: 2, count: 1 }, { from: 2, to: 3, count: 1 }, { from: 3, to: 4, count: 2 },
    ]);
    expect(histogram([5, 5, 5])).toEqual([{ from: 5, to: 5, count: 3 }]);
    expect(histogram([])).toEqual([]);
  });

  it('picks evenly spaced points', () => {
    expect(evenlySpaced(10, 4)).toEqual([0, 2, 5, 7]);
    expect(evenlySpaced(3, 4)).toEqual([0, 1, 2]);
  });
});
