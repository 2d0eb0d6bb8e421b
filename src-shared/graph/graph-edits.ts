import dagre from '@dagrejs/dagre';
import type { LayerFix } from '../layers/layer-kind.ts';
import { getLayerKind } from '../layers/layer-catalog.ts';
import { BLOCK_CLASS, LayerNameSchema, type LayerSpec, type ModelSpec, type Position } from '../spec/model-spec.ts';
import { graphTopology, reachableFrom } from './graph-topology.ts';

/**
 * Pure edits of a model spec. Each returns a new spec and never mutates its argument; an
 * edit that changes nothing returns the very same object, so the editor store can skip
 * an empty undo entry by identity.
 */

/** An edit that cannot be made, phrased for the person who tried it. */
export class GraphEditError extends Error {
  override name = 'GraphEditError';
}

/** Canvas spacing used when Strata places nodes itself. */
export const LAYOUT_GAP = { x: 220, y: 110 } as const;

function withLayers(spec: ModelSpec, layers: LayerSpec[], layout: Record<string, Position> = spec.layout): ModelSpec {
  return { ...spec, config: { ...spec.config, layers }, layout };
}

function findLayer(spec: ModelSpec, name: string): LayerSpec {
  const layer = spec.config.layers.find((l) => l.name === name);
  if (!layer) throw new GraphEditError(`There is no layer named "${name}"`);
  return layer;
}

function mapLayer(spec: ModelSpec, name: string, change: (layer: LayerSpec) => LayerSpec): ModelSpec {
  findLayer(spec, name);
  return withLayers(spec, spec.config.layers.map((l) => (l.name === name ? change(l) : l)));
}

/** Keras' own to_snake_case: "MaxPooling2D" → "max_pooling2d", "Conv2D" → "conv2d". */
export function layerBaseName(className: string): string {
  return className
    .replace(/(.)([A-Z][a-z]+)/g, '$1_$2')
    .replace(/([a-z])([A-Z])/g, '$1_$2')
    .toLowerCase();
}

/** The first free `${base}_N` name, counting from 1. */
export function uniqueLayerName(spec: ModelSpec, base: string): string {
  const taken = new Set(spec.config.layers.map((l) => l.name));
  for (let n = 1; ; n += 1) {
    const name = `${base}_${n}`;
    if (!taken.has(name)) return name;
  }
}

/** Adds a layer with its kind's defaults (overridden by `config`), unconnected. */
export function addLayer(
  spec: ModelSpec,
  className: string,
  position?: Position,
  config?: Record<string, unknown>,
): { spec: ModelSpec; name: string } {
  const kind = getLayerKind(className);
  if (!kind) throw new GraphEditError(`Strata does not know the layer kind "${className}"`);
  const defaults = kind.params.parse({});
  const name = uniqueLayerName(spec, layerBaseName(className));
  const overrides = Object.entries(config ?? {}).filter(([, value]) => value !== undefined);
  const layer: LayerSpec = { class_name: className, name, config: { ...defaults, ...Object.fromEntries(overrides) }, inbound: [] };
  const at = position ?? belowEverything(spec);
  return { spec: withLayers(spec, [...spec.config.layers, layer], { ...spec.layout, [name]: at }), name };
}

function belowEverything(spec: ModelSpec): Position {
  const placed = Object.values(spec.layout);
  if (placed.length === 0) return { x: 0, y: 0 };
  const lowest = placed.reduce((a, b) => (b.y > a.y ? b : a));
  return { x: lowest.x, y: lowest.y + LAYOUT_GAP.y };
}

/** Removes layers, their canvas positions and every connection that reads from them. */
export function removeLayers(spec: ModelSpec, names: readonly string[]): ModelSpec {
  const gone = new Set(names);
  if (!spec.config.layers.some((l) => gone.has(l.name))) return spec;
  const layers = spec.config.layers
    .filter((l) => !gone.has(l.name))
    .map((l) => (l.inbound.some((n) => gone.has(n)) ? { ...l, inbound: l.inbound.filter((n) => !gone.has(n)) } : l));
  const layout = Object.fromEntries(Object.entries(spec.layout).filter(([name]) => !gone.has(name)));
  return withLayers(spec, layers, layout);
}

/** Why `from → to` cannot be connected, or null when it can. The canvas asks before drawing. */
export function connectionProblem(spec: ModelSpec, from: string, to: string): string | null {
  const source = spec.config.layers.find((l) => l.name === from);
  const target = spec.config.layers.find((l) => l.name === to);
  if (!source) return `There is no layer named "${from}"`;
  if (!target) return `There is no layer named "${to}"`;
  if (from === to) return `A layer cannot read from itself`;
  if (getLayerKind(target.class_name)?.inputs.max === 0) return `${to} is an ${target.class_name} layer: it takes no input`;
  // A connection back into an ancestor would make a loop, which can never be a valid model.
  const { consumers } = graphTopology(spec.config.layers);
  if (reachableFrom([to], consumers).has(from)) return `Connecting ${from} into ${to} would make a loop: ${to} already feeds ${from}`;
  return null;
}

