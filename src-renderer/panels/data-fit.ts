import type { GraphAnalysis } from '../../src-shared/graph/graph-analysis.ts';
import type { ModelSpec } from '../../src-shared/spec/model-spec.ts';
import type { DataNeeds } from '../state/data-needs.ts';

/**
 * How well the model fits the chosen data: what the Input should be, and whether the
 * output layer has one unit per class (or per value to predict) with a fitting activation.
 * Pure, so the data panel's offers are testable.
 */
export interface DataFit {
  /** The Input layer to resize, if there is exactly one obvious one. */
  inputLayer: string | null;
  inputShape: readonly number[] | null;
  /** The shape the data's samples have; null until it is known. */
  wantedShape: readonly number[] | null;
  inputMatches: boolean;
  /** The Dense layer that ends the model, when it does end in one. */
  outputDense: string | null;
  outputUnits: number | null;
  /** Units the data asks for (classes, or values to predict); null until known. */
  classes: number | null;
  unitsMatch: boolean;
  /** Regression ending in softmax/sigmoid (which cannot output arbitrary numbers): the activation to set instead. */
  activationFix: string | null;
}

export function dataFit(spec: ModelSpec, analysis: GraphAnalysis, needs: DataNeeds): DataFit {
  const inputs = spec.config.layers.filter((l) => l.class_name === 'Input');
  const input = inputs[0];
  const rawShape = input?.config.shape;
  const inputShape = Array.isArray(rawShape) && rawShape.every((d) => typeof d === 'number') ? (rawShape as number[]) : null;
  const outName = analysis.outputs.length === 1 ? analysis.outputs[0] : undefined;
  const outLayer = outName ? spec.config.layers.find((l) => l.name === outName) : undefined;
  const dense = outLayer?.class_name === 'Dense' ? outLayer : undefined;
  const units = typeof dense?.config.units === 'number' ? dense.config.units : null;
  const activation = dense?.config.activation;
  const regressionMismatch = needs.task === 'regression' && (activation === 'softmax' || activation === 'sigmoid');
  return {
    inputLayer: input?.name ?? null,
    inputShape,
    wantedShape: needs.inputShape,
    inputMatches: inputShape !== null && needs.inputShape !== null && sameShape(inputShape, needs.inputShape),
    outputDense: dense?.name ?? null,
    outputUnits: units,
    classes: needs.outputs,
    unitsMatch: needs.outputs === null || units === null || units === needs.outputs,
    activationFix: regressionMismatch ? 'linear' : null,
  };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
