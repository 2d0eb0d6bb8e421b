import type * as tfType from '@tensorflow/tfjs';
import type { EvaluationSource } from '../../../src-shared/contract/evaluation.ts';
import { PARITY_TARGETS, type ExportFormat, type ParityResult } from '../../../src-shared/contract/export.ts';
import { readAll } from '../../data/loaded-dataset.ts';
import { evaluationSet } from '../evaluate/evaluation-set.ts';
import type { RunModel } from '../run-model.ts';

/** Inputs every export's parity check predicts, and Strata's own outputs for them. */
export interface ParitySamples {
  /** count × the sample shape, row-major, float32 — exactly what the model takes. */
  x: Float32Array;
  /** The model's input shape without the batch axis. */
  sampleShape: number[];
  count: number;
  /** Strata's outputs (the model's raw output layer: probabilities for a softmax head), count × outputs. */
  expected: Float32Array;
  outputs: number;
}

/**
 * Up to `count` samples of the run's validation split (the test split, then the training
 * data's first rows when it is empty), prepared the run's way, with the checkpoint's outputs.
 */
export async function paritySamples(run: RunModel, count = 32): Promise<ParitySamples> {
  const sources: EvaluationSource[] = [{ kind: 'split', split: 'validation' }, { kind: 'split', split: 'test' }];
  for (const source of sources) {
    let set;
    try {
      set = await evaluationSet(run.record, source);
    } catch {
      continue; // an empty split: try the next
    }
    try {
      const n = Math.min(count, set.count);
      if (n === 0) continue;
      const all = readAll(set.x);
      const x = all.slice(0, n * set.x.sampleSize);
      const expected = predictRaw(run, x, [n, ...set.sampleShape]);
      return { x, sampleShape: set.sampleShape, count: n, expected: expected.values, outputs: expected.outputs };
    } finally {
      set.close();
    }
  }
  throw new Error(`The run in ${run.runDir} has no validation or test samples to check an export against.`);
}

/** The model's output layer as it is (no softmax added), for a batch. */
export function predictRaw(run: RunModel, x: Float32Array, shape: number[]): { values: Float32Array; outputs: number } {
  return run.tf.tidy(() => {
    const out = run.model.predict(run.tf.tensor(x, shape, 'float32')) as tfType.Tensor;
    const outputs = out.shape.slice(1).reduce((a, b) => a * b, 1);
    return { values: new Float32Array(out.dataSync()), outputs };
  });
}

/** Compares a runtime's outputs with Strata's: max abs difference, top-class agreement, verdict. */
export function compareOutputs(format: ExportFormat, runtime: string, samples: ParitySamples, actual: ArrayLike<number>): ParityResult {
  const { expected, outputs, count } = samples;
  if (actual.length !== expected.length) {
    return { format, runtime, samples: count, maxAbsDiff: null, argmaxAgreement: 0, passed: false, skipped: null };
  }
  let maxAbsDiff: number | null = 0;
  let agree = 0;
  for (let s = 0; s < count; s++) {
    let bestE = 0;
    let bestA = 0;
    for (let k = 0; k < outputs; k++) {
      const i = s * outputs + k;
      const d = Math.abs(expected[i]! - actual[i]!);
      if (Number.isNaN(d)) maxAbsDiff = null; // a NaN output never passes
      else if (maxAbsDiff !== null && d > maxAbsDiff) maxAbsDiff = d;
      if (expected[i]! > expected[s * outputs + bestE]!) bestE = k;
      if (actual[i]! > actual[s * outputs + bestA]!) bestA = k;
    }
    // One output (regression, or a sigmoid): agreement is the same value to 3 decimals / the same side of 0.5.
    const same = outputs === 1 ? Math.round(expected[s]! * 1000) === Math.round(actual[s]! * 1000) : bestE === bestA;
    if (same) agree += 1;
  }
  const argmaxAgreement = count === 0 ? 0 : agree / count;
  return {
    format, runtime, samples: count, maxAbsDiff, argmaxAgreement, skipped: null,
    passed: maxAbsDiff !== null && maxAbsDiff < PARITY_TARGETS.maxAbsDiff && argmaxAgreement >= PARITY_TARGETS.argmaxAgreement,
  };
}
