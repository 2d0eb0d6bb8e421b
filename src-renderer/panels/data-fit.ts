import type { ImageDataConfig } from '../../src-shared/contract/project.ts';
import type { GraphAnalysis } from '../../src-shared/graph/graph-analysis.ts';
import type { ModelSpec } from '../../src-shared/spec/model-spec.ts';

/**
 * How well the model fits the chosen data: what the Input should be, and whether the
 * output layer has one unit per class. Pure, so the data panel's offers are testable.
 */
export interface DataFit {
  /** The Input layer to resize, if there is exactly one obvious one. */
  inputLayer: string | null;
  inputShape: readonly number[] | null;
  wantedShape: [number, number, number];
  inputMatches: boolean;
  /** The Dense layer that ends the model, when it does end in one. */
  outputDense: string | null;
  outputUnits: number | null;
  classes: number | null;
  unitsMatch: boolean;
}

export function dataFit(spec: ModelSpec, analysis: GraphAnalysis, data: ImageDataConfig, classCount: number | null): DataFit {
  const inputs = spec.config.layers.filter((l) => l.class_name === 'Input');
  const input = inputs[0];
  const rawShape = input?.config.shape;
  const inputShape = Array.isArray(rawShape) && rawShape.every((d) => typeof d === 'number') ? (rawShape as number[]) : null;
  const wantedShape: [number, number, number] = [data.imageSize[0], data.imageSize[1], data.channels];
  const outName = analysis.outputs.length === 1 ? analysis.outputs[0] : undefined;
  const outLayer = outName ? spec.config.layers.find((l) => l.name === outName) : undefined;
  const dense = outLayer?.class_name === 'Dense' ? outLayer : undefined;
  const units = typeof dense?.config.units === 'number' ? dense.config.units : null;
  return {
    inputLayer: input?.name ?? null,
    inputShape,
    wantedShape,
    inputMatches: inputShape !== null && sameShape(inputShape, wantedShape),
    outputDense: dense?.name ?? null,
    outputUnits: units,
    classes: classCount,
    unitsMatch: classCount === null || units === null || units === classCount,
  };
}

function sameShape(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}
