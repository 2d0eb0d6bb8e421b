import path from 'node:path';
import type * as tfType from '@tensorflow/tfjs';
import {
  EvaluationSourceSchema, type ClassificationEvaluation, type Evaluation, type EvaluationExample, type EvaluationSource, type RegressionEvaluation,
} from '../../../src-shared/contract/evaluation.ts';
import { formatShape } from '../../../src-shared/spec/model-spec.ts';
import { mapWithConcurrency } from '../../data/map-with-concurrency.ts';
import { StrataError } from '../../strata-error.ts';
import { loadRunModel, type RunModel } from '../run-model.ts';
import { crossEntropyPerSample } from '../train/compile-for-training.ts';
import { readRunRecord } from '../train/run-store.ts';
import {
  argMax, confusionMatrix, macroF1, perClassMetrics, precisionRecallCurve, reportedTopK, rocCurve, topKAccuracy, type CurvePoint,
} from './classification-metrics.ts';
import { runTargets } from './encode-with-run.ts';
import { evaluationSet, type EvaluationSet } from './evaluation-set.ts';
import { readSavedEvaluation, saveEvaluation } from './evaluation-store.ts';
import { evenlySpaced, histogram, regressionErrors } from './regression-metrics.ts';
import { absolutePath } from '../../data/image-folder/list-image-folder.ts';
import { previewReader } from './sample-preview.ts';

/** Samples per forward pass: large enough to keep the engine busy, small enough for any model's activations. */
const BATCH_SIZE = 256;
/** Curve and scatter points kept for drawing; the metrics themselves use every sample. */
const MAX_CURVE_POINTS = 1000;
const MAX_SCATTER_POINTS = 2000;

/**
 * Evaluates a run's latest checkpoint on one of its splits or on other data prepared the
 * run's way: accuracy, loss, top-k, per-class precision/recall/F1, the confusion matrix and
 * (two classes) ROC and precision–recall curves — or, for regression, errors in the data's
 * own units. Saves the result under `<runDir>/evaluations/` (see evaluation-store.ts).
 * Throws StrataError: NOT_A_RUN, NO_CHECKPOINT, EMPTY_SPLIT, UNKNOWN_CLASSES, EMPTY_DATA,
 * NOT_SUPPORTED, or the data import's own errors (NOT_FOUND, NO_SUCH_COLUMN, …).
 */
export async function evaluateRun(runDir: string, source: EvaluationSource): Promise<Evaluation> {
  const startedAt = performance.now();
  const parsed = EvaluationSourceSchema.parse(source);
  // An absolute path: the saved evaluation must say which data it was, whatever the caller's folder.
  const resolved: EvaluationSource = parsed.kind === 'data' ? { kind: 'data', path: path.resolve(parsed.path) } : parsed;
  const run = await loadRunModel(runDir);
  const set = await evaluationSet(run.record, resolved);
  let evaluation: Evaluation;
  let probabilities: number[][] = [];
  try {
    checkInputShape(run, set);
    const common = { runId: run.record.runId, source: resolved, sourceLine: set.sourceLine, dataKind: set.dataKind, count: set.count };
    if (runTargets(run.record).type === 'classes') {
      const result = await classify(run, set);
      probabilities = result.probabilities;
      evaluation = { task: 'classification', ...common, ...result.metrics, seconds: 0 };
    } else {
      evaluation = { task: 'regression', ...common, ...(await regress(run, set)), seconds: 0 };
    }
  } finally {
    set.close();
  }
  evaluation.seconds = (performance.now() - startedAt) / 1000;
  saveEvaluation(run.runDir, resolved, evaluation, { runId: run.record.runId, checkpointEpoch: run.record.checkpointEpoch, root: set.root, probabilities });
  return evaluation;
}

/**
 * The examples behind one confusion-matrix cell (or a row or column of it, leaving `actual`
 * or `predicted` out), most confident first, with every class's probability and a preview.
 * Read from the saved evaluation; evaluated first when there is none for the run's current
 * checkpoint.
 */
