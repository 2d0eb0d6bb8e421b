import { formatShape, type Shape } from '../spec/model-spec.ts';
import { LayerShapeError } from './layer-kind.ts';
import { windowOutputLength } from './shape-rules.ts';
import type { Padding } from './layer-params.ts';

/** Shape checks for sequence layers (steps, features), shared by 1-D convolution, pooling and RNNs. */

/** The (steps, features) of a sequence input, or an error saying how to get one. */
export function requireSequence(className: string, input: Shape): readonly [number | null, number | null] {
  if (input.length === 2) return [input[0] ?? null, input[1] ?? null];
  const how = input.length === 1
    ? 'insert a RepeatVector or a Reshape to (steps, features) before it, or an Embedding for word ids'
    : 'reshape it to (steps, features) first';
  throw new LayerShapeError(`${className} needs a sequence input (steps, features) but gets ${formatShape(input)} — ${how}`);
}

/** A 1-D window along the steps, failing in words when it does not fit. */
export function slideWindow1d(className: string, steps: number | null, window: number, stride: number, padding: Padding, dilation = 1): number | null {
  const span = (window - 1) * dilation + 1;
  const out = windowOutputLength(steps, span, stride, padding);
  if (out !== null && out < 1) {
    throw new LayerShapeError(`${className}'s window of ${span} steps is larger than its input of ${steps} steps — use padding 'same' or a smaller window`);
  }
  return out;
}
