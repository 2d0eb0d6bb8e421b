import { z } from 'zod';
import { formatShape } from '../spec/model-spec.ts';
import { defineLayerKind, LayerShapeError } from './layer-kind.ts';
import { axisParam } from './layer-params.ts';
import { elements, onlyInput, resolveAxis } from './shape-rules.ts';

export const BatchNormalizationParamsSchema = z.object({
  momentum: z
    .number({ error: 'momentum must be a number between 0 and 1, e.g. 0.99' })
    .min(0, 'momentum must be at least 0')
    .max(1, 'momentum must be at most 1')
    .default(0.99),
  epsilon: z
    .number({ error: 'epsilon must be a small positive number, e.g. 0.001' })
    .positive('epsilon must be above 0 (it keeps the division safe)')
    .default(0.001),
  axis: axisParam(),
});
export type BatchNormalizationParams = z.infer<typeof BatchNormalizationParamsSchema>;

function normalizedSize(inputs: Parameters<typeof onlyInput>[0], params: BatchNormalizationParams): number {
  const input = onlyInput(inputs);
  const size = input[resolveAxis('BatchNormalization', params.axis, input)];
  if (size === null || size === undefined) {
    throw new LayerShapeError(`BatchNormalization needs the size of axis ${params.axis} known, but gets ${formatShape(input)}`);
  }
  return size;
}

export const BatchNormalizationKind = defineLayerKind<BatchNormalizationParams>({
  className: 'BatchNormalization',
  category: 'Normalization',
  help: 'Re-centres and re-scales values during training, which often makes training faster and steadier.',
  params: BatchNormalizationParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape(inputs, params) {
    normalizedSize(inputs, params);
    return onlyInput(inputs);
  },
  countParams(inputs, params) {
    // gamma and beta are learned; the moving mean and variance are tracked, not trained.
    const size = normalizedSize(inputs, params);
    return { trainable: 2 * size, nonTrainable: 2 * size };
  },
  // Folded at inference into one scale and one shift per value.
  flops: (_inputs, _params, output) => 2 * elements(output),
});
