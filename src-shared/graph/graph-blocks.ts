import { BLOCK_CLASS, BLOCK_INPUT, LayerNameSchema, type BlockDef, type LayerSpec, type ModelSpec, type Position } from '../spec/model-spec.ts';
import { GraphEditError, LAYOUT_GAP, uniqueLayerName } from './graph-edits.ts';

/**
 * Composite blocks: select layers → one named block with its own inner graph, shown as a
 * single node; expand it back; use it again from the project's block list. The engine,
 * the analysis and the exports work on the flattened graph, so a block costs nothing at
 * run time and a model with blocks trains and exports exactly like one without.
 */

export const isBlockInstance = (layer: LayerSpec): boolean => layer.class_name === BLOCK_CLASS;
export const blockNameOf = (layer: LayerSpec): string => String(layer.config.block ?? '');

/** Flattened names of an instance's inner layers: `<instance>__<inner>`, unique and valid. */
export const innerName = (instance: string, inner: string): string => `${instance}__${inner}`;

function centroid(points: readonly Position[]): Position {
  if (points.length === 0) return { x: 0, y: 0 };
  return { x: points.reduce((s, p) => s + p.x, 0) / points.length, y: points.reduce((s, p) => s + p.y, 0) / points.length };
}

/**
 * Replaces the selected layers with one instance of a new block named `blockName`. The
 * selection must read from exactly one layer outside it (the block's input) and feed the
 * rest of the graph from exactly one of its layers (the block's output).
 */
export function makeBlock(spec: ModelSpec, names: readonly string[], blockName: string): { spec: ModelSpec; instance: string } {
  const valid = LayerNameSchema.safeParse(blockName);
  if (!valid.success) throw new GraphEditError(`"${blockName}" is not a valid block name: ${valid.error.issues[0]?.message ?? 'invalid'}`);
  if (spec.blocks?.[blockName]) throw new GraphEditError(`There is already a block named "${blockName}": choose another name`);
  const chosen = new Set(names);
  const inside = spec.config.layers.filter((l) => chosen.has(l.name));
  if (inside.length < 1) throw new GraphEditError('Select the layers to put in the block first');
  if (inside.some((l) => l.class_name === 'Input')) throw new GraphEditError('A block cannot contain an Input layer: leave the Input out of the selection');
  const sources = new Set(inside.flatMap((l) => l.inbound.filter((from) => !chosen.has(from))));
  if (sources.size !== 1) {
    throw new GraphEditError(sources.size === 0
      ? 'The selection reads from nothing outside it: a block needs one input — include the layer it starts from'
      : `A block takes one input, but the selection reads from ${[...sources].join(' and ')}: include those layers or select less`);
  }
  const [source] = [...sources] as [string];
  const outsideConsumers = spec.config.layers.filter((l) => !chosen.has(l.name) && l.inbound.some((from) => chosen.has(from)));
  const exits = new Set(outsideConsumers.flatMap((l) => l.inbound.filter((from) => chosen.has(from))));
  if (exits.size > 1) throw new GraphEditError(`A block has one output, but ${[...exits].join(' and ')} both feed layers outside the selection`);
  const sinks = inside.filter((l) => !inside.some((other) => other.inbound.includes(l.name)));
  const output = exits.size === 1 ? [...exits][0]! : sinks.length === 1 ? sinks[0]!.name : null;
  if (!output) throw new GraphEditError(`A block has one output, but the selection ends in ${sinks.map((l) => l.name).join(' and ')}: connect them into one layer first`);

  const at = centroid(inside.map((l) => spec.layout[l.name]).filter((p): p is Position => Boolean(p)));
  const def: BlockDef = {
    layers: inside.map((l) => ({ ...l, inbound: l.inbound.map((from) => (chosen.has(from) ? from : BLOCK_INPUT)) })),
    output,
    layout: Object.fromEntries(inside.flatMap((l) => (spec.layout[l.name] ? [[l.name, { x: spec.layout[l.name]!.x - at.x, y: spec.layout[l.name]!.y - at.y }]] : []))),
  };
  const remaining = spec.config.layers.filter((l) => !chosen.has(l.name));
  const instance = uniqueLayerName({ ...spec, config: { ...spec.config, layers: remaining } }, blockName);
  const layers = remaining.map((l) => (l.inbound.includes(output) ? { ...l, inbound: l.inbound.map((from) => (from === output ? instance : from)) } : l));
  const firstIndex = spec.config.layers.findIndex((l) => chosen.has(l.name));
  layers.splice(firstIndex, 0, { class_name: BLOCK_CLASS, name: instance, config: { block: blockName }, inbound: [source] });
  const layout = Object.fromEntries(Object.entries(spec.layout).filter(([n]) => !chosen.has(n)));
  layout[instance] = { x: Math.round(at.x), y: Math.round(at.y) };
  return { spec: { ...spec, config: { ...spec.config, layers }, layout, blocks: { ...spec.blocks, [blockName]: def } }, instance };
}