/**
 * Connects `from` into `to`. A layer that takes one input has it replaced (dragging a new
 * edge onto it rewires it); a merge layer gets another input appended.
 */
export function connect(spec: ModelSpec, from: string, to: string): ModelSpec {
  const problem = connectionProblem(spec, from, to);
  if (problem) throw new GraphEditError(problem);
  const target = findLayer(spec, to);
  if (target.inbound.includes(from)) return spec;
  const single = target.class_name === BLOCK_CLASS || getLayerKind(target.class_name)?.inputs.max === 1;
  return mapLayer(spec, to, (l) => ({ ...l, inbound: single ? [from] : [...l.inbound, from] }));
}

export function disconnect(spec: ModelSpec, from: string, to: string): ModelSpec {
  const target = findLayer(spec, to);
  if (!target.inbound.includes(from)) return spec;
  return mapLayer(spec, to, (l) => ({ ...l, inbound: l.inbound.filter((n) => n !== from) }));
}

/** Merges `patch` into a layer's config; an `undefined` value removes the key (back to its default). */
export function updateConfig(spec: ModelSpec, name: string, patch: Record<string, unknown>): ModelSpec {
  const layer = findLayer(spec, name);
  const changed = Object.entries(patch).some(([key, value]) =>
    value === undefined ? key in layer.config : JSON.stringify(layer.config[key]) !== JSON.stringify(value));
  if (!changed) return spec;
  return mapLayer(spec, name, (l) => {
    const config = { ...l.config, ...patch };
    for (const [key, value] of Object.entries(patch)) if (value === undefined) delete config[key];
    return { ...l, config };
  });
}

/**
 * Freezes layers (their weights stay as they are while the rest trains) or unfreezes them.
 * Trainable is the default, so unfreezing removes the flag rather than writing `true`.
 */
export function setTrainable(spec: ModelSpec, names: readonly string[], trainable: boolean): ModelSpec {
  const wanted = new Set(names);
  for (const name of wanted) findLayer(spec, name);
  if (spec.config.layers.every((l) => !wanted.has(l.name) || (l.trainable !== false) === trainable)) return spec;
  const layers = spec.config.layers.map((l) => {
    if (!wanted.has(l.name) || (l.trainable !== false) === trainable) return l;
    const { trainable: _was, ...rest } = l;
    return trainable ? rest : { ...rest, trainable: false };
  });
  return { ...spec, config: { ...spec.config, layers } };
}

/** Renames a layer everywhere it is mentioned: its own name, others' inbound, the layout. */
export function renameLayer(spec: ModelSpec, from: string, to: string): ModelSpec {
  findLayer(spec, from);
  if (from === to) return spec;
  const valid = LayerNameSchema.safeParse(to);
  if (!valid.success) throw new GraphEditError(`"${to}" is not a valid layer name: ${valid.error.issues[0]?.message ?? 'invalid'}`);
  if (spec.config.layers.some((l) => l.name === to)) throw new GraphEditError(`There is already a layer named "${to}"`);
  const layers = spec.config.layers.map((l) => ({
    ...l,
    name: l.name === from ? to : l.name,
    inbound: l.inbound.map((n) => (n === from ? to : n)),
  }));
  const layout = Object.fromEntries(Object.entries(spec.layout).map(([n, p]) => [n === from ? to : n, p]));
  return withLayers(spec, layers, layout);
}

export function moveLayer(spec: ModelSpec, name: string, position: Position): ModelSpec {
  findLayer(spec, name);
  const current = spec.layout[name];
  if (current && current.x === position.x && current.y === position.y) return spec;
  return { ...spec, layout: { ...spec.layout, [name]: { x: position.x, y: position.y } } };
}

/**
 * Applies a one-click fix from the analysis. `insertBefore` puts a new layer between the
 * layer and its first input, placed halfway between them on the canvas.
 */
export function applyFix(spec: ModelSpec, layerName: string, fix: LayerFix): ModelSpec {
  const layer = findLayer(spec, layerName);
  if (fix.setParams) return updateConfig(spec, layerName, fix.setParams);
  if (fix.appendAfter) {
    const here = spec.layout[layerName];
    const added = addLayer(spec, fix.appendAfter.class_name, here && { x: here.x, y: here.y + LAYOUT_GAP.y }, fix.appendAfter.config);
    return connect(added.spec, layerName, added.name);
  }
  if (!fix.insertBefore) return spec;
  const upstream = layer.inbound[0];
  const here = spec.layout[layerName];
  // The new layer takes the failing layer's place and everything from there down moves one
  // row lower, so nothing ends up on top of anything else.
  const layout = here
    ? Object.fromEntries(Object.entries(spec.layout).map(([n, p]) => [n, p.y >= here.y ? { x: p.x, y: p.y + LAYOUT_GAP.y } : p]))
    : spec.layout;
  const added = addLayer({ ...spec, layout }, fix.insertBefore.class_name, here && { x: here.x, y: here.y }, fix.insertBefore.config);
  const layers = added.spec.config.layers.map((l) => {
    if (l.name === added.name) return { ...l, inbound: upstream === undefined ? [] : [upstream] };
    if (l.name === layerName) return { ...l, inbound: [added.name, ...l.inbound.slice(1)] };
    return l;
  });
  return withLayers(added.spec, layers);
}

