import { analyzeGraph } from '../../../../src-shared/graph/analyze-graph.ts';
import type { ModelSpec } from '../../../../src-shared/spec/model-spec.ts';

/**
 * Where an Embedding's padding mask (mask_zero: ids ≠ 0) goes in tfjs' predict, so the
 * ONNX export can apply it where tfjs does. tfjs-layers' executor (engine/executor.ts)
 * hands each layer the mask of its first input and keeps a layer's output mask only when
 * the layer supportsMasking; the recurrent layers are the only catalog kinds that act on
 * it: a masked step leaves the state and the output as they were.
 */

const RECURRENT = new Set(['SimpleRNN', 'LSTM', 'GRU', 'Bidirectional']);
/** Kinds whose tfjs layer supportsMasking and passes the mask on unchanged. */
const PASS_THROUGH = new Set(['Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'Activation', 'BatchNormalization', 'LayerNormalization', 'Dense']);
/** tfjs' Merge.computeMask combines masks in its own way (with an expandDims and an off-by-one loop). */
const MERGES = new Set(['Add', 'Multiply', 'Average', 'Maximum', 'Concatenate']);

export interface MaskFlow {
  /** Recurrent layer → the Embedding whose ids mask its steps. */
  applied: Map<string, string>;
  /** Layers where tfjs' masking cannot be repeated, and why. */
  problems: Array<{ layer: string; className: string; why: string }>;
}

function returnsSequences(className: string, config: Record<string, unknown>): boolean {
  if (className === 'Bidirectional') {
    const inner = (config.layer as { config?: Record<string, unknown> } | undefined)?.config;
    return inner?.return_sequences === true;
  }
  return config.return_sequences === true;
}

/** Follows every mask_zero Embedding's mask through a flat spec in topological order. */
export function paddingMaskFlow(spec: ModelSpec): MaskFlow {
  const layers = spec.config.layers;
  const flow: MaskFlow = { applied: new Map(), problems: [] };
  if (!layers.some((l) => l.class_name === 'Embedding' && l.config.mask_zero === true)) return flow;
  const byName = new Map(layers.map((l) => [l.name, l]));
  const analysis = analyzeGraph(spec);
  const steps = (name: string, input: 'in' | 'out') => {
    const node = analysis.nodes[name];
    return (input === 'in' ? node?.inputShapes[0] : node?.outputShape)?.[0] ?? null;
  };
  const carried = new Map<string, string>(); // layer → the Embedding whose mask its output carries
  // tfjs' executor keeps the last mask it handed a layer in the kwargs it passes to every
  // later layer, so a recurrent layer after a mask-dropping one (a Conv1D, say) is still
  // masked. Strata repeats that (on a branched graph tfjs may order layers differently;
  // the export's parity check would then say so).
  let handedOn: string | null = null;
  for (const name of analysis.order) {
    const layer = byName.get(name);
    if (!layer) continue;
    const masks = layer.inbound.map((from) => carried.get(from) ?? null);
    if (masks.some((m) => m !== null)) handedOn = masks[0] ?? null;
    const own = masks[0] ?? null;
    if (layer.class_name === 'Embedding' && layer.config.mask_zero === true) {
      carried.set(name, name);
    } else if (MERGES.has(layer.class_name) && masks.some((m) => m !== null)) {
      const from = masks.find((m) => m !== null)!;
      flow.problems.push({ layer: name, className: layer.class_name, why: `it merges the padding mask of ${from} (mask_zero) in tfjs' own way, which the ONNX export does not repeat; set mask_zero of ${from} to false and train again to export` });
    } else if (RECURRENT.has(layer.class_name) && handedOn) {
      const mask = own ?? handedOn;
      if (steps(name, 'in') !== steps(mask, 'out')) {
        flow.problems.push({ layer: name, className: layer.class_name, why: `tfjs hands it the padding mask of ${mask} (mask_zero, ${steps(mask, 'out')} steps) though it reads ${steps(name, 'in')} steps, which the ONNX export cannot repeat; set mask_zero of ${mask} to false and train again to export` });
      } else {
        flow.applied.set(name, mask);
        // RNN.computeMask passes on the mask of its own input only.
        if (own && returnsSequences(layer.class_name, layer.config)) carried.set(name, own);
      }
    } else if (PASS_THROUGH.has(layer.class_name) && own) {
      carried.set(name, own);
    }
  }
  return flow;
}
