import { z } from 'zod';
import { LayerSpecSchema, PositionSchema, type LayerSpec, type ModelSpec, type Position } from '../spec/model-spec.ts';
import { layerBaseName } from './graph-edits.ts';

/**
 * A copied piece of a graph: the selected layers, the edges among them (edges from
 * outside the selection are dropped: a pasted piece starts unconnected), and their places.
 * It is plain JSON, so it also travels through the system clipboard between windows.
 */
export const GraphFragmentSchema = z.object({
  kind: z.literal('strata-graph-fragment'),
  layers: z.array(LayerSpecSchema),
  layout: z.record(z.string(), PositionSchema),
});
export type GraphFragment = z.infer<typeof GraphFragmentSchema>;

/** The layers named (in spec order) with only their inside edges. */
export function copyFragment(spec: ModelSpec, names: readonly string[]): GraphFragment {
  const chosen = new Set(names);
  const layers = spec.config.layers
    .filter((l) => chosen.has(l.name))
    .map((l) => ({ ...l, config: structuredClone(l.config), inbound: l.inbound.filter((from) => chosen.has(from)) }));
  const layout: Record<string, Position> = {};
  for (const l of layers) if (spec.layout[l.name]) layout[l.name] = { ...spec.layout[l.name]! };
  return { kind: 'strata-graph-fragment', layers, layout };
}

/**
 * Adds a fragment to a spec: each layer gets a fresh name (its kind's base name with the
 * next free number, as if dropped from the palette), the inside edges follow the renaming,
 * and every position moves by `offset` so the copy does not hide the original.
 */
export function pasteFragment(spec: ModelSpec, fragment: GraphFragment, offset: Position): { spec: ModelSpec; names: string[] } {
  const taken = new Set(spec.config.layers.map((l) => l.name));
  const rename = new Map<string, string>();
  for (const layer of fragment.layers) {
    const base = layerBaseName(layer.class_name);
    let n = 1;
    while (taken.has(`${base}_${n}`)) n += 1;
    const name = `${base}_${n}`;
    taken.add(name);
    rename.set(layer.name, name);
  }
  const pasted: LayerSpec[] = fragment.layers.map((l) => ({
    ...l,
    name: rename.get(l.name)!,
    config: structuredClone(l.config),
    inbound: l.inbound.filter((from) => rename.has(from)).map((from) => rename.get(from)!),
  }));
  const layout = { ...spec.layout };
  for (const l of fragment.layers) {
    const at = fragment.layout[l.name];
    if (at) layout[rename.get(l.name)!] = { x: at.x + offset.x, y: at.y + offset.y };
  }
  return {
    spec: { ...spec, config: { ...spec.config, layers: [...spec.config.layers, ...pasted] }, layout },
    names: pasted.map((l) => l.name),
  };
}
