import type * as tfType from '@tensorflow/tfjs';
import type { GraphAnalysis, NodeAnalysis } from '../../../src-shared/graph/graph-analysis.ts';
import type { Shape } from '../../../src-shared/spec/model-spec.ts';

/**
 * What the engine tests hold side by side: per layer, the output shape (without the batch)
 * and the trainable / non-trainable weight counts, as Strata inferred them and as tfjs built
 * them. Equal records mean the canvas tells the truth about that model.
 */
export interface LayerFacts {
  shape: Shape | null;
  trainable: number | undefined;
  nonTrainable: number | undefined;
}

export function weightCount(weights: readonly tfType.LayerVariable[]): number {
  return weights.reduce((sum, w) => sum + (w.shape as number[]).reduce((a, b) => a * b, 1), 0);
}

export function inferredFacts(node: NodeAnalysis): LayerFacts {
  return { shape: node.outputShape, trainable: node.params?.trainable, nonTrainable: node.params?.nonTrainable };
}

export function builtFacts(layer: tfType.layers.Layer): LayerFacts {
  return {
    shape: (layer.outputShape as (number | null)[]).slice(1),
    trainable: weightCount(layer.trainableWeights),
    nonTrainable: weightCount(layer.nonTrainableWeights),
  };
}

/** Every named layer's inferred and built facts (getLayer by the spec's name also checks the name carried over). */
export function inferredVsBuilt(names: readonly string[], analysis: GraphAnalysis, model: tfType.LayersModel): { inferred: Record<string, LayerFacts>; built: Record<string, LayerFacts> } {
  const inferred: Record<string, LayerFacts> = {};
  const built: Record<string, LayerFacts> = {};
  for (const name of names) {
    inferred[name] = inferredFacts(analysis.nodes[name]!);
    built[name] = builtFacts(model.getLayer(name));
  }
  return { inferred, built };
}
