import type { BlockDef, LayerSpec, ModelSpec, Position } from '../../src-shared/spec/model-spec.ts';

/**
 * A reversible difference between two model specs, recorded per layer and per layout entry,
 * so undo history holds only what an edit touched (a moved node is one position), never a
 * copy of the whole graph. Layer order is stored as names only, and only when it changed.
 */
export interface SpecDiff {
  layers: Array<{ name: string; before: LayerSpec | null; after: LayerSpec | null }>;
  layout: Array<{ name: string; before: Position | null; after: Position | null }>;
  order: { before: string[]; after: string[] } | null;
  modelName: { before: string; after: string } | null;
  /** Block definitions added, changed or removed (making a block is one undo step). */
  blocks: Array<{ name: string; before: BlockDef | null; after: BlockDef | null }>;
}

export function diffSpecs(a: ModelSpec, b: ModelSpec): SpecDiff | null {
  const aLayers = new Map(a.config.layers.map((l) => [l.name, l]));
  const bLayers = new Map(b.config.layers.map((l) => [l.name, l]));
  const layers: SpecDiff['layers'] = [];
  for (const [name, before] of aLayers) {
    const after = bLayers.get(name) ?? null;
    if (after === null || !sameJson(before, after)) layers.push({ name, before, after });
  }
  for (const [name, after] of bLayers) {
    if (!aLayers.has(name)) layers.push({ name, before: null, after });
  }
  const layout: SpecDiff['layout'] = [];
  for (const name of new Set([...Object.keys(a.layout), ...Object.keys(b.layout)])) {
    const before = a.layout[name] ?? null;
    const after = b.layout[name] ?? null;
    if (!sameJson(before, after)) layout.push({ name, before, after });
  }
  const aOrder = a.config.layers.map((l) => l.name);
  const bOrder = b.config.layers.map((l) => l.name);
  const order = sameJson(aOrder, bOrder) ? null : { before: aOrder, after: bOrder };
  const modelName = a.config.name === b.config.name ? null : { before: a.config.name, after: b.config.name };
  const blocks: SpecDiff['blocks'] = [];
  for (const name of new Set([...Object.keys(a.blocks ?? {}), ...Object.keys(b.blocks ?? {})])) {
    const before = a.blocks?.[name] ?? null;
    const after = b.blocks?.[name] ?? null;
    if (!sameJson(before, after)) blocks.push({ name, before, after });
  }
  if (layers.length === 0 && layout.length === 0 && order === null && modelName === null && blocks.length === 0) return null;
  return { layers, layout, order, modelName, blocks };
}

/** Applies a diff forward (redo) or backward (undo) to the spec it was recorded against. */
export function applyDiff(spec: ModelSpec, diff: SpecDiff, direction: 'forward' | 'backward'): ModelSpec {
  const pick = <T>(c: { before: T; after: T }): T => (direction === 'forward' ? c.after : c.before);
  const byName = new Map(spec.config.layers.map((l) => [l.name, l]));
  for (const change of diff.layers) {
    const target = pick(change);
    if (target === null) byName.delete(change.name);
    else byName.set(change.name, target);
  }
  const order = diff.order ? pick(diff.order) : spec.config.layers.map((l) => l.name);
  const layers = order.map((name) => byName.get(name)).filter((l): l is LayerSpec => l !== undefined);
  const layout = { ...spec.layout };
  for (const change of diff.layout) {
    const target = pick(change);
    if (target === null) delete layout[change.name];
    else layout[change.name] = target;
  }
  const name = diff.modelName ? pick(diff.modelName) : spec.config.name;
  if (diff.blocks.length === 0) return { ...spec, config: { ...spec.config, name, layers }, layout };
  const blocks = { ...spec.blocks };
  for (const change of diff.blocks) {
    const target = pick(change);
    if (target === null) delete blocks[change.name];
    else blocks[change.name] = target;
  }
  // A spec without blocks has no `blocks` key at all (undo back to one must be equal to it).
  if (Object.keys(blocks).length === 0) {
    const { blocks: _gone, ...rest } = spec;
    return { ...rest, config: { ...spec.config, name, layers }, layout };
  }
  return { ...spec, config: { ...spec.config, name, layers }, layout, blocks };
}

function sameJson(a: unknown, b: unknown): boolean {
  return a === b || JSON.stringify(a) === JSON.stringify(b);
}