export async function evaluationExamples(
  runDir: string, source: EvaluationSource, query: { actual?: number; predicted?: number; limit: number },
): Promise<EvaluationExample[]> {
  if (!Number.isInteger(query.limit) || query.limit < 1) throw new StrataError('BAD_LIMIT', `limit must be a whole number ≥ 1, not ${query.limit}.`);
  const dir = path.resolve(runDir);
  const record = readRunRecord(dir);
  let saved = readSavedEvaluation(dir, source);
  if (!saved || saved.details.runId !== record.runId || saved.details.checkpointEpoch !== record.checkpointEpoch) {
    await evaluateRun(dir, source);
    saved = readSavedEvaluation(dir, source)!;
  }
  const { evaluation, details } = saved;
  if (evaluation.task !== 'classification') {
    throw new StrataError('NOT_CLASSIFICATION', `The run ${record.runId} predicts numbers (${evaluation.columns.map((c) => c.name).join(', ')}); examples by confusion cell are for classifiers. Its evaluation has predicted-vs-actual points instead.`);
  }
  for (const [name, value] of [['actual', query.actual], ['predicted', query.predicted]] as const) {
    if (value !== undefined && !(Number.isInteger(value) && value >= 0 && value < evaluation.classes.length)) {
      throw new StrataError('NO_SUCH_CLASS', `There is no class ${value} (${name}); the run's classes are 0–${evaluation.classes.length - 1}: ${evaluation.classes.join(', ')}.`);
    }
  }
  const picked = evaluation.samples
    .filter((s) => (query.actual === undefined || s.actual === query.actual) && (query.predicted === undefined || s.predicted === query.predicted))
    .sort((a, b) => b.confidence - a.confidence || a.index - b.index)
    .slice(0, query.limit);
  const preview = await previewReader(record, details.root);
  return mapWithConcurrency(picked, 8, async (s) => ({
    index: s.index, id: s.id, actual: evaluation.classes[s.actual]!, predicted: evaluation.classes[s.predicted]!,
    probabilities: details.probabilities[s.index] ?? [], preview: await preview(s.id),
    // Image examples name their file, so the window can ask for each one's saliency.
    file: record.data.kind === 'image-folder' ? absolutePath(details.root, s.id) : null,
  }));
}

/** A model whose Input differs from the prepared samples would fail deep in tfjs; say which is which. */
function checkInputShape(run: RunModel, set: EvaluationSet): void {
  const expected = run.model.inputs[0]!.shape.slice(1);
  if (expected.join() !== set.sampleShape.join()) {
    throw new StrataError('INPUT_SHAPE_MISMATCH', `The run's model takes inputs of shape ${formatShape(expected)} but the evaluated samples are ${formatShape(set.sampleShape)}; evaluate it on data prepared like its training data.`);
  }
}

