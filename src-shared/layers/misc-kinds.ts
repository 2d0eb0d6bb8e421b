import { z } from 'zod';
import { formatShape } from '../spec/model-spec.ts';
import { defineLayerKind, LayerShapeError } from './layer-kind.ts';
import { axisParam, wholeNumber } from './layer-params.ts';
import { requireSequence } from './sequence-rules.ts';
import { elements, NO_FLOPS, NO_PARAMS, onlyInput, resolveAxis } from './shape-rules.ts';

/** Sequence reshaping, layer normalisation, spatial dropout, input rescaling, LeakyReLU and element-wise merges. */

export const RepeatVectorParamsSchema = z.object({ n: wholeNumber('n', 1).default(4) });
type RepeatVectorParams = z.infer<typeof RepeatVectorParamsSchema>;

export const RepeatVectorKind = defineLayerKind<RepeatVectorParams>({
  className: 'RepeatVector',
  category: 'Reshape',
  help: 'Repeats a flat vector n times into a sequence (n, features), e.g. to feed a decoder RNN.',
  params: RepeatVectorParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape(inputs, p) {
    const input = onlyInput(inputs);
    if (input.length !== 1) throw new LayerShapeError(`RepeatVector needs a flat vector but gets ${formatShape(input)} — insert a Flatten or GlobalAveragePooling first`);
    return [p.n, input[0] ?? null];
  },
  countParams: () => NO_PARAMS,
  flops: NO_FLOPS,
});

export const PermuteParamsSchema = z.object({
  /** 1-based order of the non-batch axes, e.g. [2, 1] swaps steps and features. */
  dims: z.array(z.number({ error: 'dims must be whole numbers' }).int('dims must be whole numbers').min(1, 'dims count axes from 1'), { error: 'dims must be a list such as [2, 1]' })
    .min(1, 'dims needs at least one axis').default([2, 1]),
});
type PermuteParams = z.infer<typeof PermuteParamsSchema>;

export const PermuteKind = defineLayerKind<PermuteParams>({
  className: 'Permute',
  category: 'Reshape',
  help: 'Reorders the axes of its input, e.g. dims [2, 1] turns (steps, features) into (features, steps).',
  params: PermuteParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape(inputs, p) {
    const input = onlyInput(inputs);
    const sorted = [...p.dims].sort((a, b) => a - b);
    if (p.dims.length !== input.length || sorted.some((d, i) => d !== i + 1)) {
      throw new LayerShapeError(`Permute's dims ${JSON.stringify(p.dims)} must list each of the input's ${input.length} axes once (1 to ${input.length}), e.g. ${JSON.stringify(input.map((_, i) => input.length - i))}`);
    }
    return p.dims.map((d) => input[d - 1] ?? null);
  },
  countParams: () => NO_PARAMS,
  flops: NO_FLOPS,
});

export const LayerNormalizationParamsSchema = z.object({
  axis: axisParam(),
  epsilon: z.number({ error: 'epsilon must be a small positive number, e.g. 0.001' }).positive('epsilon must be above 0').default(0.001),
});
type LayerNormalizationParams = z.infer<typeof LayerNormalizationParamsSchema>;

export const LayerNormalizationKind = defineLayerKind<LayerNormalizationParams>({
  className: 'LayerNormalization',
  category: 'Normalization',
  help: 'Re-centres and re-scales each sample on its own (not over the batch): steadier for RNNs and small batches.',
  params: LayerNormalizationParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape(inputs, p) {
    const input = onlyInput(inputs);
    const index = resolveAxis('LayerNormalization', p.axis, input);
    if (input[index] === null) throw new LayerShapeError('LayerNormalization needs the size of its axis known');
    return input;
  },
  countParams(inputs, p) {
    const input = onlyInput(inputs);
    const size = input[resolveAxis('LayerNormalization', p.axis, input)] ?? 0;
    return { trainable: 2 * size, nonTrainable: 0 };
  },
  flops: (_inputs, _p, output) => 5 * elements(output),
});

export const SpatialDropout1DParamsSchema = z.object({
  rate: z.number({ error: 'rate must be a number between 0 and 1, e.g. 0.2' }).min(0, 'rate must be at least 0').lt(1, 'rate must be below 1').default(0.2),
});
type SpatialDropout1DParams = z.infer<typeof SpatialDropout1DParamsSchema>;

export const SpatialDropout1DKind = defineLayerKind<SpatialDropout1DParams>({
  className: 'SpatialDropout1D',
  category: 'Regularization',
  help: 'While training, drops whole features of a sequence (every step at once) rather than single values.',
  params: SpatialDropout1DParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape(inputs) {
    requireSequence('SpatialDropout1D', onlyInput(inputs));
    return onlyInput(inputs);
  },
  countParams: () => NO_PARAMS,
  flops: NO_FLOPS,
});

export const RescalingParamsSchema = z.object({
  scale: z.number({ error: 'scale must be a number, e.g. 0.00392 for 1/255' }).default(1 / 255),
  offset: z.number({ error: 'offset must be a number, e.g. 0 or -1' }).default(0),
});
type RescalingParams = z.infer<typeof RescalingParamsSchema>;

export const RescalingKind = defineLayerKind<RescalingParams>({
  className: 'Rescaling',
  category: 'Input',
  help: 'Scales raw input values, value × scale + offset (e.g. pixels 0–255 to 0–1), inside the model.',
  params: RescalingParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape: (inputs) => onlyInput(inputs),
  countParams: () => NO_PARAMS,
  flops: (_inputs, _p, output) => 2 * elements(output),
});

export const LeakyReLUParamsSchema = z.object({
  alpha: z.number({ error: 'alpha must be a number ≥ 0, e.g. 0.3' }).min(0, 'alpha must be at least 0').default(0.3),
});
type LeakyReLUParams = z.infer<typeof LeakyReLUParamsSchema>;

export const LeakyReLUKind = defineLayerKind<LeakyReLUParams>({
  className: 'LeakyReLU',
  category: 'Activation',
  help: 'Like relu, but lets a small slope (alpha) of negative values through, so units never die; common in GANs.',
  params: LeakyReLUParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape: (inputs) => onlyInput(inputs),
  countParams: () => NO_PARAMS,
  flops: (_inputs, _p, output) => elements(output),
});
