import { z } from 'zod';
import { formatShape, type Shape } from '../spec/model-spec.ts';
import { defineLayerKind, LayerShapeError } from './layer-kind.ts';
import { axisParam } from './layer-params.ts';
import { elements, NO_FLOPS, NO_PARAMS, resolveAxis } from './shape-rules.ts';

/** Merge layers take any number of inputs from 2 up. */
const MERGE_INPUTS = { min: 2, max: Number.POSITIVE_INFINITY };

function listShapes(inputs: readonly Shape[]): string {
  return inputs.map(formatShape).join(' and ');
}

/** Unknown sizes match anything, as in tfjs. */
function sameDim(a: number | null | undefined, b: number | null | undefined): boolean {
  return a === null || b === null || a === b;
}

export const AddParamsSchema = z.object({});
export type AddParams = z.infer<typeof AddParamsSchema>;

/** An element-wise merge of same-shaped inputs: Add, Multiply, Average, Maximum. */
function elementwiseMerge(className: string, help: string) {
  return defineLayerKind<AddParams>({
    className,
    category: 'Merge',
    help,
    params: AddParamsSchema,
    inputs: MERGE_INPUTS,
    inferShape(inputs) {
      const [first, ...rest] = inputs;
      if (!first) throw new Error(`${className} inferred without inputs`);
      // Strict equality (no broadcasting): Keras 3 requires it, and a broadcast here is
      // far more often a wiring mistake than an intent.
      const mismatch = rest.some((s) => s.length !== first.length || s.some((d, i) => !sameDim(d, first[i])));
      if (mismatch) {
        throw new LayerShapeError(`${className} needs inputs of the same shape but gets ${listShapes(inputs)}`);
      }
      return first.map((d, i) => (d !== null ? d : (rest.find((s) => s[i] !== null)?.[i] ?? null)));
    },
    countParams: () => NO_PARAMS,
    flops: (inputs, _params, output) => (inputs.length - 1) * elements(output),
  });
}

export const AddKind = elementwiseMerge('Add', 'Adds its inputs value by value (a skip connection); they must all have the same shape.');
export const MultiplyKind = elementwiseMerge('Multiply', 'Multiplies its inputs value by value, e.g. to gate one branch with another; same shapes.');
export const AverageKind = elementwiseMerge('Average', 'Averages its inputs value by value, e.g. to ensemble branches; same shapes.');
export const MaximumKind = elementwiseMerge('Maximum', 'Keeps the larger value at each position across its inputs; same shapes.');

export const ConcatenateParamsSchema = z.object({
  axis: axisParam(),
});
export type ConcatenateParams = z.infer<typeof ConcatenateParamsSchema>;

export const ConcatenateKind = defineLayerKind<ConcatenateParams>({
  className: 'Concatenate',
  category: 'Merge',
  help: 'Joins its inputs side by side along one axis (by default the last: channels or features).',
  params: ConcatenateParamsSchema,
  inputs: MERGE_INPUTS,
  inferShape(inputs, params) {
    const [first, ...rest] = inputs;
    if (!first) throw new Error('Concatenate inferred without inputs');
    if (rest.some((s) => s.length !== first.length)) {
      throw new LayerShapeError(
        `Concatenate needs inputs with the same number of dimensions but gets ${listShapes(inputs)}`,
      );
    }
    const axis = resolveAxis('Concatenate', params.axis, first);
    const mismatch = rest.some((s) => s.some((d, i) => i !== axis && !sameDim(d, first[i])));
    if (mismatch) {
      throw new LayerShapeError(
        `Concatenate joins along axis ${params.axis}, so every other size must match, but gets ${listShapes(inputs)}`,
      );
    }
    return first.map((d, i) => {
      if (i === axis) {
        return inputs.reduce<number | null>((sum, s) => (sum === null || s[i] === null ? null : sum + (s[i] ?? 0)), 0);
      }
      return d !== null ? d : (rest.find((s) => s[i] !== null)?.[i] ?? null);
    });
  },
  countParams: () => NO_PARAMS,
  flops: NO_FLOPS,
});