/** Feeds the set through the model in batches; `take` reads each batch's output inside a tidy. */
async function forEachBatch(run: RunModel, set: EvaluationSet, take: (output: tfType.Tensor, from: number, n: number) => void): Promise<void> {
  const { tf, model } = run;
  const size = set.x.sampleSize;
  const buffer = new Float32Array(Math.min(BATCH_SIZE, set.count) * size);
  for (let from = 0; from < set.count; from += BATCH_SIZE) {
    const n = Math.min(BATCH_SIZE, set.count - from);
    const indices = Int32Array.from({ length: n }, (_, i) => from + i);
    set.x.gather(indices, buffer);
    tf.tidy(() => take(model.predict(tf.tensor(buffer.subarray(0, n * size), [n, ...set.sampleShape], 'float32')) as tfType.Tensor, from, n));
    // Let a stop request or another message in between batches of a large set.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Whether the model ends in softmax (probabilities) or gives logits, as training decided. */
function outputIsProbabilities(run: RunModel): boolean {
  return run.record.spec.config.layers.find((l) => l.name === run.model.outputNames[0])?.config.activation === 'softmax';
}

type ClassificationMetrics = Omit<ClassificationEvaluation, 'task' | 'runId' | 'source' | 'sourceLine' | 'dataKind' | 'count' | 'seconds'>;

async function classify(run: RunModel, set: EvaluationSet): Promise<{ metrics: ClassificationMetrics; probabilities: number[][] }> {
  const { tf, record } = run;
  const classes = record.classes;
  const actual = set.y as Int32Array;
  const softmax = outputIsProbabilities(run);
  const probabilities: number[][] = [];
  let lossSum = 0;
  await forEachBatch(run, set, (output, from, n) => {
    const yTrue = tf.oneHot(tf.tensor1d(actual.subarray(from, from + n), 'int32'), classes.length).toFloat();
    // The loss training reports: cross-entropy on probabilities or through softmax on logits.
    lossSum += tf.sum(crossEntropyPerSample(tf, yTrue, output, softmax)).dataSync()[0]!;
    const probs = (softmax ? output : tf.softmax(output)).dataSync();
    for (let i = 0; i < n; i++) probabilities.push(Array.from(probs.subarray(i * classes.length, (i + 1) * classes.length)));
  });
  const predicted = Int32Array.from(probabilities, argMax);
  const confusion = confusionMatrix(actual, predicted, classes.length);
  const perClass = perClassMetrics(confusion);
  const correct = confusion.reduce((sum, row, c) => sum + row[c]!, 0);
  const metrics: ClassificationMetrics = {
    classes,
    accuracy: correct / set.count,
    loss: lossSum / set.count,
    topK: reportedTopK(classes.length).map((k) => ({ k, accuracy: topKAccuracy(probabilities, actual, k) })),
    perClass: perClass.map((m, c) => ({ name: classes[c]!, ...m })),
    macroF1: macroF1(perClass),
    confusion,
    samples: probabilities.map((p, index) => ({ index, id: set.ids[index]!, actual: actual[index]!, predicted: predicted[index]!, confidence: p[predicted[index]!]! })),
    binary: classes.length === 2 ? binaryCurves(classes[1]!, actual, probabilities) : null,
  };
  return { metrics, probabilities };
}

/** ROC and precision–recall for the second class; null when the data lacks one of the two classes. */
function binaryCurves(positiveClass: string, actual: Int32Array, probabilities: readonly number[][]): ClassificationEvaluation['binary'] {
  const isPositive = Array.from(actual, (c) => c === 1);
  const scores = probabilities.map((p) => p[1]!);
  const roc = rocCurve(isPositive, scores);
  const pr = precisionRecallCurve(isPositive, scores);
  if (!roc || !pr) return null;
  return { positiveClass, roc: thin(roc.points), auc: roc.auc, pr: thin(pr.points), averagePrecision: pr.averagePrecision };
}

/** A long curve cut to MAX_CURVE_POINTS for drawing, keeping both ends. */
function thin(points: CurvePoint[]): CurvePoint[] {
  if (points.length <= MAX_CURVE_POINTS) return points;
  return [...evenlySpaced(points.length - 1, MAX_CURVE_POINTS - 1).map((i) => points[i]!), points.at(-1)!];
}

type RegressionMetrics = Pick<RegressionEvaluation, 'columns' | 'points' | 'residualHistogram'>;

async function regress(run: RunModel, set: EvaluationSet): Promise<RegressionMetrics> {
  const targets = runTargets(run.record);
  if (targets.type !== 'regression') throw new Error('regress: not a regression run');
  const k = targets.columns.length;
  const predicted = new Float64Array(set.count * k);
  await forEachBatch(run, set, (output, from, n) => {
    const values = output.dataSync();
    // The model predicts standardised values; the run's own mean and deviation turn them back.
    for (let i = 0; i < n * k; i++) predicted[from * k + i] = values[i]! * targets.std[i % k]! + targets.mean[i % k]!;
  });
  const actual = set.y as Float64Array;
  const column = (values: Float64Array, j: number) => Float64Array.from({ length: set.count }, (_, i) => values[i * k + j]!);
  const columns = targets.columns.map((name, j) => ({ name, ...regressionErrors(column(actual, j), column(predicted, j)) }));
  const first = { actual: column(actual, 0), predicted: column(predicted, 0) };
  return {
    columns,
    points: evenlySpaced(set.count, MAX_SCATTER_POINTS).map((i) => ({ index: i, id: set.ids[i]!, actual: first.actual[i]!, predicted: first.predicted[i]! })),
    residualHistogram: histogram(first.predicted.map((p, i) => p - first.actual[i]!)),
  };
}
