import { z } from 'zod';

/**
 * Parameter building blocks shared by the layer kinds. Every message names the field and
 * says what a valid value looks like, because the inspector shows it verbatim next to the
 * field and the person reading it may not know what "stride" means yet.
 */

/** Activations Strata offers: the ones Keras and tfjs both know under the same name. */
export const ACTIVATIONS = ['linear', 'relu', 'sigmoid', 'tanh', 'softmax', 'elu', 'selu', 'softplus', 'swish', 'gelu'] as const;
export type ActivationName = (typeof ACTIVATIONS)[number];

export function activationParam(defaultValue: ActivationName) {
  return z.enum(ACTIVATIONS, { error: `activation must be one of: ${ACTIVATIONS.join(', ')}` }).default(defaultValue);
}

/** A whole number ≥ min, e.g. units or filters. */
export function wholeNumber(field: string, min: number) {
  return z
    .number({ error: `${field} must be a number` })
    .int(`${field} must be a whole number`)
    .min(min, `${field} must be at least ${min}`);
}

/** A [height, width] pair of whole numbers ≥ 1, as Keras stores kernel sizes and strides. */
export function pairParam(field: string, example: string) {
  const side = z
    .number({ error: `${field} must be two whole numbers [height, width], e.g. ${example}` })
    .int(`${field} must be whole numbers, e.g. ${example}`)
    .min(1, `${field} must be at least 1 in each direction`);
  return z.tuple([side, side], { error: `${field} must be two numbers [height, width], e.g. ${example}` });
}

export const PADDINGS = ['valid', 'same'] as const;
export type Padding = (typeof PADDINGS)[number];

export function paddingParam() {
  return z
    .enum(PADDINGS, { error: `padding must be 'valid' (the output shrinks by the window size) or 'same' (the output keeps the input's size)` })
    .default('valid');
}

/**
 * An axis as Keras counts it: the batch is axis 0, so 1 is the first axis Strata shows and
 * -1 the last. Whether it fits the input is a shape question, checked at inference time.
 */
export function axisParam() {
  return z
    .number({ error: 'axis must be a whole number, e.g. -1 for the last axis' })
    .int('axis must be a whole number, e.g. -1 for the last axis')
    .refine((axis) => axis !== 0, 'axis 0 is the batch; use -1 for the last axis (the channels of an image)')
    .default(-1);
}

export function booleanParam(field: string, defaultValue: boolean) {
  return z.boolean({ error: `${field} must be true or false` }).default(defaultValue);
}

/** Rows and columns at each edge of an image: [[top, bottom], [left, right]]. */
export type EdgePairs = [[number, number], [number, number]];

/**
 * Padding or cropping at the edges of an image in any of Keras' three forms, read as
 * [[top, bottom], [left, right]]: n (every edge), [h, w] (h at the top and the bottom, w
 * at the left and the right) or the pairs themselves. The spec keeps what was typed.
 */
export function edgePairsParam(field: string, example: string) {
  // A refinement rather than .int(): zod reports a fraction as a wrong type, and the union
  // would then answer with its general message instead of this one.
  const edge = z
    .number({ error: `${field} must be whole numbers, e.g. ${example}` })
    .min(0, `${field} must be at least 0 at each edge`)
    .refine(Number.isInteger, `${field} must be whole numbers, e.g. ${example}`);
  return z
    .union([edge, z.tuple([edge, edge]), z.tuple([z.tuple([edge, edge]), z.tuple([edge, edge])])], {
      error: `${field} must be a number, [height, width] or [[top, bottom], [left, right]], e.g. ${example}`,
    })
    .transform((value): EdgePairs => {
      const both = (n: number | readonly [number, number]): [number, number] => (typeof n === 'number' ? [n, n] : [n[0], n[1]]);
      if (typeof value === 'number') return [both(value), both(value)];
      return [both(value[0]), both(value[1])];
    });
}
