import { z } from 'zod';
import { defineLayerKind } from './layer-kind.ts';
import { activationParam } from './layer-params.ts';
import { activationFlops, elements, NO_PARAMS, onlyInput } from './shape-rules.ts';

export const ActivationParamsSchema = z.object({
  activation: activationParam('relu'),
});
export type ActivationParams = z.infer<typeof ActivationParamsSchema>;

export const ActivationKind = defineLayerKind<ActivationParams>({
  className: 'Activation',
  category: 'Activation',
  help: 'Applies a function such as relu or softmax to every value; the shape does not change.',
  params: ActivationParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape: (inputs) => onlyInput(inputs),
  countParams: () => NO_PARAMS,
  flops: (_inputs, params, output) => activationFlops(params.activation, elements(output)),
});
