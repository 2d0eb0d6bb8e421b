import type * as tfType from '@tensorflow/tfjs';
import type { z } from 'zod';
import type { Tf } from '../backend/load-engine-backend.ts';

/** One spec layer turned into tfjs: the symbolic output of the named layer applied to its inputs. */
export interface LayerBuildContext {
  /** The spec's layer name; the tfjs layer gets the same one so weights and Grad-CAM find it. */
  name: string;
  /** The layer's raw config from the spec; each builder parses it with its kind's schema. */
  config: Record<string, unknown>;
  /** Outputs of the inbound layers, in inbound order. */
  inputs: readonly tfType.SymbolicTensor[];
}

export type LayerBuilder = (tf: Tf, context: LayerBuildContext) => tfType.SymbolicTensor;

type Apply = (layer: tfType.layers.Layer) => tfType.SymbolicTensor;

/**
 * Wraps a typed build step: parses the config with the same schema the analysis used (so
 * defaults fill in identically) and applies the layer to one input or to the list a merge
 * takes.
 */
export function builder<P>(
  schema: z.ZodType<P>,
  build: (tf: Tf, name: string, params: P, apply: Apply, inputs: readonly tfType.SymbolicTensor[]) => tfType.SymbolicTensor,
): LayerBuilder {
  return (tf, { name, config, inputs }) => {
    const params = schema.parse(config);
    const apply: Apply = (layer) => {
      const out = layer.apply(inputs.length === 1 ? (inputs[0] as tfType.SymbolicTensor) : [...inputs]);
      if (Array.isArray(out) || !(out instanceof tf.SymbolicTensor)) throw new Error(`${name} did not produce one symbolic output`);
      return out;
    };
    return build(tf, name, params, apply, inputs);
  };
}
