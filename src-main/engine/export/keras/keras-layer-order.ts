import type { LayerSpec } from '../../../../src-shared/spec/model-spec.ts';

/**
 * Keras 3 stores a model's weights by position, not by layer name: `model.weights.h5` has
 * `layers/<snake_case(ClassName)>[_n]/vars/<i>`, numbered in the order of `model.layers`
 * (keras/src/saving/saving_lib.py, _save_container_state). That order is what Keras'
 * map_graph (keras/src/ops/function.py) computes when it rebuilds the functional model
 * from config.json, so the exporter must compute the same order to put each layer's
 * weights where Keras will look for them. This is a port of that algorithm for graphs
 * whose layers are each called once (a Strata spec never shares a layer).
 */

/** Keras' naming.to_snake_case: "Conv2DTranspose" → "conv2d_transpose", "LeakyReLU" → "leaky_re_lu". */
export function kerasSnakeCase(className: string): string {
  return className
    .replace(/\W+/g, '')
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/**
 * The model's layers in Keras' `model.layers` order: by decreasing depth (distance to the
 * output), ties broken by the order a depth-first walk from the outputs first meets them.
 * Layers that do not lead to an output are left out, as Keras leaves them out.
 */
export function kerasLayerOrder(layers: readonly LayerSpec[], inputs: readonly string[], outputs: readonly string[]): string[] {
  const byName = new Map(layers.map((l) => [l.name, l]));
  const traversalIndex = new Map<string, number>();
  const finished = new Set<string>();
  const postOrder: string[] = []; // nodes from the inputs towards the outputs
  const visit = (name: string): void => {
    if (finished.has(name)) return;
    const layer = byName.get(name);
    if (!layer) throw new Error(`Keras layer order: unknown layer ${name}`);
    if (!traversalIndex.has(name)) traversalIndex.set(name, traversalIndex.size);
    for (const from of layer.inbound) visit(from);
    finished.add(name);
    postOrder.push(name);
  };
  for (const output of outputs) visit(output);

  const depth = new Map<string, number>();
  for (const name of [...postOrder].reverse()) {
    const own = depth.get(name) ?? 0;
    depth.set(name, own);
    for (const from of byName.get(name)?.inbound ?? []) depth.set(from, Math.max(own + 1, depth.get(from) ?? 0));
  }
  // An Input no output reads from still belongs to the model (depth 0, before the rest).
  for (const input of inputs) {
    if (!depth.has(input)) {
      depth.set(input, 0);
      traversalIndex.set(input, -1);
    }
  }
  return [...depth.keys()].sort((a, b) => (depth.get(b)! - depth.get(a)!) || (traversalIndex.get(a)! - traversalIndex.get(b)!));
}

/** Each layer's group under `layers/` in model.weights.h5, given the Keras class names in model.layers order. */
export function kerasWeightGroups(ordered: ReadonlyArray<{ name: string; kerasClass: string }>): Map<string, string> {
  const used = new Map<string, number>();
  const groups = new Map<string, string>();
  for (const { name, kerasClass } of ordered) {
    const base = kerasSnakeCase(kerasClass);
    const seen = used.get(base);
    used.set(base, seen === undefined ? 0 : seen + 1);
    groups.set(name, seen === undefined ? base : `${base}_${seen + 1}`);
  }
  return groups;
}