/** Adds an unconnected instance of a project block (from the palette's Blocks section). */
export function addBlockInstance(spec: ModelSpec, blockName: string, position: Position): { spec: ModelSpec; name: string } {
  if (!spec.blocks?.[blockName]) throw new GraphEditError(`There is no block named "${blockName}"`);
  const name = uniqueLayerName(spec, blockName);
  const layer: LayerSpec = { class_name: BLOCK_CLASS, name, config: { block: blockName }, inbound: [] };
  return { spec: { ...spec, config: { ...spec.config, layers: [...spec.config.layers, layer] }, layout: { ...spec.layout, [name]: position } }, name };
}

/** The inner layers of one instance as top-level layers (names prefixed), wired into the graph. */
function inlineInstance(spec: ModelSpec, instance: LayerSpec, def: BlockDef, names: (inner: string) => string): { layers: LayerSpec[]; output: string } {
  const input = instance.inbound[0];
  const layers = def.layers.map((l) => ({
    ...l,
    name: names(l.name),
    config: structuredClone(l.config),
    inbound: l.inbound.flatMap((from) => (from === BLOCK_INPUT ? (input === undefined ? [] : [input]) : [names(from)])),
  }));
  return { layers, output: names(def.output) };
}

/**
 * Puts an instance's layers back on the canvas in its place (named `<instance>__<inner>`),
 * keeping the block in the project for reuse.
 */
export function expandBlock(spec: ModelSpec, instanceName: string): ModelSpec {
  const instance = spec.config.layers.find((l) => l.name === instanceName);
  if (!instance || !isBlockInstance(instance)) throw new GraphEditError(`${instanceName} is not a block`);
  const def = spec.blocks?.[blockNameOf(instance)];
  if (!def) throw new GraphEditError(`${instanceName} uses the block "${blockNameOf(instance)}", which is not in this project`);
  const { layers: inner, output } = inlineInstance(spec, instance, def, (n) => innerName(instanceName, n));
  const layers = spec.config.layers.flatMap((l) => {
    if (l.name === instanceName) return inner;
    return [l.inbound.includes(instanceName) ? { ...l, inbound: l.inbound.map((from) => (from === instanceName ? output : from)) } : l];
  });
  const at = spec.layout[instanceName] ?? { x: 0, y: 0 };
  const layout = Object.fromEntries(Object.entries(spec.layout).filter(([n]) => n !== instanceName));
  def.layers.forEach((l, i) => {
    const offset = def.layout[l.name] ?? { x: 0, y: i * LAYOUT_GAP.y };
    layout[innerName(instanceName, l.name)] = { x: at.x + offset.x, y: at.y + offset.y };
  });
  return { ...spec, config: { ...spec.config, layers }, layout };
}

/**
 * The spec with every block instance replaced by its layers (recursively, for blocks
 * inside blocks): what the engine builds and the exports write. Unknown blocks are left as
 * they are, so the analysis can name them.
 */
export function flattenBlocks(spec: ModelSpec, depth = 0): ModelSpec {
  const known = (l: LayerSpec): boolean => isBlockInstance(l) && Boolean(spec.blocks?.[blockNameOf(l)]);
  if (!spec.config.layers.some(known)) return spec;
  if (depth > 8) throw new GraphEditError('Blocks are nested more than 8 deep (a block may contain itself)');
  let next = spec;
  for (const instance of spec.config.layers.filter(known)) next = expandBlock(next, instance.name);
  return flattenBlocks(next, depth + 1);
}
