import type { GanSpec } from '../contract/gan.ts';
import { MODEL_SPEC_VERSION, type LayerSpec, type ModelSpec, type Position } from '../spec/model-spec.ts';

/**
 * A GAN project on the canvas: the editor holds ONE ModelSpec, so the generator and the
 * discriminator live on it as two disconnected graphs. Joining prefixes every layer name
 * (`gen_` / `disc_`) so the two graphs' names never collide; splitting finds the two
 * connected components and strips the prefixes again, so join → split is a round trip.
 */

export const GENERATOR_PREFIX = 'gen_';
export const DISCRIMINATOR_PREFIX = 'disc_';
/** Horizontal gap between the generator's right-most node and the discriminator. */
const GRAPH_GAP_X = 480;

export type GanCanvasSplit =
  | { ok: true; gan: GanSpec }
  | { ok: false; problems: string[] };

function renamed(spec: ModelSpec, prefix: string, dx: number): { layers: LayerSpec[]; layout: Record<string, Position> } {
  const rename = (name: string) => `${prefix}${name}`.slice(0, 64);
  const layers = spec.config.layers.map((layer) => ({ ...layer, name: rename(layer.name), inbound: layer.inbound.map(rename) }));
  const layout: Record<string, Position> = {};
  for (const [name, position] of Object.entries(spec.layout)) layout[rename(name)] = { x: position.x + dx, y: position.y };
  return { layers, layout };
}

/** One canvas for a GAN: the generator on the left, the discriminator to its right. */
export function joinGanCanvas(gan: GanSpec, name = 'gan'): ModelSpec {
  const generator = renamed(gan.generator, GENERATOR_PREFIX, 0);
  const rightEdge = Math.max(0, ...Object.values(generator.layout).map((p) => p.x));
  const discriminator = renamed(gan.discriminator, DISCRIMINATOR_PREFIX, rightEdge + GRAPH_GAP_X);
  const blocks = { ...(gan.generator.blocks ?? {}), ...(gan.discriminator.blocks ?? {}) };
  return {
    schemaVersion: MODEL_SPEC_VERSION,
    class_name: 'Model',
    config: { name, layers: [...generator.layers, ...discriminator.layers] },
    layout: { ...generator.layout, ...discriminator.layout },
    ...(Object.keys(blocks).length > 0 ? { blocks } : {}),
  };
}

/** Which connected graph each layer belongs to (edge direction ignored): layer name → a root name. Inbounds to missing layers are skipped. */
export function graphIds(layers: readonly LayerSpec[]): Map<string, string> {
  const parent = new Map(layers.map((l) => [l.name, l.name]));
  const find = (n: string): string => {
    let root = n;
    while (parent.get(root) !== root) root = parent.get(root)!;
    parent.set(n, root);
    return root;
  };
  for (const layer of layers) {
    for (const from of layer.inbound) if (parent.has(from)) parent.set(find(from), find(layer.name));
  }
  return new Map(layers.map((l) => [l.name, find(l.name)]));
}

/** Connected components of the layer graph, ignoring edge direction, in the order of their first layer. */
function components(layers: readonly LayerSpec[]): LayerSpec[][] {
  const ids = graphIds(layers);
  const groups = new Map<string, LayerSpec[]>();
  for (const layer of layers) {
    const root = ids.get(layer.name)!;
    groups.set(root, [...(groups.get(root) ?? []), layer]);
  }
  return [...groups.values()];
}

function inputShape(layers: readonly LayerSpec[]): number[] | null {
  const inputs = layers.filter((l) => l.class_name === 'Input');
  if (inputs.length !== 1) return null;
  const shape = inputs[0]!.config['shape'];
  return Array.isArray(shape) && shape.every((d) => typeof d === 'number') ? (shape as number[]) : null;
}

function subSpec(canvas: ModelSpec, layers: readonly LayerSpec[], prefix: string, name: string): ModelSpec {
  const strippable = layers.every((l) => l.name.startsWith(prefix) && l.name.length > prefix.length);
  const strip = (n: string) => (strippable && n.startsWith(prefix) ? n.slice(prefix.length) : n);
  const names = new Set(layers.map((l) => l.name));
  const layout: Record<string, Position> = {};
  const minX = Math.min(...layers.map((l) => canvas.layout[l.name]?.x ?? Infinity));
  for (const [n, p] of Object.entries(canvas.layout)) {
    if (names.has(n)) layout[strip(n)] = { x: p.x - (Number.isFinite(minX) ? minX : 0), y: p.y };
  }
  return {
    schemaVersion: MODEL_SPEC_VERSION,
    class_name: 'Model',
    config: { name, layers: layers.map((l) => ({ ...l, name: strip(l.name), inbound: l.inbound.map(strip) })) },
    layout,
    ...(canvas.blocks ? { blocks: canvas.blocks } : {}),
  };
}

/**
 * The GAN on a canvas: the graph whose Input is a vector is the generator (its length is the
 * noise size), the one whose Input is an image [h, w, c] is the discriminator. Anything else
 * — a third graph, two of a kind, a graph without exactly one Input — is a problem to show.
 */
export function splitGanCanvas(canvas: ModelSpec, noiseSize?: number): GanCanvasSplit {
  const groups = components(canvas.config.layers);
  const problems: string[] = [];
  const generators: LayerSpec[][] = [];
  const discriminators: LayerSpec[][] = [];
  for (const group of groups) {
    const shape = inputShape(group);
    const label = group[0]!.name;
    if (!shape) problems.push(`the graph with "${label}" needs exactly one Input layer`);
    else if (shape.length === 1) generators.push(group);
    else if (shape.length === 3) discriminators.push(group);
    else problems.push(`the graph with "${label}" reads shape [${shape.join(', ')}]: a generator reads a noise vector, a discriminator an image [h, w, c]`);
  }
  if (generators.length !== 1) problems.push(generators.length === 0 ? 'no generator: a graph whose Input is a noise vector' : `${generators.length} generators on the canvas; a GAN has one`);
  if (discriminators.length !== 1) problems.push(discriminators.length === 0 ? 'no discriminator: a graph whose Input is an image [h, w, c]' : `${discriminators.length} discriminators on the canvas; a GAN has one`);
  if (problems.length > 0) return { ok: false, problems };
  const generator = subSpec(canvas, generators[0]!, GENERATOR_PREFIX, `${canvas.config.name}_generator`);
  const discriminator = subSpec(canvas, discriminators[0]!, DISCRIMINATOR_PREFIX, `${canvas.config.name}_discriminator`);
  const noise = inputShape(generators[0]!)![0]!;
  if (noiseSize !== undefined && noiseSize !== noise) {
    return { ok: false, problems: [`the noise size is ${noiseSize} but the generator's Input reads ${noise} numbers`] };
  }
  return { ok: true, gan: { kind: 'gan', generator, discriminator, noiseSize: noise } };
}