/** A node's box for layout; matches the canvas' .layer-node size closely enough to avoid overlaps. */
const LAYOUT_NODE = { width: 184, height: 70 } as const;

/**
 * Lays layers out top to bottom with dagre's layered layout (crossings minimised, a skip
 * connection routed beside the main path), the Input at the top. By default only layers
 * without a position are placed, so a model opened from a file without a layout gets one
 * and a person's own arrangement is kept; `all` tidies up everything.
 */
export function autoLayout(spec: ModelSpec, options: { all?: boolean } = {}): ModelSpec {
  const missing = spec.config.layers.filter((l) => options.all || !spec.layout[l.name]);
  if (missing.length === 0) return spec;
  const g = new dagre.graphlib.Graph();
  g.setGraph({ rankdir: 'TB', nodesep: LAYOUT_GAP.x - LAYOUT_NODE.width, ranksep: LAYOUT_GAP.y - LAYOUT_NODE.height, marginx: 0, marginy: 0 });
  g.setDefaultEdgeLabel(() => ({}));
  const names = new Set(spec.config.layers.map((l) => l.name));
  for (const layer of spec.config.layers) g.setNode(layer.name, { ...LAYOUT_NODE });
  for (const layer of spec.config.layers) {
    for (const from of layer.inbound) if (names.has(from) && from !== layer.name) g.setEdge(from, layer.name);
  }
  dagre.layout(g);
  const layout: Record<string, Position> = options.all ? {} : { ...spec.layout };
  for (const layer of missing) {
    const node = g.node(layer.name);
    // dagre gives centres; the canvas positions a node by its top-left corner.
    layout[layer.name] = { x: Math.round(node.x - LAYOUT_NODE.width / 2), y: Math.round(node.y - LAYOUT_NODE.height / 2) };
  }
  return { ...spec, layout };
}

/**
 * Transfer learning's "replace the head": the model's output Dense layer becomes a new
 * Dense of `classes` softmax units under a new name, reading the same input at the same
 * place. The new name is what makes it start from fresh weights when the rest of the graph
 * loads an imported model's (weights are matched by layer name), even when the class
 * count is the same (digits 0–4 → 5–9).
 */
/**
 * Whether the graph already ends in a head made by replaceHead for this many classes, so
 * the window stops offering to replace it again. Recognised by its name (head, head_2…):
 * the spec has no other place to remember where a layer came from.
 */
export function hasNewHeadFor(spec: ModelSpec, classes: number): boolean {
  const { consumers } = graphTopology(spec.config.layers);
  const outputs = spec.config.layers.filter((l) => (consumers.get(l.name) ?? []).length === 0 && l.class_name !== 'Input');
  const out = outputs.length === 1 ? outputs[0]! : null;
  return out !== null && out.class_name === 'Dense' && /^head(_\d+)?$/.test(out.name) && out.config.units === classes;
}

export function replaceHead(spec: ModelSpec, classes: number): { spec: ModelSpec; head: string } {
  if (!Number.isInteger(classes) || classes < 1) throw new GraphEditError(`A head needs a whole number of classes ≥ 1 (got ${classes})`);
  const { consumers } = graphTopology(spec.config.layers);
  const outputs = spec.config.layers.filter((l) => (consumers.get(l.name) ?? []).length === 0 && l.class_name !== 'Input');
  if (outputs.length !== 1) throw new GraphEditError(`Replacing the head needs exactly one output layer; this graph has ${outputs.length}`);
  const old = outputs[0]!;
  if (old.class_name !== 'Dense') throw new GraphEditError(`The output layer ${old.name} is a ${old.class_name}; the head to replace must be a Dense layer`);
  const head = uniqueLayerName(spec, 'head');
  const layer: LayerSpec = { class_name: 'Dense', name: head, config: { ...old.config, units: classes, activation: 'softmax' }, inbound: [...old.inbound] };
  const layers = spec.config.layers.map((l) => (l.name === old.name ? layer : l));
  const { [old.name]: at, ...layout } = spec.layout;
  return { spec: withLayers(spec, layers, at ? { ...layout, [head]: at } : layout), head };
}
