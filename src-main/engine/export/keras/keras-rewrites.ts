import { analyzeGraph } from '../../../../src-shared/graph/analyze-graph.ts';
import { UpSampling2DParamsSchema } from '../../../../src-shared/layers/resize-pad-crop.ts';
import type { LayerSpec, ModelSpec } from '../../../../src-shared/spec/model-spec.ts';

/**
 * Where a catalog layer means something else in Keras than in tfjs (which trained it), the
 * export writes catalog layers that compute exactly what tfjs computes instead.
 *
 * Bilinear UpSampling2D: tfjs 4.22 resizes with the legacy sampling (output row d reads
 * input row d / s, clamped at the last row), Keras 3 with half-pixel centres ((d + ½) / s −
 * ½); the two differ by up to a tenth of the value range. Legacy linear interpolation by an
 * integer factor s is nearest-neighbour upsampling followed by a box average of s rows
 * (two boxes of width s make the tent of width 2s − 1), provided the last input row is
 * repeated s − 1 more times, as the clamp does. So: UpSampling2D nearest → the last s − 1
 * rows cropped off and concatenated below → the same for columns → AveragePooling2D
 * (s_h × s_w, stride 1, valid). No weights, every layer Keras' own.
 */

export interface KerasRewrite {
  spec: ModelSpec;
  /** Names of the layers the rewrite added (they exist in Keras, not in the tfjs model). */
  added: Set<string>;
  notes: string[];
}

/** The flattened spec with the layers Keras would compute differently replaced. */
export function rewriteForKeras(flat: ModelSpec): KerasRewrite {
  const bilinear = flat.config.layers.filter((l) => l.class_name === 'UpSampling2D' && UpSampling2DParamsSchema.parse(l.config).interpolation === 'bilinear');
  if (bilinear.length === 0) return { spec: flat, added: new Set(), notes: [] };
  const analysis = analyzeGraph(flat);
  const taken = new Set(flat.config.layers.map((l) => l.name));
  const added = new Set<string>();
  const fresh = (base: string): string => {
    let name = base;
    for (let i = 2; taken.has(name); i++) name = `${base}_${i}`;
    taken.add(name);
    added.add(name);
    return name;
  };
  const layers = flat.config.layers.flatMap((layer): LayerSpec[] => {
    if (!bilinear.includes(layer)) return [layer];
    const [h, w] = analysis.nodes[layer.inbound[0] ?? '']?.outputShape ?? [];
    if (typeof h !== 'number' || typeof w !== 'number') return [layer]; // the analysis accepted it, so sizes are known
    return legacyBilinear(layer, h, w, fresh);
  });
  const names = bilinear.map((l) => l.name).join(', ');
  return {
    spec: { ...flat, config: { ...flat.config, layers } },
    added,
    notes: [`Bilinear UpSampling2D (${names}) is written as UpSampling2D nearest + edge rows + AveragePooling2D, which computes tfjs' bilinear sampling exactly; Keras' own bilinear UpSampling2D samples half a pixel differently.`],
  };
}

function legacyBilinear(layer: LayerSpec, h: number, w: number, fresh: (base: string) => string): LayerSpec[] {
  const [sh, sw] = UpSampling2DParamsSchema.parse(layer.config).size;
  // Scaling by 1 copies the image whichever way it samples.
  if (sh === 1 && sw === 1) return [{ ...layer, config: { size: [1, 1], interpolation: 'nearest' } }];
  const out: LayerSpec[] = [];
  const add = (name: string, class_name: string, config: Record<string, unknown>, inbound: string[]): string => {
    out.push({ name, class_name, config, inbound, ...(layer.trainable === false && { trainable: false }) });
    return name;
  };
  let x = add(fresh(`${layer.name}_nearest`), 'UpSampling2D', { size: [sh, sw], interpolation: 'nearest' }, layer.inbound);
  // The clamp at the far edge: the last s − 1 rows (all copies of the last input row) once more.
  if (sh > 1) {
    const edge = add(fresh(`${layer.name}_edge_rows`), 'Cropping2D', { cropping: [[h * sh - (sh - 1), 0], [0, 0]] }, [x]);
    x = add(fresh(`${layer.name}_rows`), 'Concatenate', { axis: 1 }, [x, edge]);
  }
  if (sw > 1) {
    const edge = add(fresh(`${layer.name}_edge_cols`), 'Cropping2D', { cropping: [[0, 0], [w * sw - (sw - 1), 0]] }, [x]);
    x = add(fresh(`${layer.name}_cols`), 'Concatenate', { axis: 2 }, [x, edge]);
  }
  // The last layer keeps the original name, so every layer reading from it still does.
  add(layer.name, 'AveragePooling2D', { pool_size: [sh, sw], strides: [1, 1], padding: 'valid' }, [x]);
  return out;
}
