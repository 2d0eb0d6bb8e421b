import type { LayerSpec } from '../spec/model-spec.ts';

/** The wiring of a spec, derived once and shared by analysis, edits and layout. */
export interface GraphTopology {
  /** Every layer, sources first; layers in or after a cycle come last, in spec order. */
  order: string[];
  /** Layers on a cycle (including a layer that reads from itself). */
  inCycle: ReadonlySet<string>;
  /** Each cycle's members, in spec order. */
  cycles: string[][];
  /** Who reads from each layer (unknown inbound names are ignored), without duplicates. */
  consumers: ReadonlyMap<string, readonly string[]>;
  /** Longest path from a source; 0 for layers without known inputs. */
  depth: ReadonlyMap<string, number>;
}

/**
 * Orders the graph with Kahn's algorithm, always taking the ready layer that comes first
 * in the spec, so the order is stable across edits that do not change the wiring (the
 * canvas, the compiler and the tests all rely on one deterministic order).
 */
export function graphTopology(layers: readonly LayerSpec[]): GraphTopology {
  const index = new Map(layers.map((l, i) => [l.name, i]));
  const producers = new Map<string, string[]>();
  const consumers = new Map<string, string[]>(layers.map((l) => [l.name, []]));
  for (const layer of layers) {
    const known = [...new Set(layer.inbound.filter((n) => index.has(n)))];
    producers.set(layer.name, known);
    for (const from of known) consumers.get(from)?.push(layer.name);
  }

  const pending = new Map(layers.map((l) => [l.name, producers.get(l.name)?.length ?? 0]));
  const ready = layers.filter((l) => pending.get(l.name) === 0).map((l) => l.name);
  const order: string[] = [];
  const depth = new Map<string, number>();
  while (ready.length > 0) {
    ready.sort((a, b) => (index.get(a) ?? 0) - (index.get(b) ?? 0));
    const name = ready.shift() as string;
    order.push(name);
    const preds = producers.get(name) ?? [];
    depth.set(name, preds.length === 0 ? 0 : Math.max(...preds.map((p) => depth.get(p) ?? 0)) + 1);
    for (const next of consumers.get(name) ?? []) {
      const left = (pending.get(next) ?? 0) - 1;
      pending.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  const stuck = layers.filter((l) => !depth.has(l.name));
  for (const layer of stuck) {
    order.push(layer.name);
    const preds = (producers.get(layer.name) ?? []).filter((p) => depth.has(p));
    depth.set(layer.name, preds.length === 0 ? 0 : Math.max(...preds.map((p) => depth.get(p) ?? 0)) + 1);
  }

  const cycles = stronglyConnected(stuck.map((l) => l.name), producers, index);
  const inCycle = new Set(cycles.flat());
  return { order, inCycle, cycles, consumers, depth };
}

/**
 * Tarjan's strongly connected components over the layers Kahn could not order; a
 * component is a cycle when it has two or more members or a layer reads from itself.
 */
function stronglyConnected(
  names: readonly string[],
  producers: ReadonlyMap<string, readonly string[]>,
  index: ReadonlyMap<string, number>,
): string[][] {
  const candidates = new Set(names);
  const low = new Map<string, number>();
  const seen = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  let counter = 0;

  const visit = (name: string): void => {
    seen.set(name, counter);
    low.set(name, counter);
    counter += 1;
    stack.push(name);
    onStack.add(name);
    for (const next of producers.get(name) ?? []) {
      if (!candidates.has(next)) continue;
      if (!seen.has(next)) {
        visit(next);
        low.set(name, Math.min(low.get(name) ?? 0, low.get(next) ?? 0));
      } else if (onStack.has(next)) {
        low.set(name, Math.min(low.get(name) ?? 0, seen.get(next) ?? 0));
      }
    }
    if (low.get(name) !== seen.get(name)) return;
    const component: string[] = [];
    let member: string | undefined;
    do {
      member = stack.pop();
      if (member === undefined) break;
      onStack.delete(member);
      component.push(member);
    } while (member !== name);
    const selfLoop = component.length === 1 && (producers.get(name) ?? []).includes(name);
    if (component.length > 1 || selfLoop) {
      cycles.push(component.sort((a, b) => (index.get(a) ?? 0) - (index.get(b) ?? 0)));
    }
  };
  for (const name of names) if (!seen.has(name)) visit(name);
  return cycles.sort((a, b) => (index.get(a[0] ?? '') ?? 0) - (index.get(b[0] ?? '') ?? 0));
}

/** Every layer reachable by following connections forward from `starts` (starts included). */
export function reachableFrom(starts: readonly string[], consumers: ReadonlyMap<string, readonly string[]>): Set<string> {
  const seen = new Set<string>(starts);
  const queue = [...starts];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    for (const next of consumers.get(name) ?? []) {
      if (!seen.has(next)) {
        seen.add(next);
        queue.push(next);
      }
    }
  }
  return seen;
}

/**
 * The shortest loop from `start` back to itself, following connections within `members`
 * (one cycle's layers), e.g. ['a', 'b', 'a']; what the canvas names when it reports a loop.
 */
export function loopThrough(start: string, members: readonly string[], consumers: ReadonlyMap<string, readonly string[]>): string[] {
  const allowed = new Set(members);
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let name = queue.shift(); name !== undefined; name = queue.shift()) {
    for (const next of consumers.get(name) ?? []) {
      if (next === start) {
        const path = [name];
        for (let at = cameFrom.get(name); at !== undefined; at = cameFrom.get(at)) path.unshift(at);
        return [...(path[0] === start ? path : [start, ...path]), start];
      }
      if (allowed.has(next) && !cameFrom.has(next) && next !== start) {
        cameFrom.set(next, name);
        queue.push(next);
      }
    }
  }
  return [start, start];
}
