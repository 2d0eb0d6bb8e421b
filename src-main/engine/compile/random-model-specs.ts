import { analyzeGraph } from '../../../src-shared/graph/analyze-graph.ts';
import { addLayer, connect } from '../../../src-shared/graph/graph-edits.ts';
import { MODEL_SPEC_VERSION, type ModelSpec, type Shape } from '../../../src-shared/spec/model-spec.ts';

/**
 * Seeded random model specs that should all be valid: stacks mixing every layer kind, with
 * Add and Concatenate branches. The compile test holds Strata's shape inference and
 * parameter counts against tfjs on them, so an inference rule that drifts from tfjs fails
 * on some generated model rather than waiting for a user to draw it.
 */

/** mulberry32: small, fast and good enough to pick layer parameters reproducibly. */
export function seededRandom(seed: number): Rng {
  let state = seed >>> 0;
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number): number => min + Math.floor(next() * (max - min + 1));
  return {
    next,
    int,
    pick: <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T,
    chance: (p: number): boolean => next() < p,
  };
}

export interface Rng {
  next(): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
}

const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'softplus', 'swish'];

/** A growing spec and the layer whose output the next layer reads. */
class StackBuilder {
  spec: ModelSpec = { schemaVersion: MODEL_SPEC_VERSION, class_name: 'Model', config: { name: 'random', layers: [] }, layout: {} };

  /** Adds a layer reading from `from` (one name or several) and returns its name and inferred shape. */
  add(className: string, config: Record<string, unknown>, from: string | readonly string[]): { name: string; shape: number[] } {
    const added = addLayer(this.spec, className, undefined, config);
    this.spec = added.spec;
    for (const source of typeof from === 'string' ? [from] : from) {
      this.spec = connect(this.spec, source, added.name);
    }
    return { name: added.name, shape: this.shapeOf(added.name) };
  }

  shapeOf(name: string): number[] {
    const node = analyzeGraph(this.spec).nodes[name];
    const shape: Shape | null | undefined = node?.outputShape;
    if (!shape || shape.some((d) => d === null)) {
      throw new Error(`generator built an invalid layer ${name}: ${node?.issues.map((i) => i.message).join('; ')}`);
    }
    return shape as number[];
  }
}

function divisorsOf(n: number): number[] {
  const result: number[] = [];
  for (let d = 1; d <= n; d += 1) if (n % d === 0) result.push(d);
  return result;
}

/** A valid Keras axis for a rank, sometimes positive (batch counted) and sometimes negative. */
function randomAxis(rng: Rng, rank: number): number {
  const index = rng.int(0, rank - 1);
  return rng.chance(0.5) ? index + 1 : index - rank;
}

function imageStep(rng: Rng, b: StackBuilder, x: string, [h, w, c]: readonly [number, number, number]): string {
  const windowFor = (size: number, padding: string) => (padding === 'valid' ? rng.int(1, Math.min(3, size)) : rng.int(1, 3));
  const op = rng.pick(['conv', 'conv', 'pool', 'pool', 'bn', 'dropout', 'activation', 'reshape', 'add', 'concat-channels', 'concat-height']);
  switch (op) {
    case 'conv': {
      const padding = rng.pick(['valid', 'same']);
      return b.add('Conv2D', {
        filters: rng.int(1, 6),
        kernel_size: [windowFor(h, padding), windowFor(w, padding)],
        strides: [rng.int(1, 2), rng.int(1, 2)],
        padding,
        activation: rng.pick(ACTIVATIONS),
        use_bias: rng.chance(0.7),
      }, x).name;
    }
    case 'pool': {
      const padding = rng.pick(['valid', 'same']);
      const poolSize = [windowFor(h, padding), windowFor(w, padding)];
      const strides = rng.chance(0.5) ? null : [rng.int(1, 2), rng.int(1, 2)];
      return b.add(rng.pick(['MaxPooling2D', 'AveragePooling2D']), { pool_size: poolSize, strides, padding }, x).name;
    }
    case 'bn':
      return b.add('BatchNormalization', { axis: randomAxis(rng, 3), momentum: rng.pick([0.9, 0.99]), epsilon: 0.001 }, x).name;
    case 'dropout':
      return b.add('Dropout', { rate: rng.pick([0, 0.1, 0.5]) }, x).name;
    case 'activation':
      return b.add('Activation', { activation: rng.pick(ACTIVATIONS) }, x).name;
    case 'reshape': {
      const target = rng.pick([[h, w * c], [-1], [w, h, c], [h * w, -1], [h, w, c]]);
      return b.add('Reshape', { target_shape: target }, x).name;
    }
    case 'add': {
      const conv = b.add('Conv2D', { filters: c, kernel_size: [3, 3], padding: 'same', activation: 'relu' }, x).name;
      const other = rng.chance(0.5) ? x : b.add('Activation', { activation: 'tanh' }, x).name;
      return b.add('Add', {}, [conv, other]).name;
    }
    case 'concat-channels': {
      const a = b.add('Conv2D', { filters: rng.int(1, 4), kernel_size: [1, 1], padding: 'same' }, x).name;
      const pool = b.add('MaxPooling2D', { pool_size: [3, 3], strides: [1, 1], padding: 'same' }, x).name;
      const inputs = rng.chance(0.5) ? [a, pool] : [a, pool, x];
      return b.add('Concatenate', { axis: rng.pick([-1, 3]) }, inputs).name;
    }
    default: {
      // Along the height (axis 1): only the other sizes must match.
      const shorter = b.add('MaxPooling2D', { pool_size: [2, 1], strides: [2, 1], padding: 'same' }, x).name;
      return b.add('Concatenate', { axis: rng.pick([1, -3]) }, [x, shorter]).name;
    }
  }
}

