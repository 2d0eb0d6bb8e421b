import { z } from 'zod';
import { defineLayerKind } from './layer-kind.ts';
import { NO_FLOPS, NO_PARAMS, onlyInput } from './shape-rules.ts';

export const DropoutParamsSchema = z.object({
  rate: z
    .number({ error: 'rate must be a number between 0 and 1, e.g. 0.25' })
    .min(0, 'rate must be at least 0 (0 drops nothing)')
    .lt(1, 'rate must be below 1 (1 would drop every value)')
    .default(0.25),
});
export type DropoutParams = z.infer<typeof DropoutParamsSchema>;

export const DropoutKind = defineLayerKind<DropoutParams>({
  className: 'Dropout',
  category: 'Regularization',
  help: 'While training, randomly zeroes a fraction (rate) of values so the model cannot rely on any one of them.',
  params: DropoutParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape: (inputs) => onlyInput(inputs),
  countParams: () => NO_PARAMS,
  flops: NO_FLOPS,
});
