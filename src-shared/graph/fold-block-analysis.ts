import type { ModelSpec } from '../spec/model-spec.ts';
import type { GraphAnalysis, NodeAnalysis } from './graph-analysis.ts';
import { isBlockInstance } from './graph-blocks.ts';

/**
 * The analysis of a flattened spec, seen from the spec with its blocks collapsed: each
 * block instance becomes one node carrying its input and output shapes, the sum of its
 * inner parameters, FLOPs and activation memory, and every inner problem (named by the
 * inner layer, without fix-its: those apply to the expanded block).
 */
export function foldBlocks(spec: ModelSpec, flatSpec: ModelSpec, flat: GraphAnalysis): GraphAnalysis {
  const inboundOf = new Map(flatSpec.config.layers.map((l) => [l.name, l.inbound]));
  const owners = new Map<string, string>(); // flat name → top-level name
  const instances = spec.config.layers.filter(isBlockInstance).map((l) => l.name);
  for (const name of Object.keys(flat.nodes)) {
    const owner = instances.find((i) => name.startsWith(`${i}__`));
    owners.set(name, owner ?? name);
  }
  const ownerOf = (name: string): string => owners.get(name) ?? name;
  const nodes: Record<string, NodeAnalysis> = {};
  for (const layer of spec.config.layers) {
    if (!isBlockInstance(layer) || flat.nodes[layer.name]) {
      const own = flat.nodes[layer.name];
      if (own) nodes[layer.name] = { ...own, issues: own.issues.map((i) => ({ ...i })) };
      continue;
    }
    const inner = Object.values(flat.nodes).filter((n) => ownerOf(n.name) === layer.name);
    const consumedInside = new Set(inner.flatMap((n) => (inboundOf.get(n.name) ?? []).filter((from) => ownerOf(from) === layer.name)));
    const sinks = inner.filter((n) => !consumedInside.has(n.name));
    const out = sinks.length === 1 ? sinks[0]! : inner.at(-1);
    const sum = (pick: (n: NodeAnalysis) => number | null): number | null =>
      inner.some((n) => pick(n) === null) ? null : inner.reduce((s, n) => s + (pick(n) ?? 0), 0);
    const trainable = sum((n) => n.params?.trainable ?? null);
    const nonTrainable = sum((n) => n.params?.nonTrainable ?? null);
    const input = layer.inbound[0];
    nodes[layer.name] = {
      name: layer.name,
      className: layer.class_name,
      inputShapes: input && flat.nodes[input]?.outputShape ? [flat.nodes[input]!.outputShape!] : [],
      outputShape: out?.outputShape ?? null,
      params: trainable === null || nonTrainable === null ? null : { trainable, nonTrainable },
      flops: sum((n) => n.flops),
      activationBytes: sum((n) => n.activationBytes),
      issues: inner.flatMap((n) => n.issues.map(({ fix: _fix, ...i }) => ({ ...i, layer: layer.name, message: `inside the block, ${n.name.slice(layer.name.length + 2)}: ${i.message}` }))),
    };
  }
  const unique = (names: readonly string[]) => [...new Set(names.map(ownerOf))];
  const issues = [...Object.values(nodes).flatMap((n) => n.issues), ...flat.issues.filter((i) => i.layer === undefined)];
  return {
    nodes,
    order: unique(flat.order),
    inputs: unique(flat.inputs),
    outputs: unique(flat.outputs),
    totals: flat.totals.layers === 0 ? flat.totals : { ...flat.totals, layers: spec.config.layers.length },
    issues,
    valid: flat.valid,
  };
}