function flatStep(rng: Rng, b: StackBuilder, x: string, [n]: readonly [number]): string {
  const op = rng.pick(['dense', 'dense', 'bn', 'dropout', 'activation', 'reshape-image', 'reshape-2d', 'add', 'concat']);
  switch (op) {
    case 'dense':
      return b.add('Dense', { units: rng.int(1, 16), activation: rng.pick(ACTIVATIONS), use_bias: rng.chance(0.7) }, x).name;
    case 'bn':
      return b.add('BatchNormalization', { axis: rng.pick([1, -1]) }, x).name;
    case 'dropout':
      return b.add('Dropout', { rate: rng.pick([0, 0.2, 0.5]) }, x).name;
    case 'activation':
      return b.add('Activation', { activation: rng.pick(ACTIVATIONS) }, x).name;
    case 'reshape-image': {
      const h = rng.pick(divisorsOf(n));
      return b.add('Reshape', { target_shape: [h, -1, 1] }, x).name;
    }
    case 'reshape-2d': {
      const a = rng.pick(divisorsOf(n));
      return b.add('Reshape', { target_shape: rng.chance(0.5) ? [a, -1] : [-1, a] }, x).name;
    }
    case 'add': {
      const a = b.add('Dense', { units: n, activation: 'relu' }, x).name;
      const c = b.add('Dense', { units: n, activation: 'linear', use_bias: false }, x).name;
      return b.add('Add', {}, rng.chance(0.5) ? [a, c] : [a, c, x]).name;
    }
    default: {
      const a = b.add('Dense', { units: rng.int(1, 8) }, x).name;
      const c = b.add('Dropout', { rate: 0.1 }, x).name;
      return b.add('Concatenate', { axis: rng.pick([-1, 1]) }, [a, c]).name;
    }
  }
}

function gridStep(rng: Rng, b: StackBuilder, x: string, [r, c]: readonly [number, number]): string {
  const op = rng.pick(['flatten', 'reshape-image', 'bn', 'dropout', 'activation', 'concat']);
  switch (op) {
    case 'flatten':
      return b.add('Flatten', {}, x).name;
    case 'reshape-image':
      return b.add('Reshape', { target_shape: [r, c, 1] }, x).name;
    case 'bn':
      return b.add('BatchNormalization', { axis: randomAxis(rng, 2) }, x).name;
    case 'dropout':
      return b.add('Dropout', { rate: 0.3 }, x).name;
    case 'activation':
      return b.add('Activation', { activation: rng.pick(ACTIVATIONS) }, x).name;
    default: {
      const other = b.add('Activation', { activation: 'sigmoid' }, x).name;
      return b.add('Concatenate', { axis: randomAxis(rng, 2) }, [x, other]).name;
    }
  }
}

/** A valid random model: Input, 2–8 random steps (each one layer or a small branch), then a softmax head. */
export function randomModelSpec(seed: number): ModelSpec {
  const rng = seededRandom(seed);
  const b = new StackBuilder();
  const inputShape = rng.chance(0.65)
    ? [rng.int(3, 12), rng.int(3, 12), rng.int(1, 3)]
    : [rng.pick([6, 12, 16, 27, 48])];
  let x = b.add('Input', { shape: inputShape }, []).name;
  const steps = rng.int(2, 8);
  for (let i = 0; i < steps; i += 1) {
    const shape = b.shapeOf(x);
    if (shape.length === 3) x = imageStep(rng, b, x, shape as [number, number, number]);
    else if (shape.length === 2) x = gridStep(rng, b, x, shape as [number, number]);
    else x = flatStep(rng, b, x, shape as [number]);
  }
  const shape = b.shapeOf(x);
  if (shape.length === 3 && rng.chance(0.5)) x = b.add('GlobalAveragePooling2D', {}, x).name;
  else if (shape.length > 1) x = b.add('Flatten', {}, x).name;
  b.add('Dense', { units: rng.int(2, 10), activation: 'softmax' }, x);
  return b.spec;
}
