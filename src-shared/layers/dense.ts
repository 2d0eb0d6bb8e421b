import { z } from 'zod';
import { formatShape } from '../spec/model-spec.ts';
import { defineLayerKind, LayerShapeError } from './layer-kind.ts';
import { activationParam, booleanParam, wholeNumber } from './layer-params.ts';
import { activationFlops, knownLastDim, onlyInput } from './shape-rules.ts';

export const DenseParamsSchema = z.object({
  units: wholeNumber('units', 1).default(64),
  activation: activationParam('relu'),
  use_bias: booleanParam('use_bias', true),
});
export type DenseParams = z.infer<typeof DenseParamsSchema>;

export const DenseKind = defineLayerKind<DenseParams>({
  className: 'Dense',
  category: 'Core',
  help: 'Fully connected: every output looks at every input feature.',
  params: DenseParamsSchema,
  inputs: { min: 1, max: 1 },
  inferShape(inputs, params) {
    const input = onlyInput(inputs);
    // tfjs would apply Dense along the last axis of an image, which is almost never what a
    // person building a classifier means; ask for the Flatten instead.
    if (input.length !== 1) {
      // On an image, averaging each channel is often the better choice (far fewer weights).
      const pool = input.length === 3 ? [{ label: 'Insert GlobalAveragePooling2D', insertBefore: { class_name: 'GlobalAveragePooling2D' } }] : [];
      throw new LayerShapeError(
        `Dense needs a flat list of features but gets ${formatShape(input)} — insert a Flatten`,
        { label: 'Insert Flatten', insertBefore: { class_name: 'Flatten' } },
        pool,
      );
    }
    knownLastDim('Dense', input, 'features');
    return [params.units];
  },
  countParams(inputs, params) {
    const features = knownLastDim('Dense', onlyInput(inputs), 'features');
    return { trainable: features * params.units + (params.use_bias ? params.units : 0), nonTrainable: 0 };
  },
  flops(inputs, params) {
    const features = knownLastDim('Dense', onlyInput(inputs), 'features');
    return 2 * features * params.units + (params.use_bias ? params.units : 0) + activationFlops(params.activation, params.units);
  },
});
