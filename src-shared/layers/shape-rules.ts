import { formatShape, type Shape } from '../spec/model-spec.ts';
import { LayerShapeError, type LayerFix } from './layer-kind.ts';
import type { Padding } from './layer-params.ts';

/**
 * Shape checks shared by several layer kinds. The arithmetic mirrors tfjs-layers exactly
 * (conv_utils.convOutputLength, Keras' axis convention), because the compile test holds
 * every inferred shape against what tfjs builds.
 */

/** Number of values in a shape, or null when any dimension is unknown. */
export function shapeSize(shape: Shape): number | null {
  let size = 1;
  for (const dim of shape) {
    if (dim === null) return null;
    size *= dim;
  }
  return size;
}

/**
 * An image shape a flat or 2-D input could obviously be reshaped to, as a one-click fix:
 * (h, w) → (h, w, 1); (n) → (√n, √n, 1) for a square grey image, or (√(n/3), √(n/3), 3)
 * for a square colour one. Anything less obvious gets no automatic fix.
 */
export function obviousImageShape(shape: Shape): number[] | null {
  const [a, b] = shape;
  if (shape.length === 2 && typeof a === 'number' && typeof b === 'number') return [a, b, 1];
  if (shape.length !== 1 || typeof a !== 'number') return null;
  const n = a;
  const grey = Math.round(Math.sqrt(n));
  if (grey > 1 && grey * grey === n) return [grey, grey, 1];
  const colour = Math.round(Math.sqrt(n / 3));
  if (colour > 1 && colour * colour * 3 === n) return [colour, colour, 3];
  return null;
}

/** The (height, width, channels) of an image-shaped input, or an error that says how to get one. */
export function requireImage(className: string, input: Shape): readonly [number | null, number | null, number | null] {
  if (input.length === 3) return [input[0] ?? null, input[1] ?? null, input[2] ?? null];
  const target = obviousImageShape(input);
  const fix: LayerFix | undefined = target
    ? { label: `Insert a Reshape to ${formatShape(target)}`, insertBefore: { class_name: 'Reshape', config: { target_shape: target } } }
    : undefined;
  const remedy = input.length < 3 ? 'insert a Reshape' : 'reshape it to three dimensions first';
  throw new LayerShapeError(
    `${className} needs an image-shaped input (height, width, channels) but gets ${formatShape(input)} — ${remedy}`,
    fix,
  );
}

/**
 * Output length of a sliding window along one axis, as tfjs computes it: 'same' keeps
 * ceil(n / stride), 'valid' keeps the positions where the whole window fits.
 */
export function windowOutputLength(input: number | null, window: number, stride: number, padding: Padding): number | null {
  if (input === null) return null;
  const covered = padding === 'same' ? input : input - window + 1;
  return Math.floor((covered + stride - 1) / stride);
}

/** Applies a 2-D window to an image, failing in words when the window does not fit. */
export function slideWindow2d(
  className: string,
  input: Shape,
  window: readonly [number, number],
  strides: readonly [number, number],
  padding: Padding,
  windowWord: 'kernel' | 'window',
): [number | null, number | null] {
  const [h, w] = requireImage(className, input);
  const outH = windowOutputLength(h, window[0], strides[0], padding);
  const outW = windowOutputLength(w, window[1], strides[1], padding);
  if ((outH !== null && outH < 1) || (outW !== null && outW < 1)) {
    throw new LayerShapeError(
      `${className}'s ${window[0]}×${window[1]} ${windowWord} is larger than its ${h ?? '?'}×${w ?? '?'} input — ` +
        `use padding 'same', a smaller ${windowWord}, or less downsampling before it`,
    );
  }
  return [outH, outW];
}

/** Turns a Keras axis (batch = 0, negative from the end) into an index into a batch-less shape. */
export function resolveAxis(className: string, axis: number, shape: Shape): number {
  const index = axis < 0 ? shape.length + axis : axis - 1;
  if (index < 0 || index >= shape.length) {
    throw new LayerShapeError(
      `${className}'s axis ${axis} does not exist on an input of shape ${formatShape(shape)} — use -1 for the last axis`,
    );
  }
  return index;
}

/** The last dimension, which must be known because weights are sized by it. */
export function knownLastDim(className: string, shape: Shape, what: string): number {
  const last = shape[shape.length - 1];
  if (last === null || last === undefined) {
    throw new LayerShapeError(`${className} needs to know how many ${what} its input has, but gets ${formatShape(shape)}`);
  }
  return last;
}

export function onlyInput(inputs: readonly Shape[]): Shape {
  const [input] = inputs;
  // The graph analysis checks input counts before inferring; reaching this is a bug.
  if (!input) throw new Error('layer inferred without an input');
  return input;
}

/** Values in a shape whose sizes are all known (after inference succeeded). */
export function elements(shape: Shape): number {
  return shape.reduce<number>((n, d) => n * (d ?? 0), 1);
}

/** FLOPs of applying an activation to `size` values (softmax: exp, sum, divide). */
export function activationFlops(activation: string, size: number): number {
  if (activation === 'linear') return 0;
  return activation === 'softmax' || activation === 'swish' || activation === 'gelu' ? 3 * size : size;
}

/** A layer that only moves or drops values computes nothing worth counting. */
export const NO_FLOPS = (): number => 0;

export const NO_PARAMS = { trainable: 0, nonTrainable: 0 } as const;
