import { z } from 'zod';
import { defineLayerKind } from './layer-kind.ts';
import { wholeNumber } from './layer-params.ts';
import { NO_FLOPS, NO_PARAMS } from './shape-rules.ts';

export const InputParamsSchema = z.object({
  /** One sample's shape, without the batch: (28, 28, 1) for a small grey image. */
  shape: z
    .array(wholeNumber('each size in shape', 1), { error: 'shape must be a list of sizes, e.g. [28, 28, 1]' })
    .min(1, 'shape needs at least one size, e.g. [28, 28, 1] for a grey image or [10] for 10 numbers')
    .default([28, 28, 1]),
});
export type InputParams = z.infer<typeof InputParamsSchema>;

export const InputKind = defineLayerKind<InputParams>({
  className: 'Input',
  category: 'Input',
  help: 'Where data enters: the shape of one sample, e.g. 28×28×1 for a small grey image.',
  params: InputParamsSchema,
  inputs: { min: 0, max: 0 },
  inferShape: (_inputs, params) => params.shape,
  countParams: () => NO_PARAMS,
  flops: NO_FLOPS,
});
